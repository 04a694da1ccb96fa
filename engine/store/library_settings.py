"""Small named values a library keeps about itself (its chosen answering model, …).

They live in the library's `meta` table so they travel with the library when it is
copied; this module is the one place that reads and writes them.
"""
from __future__ import annotations

from engine.store.store import Store

__all__ = ["library_setting", "set_library_setting"]


def library_setting(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row and row[0] else None


def set_library_setting(store: Store, key: str, value: str | None) -> None:
    """Keep `value` under `key`; None forgets it."""
    with store.atomic() as db:
        if value is None:
            db.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
