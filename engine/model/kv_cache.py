"""KV states of stable prompt prefixes (system prompt + evidence), kept so a follow-up
over the same evidence skips re-reading it.

Reading is what costs on a laptop CPU (bench/conversation.py prints a follow-up's first
token with and without reuse), so the llama.cpp sequence state of a prefix is worth
keeping: recent states in RAM (LRU, bounded by bytes), all of them on disk compressed
(bounded by bytes, oldest dropped first) so a new process — `memex ask --session` after a
restart — finds them too.

Entries are keyed by the model's identity and the exact prefix tokens, so a state is never
read into another model or another prompt. Each entry also names the documents its
evidence came from, with their content hashes: the key includes them, and
`drop_documents` removes every entry of a changed or forgotten document.
We store the bytes of `llama_state_seq_get_data` ourselves, not `LlamaState`, which would
also carry the logits array (larger than the KV itself).
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

__all__ = ["KVCache", "KVEntry", "prefix_key"]

_MAGIC = b"MXKV1\n"


@dataclass(frozen=True)
class KVEntry:
    key: str
    n_tokens: int
    data: bytes = field(repr=False)            # llama_state_seq_get_data of sequence 0
    documents: tuple[str, ...] = ()            # paths whose text the prefix holds


def prefix_key(model_id: str, tokens: Sequence[int], documents: Sequence[tuple[str, str]] = ()) -> str:
    """sha256 of the model identity, the documents' (path, content hash) and the tokens."""
    h = hashlib.sha256(model_id.encode("utf-8"))
    for path, digest in sorted(documents):
        h.update(b"\0" + path.encode("utf-8") + b"\0" + (digest or "").encode("ascii"))
    h.update(b"\1" + np.asarray(tokens, dtype=np.int32).tobytes())
    return h.hexdigest()


class KVCache:
    """RAM LRU over an on-disk store; both bounded in bytes. Thread-safe."""

    def __init__(self, folder: str | Path | None, *, ram_bytes: int = 256 << 20,
                 disk_bytes: int = 1 << 30, compress_level: int = 1):
        self.folder = Path(folder) if folder is not None else None
        self.ram_bytes, self.disk_bytes, self.level = ram_bytes, disk_bytes, compress_level
        self._ram: OrderedDict[str, KVEntry] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()
        self.stats = {"ram_hits": 0, "disk_hits": 0, "misses": 0, "stored": 0, "dropped": 0}
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    # -- lookup and store --------------------------------------------------------------

    def get(self, key: str) -> tuple[KVEntry, str] | None:
        """The entry and where it was kept ('ram' or 'disk'), or None."""
        with self._lock:
            entry = self._ram.get(key)
            if entry is not None:
                self._ram.move_to_end(key)
                self.stats["ram_hits"] += 1
                return entry, "ram"
        entry = self._read(key)
        if entry is None:
            with self._lock:
                self.stats["misses"] += 1
            return None
        with self._lock:
            self.stats["disk_hits"] += 1
            self._remember(entry)
        return entry, "disk"

    def put(self, entry: KVEntry) -> None:
        with self._lock:
            self.stats["stored"] += 1
            self._remember(entry)
        self._write(entry)

    def __contains__(self, key: str) -> bool:
        return key in self._ram or (self._file(key) is not None and self._file(key).exists())

    def keys(self) -> list[str]:
        keys = set(self._ram)
        if self.folder is not None:
            keys |= {p.stem for p in self.folder.glob("*.kv")}
        return sorted(keys)

    # -- invalidation ------------------------------------------------------------------

    def drop_documents(self, paths: Sequence[str]) -> int:
        """Remove every entry whose prefix holds text of one of `paths`; returns how many."""
        gone = set(paths)
        if not gone:
            return 0
        dropped = 0
        with self._lock:
            for key in [k for k, e in self._ram.items() if gone & set(e.documents)]:
                self._used -= len(self._ram.pop(key).data)
                dropped += 1
        if self.folder is not None:
            for f in self.folder.glob("*.kv"):
                meta = _read_meta(f)
                if meta is None or gone & set(meta.get("documents", [])):
                    f.unlink(missing_ok=True)
                    dropped += 1 if meta is not None else 0
        self.stats["dropped"] += dropped
        return dropped

    def clear(self) -> None:
        with self._lock:
            self._ram.clear()
            self._used = 0
        if self.folder is not None:
            for f in self.folder.glob("*.kv"):
                f.unlink(missing_ok=True)

    # -- internals ---------------------------------------------------------------------

    def _remember(self, entry: KVEntry) -> None:
        if len(entry.data) > self.ram_bytes:
            return
        old = self._ram.pop(entry.key, None)
        if old is not None:
            self._used -= len(old.data)
        self._ram[entry.key] = entry
        self._used += len(entry.data)
        while self._used > self.ram_bytes and self._ram:
            _, evicted = self._ram.popitem(last=False)
            self._used -= len(evicted.data)

    def _file(self, key: str) -> Path | None:
        return self.folder / f"{key}.kv" if self.folder is not None else None

    def _write(self, entry: KVEntry) -> None:
        path = self._file(entry.key)
        if path is None:
            return
        meta = json.dumps({"n_tokens": entry.n_tokens, "documents": list(entry.documents),
                           "raw_bytes": len(entry.data)}).encode("utf-8")
        body = zlib.compress(entry.data, self.level)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            f.write(_MAGIC + struct.pack("<I", len(meta)) + meta + body)
        os.replace(tmp, path)      # readers never see a half-written state
        self._trim_disk()

    def _read(self, key: str) -> KVEntry | None:
        path = self._file(key)
        if path is None or not path.exists():
            return None
        try:
            raw = path.read_bytes()
            if not raw.startswith(_MAGIC):
                raise ValueError("not a KV state file")
            at = len(_MAGIC)
            (n,) = struct.unpack("<I", raw[at:at + 4])
            meta = json.loads(raw[at + 4:at + 4 + n])
            data = zlib.decompress(raw[at + 4 + n:])
            if len(data) != meta["raw_bytes"]:
                raise ValueError("truncated KV state")
        except (OSError, ValueError, KeyError, zlib.error):
            path.unlink(missing_ok=True)   # a damaged cache file is only a lost shortcut
            return None
        os.utime(path)                     # recently used: trimmed last
        return KVEntry(key, int(meta["n_tokens"]), data, tuple(meta.get("documents", [])))

    def _trim_disk(self) -> None:
        files = sorted(self.folder.glob("*.kv"), key=lambda p: p.stat().st_mtime)
        total = sum(p.stat().st_size for p in files)
        while files and total > self.disk_bytes:
            f = files.pop(0)
            total -= f.stat().st_size
            f.unlink(missing_ok=True)

    def disk_usage(self) -> int:
        if self.folder is None:
            return 0
        return sum(p.stat().st_size for p in self.folder.glob("*.kv"))

    def ram_usage(self) -> int:
        return self._used


def _read_meta(path: Path) -> dict | None:
    try:
        with open(path, "rb") as f:
            head = f.read(len(_MAGIC) + 4)
            if not head.startswith(_MAGIC):
                return None
            (n,) = struct.unpack("<I", head[len(_MAGIC):])
            return json.loads(f.read(n))
    except (OSError, ValueError, struct.error):
        return None
