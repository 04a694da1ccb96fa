"""The surprise reader on real encoder keys: peaks where a generated document changes topic."""
from __future__ import annotations

import numpy as np
import pytest

from engine.memory import BlockPolicy, SurpriseReader, cut_blocks, document_memory
from tests.engine.memory.topics import topic_paragraphs

ORDER = ["sailing", "baking", "astronomy", "chess"]


@pytest.mark.parametrize("per_topic,seed", [(10, 0), (7, 1), (10, 2), (7, 3)],
                         ids=["10-per-topic", "7-per-topic", "10-seed2", "7-seed3"])
def test_surprise_peaks_at_planted_topic_changes(encoder, per_topic, seed):
    keys = encoder.encode(topic_paragraphs(ORDER, per_topic, seed=seed))
    out = SurpriseReader().read(keys)
    s = out.surprise
    changes = [per_topic * i for i in range(1, len(ORDER))]
    calm = [s[t] for t in range(1, len(s)) if all(abs(t - c) > 2 for c in changes)]
    assert min(s[c] for c in changes) > max(calm), np.round(s, 2)   # every change beats calm
    cuts = [a for a, _, why in cut_blocks([()] * len(s), s) if why == "surprise"]
    assert len(cuts) == len(changes)
    assert all(abs(cut - c) <= 1 for cut, c in zip(cuts, changes)), (cuts, np.round(s, 2))
    assert out.m.shape == (128, 128) and out.z.shape == (128,)


def test_blocks_cut_at_the_topic_changes(encoder):
    keys = encoder.encode(topic_paragraphs(ORDER, 10))
    memory = document_memory(keys, [()] * len(keys))
    assert [(b.first, b.cut) for b in memory.blocks] == [
        (0, "start"), (10, "surprise"), (20, "surprise"), (30, "surprise")]
    for b in memory.blocks:                      # representatives lie inside their block
        assert all(b.first <= r <= b.last for r in b.reps)
        assert abs(float(np.linalg.norm(b.centroid)) - 1) < 1e-4


def test_size_bounds_hold_without_any_surprise_peak():
    flat = np.zeros(40, np.float32)
    blocks = cut_blocks([()] * 40, flat, BlockPolicy(min_size=4, max_size=16))
    assert [(a, b) for a, b, _ in blocks] == [(0, 15), (16, 31), (32, 39)]
    spiky = np.tile(np.asarray([0.1, 0.9], np.float32), 20)   # a peak every second chunk
    sizes = [b - a + 1 for a, b, _ in cut_blocks([()] * 40, spiky, BlockPolicy(min_size=4))]
    assert min(sizes[:-1]) >= 4 and max(sizes) <= 16


def test_reader_streams_are_independent():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((9, 32)), rng.standard_normal((4, 32))
    together = SurpriseReader().read_many([a, b, np.zeros((0, 32))])
    assert np.allclose(together[1].surprise, SurpriseReader().read(b).surprise, atol=1e-5)
    assert len(together[2].surprise) == 0
