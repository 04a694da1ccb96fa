"""Learning a library's key projection: its principal directions, whose int8 codes keys
are then stored as (engine/store/keys.py holds the format).

Why: a library has several times more sentence keys than chunk keys, so their bytes
dominate its size. Projecting onto the library's own principal directions and quantising
to int8 keeps the ranking of paraphrased questions while storing a fraction of the bytes
(bench/memory.py and bench/needle.py print both); product quantisation at a similar size
lost much more recall. A question is projected once, so scoring stays one int8 matrix
product.

Scores are centred cosines: key and question both less the mean of the keys, renormalised.
MiniLM's keys share a large common component, so raw cosines rank a question's answer by
how generic it is as much as by what it says; centring (with hubs measured in the same
space, engine/recall/hubness.py) ranks by what the key says.
"""
from __future__ import annotations

import numpy as np

from engine.store.keys import Projection

__all__ = ["fit", "centred", "DIM", "CHUNK_DIM"]

DIM = 128
# Chunk keys keep more directions: they feed the block router, whose top-10 must stay that
# of exact search (bench/memory.py measures the overlap at each width).
CHUNK_DIM = 288


def centred(proj: Projection | None, keys: np.ndarray) -> np.ndarray:
    """Keys (or a question) as scored in a library: unit vectors about the mean of the keys
    they are compared with once that projection is learnt, else as they are."""
    return np.asarray(keys, np.float32) if proj is None else proj.centre(keys)


def fit(keys: np.ndarray, *, dim: int = DIM, sample: int = 20000, seed: int = 0) -> Projection:
    """Principal directions of (a sample of) the library's keys."""
    keys = np.asarray(keys, np.float32)
    rng = np.random.default_rng(seed)
    data = keys[rng.choice(len(keys), sample, replace=False)] if len(keys) > sample else keys
    mean = data.mean(axis=0)
    # the eigenvectors of the [D, D] scatter matrix, not an SVD of the [n, D] sample: the
    # same directions (up to sign), a fraction of the time; float64 keeps the small
    # directions' order exact enough
    centred_data = (data - mean).astype(np.float64)
    values, vectors = np.linalg.eigh(centred_data.T @ centred_data)
    top = np.argsort(-values)[:min(dim, len(data), data.shape[1])]
    return Projection(mean.astype(np.float32), vectors[:, top].T.astype(np.float32))
