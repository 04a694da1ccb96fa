"""Experimental: KV states of single evidence blocks, assembled at new positions.

A block (one evidence passage) is read once at positions 0..L-1 and its sequence state
kept; a prompt made of several blocks is then assembled from their states without reading
them: each state is loaded into a scratch sequence (loading empties its target), shifted
to its offset (RoPE positions move with `llama_memory_seq_add`), copied into the prompt
sequence and the scratch dropped. The blocks never saw each other, so the first-token
distribution drifts from a full read; CacheBlend-style selective recomputation re-reads
the first tokens of each block (at their real positions, seeing everything before them).

Not used by `answer` — it is measured by bench/conversation.py (`--blocks`) against a full
read, and ships on only if answers match a full read.
"""
from __future__ import annotations

import ctypes
import os
from typing import Sequence

import numpy as np

__all__ = ["BlockContext", "kl"]

_PROMPT, _SCRATCH = 0, 1


class BlockContext:
    """A second llama.cpp context on an `LLM`'s weights, with two sequences."""

    def __init__(self, llm, *, n_ctx: int = 4096, n_batch: int = 512):
        import llama_cpp
        from llama_cpp import _internals

        self.lib = llama_cpp
        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_batch, params.n_ubatch = n_ctx, n_batch, n_batch
        params.n_seq_max, params.kv_unified = 2, True
        params.n_threads = params.n_threads_batch = os.cpu_count() or 2
        params.flash_attn_type = 1
        self.n_batch = n_batch
        self.ctx = _internals.LlamaContext(model=llm._llm._model, params=params, verbose=False)
        self.batch = _internals.LlamaBatch(n_tokens=n_batch, embd=0, n_seq_max=2, verbose=False)
        self.mem = llama_cpp.llama_get_memory(self.ctx.ctx)
        self.n_vocab = llm._llm.n_vocab()

    def _decode(self, tokens: Sequence[int], pos0: int, seq: int) -> None:
        """Read `tokens` at positions pos0.. into `seq`; logits only for the last one."""
        for i in range(0, len(tokens), self.n_batch):
            part = tokens[i:i + self.n_batch]
            b = self.batch.batch
            for j, t in enumerate(part):
                b.token[j], b.pos[j] = t, pos0 + i + j
                b.seq_id[j][0], b.n_seq_id[j] = seq, 1
                b.logits[j] = i + j == len(tokens) - 1
            b.n_tokens = len(part)
            self.ctx.decode(self.batch)

    def _logits(self) -> np.ndarray:
        ptr = self.lib.llama_get_logits_ith(self.ctx.ctx, -1)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,)).astype(np.float64).copy()

    def greedy(self, logits: np.ndarray, at: int, n: int, stop: set[int]) -> list[int]:
        """Continue the prompt sequence greedily from `logits` (position `at` next)."""
        out = []
        for i in range(n):
            token = int(logits.argmax())
            if token in stop:
                break
            out.append(token)
            self._decode([token], at + i, _PROMPT)
            logits = self._logits()
        return out

    def clear(self) -> None:
        self.lib.llama_memory_seq_rm(self.mem, -1, -1, -1)

    def block_state(self, tokens: Sequence[int]) -> bytes:
        """Read a block alone at positions 0..L-1 and return its sequence state."""
        self.lib.llama_memory_seq_rm(self.mem, _SCRATCH, -1, -1)
        self._decode(tokens, 0, _SCRATCH)
        size = self.lib.llama_state_seq_get_size(self.ctx.ctx, _SCRATCH)
        buf = (ctypes.c_uint8 * size)()
        n = self.lib.llama_state_seq_get_data(self.ctx.ctx, buf, size, _SCRATCH)
        self.lib.llama_memory_seq_rm(self.mem, _SCRATCH, -1, -1)
        return ctypes.string_at(buf, n)

    def full_read(self, tokens: Sequence[int]) -> np.ndarray:
        """The reference: read everything in one sequence; the last token's logits."""
        self.clear()
        self._decode(tokens, 0, _PROMPT)
        return self._logits()

    def assembled(self, head: Sequence[int], blocks: Sequence[tuple[Sequence[int], bytes]],
                  tail: Sequence[int], *, recompute: float = 0.0) -> np.ndarray:
        """Read `head`, place each block's stored state after it, re-read the first
        `recompute` share of each block's tokens at their real positions, read `tail`;
        return the last token's logits."""
        self.clear()
        self._decode(head, 0, _PROMPT)
        at, starts = len(head), []
        for tokens, state in blocks:
            buf = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
            if self.lib.llama_state_seq_set_data(self.ctx.ctx, buf, len(state), _SCRATCH) == 0:
                raise RuntimeError("llama.cpp refused a block state")
            self.lib.llama_memory_seq_add(self.mem, _SCRATCH, 0, -1, at)
            self.lib.llama_memory_seq_cp(self.mem, _SCRATCH, _PROMPT, -1, -1)
            self.lib.llama_memory_seq_rm(self.mem, _SCRATCH, -1, -1)
            starts.append((at, tokens))
            at += len(tokens)
        if recompute > 0:
            # llama.cpp only appends to a sequence, so the re-read happens in the scratch
            # sequence holding the prompt up to the block (shared cells, no copy), and its
            # fresh cells replace the block's first cells in the prompt sequence
            for start, tokens in starts:
                r = max(1, int(round(recompute * len(tokens))))
                self.lib.llama_memory_seq_cp(self.mem, _PROMPT, _SCRATCH, 0, start)
                self._decode(list(tokens[:r]), start, _SCRATCH)
                self.lib.llama_memory_seq_rm(self.mem, _PROMPT, start, start + r)
                self.lib.llama_memory_seq_cp(self.mem, _SCRATCH, _PROMPT, start, start + r)
                self.lib.llama_memory_seq_rm(self.mem, _SCRATCH, -1, -1)
        self._decode(tail, at, _PROMPT)
        return self._logits()


def kl(p_logits: np.ndarray, q_logits: np.ndarray) -> float:
    """KL(p || q) in nats between the softmaxes of two logit vectors."""
    p = np.exp(p_logits - p_logits.max()); p /= p.sum()
    lq = q_logits - q_logits.max(); lq -= np.log(np.exp(lq).sum())
    lp = np.log(np.maximum(p, 1e-300))
    return float((p * (lp - lq)).sum())
