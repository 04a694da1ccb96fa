"""The value scorer: its documented prior, online learning, and state kept in the library."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.store.usage import ValueBlock
from engine.value import DAY, FEATURES, PRIOR, PRIOR_BIAS, Scorer
from engine.value.consolidate import COLD_BELOW, HOT_AT, NEW_DAYS, next_tier
from engine.value.features import block_features


def test_untrained_scorer_is_exactly_the_logistic_prior():
    x = np.random.default_rng(0).random((64, len(FEATURES))).astype(np.float32)
    w = np.asarray([PRIOR[f] for f in FEATURES], np.float32)
    expected = 1 / (1 + np.exp(-(x @ w + PRIOR_BIAS)))
    np.testing.assert_allclose(Scorer().score(x), expected, rtol=1e-5)
    # not random: two fresh scorers are identical
    a, b = Scorer().state(), Scorer().state()
    assert all(torch.equal(a[k], b[k]) for k in a)


def _block(**kw) -> ValueBlock:
    base = dict(id=1, doc_id=1, first_chunk=1, last_chunk=4, surprise=0.5, modality="text",
                added_at=0.0, tier="warm", pinned=False, value=None, tier_since=0.0)
    return ValueBlock(**{**base, **kw})


def test_prior_forgets_unused_blocks_and_keeps_used_ones():
    scorer = Scorer()
    b = _block()
    fresh = scorer.score(block_features([b], {}, {}, 1 * DAY))[0]
    month = scorer.score(block_features([b], {}, {}, 35 * DAY))[0]
    used = {1: [("recalled", 30 * DAY), ("cited", 30 * DAY), ("citation_opened", 34 * DAY)]}
    kept = scorer.score(block_features([b], used, {}, 35 * DAY))[0]
    assert COLD_BELOW < fresh < HOT_AT
    assert month < COLD_BELOW < HOT_AT < kept


def test_tier_policy_steps_one_tier_and_respects_pins_and_new_blocks():
    now = 60 * DAY
    assert next_tier(_block(tier="hot"), 0.01, now) == "warm"             # one step, not two
    assert next_tier(_block(tier="warm"), 0.01, now) == "cold"
    assert next_tier(_block(tier="warm"), 0.01, now, last_used=now - 10 * DAY) == "warm"
    assert next_tier(_block(tier="warm", pinned=True), 0.01, now) == "warm"
    assert next_tier(_block(tier="hot", pinned=True), 0.01, now) == "hot"
    young = _block(added_at=now - (NEW_DAYS - 1) * DAY)
    assert next_tier(young, 0.01, now) == "warm"
    assert next_tier(_block(tier="cold"), 0.9, now) == "warm"
    assert next_tier(_block(tier="warm"), 0.9, now) == "hot"


def test_learning_moves_weights_and_both_states_persist(library):
    scorer = Scorer()
    rng = np.random.default_rng(1)
    x = rng.random((40, len(FEATURES))).astype(np.float32)
    y = (x[:, FEATURES.index("size")] > 0.5).astype(np.float32)   # a pattern the prior lacks
    result = scorer.learn(x, y, steps=50)
    assert result.loss_after < result.loss_before
    scorer.save(library.store, 123.0)
    again = Scorer.load(library.store)
    a, b = scorer.state(), again.state()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert again.steps == scorer.steps == 50
    sa, sb = scorer.optim.state_dict()["state"], again.optim.state_dict()["state"]
    assert sa.keys() == sb.keys()
    for k in sa:
        assert torch.equal(sa[k]["exp_avg"], sb[k]["exp_avg"])


def test_clock_only_moves_forward():
    from engine.value import SettableClock
    clock = SettableClock(100.0)
    assert clock.advance(days=1) == 100.0 + DAY
    with pytest.raises(ValueError):
        clock.advance(days=-1)
