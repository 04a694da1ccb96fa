"""Hubness: keys that sit close to every question, measured once and subtracted.

Why: in a million tokens some sentences ("And he said unto them, What is this?") are near
any question a little, and such hubs crowd the one sentence that answers it out of the top
five. Measuring each key's mean similarity to its `HUB_K` nearest questions from a bank of
pseudo-queries (the ones the query adapter is fitted on) and subtracting it (the CSLS
correction of Conneau et al. 2018, with the question's own term dropped since it does not
change a ranking) raised dense paraphrase recall@5 on bench/needle.py from 0.57 to 0.80.
Hubs are stored per key (4 bytes each) and measured for new keys as they arrive.
"""
from __future__ import annotations

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store import Store, projection
from engine.store.adapters import load_adapter
from engine.store.memory import decode_keys
from engine.store.quant import dequantize

__all__ = ["HUB_K", "HUB_WEIGHT", "hubs", "measure_hubs"]

HUB_K = 10          # nearest bank questions averaged (5 to 20 measured the same)
HUB_WEIGHT = 1.0    # share of the hub subtracted (0.75 to 1.5 measured within one fact)
_BATCH = 4096


def hubs(bank: np.ndarray, keys: np.ndarray, k: int = HUB_K) -> np.ndarray:
    """Mean of each key's `k` highest similarities to the bank's questions → [N]."""
    if len(bank) == 0 or len(keys) == 0:
        return np.zeros(len(keys), np.float32)
    k = min(k, len(bank))
    sims = np.asarray(keys, np.float32) @ np.asarray(bank, np.float32).T     # [N, B]
    return np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1).astype(np.float32)


def measure_hubs(store: Store, encoder_name: str, *, cancel: CancelToken | None = None,
                 report: Report = no_report) -> int:
    """Fill in the hub of every key that has none yet; returns how many were measured."""
    cancel = cancel or CancelToken()
    row = load_adapter(store, encoder_name)
    if row is None or not row.bank:
        return 0
    bank = dequantize(*projection.unpack(_split(row.bank)))
    proj, chunk_proj = store.projection(), store.chunk_projection()
    done = 0
    for table, key_col, load in (("keys", "chunk_id", lambda rows: decode_keys(
            [(r[1], r[2]) for r in rows], chunk_proj)), ("sentence_keys", "id", None)):
        while True:
            cancel.check()
            rows = store.db.execute(
                f"SELECT {key_col}, vec, {'scale' if table == 'keys' else 'code'} FROM {table}"
                f" WHERE hub IS NULL LIMIT ?", [_BATCH]).fetchall()
            if not rows:
                break
            keys = load(rows) if load else _sentence_keys(rows, proj)
            values = hubs(bank, keys)
            with store.atomic() as db:
                db.conn.executemany(f"UPDATE {table} SET hub = ? WHERE {key_col} = ?",
                                    ((float(v), r[0]) for v, r in zip(values, rows)))
                store._bump(db)
            done += len(rows)
            report(done, done, f"measuring key hubs {done}")
    return done


def _split(blob: bytes) -> list[bytes]:
    """The bank blob is rows of equal size; its first 4 bytes give the row size."""
    size = int.from_bytes(blob[:4], "little")
    body = blob[4:]
    return [body[i:i + size] for i in range(0, len(body), size)]


def join_bank(rows: list[bytes]) -> bytes:
    return (len(rows[0]) if rows else 0).to_bytes(4, "little") + b"".join(rows)


def _sentence_keys(rows, proj) -> np.ndarray:
    """Keys of sentence rows, float16 or coded, decoded in two batches."""
    out = np.zeros((len(rows), proj.dim if proj else len(rows[0][1]) // 2), np.float32)
    floats = [i for i, r in enumerate(rows) if r[2] is None]
    coded = [i for i, r in enumerate(rows) if r[2] is not None]
    if floats:
        out[floats] = np.frombuffer(b"".join(rows[i][1] for i in floats),
                                    np.float16).reshape(len(floats), -1)
    if coded:
        out[coded] = proj.decode(*projection.unpack([rows[i][2] for i in coded]))
    return out
