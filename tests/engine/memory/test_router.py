"""The two-stage router: agrees with exact search, handles stray keys, reads old libraries."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from engine.library import Library
from engine.recall.router import BlockIndex
from engine.store.keys import dequantize, quantize
from engine.store.schema import MIGRATIONS, _split
from tests.engine.cli import memex_json


def _clustered(n_blocks: int, size: int, dim: int, seed: int):
    """Blocks of chunks around their own topic; topics shared between some blocks."""
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((n_blocks // 3 + 1, dim))
    centre = topics[rng.integers(0, len(topics), n_blocks)]
    keys = np.repeat(centre, size, 0) + 0.6 * rng.standard_normal((n_blocks * size, dim))
    keys /= np.linalg.norm(keys, axis=1, keepdims=True)
    return keys.astype(np.float32)


def _index(keys: np.ndarray, size: int) -> BlockIndex:
    from engine.memory import representatives
    q, scale = quantize(keys)
    starts = np.arange(0, len(keys), size)
    stops = np.minimum(starts + size, len(keys))
    cents, reps = [], []
    for a, b in zip(starts, stops):
        c, r = representatives(keys[a:b], 3)
        cents.append(c), reps.append(a + np.asarray(r))
    return BlockIndex.build(np.arange(100, 100 + len(keys)), q, scale, starts, stops,
                            np.stack(cents), reps)


@pytest.fixture
def routed(monkeypatch):
    """Route even these small test indexes (below EXACT_BELOW a flat scan is used)."""
    from engine.recall import router
    monkeypatch.setattr(router, "EXACT_BELOW", 0)


def test_router_recall_against_exact_search(routed):
    keys = _clustered(300, 12, 48, seed=0)
    index = _index(keys, 12)
    rng = np.random.default_rng(1)
    recalls = []
    for row in rng.integers(0, len(keys), 40):
        query = keys[row] + 0.3 * rng.standard_normal(48).astype(np.float32)
        exact = set((np.argsort(-(keys @ query))[:10] + 100).tolist())
        got = {cid for cid, _ in index.search(query, 10, probe=32)}
        recalls.append(len(exact & got) / 10)
    assert np.mean(recalls) >= 0.9, np.mean(recalls)
    top = index.search(keys[5], 3, probe=32)
    assert top[0][0] == 105 and top[0][1] > top[1][1] >= top[2][1]
    assert len(index.candidate_rows(keys[5], probe=32)) <= 32 * 12       # only probed blocks read


def test_probing_every_block_is_exact(routed):
    keys = _clustered(20, 5, 16, seed=2)
    index = _index(keys, 5)
    query = keys[7]
    stored = dequantize(*quantize(keys))                       # exact over the int8 keys kept
    exact = (np.argsort(-(stored @ query), kind="stable")[:10] + 100).tolist()
    assert [cid for cid, _ in index.search(query, 10, probe=20)] == exact
    assert index.candidate_blocks(query, 20).tolist() == list(range(20))   # stage 1 keeps all
    assert 1 in index.candidate_blocks(query, 3)                           # row 7 is in block 1
    sims = index.similarity(query, [107, 100, 999])
    assert set(sims) == {100, 107} and abs(sims[107] - 1.0) < 0.01


def test_library_from_before_int8_keys_is_converted_and_searchable(tmp_path, encoder):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "library.sqlite")          # the schema before this issue
    conn.execute("CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT UNIQUE, applied_at TEXT)")
    for statement in _split(MIGRATIONS[0][1]):
        conn.execute(statement)
    conn.execute("INSERT INTO migrations (name) VALUES ('core')")
    texts = ["The lighthouse keeper rowed to the cove for lamp oil.",
             "The baker sold saffron buns at the autumn fair.",
             "A comet crossed the sky above the observatory."]
    conn.execute("INSERT INTO documents (id, path, hash, chunks, status) VALUES (1, '/old.txt', 'h', 3, 'ready')")
    for i, (text, key) in enumerate(zip(texts, encoder.encode(texts)), start=1):
        conn.execute("INSERT INTO chunks (id, doc_id, ordinal, text, line_start, line_end)"
                     " VALUES (?, 1, ?, ?, ?, ?)", [i, i - 1, text, i, i])
        conn.execute("INSERT INTO keys (chunk_id, vec) VALUES (?, ?)", [i, key.astype(np.float32).tobytes()])
    conn.commit()
    conn.close()

    with Library(folder, encoder=encoder) as lib:
        assert lib.store.db.execute("SELECT count(*) FROM keys WHERE scale IS NULL").fetchone()[0] == 0
        assert len(lib.store.db.execute("SELECT vec FROM keys").fetchone()[0]) == encoder.dim
        hit = lib.search("who travelled by boat to buy fuel for the beacon?", k=1, mode="dense")[0]
        assert hit.chunk_id == 1
        assert lib.store.db.execute("SELECT count(*) FROM blocks").fetchone()[0] >= 1
        exact = lib.search("who travelled by boat to buy fuel for the beacon?", k=3, mode="exact")
        assert [h.chunk_id for h in exact][0] == 1


def test_cli_exact_flag_gives_the_flat_reference(planted_library):
    folder = planted_library.path
    routed = memex_json("search", "Where was the beacon tower's key concealed?", "--json",
                        "--library", folder)["results"]
    exact = memex_json("search", "Where was the beacon tower's key concealed?", "--json",
                       "--exact", "--library", folder)["results"]
    assert routed[0]["page"] == exact[0]["page"] == 3
    assert routed[0]["text"] == exact[0]["text"]
