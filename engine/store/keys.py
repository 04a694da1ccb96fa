"""Every stored form of a key, with one way in and one way out per kind.

Why one module: a library keeps its keys in several forms as it grows (int8 at the
encoder's width until it has learnt a projection, then the projection's codes; float16
sentence keys, then codes; float16 copies for hot blocks), and a reader must decode
whichever forms a library holds. When each writer and reader spelt the bytes out itself,
they could disagree; here each kind has one `encode_*` and one `decode_*`.

    chunk key     `keys` / `cold_keys` row (vec, scale): int8 at the encoder's width with
                  a per-row scale, or the chunk projection's int8 codes and scale (told
                  apart by length); float32 with scale NULL in the oldest libraries
    sentence key  `sentence_keys` / `cold_sentence_keys` row (vec, code): float16 at the
                  encoder's width (code NULL), or the sentence projection's codes with
                  their scale packed in `code` (vec empty)
    hot key       `hot_keys.vec`: float16 at the encoder's width
    centroid      a block's centroid: int8 with a scale
    cell          a sentence cell's centroid: float32 in the sentence codes' space
    projection    mean and basis, as named arrays (`encode_arrays`)
    question bank the query adapter's pseudo-questions, as codes with their scales
    hub           a REAL column beside each chunk or sentence key row

Named arrays are stored in NumPy's own file format (`np.savez`, never pickles), so any
NumPy can read a library's blobs without Memex.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

__all__ = ["Projection", "quantize", "dequantize", "encode_arrays", "decode_arrays", "decode_old_arrays",
           "encode_projection", "decode_projection", "encode_codes", "decode_codes",
           "encode_chunk_keys", "decode_chunk_keys", "chunk_key_codes",
           "encode_sentence_keys", "decode_sentence_keys", "encode_hot_keys", "decode_hot_keys",
           "encode_centroid", "decode_centroids", "encode_cells", "decode_cells",
           "encode_bank", "decode_bank"]


# -- int8 with a per-row scale -------------------------------------------------------


def quantize(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """keys [N, D] float → (int8 [N, D], scale [N] float32) with keys ≈ q * scale."""
    keys = np.asarray(keys, dtype=np.float32)
    peak = np.abs(keys).max(axis=1) if keys.size else np.zeros(len(keys), np.float32)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(keys / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * np.asarray(scale, dtype=np.float32)[:, None]


# -- named arrays (projections, the query adapter) -------------------------------------


def encode_arrays(**arrays: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.savez(out, **{k: np.ascontiguousarray(v) for k, v in arrays.items()})
    return out.getvalue()


def decode_old_arrays(blob: bytes, magic: bytes,
                      shapes: Callable[[int, int], list[tuple[int, ...]]]) -> list[np.ndarray]:
    """Arrays of the format before `encode_arrays`: `magic`, two uint32 sizes, then
    little-endian float32 arrays whose shapes `shapes(a, b)` gives."""
    a, b = struct.unpack_from("<II", blob, len(magic))
    at, out = len(magic) + 8, []
    for shape in shapes(a, b):
        n = int(np.prod(shape))
        out.append(np.frombuffer(blob, "<f4", n, at).reshape(shape))
        at += 4 * n
    return out


def decode_arrays(blob: bytes, *names: str) -> list[np.ndarray]:
    """The named arrays of an `encode_arrays` blob; ValueError for anything else."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            return [np.asarray(data[n]) for n in names]
    except (OSError, KeyError, ValueError, EOFError) as exc:
        raise ValueError(f"not a stored array set ({exc})") from exc


# -- projections ----------------------------------------------------------------------


@dataclass
class Projection:
    """A library-learnt map from the encoder's width to a few principal directions, whose
    int8 codes are what coded keys store (engine/store/projection.py learns one)."""
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
        """[N, D] keys → (int8 codes [N, d], scale [N])."""
        return quantize((np.asarray(keys, np.float32) - self.mean) @ self.basis.T)

    def decode(self, codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
        return dequantize(codes, scale) @ self.basis + self.mean


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-6)


_OLD_PROJECTION = b"MXPJ1"   # the format before `encode_arrays`, still read


def encode_projection(proj: Projection) -> bytes:
    return encode_arrays(mean=proj.mean.astype(np.float32), basis=proj.basis.astype(np.float32))


def decode_projection(blob: bytes) -> Projection:
    if blob.startswith(_OLD_PROJECTION):
        mean, basis = decode_old_arrays(blob, _OLD_PROJECTION, lambda d, dim: [(dim,), (d, dim)])
    else:
        try:
            mean, basis = decode_arrays(blob, "mean", "basis")
        except ValueError as exc:
            raise ValueError("not a key projection") from exc
    return Projection(mean.astype(np.float32), basis.astype(np.float32))


# -- codes: int8 rows with their scale in one blob -------------------------------------


def encode_codes(codes: np.ndarray, scale: np.ndarray) -> list[bytes]:
    """One blob per row: int8 codes then the float32 scale."""
    return [c.tobytes() + struct.pack("<f", float(s)) for c, s in zip(codes, scale)]


