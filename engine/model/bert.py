"""A small BERT forward pass for the encoder's fast path (gpt-fast style: plain torch).

Why not the library's own forward: sentence-transformers and transformers wrap every
layer in modules, hooks and autocast, and on this kind of CPU that overhead was a third
of the encoder's time. A profile of one bfloat16 batch showed dtype casts at a fifth of
it, Q, K and V as three matrix products, and attention slowed down by sequence lengths
that are not a multiple of 16 (the CPU flash kernel packs blocks of 16; lengths between
multiples ran up to twice as slow). So this pass holds the weights once in the compute
dtype with Q, K and V fused into one product, pads each batch to a multiple of 16 inside
attention only (the padded keys are masked, the padded queries dropped), and mean-pools
and normalises in float32, as the sentence-transformers pipeline of all-MiniLM-L6-v2 does.

The residual stream stays in the compute dtype: layer norms read it in float32 inside
the kernel, and each residual sum is rounded once. A float32 stream cost a cast before
every matrix product and a float32 add after it, a seventh of the encoder's time, and
dropping it moved the keys only a little further from the float32 reference
(bench/ingest.py prints the cosine). On the CPU, oneDNN adds the GELU and the residual
inside the matrix product that feeds them (`_Fused`), where the running torch has those
ops and they agree with the plain ones; elsewhere the same sums run as separate ops.

`LeanBert.of(model)` answers None for a pipeline this pass does not reproduce exactly
(another architecture, pooling or normalisation); the encoder then keeps the library's
forward.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

__all__ = ["LeanBert"]

ALIGN = 16   # attention's sequence length is padded to a multiple of this on the CPU


@dataclass
class _Layer:
    qkv_w: torch.Tensor
    qkv_b: torch.Tensor
    out_w: torch.Tensor
    out_b: torch.Tensor
    norm1: tuple[torch.Tensor, torch.Tensor, float]
    up_w: torch.Tensor
    up_b: torch.Tensor
    down_w: torch.Tensor
    down_b: torch.Tensor
    norm2: tuple[torch.Tensor, torch.Tensor, float]


class LeanBert:
    """Mean-pooled, L2-normalised sentence keys from a BERT encoder's weights."""

    def __init__(self, bert, dtype: torch.dtype, device: str):
        cfg = bert.config
        self.heads = cfg.num_attention_heads
        self.width = cfg.hidden_size
        self.dtype = dtype
        self.align = ALIGN if device == "cpu" else 1
        self.ops = _ops_for(device, dtype)
        emb = bert.embeddings
        weight = lambda t: t.detach().to(device)       # noqa: E731
        low = lambda t: t.detach().to(device, dtype)   # noqa: E731
        # the CPU's layer norm reads a bfloat16 stream with float32 weights; elsewhere the
        # weights take the stream's dtype (the kernel accumulates in float32 either way)
        norm_weight = weight if device == "cpu" else low
        self.word = weight(emb.word_embeddings.weight)
        self.position = weight(emb.position_embeddings.weight)
        self.segment = weight(emb.token_type_embeddings.weight[0])
        self.norm0 = _norm(emb.LayerNorm, weight)
        self.layers = []
        for layer in bert.encoder.layer:
            att = layer.attention
            q, k, v = att.self.query, att.self.key, att.self.value
            self.layers.append(_Layer(
                qkv_w=low(torch.cat([q.weight, k.weight, v.weight])),
                qkv_b=low(torch.cat([q.bias, k.bias, v.bias])),
                out_w=low(att.output.dense.weight), out_b=low(att.output.dense.bias),
                norm1=_norm(att.output.LayerNorm, norm_weight),
                up_w=low(layer.intermediate.dense.weight), up_b=low(layer.intermediate.dense.bias),
                down_w=low(layer.output.dense.weight), down_b=low(layer.output.dense.bias),
                norm2=_norm(layer.output.LayerNorm, norm_weight)))

    @classmethod
    def of(cls, model, dtype: torch.dtype, device: str) -> "LeanBert | None":
        """For a SentenceTransformer of (BERT transformer, mean pooling[, normalise]),
        else None."""
        try:
            modules = list(model)
            bert, pooling = modules[0].auto_model, modules[1]
        except (TypeError, IndexError, AttributeError):
            return None
        cfg = getattr(bert, "config", None)
        plain = (getattr(cfg, "model_type", None) == "bert"
                 and getattr(cfg, "hidden_act", None) == "gelu"
                 and getattr(cfg, "position_embedding_type", "absolute") == "absolute"
                 and not getattr(modules[0], "do_lower_case", False))
        mean = getattr(pooling, "pooling_mode", None) == "mean"
        rest = [type(m).__name__ for m in modules[2:]]
        if not (plain and mean and rest in ([], ["Normalize"])):
            return None
        return cls(bert, dtype, device)

    def __call__(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """ids, mask: [B, T] token ids and a bool mask of real tokens → [B, width] unit
        float32 keys."""
        batch, length = ids.shape
        x = _layer_norm(self.word[ids] + self.position[:length] + self.segment,
                        self.norm0).to(self.dtype)
        pad = -length % self.align
        keep = F.pad(mask, (0, pad), value=False)
        bias = None
        if pad or not bool(mask.all()):
            bias = torch.zeros(keep.shape, dtype=self.dtype, device=ids.device)
            bias = bias.masked_fill(~keep, float("-inf"))[:, None, None, :]
        heads, width, ops = self.heads, self.width, self.ops
        for p in self.layers:
            qkv = F.linear(x, p.qkv_w, p.qkv_b)
            qkv = qkv.view(batch, length, 3, heads, width // heads).permute(2, 0, 3, 1, 4)
            if pad:
                qkv = F.pad(qkv, (0, 0, 0, pad))
            att = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=bias)
            att = att[:, :, :length].transpose(1, 2).reshape(batch, length, width)
            x = _layer_norm(ops.linear_add(att, x, p.out_w, p.out_b), p.norm1)
            hidden = ops.linear_gelu(x, p.up_w, p.up_b)
            x = _layer_norm(ops.linear_add(hidden, x, p.down_w, p.down_b), p.norm2)
        x = x.float()
        weights = mask.to(x.dtype)[..., None]
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, dim=-1)

    def keys(self, ids: list[list[int]], device: str = "cpu") -> np.ndarray:
        """Token ids of texts of any lengths ([CLS] … [SEP] each) → [N, width] unit float32
        keys, the batch padded to its longest text."""
        table = np.zeros((len(ids), max(len(x) for x in ids)), dtype=np.int64)
        mask = np.zeros(table.shape, dtype=bool)
        for row, x in enumerate(ids):
            table[row, :len(x)] = x
            mask[row, :len(x)] = True
        return self(torch.from_numpy(table).to(device),
                    torch.from_numpy(mask).to(device)).float().cpu().numpy()


