"""Sentence keys in 132 bytes: a library-learnt projection to 128 dimensions, int8 + scale.

Why: a library has about five times more sentence keys than chunk keys, so they dominate its
memory (float16: ~21 bytes per source token on the needle benchmark). Projecting onto the
library's 128 principal directions and quantising to int8 keeps the ranking of
paraphrased questions unchanged there (recall@5 0.82 either way), at 3.6 bytes per token;
48-byte product quantisation was measured too and lost a third of that recall.
A question is projected once, so scoring stays one int8 matrix product.

Scores are centred cosines: key and question both less the mean of the keys, renormalised.
MiniLM's keys share a large common component, so raw cosines rank a question's answer by
how generic it is as much as by what it says; centring (with hubs measured in the same
space, engine/recall/hubness.py) raised dense paraphrase recall@5 on bench/needle.py from
0.80 to 0.86, and on 400 control questions about ordinary sentences from 0.83 to 0.87.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from engine.store.quant import quantize

__all__ = ["Projection", "fit", "pack", "unpack", "centred", "DIM", "CHUNK_DIM"]

DIM = 128
# Chunk keys keep more directions: they feed the block router, whose top-10 must stay that
# of exact search. On the needle library's 5,778 chunk keys, top-10 overlap with the int8
# keys at full width was 0.73 at 128 directions, 0.94 at 256, 0.98 at 288 and 320; 288 codes
# and a scale cost 1.6 bytes per source token there (384 + 4 cost 2.15).
CHUNK_DIM = 288
_MAGIC = b"MXPJ1"


@dataclass
class Projection:
    mean: np.ndarray    # [D] float32
    basis: np.ndarray   # [d, D] float32, orthonormal rows

    @property
    def dim(self) -> int:
        """The encoder's width: what keys are projected from."""
        return int(self.basis.shape[1])

    @property
    def width(self) -> int:
        """Codes per key."""
        return int(self.basis.shape[0])

    def centred_query(self, query: np.ndarray) -> np.ndarray:
        """A question in code space for centred cosines: B (q − mean) / |q − mean|."""
        return (self.basis @ _unit(np.asarray(query, np.float32) - self.mean)).astype(np.float32)

    def centre(self, keys: np.ndarray) -> np.ndarray:
        """Full-width keys [N, D] as unit vectors about this projection's mean."""
        return _unit(np.asarray(keys, np.float32) - self.mean)

    @staticmethod
    def inv_norms(codes: np.ndarray) -> np.ndarray:
        """1 / |codes| per row: with orthonormal B, a coded key's centred unit vector is
        codes B / |codes| (its scale cancels), so no extra bytes are stored for it."""
        return (1.0 / np.maximum(np.linalg.norm(codes.astype(np.float32), axis=-1), 1e-6)).astype(np.float32)

    def encode(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """[N, D] keys → (int8 [N, d], scale [N])."""
        return quantize((np.asarray(keys, np.float32) - self.mean) @ self.basis.T)

    def decode(self, codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
        return (codes.astype(np.float32) * scale[:, None]) @ self.basis + self.mean

    def to_bytes(self) -> bytes:
        d, dim = self.basis.shape
        return (_MAGIC + struct.pack("<II", d, dim) + self.mean.astype("<f4").tobytes()
                + self.basis.astype("<f4").tobytes())

    @classmethod
    def from_bytes(cls, blob: bytes) -> "Projection":
        if not blob.startswith(_MAGIC):
            raise ValueError("not a key projection")
        d, dim = struct.unpack_from("<II", blob, len(_MAGIC))
        at = len(_MAGIC) + 8
        mean = np.frombuffer(blob, "<f4", dim, at).astype(np.float32)
        basis = np.frombuffer(blob, "<f4", d * dim, at + 4 * dim).reshape(d, dim).astype(np.float32)
        return cls(mean, basis)


def centred(proj: Projection | None, keys: np.ndarray) -> np.ndarray:
    """Keys (or a question) as scored in a library: unit vectors about the mean of the keys
    they are compared with once that projection is learnt, else as they are."""
    return np.asarray(keys, np.float32) if proj is None else proj.centre(keys)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-6)


def fit(keys: np.ndarray, *, dim: int = DIM, sample: int = 20000, seed: int = 0) -> Projection:
    """Principal directions of (a sample of) the library's keys."""
    keys = np.asarray(keys, np.float32)
    rng = np.random.default_rng(seed)
    data = keys[rng.choice(len(keys), sample, replace=False)] if len(keys) > sample else keys
    mean = data.mean(axis=0)
    _, _, vt = np.linalg.svd(data - mean, full_matrices=False)
    return Projection(mean.astype(np.float32), vt[:min(dim, len(vt))].astype(np.float32))


def pack(codes: np.ndarray, scale: np.ndarray) -> list[bytes]:
    """One blob per row: int8 codes then the float32 scale."""
    return [c.tobytes() + struct.pack("<f", float(s)) for c, s in zip(codes, scale)]


def unpack(blobs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    if not blobs:
        return np.zeros((0, 0), np.int8), np.zeros(0, np.float32)
    raw = np.frombuffer(b"".join(blobs), np.uint8).reshape(len(blobs), -1)
    codes = raw[:, :-4].view(np.int8)
    scale = np.ascontiguousarray(raw[:, -4:]).view("<f4").reshape(-1).astype(np.float32)
    return np.ascontiguousarray(codes), scale
