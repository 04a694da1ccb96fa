"""The query adapter: pseudo-queries, the low-rank fit, and its row in the library."""
from __future__ import annotations

import random

import numpy as np
import pytest

from engine.recall.adapter import QueryAdapter, fit
from engine.recall.pseudo import pseudo_query
from engine.store import Store
from engine.store.adapters import load_adapter, save_adapter


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_pseudo_query_drops_names_and_rare_words_and_swaps_related_ones():
    sentence = "Doctor Ignatius Pell prescribed cold pear juice for the mayor's stammer."
    queries = [pseudo_query(sentence, random.Random(seed), rare={"stammer"}.__contains__,
                            related=lambda w: {"doctor": ["physician"], "cold": ["chilly"]}.get(w, []))
               for seed in range(40)]
    words = [set(q.lower().replace("?", "").split()) for q in queries if q]
    share = lambda w: sum(w in q for q in words) / len(words)  # noqa: E731
    assert len(words) >= 30
    assert share("ignatius") < 0.3 and share("pell") < 0.3      # names are what readers forget
    assert share("stammer") < 0.3                               # so are the library's rare words
    assert share("physician") > 0.1 and share("chilly") > 0.1   # related words come in
    assert share("prescribed") > 0.5                            # the sentence's content stays


def test_identity_until_fitted_and_bytes_round_trip():
    rng = np.random.default_rng(0)
    q = _unit(rng.normal(size=(5, 16)).astype(np.float32))
    ident = QueryAdapter(rng.normal(size=(4, 16)).astype(np.float32), np.zeros((16, 4), np.float32))
    assert np.allclose(ident(q), q, atol=1e-6)
    ad = QueryAdapter(rng.normal(size=(4, 16)).astype(np.float32),
                      rng.normal(size=(16, 4)).astype(np.float32))
    back = QueryAdapter.from_bytes(ad.to_bytes())
    assert np.array_equal(back.down, ad.down) and np.array_equal(back.up, ad.up)
    with pytest.raises(ValueError):
        QueryAdapter.from_bytes(b"not an adapter")


def test_fit_learns_a_systematic_query_shift():
    # queries are their targets seen through a fixed distortion: a low-rank map can undo it
    rng = np.random.default_rng(1)
    keys = _unit(rng.normal(size=(3000, 32)).astype(np.float32))
    shift = rng.normal(size=(32, 32)).astype(np.float32) * 0.9
    targets = rng.integers(0, len(keys), 1500)
    queries = _unit(keys[targets] + keys[targets] @ shift
                    + 0.1 * rng.normal(size=(1500, 32)).astype(np.float32))
    adapter, report = fit(queries, targets, keys, rank=16, steps=300)
    assert report.recall_after > report.recall_before + 0.1, report
    assert report.kept


def test_adapter_weights_persist_and_reload(tmp_path):
    rng = np.random.default_rng(2)
    ad = QueryAdapter(rng.normal(size=(8, 384)).astype(np.float32),
                      rng.normal(size=(384, 8)).astype(np.float32))
    store = Store(tmp_path / "lib")
    before = store.generation()
    save_adapter(store, "all-MiniLM-L6-v2", ad.to_bytes(), {"kept": True}, 5000)
    assert store.generation() > before          # searchers reload their adapter
    store.close()
    store = Store(tmp_path / "lib")
    row = load_adapter(store, "all-MiniLM-L6-v2")
    again = QueryAdapter.from_bytes(row.weights)
    assert np.array_equal(again.down, ad.down) and np.array_equal(again.up, ad.up)
    assert row.sentences == 5000 and row.report == {"kept": True}
    assert load_adapter(store, "another-encoder") is None
    store.close()
