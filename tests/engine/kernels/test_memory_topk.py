"""memory_topk: the Triton kernel against the fp32 reference, ragged blocks and empties."""
from __future__ import annotations

import pytest
import torch

from engine.kernels.memory_topk import block_scores, memory_topk
from engine.kernels.memory_topk import naive

from conftest import rel_err  # noqa: E402  (tests/engine/kernels/conftest.py)


def _case(sizes: list[int], dim: int, n_queries: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    n = sum(sizes)
    keys = torch.randint(-127, 128, (n, dim), generator=g, dtype=torch.int8)
    scales = torch.rand(n, generator=g) / 127
    offsets = torch.tensor([0, *torch.tensor(sizes).cumsum(0).tolist()], dtype=torch.int64)
    query = torch.randn(n_queries, dim, generator=g)
    return query, keys, scales, offsets


CASES = {
    "even": ([8] * 12, 64, 2),
    "ragged-dim-384": ([1, 5, 17, 3, 33, 2], 384, 3),
    "ragged-dim-37": ([4, 9, 1, 16, 7], 37, 1),
    "empty-blocks": ([0, 6, 0, 0, 11, 1, 0], 48, 2),
}


def test_reference_matches_brute_force():
    query, keys, scales, offsets = _case([3, 0, 4, 2], 16, 2, seed=0)
    full = (keys.float() * scales[:, None]) @ query.T                    # [N, Q]
    want = torch.stack([full[a:b].max(0).values if b > a else torch.full((2,), float("-inf"))
                        for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())], 1)
    assert rel_err(naive.block_scores(query, keys, scales, offsets), want) < 1e-6
    values, index = memory_topk(query, keys, scales, offsets, k=10)
    assert values.shape == (2, 3) and 1 not in index.tolist()[0]          # the empty block never comes back


@pytest.mark.parametrize("sizes,dim,n_queries", CASES.values(), ids=CASES.keys())
def test_triton_matches_reference(device, sizes, dim, n_queries):
    query, keys, scales, offsets = _case(sizes, dim, n_queries, seed=len(sizes))
    want = naive.block_scores(query, keys, scales, offsets)
    got = block_scores(query.to(device), keys.to(device), scales.to(device), offsets.to(device),
                       backend="triton")
    assert rel_err(got, want) < 1e-5
    k = 3
    want_v, want_i = naive.memory_topk(query, keys, scales, offsets, k)
    got_v, got_i = memory_topk(query.to(device), keys.to(device), scales.to(device),
                               offsets.to(device), k, backend="triton")
    assert rel_err(got_v, want_v) < 1e-5
    assert torch.equal(got_i.cpu(), want_i)


def test_float_hot_tier_scores_like_int8():
    query, keys, scales, offsets = _case([5, 7, 2], 32, 1, seed=3)
    hot = (keys.float() * scales[:, None]).half()
    got = block_scores(query, hot, torch.ones(len(scales)), offsets)
    assert rel_err(got, block_scores(query, keys, scales, offsets)) < 2e-3


def test_bad_shapes_are_refused_with_a_reason():
    query, keys, scales, offsets = _case([2, 2], 8, 1, seed=0)
    with pytest.raises(ValueError, match="last dimension"):
        memory_topk(query[:, :4], keys, scales, offsets, 1)
    with pytest.raises(ValueError, match="offsets end"):
        memory_topk(query, keys, scales, offsets[:-1], 1)
