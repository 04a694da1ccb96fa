"""The query adapter's row: its weights (bytes), how its fit went, and when it was fitted.

Kept as bytes so the store needs neither torch nor the adapter's code; the report says
whether search uses it, so a fit that did not help is not retried until the library grows.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

from engine.store.store import Store

__all__ = ["AdapterRow", "save_adapter", "load_adapter", "sentence_count"]


@dataclass(frozen=True)
class AdapterRow:
    encoder: str
    weights: bytes | None
    bank: bytes | None
    report: dict
    sentences: int
    fitted_at: float


def save_adapter(store: Store, encoder: str, weights: bytes | None, report: dict,
                 sentences: int, *, bank: bytes | None = None, now: float | None = None) -> None:
    """Store a fit; a new question bank makes every key's hub stale (measured again by
    `engine/recall/hubness.measure_hubs`)."""
    with store.atomic() as db:
        db.execute(
            "INSERT OR REPLACE INTO query_adapters (encoder, weights, bank, report, sentences,"
            " fitted_at) VALUES (?, ?, ?, ?, ?, ?)",
            [encoder, weights, bank, json.dumps(report, sort_keys=True), sentences,
             time.time() if now is None else now])
        if bank is not None:
            db.execute("UPDATE keys SET hub = NULL")
            db.execute("UPDATE sentence_keys SET hub = NULL")


def load_adapter(store: Store, encoder: str) -> AdapterRow | None:
    row = store.db.execute(
        "SELECT encoder, weights, bank, report, sentences, fitted_at FROM query_adapters"
        " WHERE encoder = ?", [encoder]).fetchone()
    if row is None:
        return None
    return AdapterRow(row[0], row[1], row[2], json.loads(row[3]), int(row[4]), float(row[5]))


def sentence_count(store: Store) -> int:
    return int(store.db.execute("SELECT count(*) FROM sentence_keys").fetchone()[0])
