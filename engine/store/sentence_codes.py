"""Turning a library's float16 sentence keys into projected int8 codes (projection.py).

Why a separate step: the projection is learnt from the library's own keys, so the first
documents are stored as float16 until there are enough keys to learn from
(`MIN_KEYS`); then the projection is learnt once, every float row is coded, and later
documents are coded as they are written (`Store.replace_document`). Each batch of rows is
converted in its own transaction, so an interrupted run leaves valid rows of both kinds.
"""
from __future__ import annotations

import time

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store import projection
from engine.store.store import Store

__all__ = ["MIN_KEYS", "compact_sentence_keys"]

MIN_KEYS = 4000     # enough keys to learn 128 principal directions from
_BATCH = 8192


def compact_sentence_keys(store: Store, *, min_keys: int = MIN_KEYS,
                          cancel: CancelToken | None = None, report: Report = no_report) -> int:
    """Code every float16 sentence key (learning the projection first when there is none
    and enough keys); returns how many rows were coded."""
    cancel = cancel or CancelToken()
    proj = store.projection()
    pending = int(store.db.execute(
        "SELECT count(*) FROM sentence_keys WHERE code IS NULL").fetchone()[0])
    if pending == 0 or (proj is None and pending < min_keys):
        return 0
    if proj is None:
        report(0, pending, "learning the sentence-key projection")
        _, keys = _float_rows(store, limit=None)
        proj = projection.fit(keys)
        cancel.check()
        with store.atomic() as db:
            db.execute("INSERT OR REPLACE INTO key_projection (id, projection, trained_on,"
                       " trained_at) VALUES (1, ?, ?, ?)", [proj.to_bytes(), len(keys), time.time()])
        store._projection = None
    done = 0
    while True:
        cancel.check()
        ids, keys = _float_rows(store, limit=_BATCH)
        if not len(ids):
            break
        blobs = projection.pack(*proj.encode(keys))
        with store.atomic() as db:
            db.conn.executemany("UPDATE sentence_keys SET code = ?, vec = x'' WHERE id = ?",
                                ((blobs[i], int(ids[i])) for i in range(len(ids))))
            store._bump(db)
        done += len(ids)
        report(done, pending, f"compressing sentence keys {done}/{pending}")
    return done


def _float_rows(store: Store, *, limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    sql = "SELECT id, vec FROM sentence_keys WHERE code IS NULL ORDER BY id"
    rows = store.db.execute(sql + (" LIMIT ?" if limit else ""), [limit] if limit else []).fetchall()
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    if not rows:
        return ids, np.zeros((0, 0), np.float32)
    mat = np.frombuffer(b"".join(r[1] for r in rows), np.float16)
    return ids, mat.reshape(len(rows), -1).astype(np.float32)
