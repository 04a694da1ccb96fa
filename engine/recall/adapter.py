"""A query-side adapter fitted to one library: q' = normalise(q + U·(V·q)), rank r.

Why: the encoder was trained on other people's text; a library has its own words and its
readers ask around them. Test-time training (DESIGN section 1, last rows) fits a small
low-rank map on pseudo-queries made from the library's own sentences (`pseudo.py`), so
that questions land nearer their sources. Only the question's key moves: stored keys stay
as they are (nothing re-encoded, no memory added), and with U = 0 it is the identity.

`fit` judges the adapter on held-out pseudo-queries (`FitReport.kept`); search uses one
only when it helped there (`fitting.fit_library` also judges it with key hubs subtracted).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from engine.store.keys import decode_arrays, decode_old_arrays, encode_arrays

__all__ = ["QueryAdapter", "FitReport", "fit", "recall_at"]

_OLD_FORMAT = b"MXQA1"


@dataclass
class QueryAdapter:
    down: np.ndarray   # [r, D] float32
    up: np.ndarray     # [D, r] float32

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        """Adapt one key [D] or a batch [N, D]; the result is L2-normalised."""
        q = np.asarray(keys, np.float32)
        out = q + (q @ self.down.T) @ self.up.T
        norm = np.linalg.norm(out, axis=-1, keepdims=True)
        return out / np.maximum(norm, 1e-6)

    @property
    def rank(self) -> int:
        return int(self.down.shape[0])

    def to_bytes(self) -> bytes:
        return encode_arrays(down=self.down.astype(np.float32), up=self.up.astype(np.float32))

    @classmethod
    def from_bytes(cls, blob: bytes) -> "QueryAdapter":
        if blob.startswith(_OLD_FORMAT):        # adapters stored before named arrays
            down, up = decode_old_arrays(blob, _OLD_FORMAT, lambda r, d: [(r, d), (d, r)])
        else:
            try:
                down, up = decode_arrays(blob, "down", "up")
            except ValueError as exc:
                raise ValueError("not a query adapter") from exc
        return cls(down.astype(np.float32), up.astype(np.float32))


@dataclass(frozen=True)
class FitReport:
    pairs: int              # pseudo-queries trained on
    heldout: int            # pseudo-queries kept aside to judge the fit
    steps: int
    seconds: float
    recall_before: float    # held-out pseudo-query recall@10 without the adapter
    recall_after: float     # and with it
    kept: bool              # whether the adapter is used (it helped on held-out queries)
    hub_recall_before: float | None = None   # recall@10 as search scores, of pseudo-queries
    hub_recall_after: float | None = None    # about sentences outside the fitted sample
    checked: int | None = None               # how many such questions (fitting.fit_library)

    def to_json(self) -> dict:
        return asdict(self)


def fit(queries: np.ndarray, targets: np.ndarray, keys: np.ndarray, *, rank: int = 32,
        steps: int = 300, batch: int = 256, hard: int = 8, random_negatives: int = 2048,
        temperature: float = 0.05, lr: float = 2e-3, heldout: float = 0.15,
        seed: int = 0, scores_dtype: torch.dtype | None = None) -> tuple[QueryAdapter, FitReport]:
    """Fit on (pseudo-query key `queries[i]` → row `targets[i]` of `keys`), InfoNCE.

    Negatives per step: each query's `hard` nearest wrong keys before fitting (what a
    question is confused with) plus random keys of the library. `scores_dtype` (bfloat16
    where the CPU multiplies it in hardware) is what each step's scores against its
    thousands of candidate keys are multiplied in, forward and backward: two thirds of
    the fit's time in float32; the adapter's weights, their gradients and the loss stay
    float32."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    n, dim = queries.shape
    order = rng.permutation(n)
    n_test = max(1, int(n * heldout))
    test, train = order[:n_test], order[n_test:]
    keys_t = torch.from_numpy(np.ascontiguousarray(keys, np.float32))
    q_all = torch.from_numpy(np.ascontiguousarray(queries, np.float32))
    tgt = torch.from_numpy(np.asarray(targets, np.int64))
    hard_rows = _hard_negatives(q_all[train], tgt[train], keys_t, hard)

    torch.manual_seed(seed)
    down = torch.nn.Parameter(torch.randn(rank, dim) * dim ** -0.5)
    up = torch.nn.Parameter(torch.zeros(dim, rank))
    opt = torch.optim.AdamW([down, up], lr=lr, weight_decay=1e-3)

    def adapt(q: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.normalize(q + (q @ down.T) @ up.T, dim=-1)

    train_t = torch.from_numpy(train)
    low = scores_dtype or torch.float32
    keys_low = keys_t.to(low)
    for _ in range(steps):
        pick = torch.from_numpy(rng.integers(0, len(train), min(batch, len(train))))
        rows = train_t[pick]
        cand = torch.cat([tgt[rows], hard_rows[pick].reshape(-1),
                          torch.from_numpy(rng.integers(0, len(keys), random_negatives))])
        logits = (adapt(q_all[rows]).to(low) @ keys_low[cand].T).float() / temperature
        loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(rows)))
        opt.zero_grad()
        loss.backward()
        opt.step()

    adapter = QueryAdapter(down.detach().numpy().copy(), up.detach().numpy().copy())
    before = recall_at(queries[test], targets[test], keys, 10)
    after = recall_at(adapter(queries[test]), targets[test], keys, 10)
    kept = after > before
    report = FitReport(len(train), n_test, steps, round(time.perf_counter() - start, 2),
                       round(before, 4), round(after, 4), kept)
    return adapter, report


def _hard_negatives(q: torch.Tensor, tgt: torch.Tensor, keys: torch.Tensor, k: int) -> torch.Tensor:
    out = torch.zeros(len(q), k, dtype=torch.int64)
    for lo in range(0, len(q), 512):
        sims = q[lo:lo + 512] @ keys.T
        sims[torch.arange(len(sims)), tgt[lo:lo + 512]] = -2.0     # not the answer itself
        out[lo:lo + 512] = torch.topk(sims, k, dim=1).indices
    return out


def recall_at(queries: np.ndarray, targets: np.ndarray, keys: np.ndarray, k: int,
              bias: np.ndarray | None = None) -> float:
    """Share of `queries` whose target key ranks in the top `k` (`bias` [N] is subtracted
    from every key's score, as search subtracts hubs)."""
    if len(queries) == 0:
        return 0.0
    sims = queries @ keys.T
    if bias is not None:
        sims = sims - bias[None, :]
    own = sims[np.arange(len(sims)), targets]
    better = (sims > own[:, None]).sum(axis=1)
    return float((better < k).mean())
