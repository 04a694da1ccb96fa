"""What a GGUF file says about itself, read from its header without touching the tensors.

Listing the models on a machine must stay cheap even for 40 GB files, so only the
key/value section at the start of the file is read, and arrays in it (the tokenizer's
vocabulary, tens of thousands of strings) are skipped, never decoded. The `gguf`
package would do the same, but it is not a dependency of Memex.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from engine.errors import ModelError

__all__ = ["GGUFInfo", "read_gguf_info", "quant_from_name", "FILE_TYPES"]

# llama.cpp's `enum llama_ftype` (general.file_type) → the names quantised files carry.
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0",
    38: "MXFP4_MOE",
}

# value type → fixed size in bytes (8 = string and 9 = array are variable)
_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_FORMATS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
_GENERAL = {"general.architecture", "general.name", "general.file_type", "split.no",
            "split.count"}
_PER_ARCH = ("context_length", "block_count", "embedding_length", "attention.head_count",
             "attention.head_count_kv", "attention.key_length", "attention.value_length")
_MAX_KV = 1 << 20          # a real file has a few dozen keys; more means a damaged header
_MAX_KEY = 1 << 16
_QUANT_IN_NAME = re.compile(
    r"(?:^|[-._ ])((?:I?Q\d(?:_[A-Z0-9]+)*)|BF16|F16|F32|MXFP4(?:_MOE)?)(?=$|[-._ ])", re.I)


@dataclass(frozen=True)
class GGUFInfo:
    """The few header values discovery and the memory check need."""
    version: int
    architecture: str | None = None
    name: str | None = None
    file_type: int | None = None
    context_length: int | None = None
    block_count: int | None = None
    embedding_length: int | None = None
    head_count: int | None = None
    head_count_kv: int | None = None
    key_length: int | None = None
    value_length: int | None = None
    split_no: int = 0
    split_count: int = 1

    @property
    def quantization(self) -> str | None:
        return FILE_TYPES.get(self.file_type) if self.file_type is not None else None

    def kv_bytes_per_token(self) -> int | None:
        """Bytes of f16 K and V cache one context token takes, when the header tells."""
        if not (self.block_count and self.embedding_length and self.head_count):
            return None
        kv_heads = self.head_count_kv or self.head_count
        head_k = self.key_length or self.embedding_length // self.head_count
        head_v = self.value_length or self.embedding_length // self.head_count
        return self.block_count * kv_heads * (head_k + head_v) * 2


def quant_from_name(name: str) -> str | None:
    """The quantisation a file name announces (`llama3-8b.Q4_K_M.gguf` → Q4_K_M)."""
    found = _QUANT_IN_NAME.findall(Path(name).name)
    return found[-1].upper() if found else None


class _Header:
    """Sequential reads over a buffered file, with limits that catch damaged headers."""

    def __init__(self, f: BinaryIO, size: int):
        self.f, self.size = f, size

    def take(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) != n:
            raise ValueError("the header ends early")
        return data

    def skip(self, n: int) -> None:
        if n < 0 or self.f.tell() + n > self.size:
            raise ValueError("a length points past the end of the file")
        self.f.seek(n, 1)

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def u64(self) -> int:
        return struct.unpack("<Q", self.take(8))[0]

    def string(self, limit: int | None = None) -> str:
        n = self.u64()
        if n > (limit or self.size):
            raise ValueError("a string is longer than the file")
        return self.take(n).decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool) -> object:
        """The value of type `kind`; skipped (None) unless `keep`, arrays always skipped."""
        if kind in _SIZES:
            raw = self.take(_SIZES[kind])
            return struct.unpack(_FORMATS[kind], raw)[0] if keep else None
        if kind == 8:
            if keep:
                return self.string()
            self.skip(self.u64())
            return None
        if kind == 9:
            self.skip_array(depth=0)
            return None
        raise ValueError(f"unknown value type {kind}")

    def skip_array(self, depth: int) -> None:
        if depth > 4:
            raise ValueError("arrays nested too deep")
        kind, count = self.u32(), self.u64()
        if count > self.size:
            raise ValueError("an array is longer than the file")
        if kind in _SIZES:
            self.skip(count * _SIZES[kind])
        elif kind == 8:
            for _ in range(count):
                self.skip(self.u64())
        elif kind == 9:
            for _ in range(count):
                self.skip_array(depth + 1)
        else:
            raise ValueError(f"unknown array element type {kind}")


def read_gguf_info(path: str | Path) -> GGUFInfo:
    """The header of a GGUF v2/v3 file; raises ModelError when it is not one or is damaged."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb", buffering=1 << 16) as f:
            values = _read_values(_Header(f, size))
    except (OSError, ValueError, struct.error) as exc:
        raise ModelError(f"{path.name} is not a readable GGUF model file ({exc}).") from None
    arch = values.get("general.architecture")
    arch = arch if isinstance(arch, str) else None

    def num(key: str) -> int | None:
        v = values.get(f"{arch}.{key}") if arch else None
        return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    name, ftype = values.get("general.name"), values.get("general.file_type")
    return GGUFInfo(
        version=int(values["version"]), architecture=arch,
        name=name if isinstance(name, str) else None,
        file_type=int(ftype) if isinstance(ftype, int) else None,
        context_length=num("context_length"), block_count=num("block_count"),
        embedding_length=num("embedding_length"), head_count=num("attention.head_count"),
        head_count_kv=num("attention.head_count_kv"), key_length=num("attention.key_length"),
        value_length=num("attention.value_length"),
        split_no=int(values.get("split.no") or 0), split_count=int(values.get("split.count") or 1),
    )


def _read_values(h: _Header) -> dict[str, object]:
    if h.take(4) != b"GGUF":
        raise ValueError("no GGUF magic")
    version = h.u32()
    if version not in (2, 3):
        raise ValueError(f"GGUF version {version} is not supported")
    h.u64()                                    # tensor count: the tensors are never read
    n_kv = h.u64()
    if n_kv > _MAX_KV:
        raise ValueError("too many header keys")
    values: dict[str, object] = {"version": version}
    for _ in range(n_kv):
        key = h.string(limit=_MAX_KEY)
        kind = h.u32()
        keep = key in _GENERAL or key.endswith(_PER_ARCH)
        value = h.value(kind, keep)
        if keep:
            values[key] = value
        if _complete(values):                  # the rest is mostly the tokenizer: stop
            break
    return values


def _complete(values: dict[str, object]) -> bool:
    arch = values.get("general.architecture")
    if not isinstance(arch, str) or "general.file_type" not in values:
        return False
    return all(f"{arch}.{k}" in values for k in _PER_ARCH[:5])
