"""What the desktop app keeps in the library so it survives a restart (no Qt here).

Watched folders, ingests a quit interrupted (resumed at the next start), the chat
history and the answering model chosen for the library live in the library's SQLite
file, so they travel with the library when it is copied and the app itself never touches
SQL.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from engine.store.store import Store
from engine.store.library_settings import library_setting, set_library_setting

__all__ = ["AppState", "ChatTurn"]


@dataclass(frozen=True)
class ChatTurn:
    question: str
    answer: str
    citations: list[dict] = field(default_factory=list)  # Hit.to_json() plus the tag "n"
    asked_at: float = 0.0


class AppState:
    def __init__(self, store: Store):
        self.store = store

    # -- watched folders ---------------------------------------------------------------

    def watched(self) -> list[str]:
        rows = self.store.db.execute("SELECT path FROM watched_folders ORDER BY path").fetchall()
        return [r[0] for r in rows]

    def watch(self, folder: str) -> None:
        with self.store.atomic() as db:
            db.execute("INSERT OR IGNORE INTO watched_folders (path, added_at) VALUES (?, ?)",
                       [folder, time.time()])

    def unwatch(self, folder: str) -> None:
        with self.store.atomic() as db:
            db.execute("DELETE FROM watched_folders WHERE path = ?", [folder])

    # -- ingests not finished yet ------------------------------------------------------

    def pending(self) -> list[str]:
        rows = self.store.db.execute(
            "SELECT path FROM pending_ingest ORDER BY queued_at, path").fetchall()
        return [r[0] for r in rows]

    def queue(self, paths: list[str]) -> None:
        now = time.time()
        with self.store.atomic() as db:
            db.conn.executemany(
                "INSERT OR IGNORE INTO pending_ingest (path, queued_at) VALUES (?, ?)",
                [(p, now) for p in paths])

    def done(self, paths: list[str]) -> None:
        with self.store.atomic() as db:
            db.conn.executemany("DELETE FROM pending_ingest WHERE path = ?", [(p,) for p in paths])

    # -- chat history ------------------------------------------------------------------

    def chat(self, limit: int = 200) -> list[ChatTurn]:
        rows = self.store.db.execute(
            "SELECT question, answer, citations, asked_at FROM chat_turns"
            " ORDER BY id DESC LIMIT ?", [limit]).fetchall()
        return [ChatTurn(q, a, json.loads(c or "[]"), t) for q, a, c, t in reversed(rows)]

    def add_turn(self, turn: ChatTurn) -> None:
        with self.store.atomic() as db:
            db.execute(
                "INSERT INTO chat_turns (asked_at, question, answer, citations) VALUES (?,?,?,?)",
                [turn.asked_at or time.time(), turn.question, turn.answer,
                 json.dumps(turn.citations, ensure_ascii=False)])

    def clear_chat(self) -> None:
        with self.store.atomic() as db:
            db.execute("DELETE FROM chat_turns")

    # -- the answering model chosen for this library (`memex models --use`) --------------

    def model(self) -> str | None:
        return library_setting(self.store, "model_path")

    def choose_model(self, path: str | None) -> None:
        """Remember a GGUF path for this library; None forgets it (the defaults apply)."""
        set_library_setting(self.store, "model_path", path)
