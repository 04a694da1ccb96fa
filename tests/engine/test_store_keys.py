"""The store's own bookkeeping of keys: the change counter that search caches compare, and
the one format module every stored key goes through (engine/store/keys.py)."""
from __future__ import annotations

import numpy as np
import pytest

from engine.store import Store, keys
from engine.store.projection import fit
from engine.store.schema import INDEXED_TABLES
from engine.store.tiers import TierMove, move_tiers
from engine.store.usage import EventRow, record_events
from ingest.records import Chunk, Location


def _put(store: Store, path: str, n: int, *, keys: bool = True) -> int:
    rng = np.random.default_rng(len(path))
    chunks = [Chunk(f"text {i} of {path}", Location(path=path, page=i + 1), i) for i in range(n)]
    return store.replace_document(path=path, hash="h", modality="pdf", title="t", units=n,
                                  unit_name="page", size=1, tokens=n, chunks=chunks,
                                  keys=rng.standard_normal((n, 16)).astype(np.float32) if keys else None)


def test_every_write_to_an_indexed_table_changes_the_generation(tmp_path):
    store = Store(tmp_path)
    seen = [store.generation()]

    def changed() -> bool:
        seen.append(store.generation())
        return seen[-1] != seen[-2]

    _put(store, "/a.pdf", 3)
    assert changed()
    _put(store, "/b.pdf", 2, keys=False)                                 # readable: text only
    assert changed()
    assert store.understand_document(store.document("/b.pdf"), keys=np.ones((2, 16), np.float32))
    assert changed()
    with store.atomic() as db:          # blocks, as the memory builder writes them
        db.execute("INSERT INTO blocks (doc_id, first_chunk, last_chunk, cut, surprise, centroid,"
                   " centroid_scale, reps) VALUES (1, 1, 3, 'start', 0, x'00', 1, '[]')")
    assert changed()
    move_tiers(store, [TierMove(1, 1, 3, "warm", "cold")], now=1.0)      # keys parked
    assert changed()
    record_events(store, [EventRow(2.0, "recalled", None, 1)])           # not indexed
    assert not changed()
    store.forget("/a.pdf")              # chunks and keys go by cascade
    assert changed()
    assert {"chunks", "keys", "sentence_keys", "hot_keys", "cold_keys", "blocks"} <= set(INDEXED_TABLES)


@pytest.mark.parametrize("width", [384, 16])
def test_each_key_form_decodes_to_what_was_encoded(width):
    rng = np.random.default_rng(width)
    x = rng.standard_normal((40, width)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    proj = fit(x, dim=8)
    # projections and the question bank through their stored bytes
    back = keys.decode_projection(keys.encode_projection(proj))
    assert np.array_equal(back.mean, proj.mean) and np.array_equal(back.basis, proj.basis)
    assert np.allclose(keys.decode_bank(keys.encode_bank(x)), x, atol=0.01)
    # chunk keys at full width and as codes, sentence keys float16 and coded, hot keys
    for p in (None, proj):
        want = x if p is None else p.decode(*p.encode(x))
        got = keys.decode_chunk_keys(keys.encode_chunk_keys(x, p), p)
        assert np.allclose(got, want, atol=0.02)
        got = keys.decode_sentence_keys(keys.encode_sentence_keys(x, p), p)
        assert np.allclose(got, want, atol=0.02)
    assert np.allclose(keys.decode_hot_keys(keys.encode_hot_keys(x)), x, atol=1e-3)
    vec, scale = keys.encode_centroid(x[0])
    assert np.allclose(keys.decode_centroids([(vec, scale)])[0], x[0], atol=0.01)
    assert np.array_equal(keys.decode_cells(keys.encode_cells(x)), x)
    with pytest.raises(ValueError):
        keys.decode_projection(b"not a projection")


def test_projections_stored_in_the_older_format_still_read():
    import struct
    rng = np.random.default_rng(1)
    mean, basis = rng.standard_normal(6).astype(np.float32), rng.standard_normal((2, 6)).astype(np.float32)
    old = b"MXPJ1" + struct.pack("<II", 2, 6) + mean.tobytes() + basis.tobytes()
    back = keys.decode_projection(old)
    assert np.array_equal(back.mean, mean) and np.array_equal(back.basis, basis)


def test_query_adapters_stored_in_the_older_format_still_read():
    import struct

    from engine.recall.adapter import QueryAdapter
    rng = np.random.default_rng(2)
    down, up = rng.standard_normal((3, 7)).astype(np.float32), rng.standard_normal((7, 3)).astype(np.float32)
    old = QueryAdapter.from_bytes(b"MXQA1" + struct.pack("<II", 3, 7) + down.tobytes() + up.tobytes())
    assert np.array_equal(old.down, down) and np.array_equal(old.up, up)
    again = QueryAdapter.from_bytes(old.to_bytes())
    assert np.array_equal(again.down, down) and np.array_equal(again.up, up)
