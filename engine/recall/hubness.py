"""Hubness: keys that sit close to every question, measured once and subtracted.

Why: in a million tokens some sentences ("And he said unto them, What is this?") are near
any question a little, and such hubs crowd the one sentence that answers it out of the top
five. Measuring each key's mean similarity to its `HUB_K` nearest questions from a bank of
pseudo-queries (the ones the query adapter is fitted on) and subtracting it (the CSLS
correction of Conneau et al. 2018, with the question's own term dropped since it does not
change a ranking) raised dense paraphrase recall@5 on bench/needle.py from 0.57 to 0.80.
Hubs are stored per key (4 bytes each) and measured for new keys as they arrive, in the
space the keys are scored in (centred, engine/store/projection.py, once learnt), so a
library that learns a projection measures that kind's hubs again.
"""
from __future__ import annotations

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store import Store, projection
from engine.store.adapters import load_adapter
from engine.store.memory import decode_keys
from engine.store.projection import centred
from engine.store.quant import dequantize

__all__ = ["HUB_K", "HUB_WEIGHT", "hubs", "measure_hubs", "hubs_pending"]

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
        _done_pending(store)
        return 0
    bank = dequantize(*projection.unpack(_split(row.bank)))
    proj, chunk_proj = store.projection(), store.chunk_projection()
    chunk_keys = lambda rows: decode_keys([(r[1], r[2]) for r in rows], chunk_proj)  # noqa: E731
    sentence_keys = lambda rows: _sentence_keys(rows, proj)                          # noqa: E731
    done = 0
    for table, key_col, extra, load, space in (
            ("keys", "chunk_id", "scale", chunk_keys, chunk_proj),
            ("cold_keys", "chunk_id", "scale", chunk_keys, chunk_proj),
            ("sentence_keys", "id", "code", sentence_keys, proj),
            ("cold_sentence_keys", "id", "code", sentence_keys, proj)):
        questions = centred(space, bank)       # in the space the keys are scored in
        for n in store.rewrite_rows(
                f"SELECT {key_col}, vec, {extra} FROM {table} WHERE hub IS NULL LIMIT ?",
                f"UPDATE {table} SET hub = ? WHERE {key_col} = ?",
                lambda rows: [(float(v), r[0]) for v, r in
                              zip(hubs(questions, centred(space, load(rows))), rows)],
                cancel=cancel, batch=_BATCH):
            done += n
            report(done, done, f"measuring key hubs {done}")
    _done_pending(store)
    return done


def hubs_pending(store: Store) -> bool:
    """Whether hubs were reset (a schema change, a projection learnt) and not yet measured."""
    return store.db.execute("SELECT 1 FROM meta WHERE key = 'hubs_pending'").fetchone() is not None


def _done_pending(store: Store) -> None:
    if hubs_pending(store):
        with store.atomic() as db:
            db.execute("DELETE FROM meta WHERE key = 'hubs_pending'")


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
