"""Turning a library's keys into projected int8 codes (projection.py), once it can learn how.

Why a separate step: a projection is learnt from the library's own keys, so the first
documents are stored at the encoder's full width until there are enough keys to learn
from; then the projection is learnt once, every full-width row is coded, and later
documents are coded as they are written (`Store.replace_document`). Each batch of rows is
converted in its own transaction, so an interrupted run leaves valid rows of both kinds.

Two kinds of keys are coded, each with its own projection:
- sentence keys (float16 → 128 codes), which outnumber chunk keys several to one;
- chunk keys (int8 at 384 → 288 codes), the block router's keys: fewer bytes per source
  token with the router's top 10 nearly unchanged (bench/needle.py prints the bytes,
  bench/memory.py the router's overlap with exact search).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store import keys, projection
from engine.store.store import Store

__all__ = ["MIN_KEYS", "MIN_CHUNK_KEYS", "compact_sentence_keys", "compact_chunk_keys"]

MIN_KEYS = 4000        # sentence keys enough to learn 128 principal directions from
# Chunk keys enough to learn 288 directions: a projection fitted on this many of a library's
# chunk keys keeps the router's top 10 nearly as close to full-width search as one fitted
# on all of them (bench/memory.py prints the overlap).
MIN_CHUNK_KEYS = 1500
_LEARN_SAMPLE = 20000  # keys a projection is learnt from, at most
_BATCH = 8192


@dataclass(frozen=True)
class _Kind:
    """Where one kind of key lives and how its full-width rows are read."""
    name: str
    tables: tuple[str, ...]        # live table first, then where parked rows live
    key: str                       # row id column
    projection_table: str
    dim: int
    pending: str                   # SQL condition of a row not yet coded ({width}: codes)
    columns: str                   # what `decode` reads after the id
    decode: Callable[[list[tuple]], np.ndarray]
    update: str                    # SQL writing a row's code
    params: Callable[[np.ndarray, np.ndarray, list[tuple]], object]   # its parameter rows


def _sentence_rows(rows: list[tuple]) -> np.ndarray:
    return keys.decode_sentence_keys([(r[1], None) for r in rows], None)


def _chunk_rows(rows: list[tuple]) -> np.ndarray:
    return keys.decode_chunk_keys([(r[1], r[2]) for r in rows], None)


_SENTENCES = _Kind(
    "sentence", ("sentence_keys", "cold_sentence_keys"), "id", "key_projection", projection.DIM,
    "code IS NULL", "vec", _sentence_rows, "UPDATE {table} SET code = ?, vec = x'' WHERE id = ?",
    lambda codes, scale, rows: zip(keys.encode_codes(codes, scale), (r[0] for r in rows)))
_CHUNKS = _Kind(
    "chunk", ("keys", "cold_keys"), "chunk_id", "chunk_key_projection", projection.CHUNK_DIM,
    "(scale IS NULL OR length(vec) != {width})", "vec, scale", _chunk_rows,
    "UPDATE {table} SET vec = ?, scale = ? WHERE chunk_id = ?",
    lambda codes, scale, rows: ((c.tobytes(), float(s), r[0]) for c, s, r in zip(codes, scale, rows)))


def compact_sentence_keys(store: Store, *, min_keys: int = MIN_KEYS,
                          cancel: CancelToken | None = None, report: Report = no_report) -> int:
    """Code every float16 sentence key (learning the projection first when there is none
    and enough keys); returns how many rows were coded."""
    return _compact(store, _SENTENCES, min_keys, cancel or CancelToken(), report)


def compact_chunk_keys(store: Store, *, min_keys: int = MIN_CHUNK_KEYS,
                       cancel: CancelToken | None = None, report: Report = no_report) -> int:
    """Code every full-width chunk key, parked cold ones included (learning the projection
    first when there is none and enough keys); returns how many rows were coded."""
    return _compact(store, _CHUNKS, min_keys, cancel, report)


def _compact(store: Store, kind: _Kind, min_keys: int, cancel: CancelToken | None,
             report: Report) -> int:
    cancel = cancel or CancelToken()
    proj = store.learnt_projection(kind.projection_table)
    pending_sql = kind.pending.format(width=proj.width if proj is not None else kind.dim)
    pending = sum(int(store.db.execute(f"SELECT count(*) FROM {t} WHERE {pending_sql}").fetchone()[0])
                  for t in kind.tables)
    if pending == 0 or (proj is None and pending < min_keys):
        return 0
    if proj is None:
        report(0, pending, f"learning the {kind.name}-key projection")
        # a fixed pseudo-random sample, so the same library learns the same projection
        rows = store.db.execute(
            f"SELECT {kind.key}, {kind.columns} FROM {kind.tables[0]} WHERE {pending_sql}"
            f" ORDER BY ({kind.key} * 2654435761) % 1000003 LIMIT ?", [_LEARN_SAMPLE]).fetchall()
        proj = projection.fit(kind.decode(rows), dim=kind.dim)
        cancel.check()
        with store.atomic() as db:
            # another process may have learnt one meanwhile: the first learnt stays, for good
            if db.execute(f"SELECT 1 FROM {kind.projection_table} WHERE id = 1").fetchone() is None:
                db.execute(f"INSERT INTO {kind.projection_table} (id, projection, trained_on,"
                           f" trained_at) VALUES (1, ?, ?, ?)", [keys.encode_projection(proj), len(rows), time.time()])
                for table in kind.tables:        # scores become centred: hubs measured again
                    db.execute(f"UPDATE {table} SET hub = NULL")
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hubs_pending', '1')")
        store.forget_projections()
        proj = store.learnt_projection(kind.projection_table)
        pending_sql = kind.pending.format(width=proj.width)
    done = 0
    for table in kind.tables:
        for n in store.rewrite_rows(
                f"SELECT {kind.key}, {kind.columns} FROM {table} WHERE {pending_sql}"
                f" ORDER BY {kind.key} LIMIT ?", kind.update.format(table=table),
                lambda rows: kind.params(*proj.encode(kind.decode(rows)), rows),
                cancel=cancel, batch=_BATCH):
            done += n
            report(done, pending, f"compressing {kind.name} keys {done}/{pending}")
    return done
