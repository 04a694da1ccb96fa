"""Stored hubs: each key's measured closeness to every question (engine/recall/hubness.py
says why and measures it), kept as a REAL beside each chunk and sentence key row.

Hubs are reset when what they were measured against changes (a projection learnt, a new
question bank) and measured again for the rows without one, a batch per transaction.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store import keys
from engine.store.keys import Projection

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["fill_hubs", "hubs_pending", "clear_hubs_pending"]

_BATCH = 4096


def fill_hubs(store: "Store", measure: Callable[[np.ndarray, Projection | None], np.ndarray], *,
              cancel: CancelToken | None = None, report: Report = no_report) -> int:
    """Give every key without a hub `measure(keys [n, D] float32, the projection of the space
    they are scored in)`; returns how many rows were measured."""
    chunk_proj, proj = store.chunk_projection(), store.projection()

    def chunk_keys(rows: list[tuple]) -> np.ndarray:
        return keys.decode_chunk_keys([(r[1], r[2]) for r in rows], chunk_proj)

    def sentence_keys(rows: list[tuple]) -> np.ndarray:
        return keys.decode_sentence_keys([(r[1], r[2]) for r in rows], proj)

    done = 0
    for table, key_col, extra, load, space in (
            ("keys", "chunk_id", "scale", chunk_keys, chunk_proj),
            ("cold_keys", "chunk_id", "scale", chunk_keys, chunk_proj),
            ("sentence_keys", "id", "code", sentence_keys, proj),
            ("cold_sentence_keys", "id", "code", sentence_keys, proj)):
        for n in store.rewrite_rows(
                f"SELECT {key_col}, vec, {extra} FROM {table} WHERE hub IS NULL LIMIT ?",
                f"UPDATE {table} SET hub = ? WHERE {key_col} = ?",
                lambda rows, load=load, space=space: [
                    (float(v), r[0]) for v, r in zip(measure(load(rows), space), rows)],
                cancel=cancel, batch=_BATCH):
            done += n
            report(done, done, f"measuring key hubs {done}")
    return done


def hubs_pending(store: "Store") -> bool:
    """Whether hubs were reset (a schema change, a projection learnt) and not yet measured."""
    return store.db.execute("SELECT 1 FROM meta WHERE key = 'hubs_pending'").fetchone() is not None


def clear_hubs_pending(store: "Store") -> None:
    if hubs_pending(store):
        with store.atomic() as db:
            db.execute("DELETE FROM meta WHERE key = 'hubs_pending'")
