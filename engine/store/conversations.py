"""Conversation state kept in the library: turns, the evidence each used, its citations.

A follow-up question is resolved against this state, so it must survive a restart of the
app or of `memex ask --session ID`; it lives in the library's SQLite file beside the
documents it cites. Evidence is kept as chunk ids: a document re-ingested since then has
new chunk ids, so stale evidence simply stops resolving instead of quoting old text.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import numpy as np

from engine.errors import StoreError
from engine.store.store import Store

__all__ = ["Turn", "Conversation", "Conversations"]


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str                                          # the model's synthesis
    query: str = ""                                      # what recall was asked
    beta: float = 0.0                                    # share of conversation memory mixed in
    place: str | None = None                             # the place recall was restricted to
    quotes: list[dict] = field(default_factory=list)     # {"text", "n"}
    evidence: list[int] = field(default_factory=list)    # chunk ids; evidence[i] is tag i + 1
    cited: list[dict] = field(default_factory=list)      # {"n", "chunk_id", "path", ...}
    asked_at: float = 0.0

    def cited_chunks(self) -> list[int]:
        return [c["chunk_id"] for c in self.cited if c.get("chunk_id") is not None]


@dataclass
class Conversation:
    id: int
    title: str
    turns: list[Turn]
    memory: np.ndarray | None     # float32 [dim], the compressed conversation memory

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


class Conversations:
    """The conversations of one library (no Qt; the app and the CLI share it)."""

    def __init__(self, store: Store):
        self.store = store

    def new(self, title: str = "") -> int:
        now = time.time()
        with self.store.atomic() as db:
            cur = db.execute("INSERT INTO conversations (title, created_at, updated_at)"
                             " VALUES (?, ?, ?)", [title, now, now])
            return int(cur.lastrowid)

    def latest(self) -> int | None:
        row = self.store.db.execute(
            "SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def ids(self) -> list[int]:
        return [int(r[0]) for r in self.store.db.execute(
            "SELECT id FROM conversations ORDER BY id").fetchall()]

    def load(self, conversation_id: int, *, last: int = 50) -> Conversation:
        row = self.store.db.execute("SELECT title, memory FROM conversations WHERE id = ?",
                                    [conversation_id]).fetchone()
        if row is None:
            raise StoreError(f"There is no conversation {conversation_id} in this library.")
        rows = self.store.db.execute(
            "SELECT question, answer, query, beta, place, quotes, evidence, cited, asked_at"
            " FROM conversation_turns WHERE conversation_id = ? ORDER BY id DESC LIMIT ?",
            [conversation_id, last]).fetchall()
        turns = [Turn(q, a, qu or "", b or 0.0, p, json.loads(qs or "[]"), json.loads(ev or "[]"),
                      json.loads(ci or "[]"), t)
                 for q, a, qu, b, p, qs, ev, ci, t in reversed(rows)]
        memory = np.frombuffer(row[1], dtype=np.float32).copy() if row[1] else None
        return Conversation(conversation_id, row[0] or "", turns, memory)

    def add(self, conversation_id: int, turn: Turn, memory: np.ndarray | None) -> None:
        """Append a turn and replace the compressed memory, in one transaction."""
        now = time.time()
        with self.store.atomic() as db:
            db.execute(
                "INSERT INTO conversation_turns (conversation_id, asked_at, question, query, beta,"
                " place, answer, quotes, evidence, cited) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [conversation_id, turn.asked_at or now, turn.question, turn.query, turn.beta,
                 turn.place, turn.answer, json.dumps(turn.quotes, ensure_ascii=False),
                 json.dumps(turn.evidence), json.dumps(turn.cited, ensure_ascii=False)])
            blob = memory.astype(np.float32).tobytes() if memory is not None else None
            db.execute("UPDATE conversations SET updated_at = ?, memory = ?,"
                       " title = CASE WHEN title = '' OR title IS NULL THEN ? ELSE title END"
                       " WHERE id = ?", [now, blob, turn.question[:80], conversation_id])

    def delete(self, conversation_id: int) -> None:
        with self.store.atomic() as db:
            db.execute("DELETE FROM conversation_turns WHERE conversation_id = ?", [conversation_id])
            db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])
