"""Rows of the gist tree (engine/gists writes them): what a document's blocks, sections,
chapters and whole text are about, each tied to the chunks and blocks it covers.

Functions here take a connection, as engine/store/blocks.py does, so `Store` can call them
inside its own transactions; the rest of the engine reaches them through `Store`.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from engine.store import keys

__all__ = ["BlockSpan", "StoredGist", "gist_title", "block_spans", "document_gists", "write_gist",
           "clear_gists", "documents_to_digest", "all_gists", "gist_counts"]

LEVELS = ("block", "section", "chapter", "document")   # leaves first


@dataclass(frozen=True)
class BlockSpan:
    """A memory block as the gist plan sees it: its chunks and the heading path it is in
    (a block never crosses a section, engine/memory/blocks.py)."""
    id: int
    first_chunk: int
    last_chunk: int
    section: tuple[str, ...]


def gist_title(level: str, section: tuple[str, ...], name: str) -> str:
    """What a gist is called: its chapter's heading for a chapter, its own heading for a
    section or block, else `name` (the document's file name)."""
    if level == "document" or not section:
        return name
    return section[0] if level == "chapter" else section[-1]


@dataclass(frozen=True)
class StoredGist:
    id: int
    doc_id: int
    level: str
    ordinal: int
    first_chunk: int
    last_chunk: int
    blocks: tuple[int, ...]
    section: tuple[str, ...]
    text: str
    source: str
    key: np.ndarray | None          # float32 unit vector, None until keyed
    prompt_s: float = 0.0
    generate_s: float = 0.0


def block_spans(db: sqlite_utils.Database, doc_id: int) -> list[BlockSpan]:
    rows = db.execute(
        "SELECT b.id, b.first_chunk, b.last_chunk, c.section FROM blocks b"
        " JOIN chunks c ON c.id = b.first_chunk WHERE b.doc_id = ? ORDER BY c.ordinal",
        [doc_id]).fetchall()
    return [BlockSpan(r[0], r[1], r[2], tuple(json.loads(r[3])) if r[3] else ()) for r in rows]


_COLUMNS = ("id, doc_id, level, ordinal, first_chunk, last_chunk, blocks, section, text, source,"
            " key, key_scale, prompt_s, generate_s")


def _gist(r: tuple) -> StoredGist:
    key = keys.decode_centroids([(r[10], r[11])])[0] if r[10] is not None else None
    return StoredGist(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])),
                      tuple(json.loads(r[7])) if r[7] else (), r[8], r[9], key,
                      r[12] or 0.0, r[13] or 0.0)


def document_gists(db: sqlite_utils.Database, doc_id: int) -> list[StoredGist]:
    """A document's gists, leaves first, each level in document order."""
    order = " ".join(f"WHEN '{lv}' THEN {i}" for i, lv in enumerate(LEVELS))
    rows = db.execute(f"SELECT {_COLUMNS} FROM gists WHERE doc_id = ?"
                      f" ORDER BY CASE level {order} END, ordinal", [doc_id]).fetchall()
    return [_gist(r) for r in rows]


def all_gists(db: sqlite_utils.Database, levels: tuple[str, ...] = LEVELS) -> list[StoredGist]:
    """Every keyed gist at `levels`, for recall (a library has a few per chunk block)."""
    marks = ",".join("?" * len(levels))
    rows = db.execute(f"SELECT {_COLUMNS} FROM gists WHERE key IS NOT NULL AND level IN ({marks})"
                      " ORDER BY doc_id, id", list(levels)).fetchall()
    return [_gist(r) for r in rows]


def write_gist(db: sqlite_utils.Database, doc_id: int, *, version: tuple, level: str,
               ordinal: int, first_chunk: int, last_chunk: int, blocks: tuple[int, ...],
               section: tuple[str, ...], text: str, source: str, key: np.ndarray | None,
               prompt_s: float = 0.0, generate_s: float = 0.0) -> bool:
    """Insert or replace one gist of the document version `version` ((hash, updated_at)
    as read when the digest began); False, writing nothing, when the document was
    forgotten or re-read meanwhile. The id alone cannot tell: a re-read document may get
    its old row id and chunk ids back (SQLite reuses the largest rowid once freed)."""
    now = db.execute("SELECT hash, updated_at FROM documents WHERE id = ?", [doc_id]).fetchone()
    if now is None or tuple(now) != tuple(version):
        return False
    vec, scale = keys.encode_centroid(key) if key is not None else (None, None)
    db.execute(
        "INSERT OR REPLACE INTO gists (doc_id, level, ordinal, first_chunk, last_chunk, blocks,"
        " section, text, source, key, key_scale, prompt_s, generate_s, made_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [doc_id, level, ordinal, first_chunk, last_chunk, json.dumps(list(blocks)),
         json.dumps(list(section)), text, source, vec, scale, prompt_s, generate_s, time.time()])
    return True


def clear_gists(db: sqlite_utils.Database, doc_id: int) -> None:
    db.execute("DELETE FROM gists WHERE doc_id = ?", [doc_id])


def documents_to_digest(db: sqlite_utils.Database) -> list[int]:
    """Understood documents without a whole-document gist (written last, so a document
    has one only when its tree is complete): the most valuable first (the value scorer's
    best block), then the most recently added."""
    rows = db.execute(
        "SELECT d.id FROM documents d WHERE d.status = 'ready' AND d.phase = 'understood'"
        " AND d.chunks > 0 AND EXISTS (SELECT 1 FROM blocks b WHERE b.doc_id = d.id)"
        " AND NOT EXISTS (SELECT 1 FROM gists g WHERE g.doc_id = d.id AND g.level = 'document')"
        " ORDER BY COALESCE((SELECT max(t.value) FROM blocks b JOIN block_tiers t ON t.block_id = b.id"
        "           WHERE b.doc_id = d.id), -1) DESC,"
        " COALESCE(d.added_at, d.updated_at) DESC, d.id DESC").fetchall()
    return [r[0] for r in rows]


def gist_counts(db: sqlite_utils.Database) -> dict[int, int]:
    """Gists per document (the app shows which documents have a map)."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT doc_id, count(*) FROM gists GROUP BY doc_id").fetchall()}