def decode_codes(blobs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    if not blobs:
        return np.zeros((0, 0), np.int8), np.zeros(0, np.float32)
    raw = np.frombuffer(b"".join(blobs), np.uint8).reshape(len(blobs), -1)
    codes = raw[:, :-4].view(np.int8)
    scale = np.ascontiguousarray(raw[:, -4:]).view("<f4").reshape(-1).astype(np.float32)
    return np.ascontiguousarray(codes), scale


# -- chunk keys -----------------------------------------------------------------------


def encode_chunk_keys(keys: np.ndarray, proj: Projection | None) -> list[tuple[bytes, float]]:
    """(vec, scale) rows of float keys: the chunk projection's codes once the library has
    learnt one, else int8 at the encoder's width."""
    q, scale = proj.encode(keys) if proj is not None else quantize(keys)
    return [(q[i].tobytes(), float(scale[i])) for i in range(len(q))]


def decode_chunk_keys(rows: Sequence[tuple[bytes, float | None]], proj: Projection | None) -> np.ndarray:
    """Float32 keys at the encoder's width [n, D] from stored (vec, scale) rows of any form."""
    if not rows:
        return np.zeros((0, proj.dim if proj is not None else 0), np.float32)
    width = proj.width if proj is not None else -1
    forms: dict[str, list[int]] = {"float": [], "int8": [], "code": []}
    for i, (vec, scale) in enumerate(rows):
        forms["float" if scale is None else "code" if len(vec) == width else "int8"].append(i)
    dim = proj.dim if proj is not None else (
        len(rows[0][0]) // (4 if rows[0][1] is None else 1))
    out = np.zeros((len(rows), dim), np.float32)
    for form, at in forms.items():
        if not at:
            continue
        blob = b"".join(rows[i][0] for i in at)
        if form == "float":
            out[at] = np.frombuffer(blob, np.float32).reshape(len(at), -1)
            continue
        q = np.frombuffer(blob, np.int8).reshape(len(at), -1)
        scale = np.asarray([rows[i][1] for i in at], np.float32)
        out[at] = proj.decode(q, scale) if form == "code" else dequantize(q, scale)
    return out


def chunk_key_codes(rows: Sequence[tuple[bytes, float | None]],
                    proj: Projection | None) -> tuple[np.ndarray, np.ndarray]:
    """Stored (vec, scale) rows → (int8 [n, W], scale [n]) in the router's space: the
    projection's codes once learnt, else int8 at full width. Rows already in that form are
    read as they are; others (full width beside a projection, float32) are converted."""
    width = proj.width if proj is not None else None
    if rows and all(s is not None and (width is None or len(v) == width) for v, s in rows):
        return (np.frombuffer(b"".join(v for v, _ in rows), np.int8).reshape(len(rows), -1).copy(),
                np.fromiter((s for _, s in rows), np.float32, len(rows)))
    keys = decode_chunk_keys(rows, proj)
    return proj.encode(keys) if proj is not None else quantize(keys)


# -- sentence keys --------------------------------------------------------------------


def encode_sentence_keys(keys: np.ndarray, proj: Projection | None) -> list[tuple[bytes, bytes | None]]:
    """(vec, code) rows: packed codes once the library has a sentence projection, else
    float16 at the encoder's width."""
    if proj is not None:
        return [(b"", blob) for blob in encode_codes(*proj.encode(keys))]
    half = np.ascontiguousarray(keys, dtype=np.float16)
    return [(half[i].tobytes(), None) for i in range(len(half))]


def decode_sentence_keys(rows: Sequence[tuple[bytes | None, bytes | None]],
                         proj: Projection | None) -> np.ndarray:
    """Float32 keys at the encoder's width [n, D] from (vec, code) rows of either form.
    A coded row without its projection cannot be read: it comes back as zeros."""
    floats = [i for i, (_, code) in enumerate(rows) if code is None]
    coded = [i for i, (_, code) in enumerate(rows) if code is not None]
    dim = proj.dim if proj is not None else (len(rows[floats[0]][0]) // 2 if floats else 0)
    out = np.zeros((len(rows), dim), np.float32)
    if floats:
        out[floats] = np.frombuffer(b"".join(rows[i][0] for i in floats),
                                    np.float16).reshape(len(floats), -1)
    if coded and proj is not None:
        out[coded] = proj.decode(*decode_codes([rows[i][1] for i in coded]))
    return out


# -- hot keys, block centroids, cells ---------------------------------------------------


def encode_hot_keys(keys: np.ndarray) -> list[bytes]:
    half = np.ascontiguousarray(np.atleast_2d(keys), dtype=np.float16)
    return [row.tobytes() for row in half]


def decode_hot_keys(blobs: Sequence[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), np.float32)
    return np.frombuffer(b"".join(blobs), np.float16).reshape(len(blobs), -1).astype(np.float32)


def encode_centroid(centroid: np.ndarray) -> tuple[bytes, float]:
    q, scale = quantize(np.asarray(centroid, np.float32)[None])
    return q[0].tobytes(), float(scale[0])


def decode_centroids(rows: Sequence[tuple[bytes, float]]) -> list[np.ndarray]:
    return [np.frombuffer(vec, np.int8).astype(np.float32) * np.float32(scale) for vec, scale in rows]


def encode_cells(centroids: np.ndarray) -> list[bytes]:
    return [np.ascontiguousarray(c, dtype=np.float32).tobytes() for c in centroids]


def decode_cells(blobs: Sequence[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(blobs), np.float32).reshape(len(blobs), -1).copy()


# -- the query adapter's question bank -----------------------------------------------


def encode_bank(queries: np.ndarray) -> bytes:
    """Pseudo-question keys as int8 codes with their scales (dequantised on reading)."""
    codes, scale = quantize(queries)
    return encode_arrays(codes=codes, scale=scale)


def decode_bank(blob: bytes) -> np.ndarray:
    if blob[:2] != b"PK":      # the older format: a row size, then rows of codes + scale
        size = int.from_bytes(blob[:4], "little")
        body = blob[4:]
        return dequantize(*decode_codes([body[i:i + size] for i in range(0, len(body), size)]))
    codes, scale = decode_arrays(blob, "codes", "scale")
    return dequantize(codes, scale)
