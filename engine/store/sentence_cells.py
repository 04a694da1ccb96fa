"""Cells of sentence codes: how a large library's sentence keys are searched without
scanning them all.

A flat scan of the sentence codes grows with the library, and a library holds several
sentence codes per chunk, so a large library groups them into cells: an inverted file,
spherical k-means centroids over the codes, rows laid out cell by cell. A question scans
the quarter of the cells nearest it (engine/recall/dense.py `probe_cells`).
`python bench/memory.py --parts sentences` prints the latency of both scans.

Why not the block router: blocks are runs of neighbouring chunks, and a paraphrased
question's answer is often one sentence unlike the rest of its block. Scoring only the
sentences inside the router's blocks lost most of the needle benchmark's dense recall, and
so did a few k-centre sentence representatives per block. Cells group sentences by what
they say, so the answer's sentence sits in a cell near the question. Questions still land
far from their answers, so the probe is wide: with cells forced on the needle library,
scanning an eighth of them lost recall and a quarter kept all of it, with the √n cells
`cell_count` gives as with more (bench/memory.py --parts sentences prints that recall).

Cells are learnt once the library holds `CELLS_FROM` coded sentence keys; below that the
flat scan is quick and loses nothing. Rows written later go to the nearest
existing cell (`assign_cells`), a batch per transaction like every other key rewrite.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from engine.jobs import CancelToken, Report, no_report
from engine.store import keys
from engine.store.store import Store

__all__ = ["CELLS_FROM", "cell_count", "sample_size", "fit_cells", "nearest_cells", "learn_cells",
           "assign_cells", "load_cells", "unit_codes"]

CELLS_FROM = 1_000_000   # coded sentence keys before a library learns cells
_SAMPLE = 65_536         # codes the centroids are learnt from: at least this many,
_PER_CELL = 64           # and this many per cell
_ROUNDS = 10
_TABLES = ("sentence_keys", "cold_sentence_keys")


def cell_count(n: int) -> int:
    """About √n cells of √n codes each: the centroid scan and the probed rows stay small
    together."""
    return int(min(4096, max(16, round(math.sqrt(n)))))


def sample_size(cells: int) -> int:
    """Codes the centroids of `cells` cells are learnt from."""
    return max(_SAMPLE, _PER_CELL * cells)


def nearest_cells(codes: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """The nearest cell of each int8 code row [n]."""
    return (torch.from_numpy(unit_codes(codes)) @ torch.from_numpy(centroids).T).argmax(1).numpy()


def unit_codes(codes: np.ndarray) -> np.ndarray:
    """Codes as the unit vectors they are scored as (their scale cancels)."""
    return codes.astype(np.float32) * keys.Projection.inv_norms(codes)[:, None]


def load_cells(store: Store) -> np.ndarray | None:
    """The library's cell centroids [C, d] float32, or None before it learnt any."""
    rows = store.db.execute("SELECT centroid FROM sentence_cells ORDER BY id").fetchall()
    return keys.decode_cells([r[0] for r in rows]) if rows else None


def fit_cells(data: np.ndarray, cells: int, seed: int = 0) -> np.ndarray:
    """Spherical k-means over unit vectors [n, d]: centroids [cells, d], unit length."""
    x = torch.from_numpy(data)
    rng = np.random.default_rng(seed)
    cent = x[torch.from_numpy(rng.choice(len(data), cells, replace=False))].clone()
    for _ in range(_ROUNDS):
        near = (x @ cent.T).argmax(1)
        sums = torch.zeros_like(cent).index_add_(0, near, x)
        empty = torch.bincount(near, minlength=cells) == 0
        # an empty cell restarts at a random point rather than dying
        sums[empty] = x[torch.from_numpy(rng.choice(len(data), int(empty.sum()), replace=False))]
        cent = sums / sums.norm(dim=1, keepdim=True).clamp_min(1e-6)
    return cent.numpy().astype(np.float32)


def learn_cells(store: Store, *, min_codes: int = CELLS_FROM, cancel: CancelToken | None = None,
                report: Report = no_report) -> int:
    """Learn the cells when the library has enough coded sentence keys and none yet, then
    assign every unassigned row; returns how many rows were assigned."""
    cancel = cancel or CancelToken()
    if load_cells(store) is None:
        if sum(int(store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in _TABLES) < min_codes:
            return 0                    # the cheap count first: this runs after every ingest
        coded = sum(int(store.db.execute(f"SELECT count(*) FROM {t} WHERE code IS NOT NULL")
                        .fetchone()[0]) for t in _TABLES)
        if coded < min_codes:
            return 0
        report(0, coded, "grouping sentence keys into cells")
        cells = cell_count(coded)
        # a fixed pseudo-random sample, so the same library learns the same cells
        rows = store.db.execute(
            "SELECT code FROM sentence_keys WHERE code IS NOT NULL"
            " ORDER BY (id * 2654435761) % 1000003 LIMIT ?", [sample_size(cells)]).fetchall()
        codes, _ = keys.decode_codes([r[0] for r in rows])
        cent = fit_cells(unit_codes(codes), min(cells, len(rows)))
        cancel.check()
        with store.atomic() as db:
            # another process may have learnt them meanwhile: the first cells learnt stay
            if db.execute("SELECT 1 FROM sentence_cells LIMIT 1").fetchone() is None:
                db.conn.executemany("INSERT INTO sentence_cells (id, centroid) VALUES (?, ?)",
                                    enumerate(keys.encode_cells(cent)))
    return assign_cells(store, cancel=cancel, report=report)


def assign_cells(store: Store, *, cancel: CancelToken | None = None,
                 report: Report = no_report) -> int:
    """Put each coded row without a cell into its nearest cell (a no-op without cells)."""
    cent = load_cells(store)
    if cent is None:
        return 0

    def nearest(rows: list[tuple]) -> list[tuple[int, int]]:
        near = nearest_cells(keys.decode_codes([r[1] for r in rows])[0], cent).tolist()
        return [(c, r[0]) for c, r in zip(near, rows)]

    done = 0
    for table in _TABLES:
        for n in store.rewrite_rows(
                f"SELECT id, code FROM {table} WHERE cell IS NULL AND code IS NOT NULL"
                f" ORDER BY id LIMIT ?", f"UPDATE {table} SET cell = ? WHERE id = ?",
                nearest, cancel=cancel):
            done += n
            report(done, done, f"assigning sentence keys to cells: {done}")
    return done
