"""delta_rule: the Triton kernel against the step-by-step reference, ragged streams."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from engine.kernels.delta_rule import delta_rule
from engine.kernels.delta_rule import naive

from conftest import rel_err  # noqa: E402


def _case(h: int, t: int, dk: int, dv: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    k = torch.randn(h, t, dk, generator=g)
    v = F.normalize(torch.randn(h, t, dv, generator=g), dim=-1)
    return k, v


def test_reference_is_the_infini_attention_update():
    k, v = _case(1, 3, 4, 5, seed=0)
    r, m, z = delta_rule(k[0], v[0])
    s = F.elu(k[0]) + 1
    assert torch.equal(r[0], torch.zeros(5))                      # nothing read before step 0
    m1 = torch.outer(s[0], v[0, 0])
    r1 = (s[1] @ m1) / (s[1] @ s[0] + naive.EPS)
    assert rel_err(r[1], r1) < 1e-6
    assert rel_err(z, s.sum(0)) < 1e-6


def test_delta_rule_recalls_a_stored_pair_better_than_a_new_one():
    k, v = _case(1, 8, 64, 32, seed=1)
    seq_k = torch.cat([k[0], k[0, :1]])                            # step 8 repeats step 0's key
    seq_v = torch.cat([v[0], v[0, :1]])
    r, _, _ = delta_rule(seq_k, seq_v)
    assert F.cosine_similarity(r[8], seq_v[8], dim=0) > F.cosine_similarity(r[1], seq_v[1], dim=0)


CASES = {
    "one-stream": (1, 9, 16, 16, None),
    "ragged-lengths": (3, 11, 24, 40, [11, 4, 0]),
    "dim-64x70": (2, 6, 64, 70, [6, 5]),
}


@pytest.mark.parametrize("h,t,dk,dv,lengths", CASES.values(), ids=CASES.keys())
def test_triton_matches_reference(device, h, t, dk, dv, lengths):
    k, v = _case(h, t, dk, dv, seed=h + t)
    g = torch.Generator().manual_seed(7)
    m0 = torch.randn(h, dk, dv, generator=g) * 0.1
    z0 = torch.rand(h, dk, generator=g)
    lens = None if lengths is None else torch.tensor(lengths)
    want = delta_rule(k, v, m0, z0, lens, backend="torch")
    got = delta_rule(*(x.to(device) for x in (k, v, m0, z0)),
                     None if lens is None else lens.to(device), backend="triton")
    for name, g_, w in zip(("readout", "M", "z"), got, want):
        assert rel_err(g_, w) < 1e-4, name
    if lengths is not None:                                       # an empty stream keeps its state
        assert torch.equal(want[1][-1], m0[-1]) or lengths[-1] > 0


def test_state_carries_across_calls():
    k, v = _case(1, 10, 8, 8, seed=5)
    whole = delta_rule(k, v)
    first = delta_rule(k[:, :6], v[:, :6])
    rest = delta_rule(k[:, 6:], v[:, 6:], first[1], first[2])
    assert rel_err(torch.cat([first[0], rest[0]], 1), whole[0]) < 1e-5
    assert rel_err(rest[1], whole[1]) < 1e-5
