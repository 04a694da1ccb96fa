"""Learned state kept in the library (the value scorer's weights and optimiser), and the
log of consolidations, so learning survives restarts and the app can say what changed."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["ModelBlob", "save_model", "load_model", "log_consolidation", "last_consolidation"]


@dataclass(frozen=True)
class ModelBlob:
    name: str
    weights: bytes
    optimizer: bytes | None
    steps: int
    updated_at: float | None


def save_model(store: "Store", blob: ModelBlob) -> None:
    with store.atomic() as db:
        db.execute("INSERT OR REPLACE INTO model_state (name, weights, optimizer, steps, updated_at)"
                   " VALUES (?, ?, ?, ?, ?)",
                   [blob.name, blob.weights, blob.optimizer, blob.steps, blob.updated_at])


def load_model(store: "Store", name: str) -> ModelBlob | None:
    row = store.db.execute("SELECT name, weights, optimizer, steps, updated_at FROM model_state"
                           " WHERE name = ?", [name]).fetchone()
    return ModelBlob(*row) if row else None


def log_consolidation(store: "Store", at: float, report: dict) -> None:
    with store.atomic() as db:
        db.execute("INSERT INTO consolidations (at, report) VALUES (?, ?)", [at, json.dumps(report)])


def last_consolidation(store: "Store") -> tuple[float, dict] | None:
    row = store.db.execute("SELECT at, report FROM consolidations ORDER BY id DESC LIMIT 1").fetchone()
    return (float(row[0]), json.loads(row[1])) if row else None