def _norm(module, to) -> tuple[torch.Tensor, torch.Tensor, float]:
    return to(module.weight), to(module.bias), float(module.eps)


def _layer_norm(x: torch.Tensor, norm: tuple[torch.Tensor, torch.Tensor, float]) -> torch.Tensor:
    """Layer norm with float32 weights on a stream of any dtype (accumulated in float32
    by the kernel; the result keeps the stream's dtype)."""
    weight, bias, eps = norm
    return F.layer_norm(x, weight.shape, weight, bias, eps)


class _Plain:
    """The sums a layer makes after its matrix products, as separate ops."""

    @staticmethod
    def linear_gelu(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return F.gelu(F.linear(x, w, b))

    @staticmethod
    def linear_add(x: torch.Tensor, residual: torch.Tensor, w: torch.Tensor,
                   b: torch.Tensor) -> torch.Tensor:
        return residual + F.linear(x, w, b)


class _Fused:
    """The same sums done by oneDNN inside the matrix product (exact GELU, residual added
    before the one rounding): one pass over the activations instead of two."""

    @staticmethod
    def linear_gelu(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x, w, b, "gelu", [None], "none")

    @staticmethod
    def linear_add(x: torch.Tensor, residual: torch.Tensor, w: torch.Tensor,
                   b: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise.binary(x, residual, w, b, "add")


def _ops_for(device: str, dtype: torch.dtype) -> type[_Plain] | type[_Fused]:
    """`_Fused` where this torch has oneDNN's fused linear ops and they give what the plain
    ops give on a small case, else `_Plain` (the ops are private to torch's compiler)."""
    if device != "cpu" or not torch.backends.mkldnn.is_available():
        return _Plain
    try:
        gen = torch.Generator().manual_seed(0)
        x, res = (torch.randn(2, 5, 64, generator=gen).to(dtype) for _ in range(2))
        w, b = torch.randn(32, 64, generator=gen).to(dtype) / 8, torch.randn(32).to(dtype)
        r = torch.randn(2, 5, 32, generator=gen).to(dtype)
        with torch.inference_mode():
            pairs = [(_Fused.linear_gelu(x, w, b), _Plain.linear_gelu(x, w, b)),
                     (_Fused.linear_add(x, r, w, b), _Plain.linear_add(x, r, w, b))]
        tol = 1e-4 if dtype == torch.float32 else 5e-2
        if all(f.shape == p.shape and f.dtype == p.dtype
               and torch.allclose(f.float(), p.float(), atol=tol, rtol=tol) for f, p in pairs):
            return _Fused
    except (RuntimeError, AttributeError, NotImplementedError):
        pass
    return _Plain
