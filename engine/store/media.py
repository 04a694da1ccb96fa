"""Media rows beside the chunks: cues inside scene chunks, keyframe thumbnails, and the
links between them. Written in the caller's transaction, read by recall and the viewer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sqlite_utils

from ingest.records import Chunk

__all__ = ["KeyframeRef", "StoredCue", "insert_media", "keyframes_of", "cues_of", "thumbnail"]


@dataclass(frozen=True)
class KeyframeRef:
    """A stored keyframe without its JPEG (fetch that with `thumbnail(id)`)."""
    id: int
    time_s: float
    width: int | None
    height: int | None

    def to_json(self) -> dict:
        return {"id": self.id, "time_s": self.time_s, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class StoredCue:
    n: int
    start_s: float
    end_s: float
    char_start: int   # span of the cue's text in its chunk's text
    char_end: int


def insert_media(db: sqlite_utils.Database, doc_id: int, first_chunk_id: int,
                 chunks: Sequence[Chunk]) -> None:
    """Store the cues and keyframes the chunks carry (keyframes once each per document)."""
    cue_rows, link_rows = [], []
    keyframe_ids: dict[int, int] = {}
    for i, chunk in enumerate(chunks):
        chunk_id = first_chunk_id + i
        at = 0
        for cue in chunk.cues:   # chunk text is the cue texts joined by newlines
            cue_rows.append((chunk_id, cue.index, cue.start_s, cue.end_s, at, at + len(cue.text)))
            at += len(cue.text) + 1
        for kf in chunk.keyframes:
            if kf.index not in keyframe_ids:
                keyframe_ids[kf.index] = db.execute(
                    "INSERT INTO keyframes (doc_id, ordinal, time_s, width, height, score, jpeg)"
                    " VALUES (?,?,?,?,?,?,?)",
                    [doc_id, kf.index, kf.time_s, kf.width, kf.height, kf.score, kf.jpeg],
                ).lastrowid
            link_rows.append((chunk_id, keyframe_ids[kf.index]))
    if cue_rows:
        db.conn.executemany("INSERT INTO cues (chunk_id, n, start_s, end_s, char_start, char_end)"
                            " VALUES (?,?,?,?,?,?)", cue_rows)
    if link_rows:
        db.conn.executemany("INSERT OR IGNORE INTO chunk_keyframes (chunk_id, keyframe_id)"
                            " VALUES (?,?)", link_rows)


def keyframes_of(db: sqlite_utils.Database, chunk_ids: Sequence[int]) -> dict[int, tuple[KeyframeRef, ...]]:
    if not chunk_ids:
        return {}
    marks = ",".join("?" * len(chunk_ids))
    rows = db.execute(
        "SELECT ck.chunk_id, k.id, k.time_s, k.width, k.height FROM chunk_keyframes ck"
        f" JOIN keyframes k ON k.id = ck.keyframe_id WHERE ck.chunk_id IN ({marks})"
        " ORDER BY ck.chunk_id, k.time_s", list(chunk_ids)).fetchall()
    out: dict[int, list[KeyframeRef]] = {}
    for chunk_id, *ref in rows:
        out.setdefault(chunk_id, []).append(KeyframeRef(*ref))
    return {k: tuple(v) for k, v in out.items()}


def cues_of(db: sqlite_utils.Database, chunk_id: int) -> list[StoredCue]:
    rows = db.execute("SELECT n, start_s, end_s, char_start, char_end FROM cues"
                      " WHERE chunk_id = ? ORDER BY n", [chunk_id]).fetchall()
    return [StoredCue(*r) for r in rows]


def thumbnail(db: sqlite_utils.Database, keyframe_id: int) -> bytes | None:
    row = db.execute("SELECT jpeg FROM keyframes WHERE id = ?", [keyframe_id]).fetchone()
    return bytes(row[0]) if row else None
