"""Hubness: keys that sit close to every question, measured once and subtracted.

Why: in a million tokens some sentences ("And he said unto them, What is this?") are near
any question a little, and such hubs crowd the one sentence that answers it out of the top
five. Each key's mean similarity to its `HUB_K` nearest questions from a bank of
pseudo-queries (the ones the query adapter is fitted on) is measured and subtracted: the
CSLS correction of Conneau et al. 2018, with the question's own term dropped since it does
not change a ranking (bench/needle.py prints dense recall with and without it). Hubs are
stored per key (engine/store/hubs.py) and measured for new keys as they arrive, in the
space the keys are scored in (centred once a projection is learnt), so a library that
learns a projection measures that kind's hubs again.
"""
from __future__ import annotations

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store import Store, keys
from engine.store.adapters import load_adapter
from engine.store.hubs import clear_hubs_pending, fill_hubs, hubs_pending
from engine.store.keys import Projection
from engine.store.projection import centred

__all__ = ["HUB_K", "HUB_WEIGHT", "hubs", "measure_hubs", "hubs_pending"]

HUB_K = 10          # nearest bank questions averaged
HUB_WEIGHT = 1.0    # share of the hub subtracted
_ROWS = 2048        # keys scored against the bank at a time


def hubs(bank: np.ndarray, keys: np.ndarray, k: int = HUB_K) -> np.ndarray:
    """Mean of each key's `k` highest similarities to the bank's questions → [N]."""
    if len(bank) == 0 or len(keys) == 0:
        return np.zeros(len(keys), np.float32)
    k = min(k, len(bank))
    keys, bank = np.asarray(keys, np.float32), np.asarray(bank, np.float32)
    out = np.empty(len(keys), np.float32)
    # a block of rows at a time, partitioned in place: the whole [N, B] matrix and the
    # copy np.partition makes of it cost more than the product (a library's keys against
    # thousands of questions is hundreds of megabytes)
    for lo in range(0, len(keys), _ROWS):
        sims = keys[lo:lo + _ROWS] @ bank.T
        sims.partition(len(bank) - k, axis=1)
        out[lo:lo + _ROWS] = sims[:, -k:].mean(axis=1)
    return out


def measure_hubs(store: Store, encoder_name: str, *, cancel: CancelToken | None = None,
                 report: Report = no_report) -> int:
    """Fill in the hub of every key that has none yet; returns how many were measured."""
    row = load_adapter(store, encoder_name)
    if row is None or not row.bank:
        clear_hubs_pending(store)
        return 0
    bank = keys.decode_bank(row.bank)
    questions: dict[int, np.ndarray] = {}        # the bank in each space, centred once

    def measure(found: np.ndarray, space: Projection | None) -> np.ndarray:
        if id(space) not in questions:
            questions[id(space)] = centred(space, bank)
        return hubs(questions[id(space)], centred(space, found))

    done = fill_hubs(store, measure, cancel=cancel or CancelToken(), report=report)
    clear_hubs_pending(store)
    return done
