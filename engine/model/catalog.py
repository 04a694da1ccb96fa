"""The GGUF models a person already has: found where other local-LLM apps keep them.

People who try local models usually have a few gigabytes of them already, downloaded by
GPT4All, LM Studio, Ollama or the Hugging Face hub. Finding them saves a second download
and spares the person from hunting for a path. Every root can be redirected (`home`,
`env`, `folders`), so tests build a fake home instead of scanning the real one.

Only file headers are read (engine/model/gguf_meta.py); a damaged or foreign file is
skipped, never fatal. The memory check refuses a model that cannot fit *before*
llama.cpp tries to load it, because a failed load on a full machine swaps hard or is
killed without a word.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from engine.errors import ModelError
from engine.jobs import CancelToken, Report, no_report
from engine.model.bundled import bundled_gguf
from engine.model.gguf_meta import GGUFInfo, quant_from_name, read_gguf_info

__all__ = ["FoundModel", "Roots", "model_roots", "discover", "describe", "find_model",
           "check_memory", "memory_needed", "free_memory", "human_size", "SOURCES"]

SOURCES = ("bundled", "gpt4all", "lmstudio", "ollama", "huggingface", "folder")
_OLLAMA_MODEL = "application/vnd.ollama.image.model"
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "Trash"}
_MAX_DEPTH = 4             # publisher/repo/file in LM Studio is 3 deep
_MAX_ENTRIES = 20_000      # per root: a folder of a whole disk stays a quick scan
_SHARD = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.I)
_OVERHEAD = 256 * 1000**2  # llama.cpp's compute buffers and runtime, beside weights and KV


@dataclass(frozen=True)
class FoundModel:
    path: Path
    name: str
    source: str                       # one of SOURCES
    size_bytes: int
    quantization: str | None
    context_length: int | None
    architecture: str | None

    def to_json(self) -> dict:
        return {"path": str(self.path), "name": self.name, "source": self.source,
                "size_bytes": self.size_bytes, "quantization": self.quantization,
                "context_length": self.context_length, "architecture": self.architecture}

    def label(self) -> str:
        """One line for a picker: `name — 98.4 MB, Q4_1, 8k context`."""
        parts = [human_size(self.size_bytes)]
        if self.quantization:
            parts.append(self.quantization)
        if self.context_length:
            parts.append(f"{_short_count(self.context_length)} context")
        return f"{self.name} — {', '.join(parts)}"


@dataclass(frozen=True)
class Roots:
    """Where each source keeps its models; folders that do not exist are simply empty."""
    gpt4all: tuple[Path, ...]
    lmstudio: tuple[Path, ...]
    ollama: tuple[Path, ...]
    huggingface: tuple[Path, ...]
    folders: tuple[Path, ...]


def model_roots(*, home: Path | None = None, env: Mapping[str, str] | None = None,
                folders: Iterable[str | Path] = ()) -> Roots:
    """The folders to search on Linux, macOS and Windows alike (missing ones cost a stat).

    `home` replaces the home folder and drops system-wide folders; `env` replaces the
    environment (`OLLAMA_MODELS`, `HF_HUB_CACHE`, `HF_HOME`, `XDG_CACHE_HOME`,
    `LOCALAPPDATA`, `MEMEX_MODEL_DIRS`); `folders` are the person's own extra folders."""
    system = home is None
    home = Path.home() if home is None else Path(home)
    env = os.environ if env is None else env
    local = Path(env["LOCALAPPDATA"]) if env.get("LOCALAPPDATA") else home / "AppData" / "Local"
    gpt4all = (home / ".local" / "share" / "nomic.ai" / "GPT4All",
               home / "Library" / "Application Support" / "nomic.ai" / "GPT4All",
               local / "nomic.ai" / "GPT4All")
    lmstudio = (home / ".lmstudio" / "models", home / ".cache" / "lm-studio" / "models")
    ollama = [Path(env["OLLAMA_MODELS"])] if env.get("OLLAMA_MODELS") else []
    ollama.append(home / ".ollama" / "models")
    if system:
        ollama.append(Path("/usr/share/ollama/.ollama/models"))
    if env.get("HF_HUB_CACHE"):
        hf = Path(env["HF_HUB_CACHE"])
    elif env.get("HF_HOME"):
        hf = Path(env["HF_HOME"]) / "hub"
    else:
        cache = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else home / ".cache"
        hf = cache / "huggingface" / "hub"
    extra = [Path(p) for p in env.get("MEMEX_MODEL_DIRS", "").split(os.pathsep) if p.strip()]
    extra += [Path(p) for p in folders if str(p).strip()]
    return Roots(gpt4all, lmstudio, tuple(ollama), (hf,),
                 tuple(p.expanduser() for p in extra))


def discover(*, home: Path | None = None, env: Mapping[str, str] | None = None,
             folders: Iterable[str | Path] = (), bundled: bool = True,
             cancel: CancelToken | None = None, report: Report = no_report) -> list[FoundModel]:
    """Every usable GGUF model under the roots, each file once (by resolved path), the
    bundled one first; `report` is called per source and is a cancel point."""
    roots = model_roots(home=home, env=env, folders=folders)
    steps: list[tuple[str, Iterator[tuple[Path, str | None]]]] = [
        ("bundled", _bundled() if bundled else iter(())),
        ("gpt4all", _walk_all(roots.gpt4all, depth=1)),
        ("lmstudio", _walk_all(roots.lmstudio, depth=_MAX_DEPTH)),
        ("ollama", _ollama_all(roots.ollama)),
        ("huggingface", _hf_all(roots.huggingface)),
        ("folder", _walk_all(roots.folders, depth=_MAX_DEPTH)),
    ]
    found: list[FoundModel] = []
    seen: set[Path] = set()
    for i, (source, paths) in enumerate(steps):
        report(i, len(steps), f"looking for models ({source})")
        for path, name in paths:
            if cancel is not None:
                cancel.check()
            model = _describe(path, source, name, seen)
            if model is not None:
                found.append(model)
    report(len(steps), len(steps), "looking for models")
    return found


def describe(path: str | Path, source: str = "folder", name: str | None = None) -> FoundModel:
    """The record of one file; raises ModelError when it is not a usable GGUF model."""
    path = Path(path).expanduser()
    info = read_gguf_info(path)
    return _record(path, source, name, info)


def find_model(wanted: str, models: Iterable[FoundModel]) -> FoundModel:
    """A model by path, exact name, or a name fragment that matches exactly one model."""
    models = list(models)
    as_path = Path(wanted).expanduser()
    if as_path.is_file():
        resolved = as_path.resolve()
        return next((m for m in models if m.path.resolve() == resolved), None) or describe(as_path)
    for same in (lambda m: m.name == wanted, lambda m: m.name.lower() == wanted.lower()):
        hits = [m for m in models if same(m)]
        if len(hits) == 1:
            return hits[0]
    hits = [m for m in models if wanted.lower() in m.name.lower()]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise ModelError(f"No model file or found model is called “{wanted}”; "
                         "`memex models` lists the models found on this computer.")
    names = ", ".join(m.name for m in hits[:6])
    raise ModelError(f"“{wanted}” matches several models ({names}); give more of the name or the path.")


# -- memory ------------------------------------------------------------------------------

def memory_needed(size_bytes: int, info: GGUFInfo | None, n_ctx: int) -> int:
    """Weights + the KV cache of `n_ctx` tokens + a fixed runtime allowance, in bytes."""
    per_token = info.kv_bytes_per_token() if info is not None else None
    kv = per_token * n_ctx if per_token else size_bytes // 10    # unknown shape: a tenth
    return size_bytes + kv + _OVERHEAD


def free_memory() -> int | None:
    """Memory the system can give without swapping: MemAvailable, else psutil, else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil
    except ImportError:
        return None
    try:
        return int(psutil.virtual_memory().available)
    except Exception:          # noqa: BLE001 — an unreadable figure means "allow"
        return None


def check_memory(path: str | Path, *, n_ctx: int, free_bytes: int | None = None) -> int:
    """Refuse, with the reason, a model too large for the memory free now; returns the
    estimate. `free_bytes` replaces the system's figure; when neither is known, allow."""
    path = Path(path)
    try:
        info: GGUFInfo | None = read_gguf_info(path)
    except ModelError:
        info = None             # check_gguf already vouched for the file; estimate roughly
    size = _total_size(path)
    ctx = n_ctx if n_ctx > 0 else (info.context_length if info and info.context_length else 4096)
    need = memory_needed(size, info, ctx)
    free = free_memory() if free_bytes is None else free_bytes
    if free is not None and need > free:
        raise ModelError(f"{path.name} needs about {_gb(need)} but only {_gb(free)} of memory "
                         "is free. Close other programs, choose a smaller model (a lower "
                         "quantisation such as Q4_K_M) or a smaller context size.")
    return need


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


# -- where each source keeps its files ------------------------------------------------------

def _bundled() -> Iterator[tuple[Path, str | None]]:
    try:
        yield bundled_gguf(), None
    except ModelError:
        return                  # not installed: the other sources still count


def _walk_all(roots: Iterable[Path], *, depth: int) -> Iterator[tuple[Path, str | None]]:
    for root in roots:
        for path in _walk(root, depth):
            yield path, None


def _walk(root: Path, depth: int) -> Iterator[Path]:
    """`*.gguf` files under `root`, at most `depth` folders down, hidden folders skipped,
    and at most _MAX_ENTRIES directory entries looked at."""
    stack, looked = [(root, 0)], 0
    while stack:
        folder, level = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for e in entries:
            looked += 1
            if looked > _MAX_ENTRIES:
                return
            try:
                if e.is_dir(follow_symlinks=False):
                    if level + 1 < depth and not e.name.startswith(".") and e.name not in _SKIP_DIRS:
                        subfolders.append((Path(e.path), level + 1))
                elif e.name.lower().endswith(".gguf") and e.is_file():
                    yield Path(e.path)
            except OSError:
                continue
        stack.extend(reversed(subfolders))


def _ollama_all(roots: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Ollama's manifests name the model blob: `manifests/<registry>/<ns>/<model>/<tag>`."""
    for root in roots:
        manifests = root / "manifests"
        for manifest in _files_at_depth(manifests, 4):
            blob = _ollama_blob(root, manifest)
            if blob is not None:
                registry, namespace, model, tag = manifest.relative_to(manifests).parts
                prefix = "" if registry == "registry.ollama.ai" else f"{registry}/"
                prefix += "" if namespace == "library" and not prefix else f"{namespace}/"
                yield blob, f"{prefix}{model}:{tag}"


def _ollama_blob(root: Path, manifest: Path) -> Path | None:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        digest = next(layer["digest"] for layer in data.get("layers", [])
                      if layer.get("mediaType") == _OLLAMA_MODEL)
    except (OSError, ValueError, StopIteration, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(digest, str) or not re.fullmatch(r"sha256[:-][0-9a-f]{64}", digest):
        return None
    blob = root / "blobs" / digest.replace(":", "-")
    return blob if blob.is_file() else None


def _files_at_depth(root: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        if depth == 1:
            if e.is_file():
                yield Path(e.path)
        elif e.is_dir():
            yield from _files_at_depth(Path(e.path), depth - 1)


def _hf_all(roots: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """`models--org--name/snapshots/<rev>/…/*.gguf`, links into the cache's blobs."""
    for root in roots:
        try:
            repos = sorted(p for p in root.iterdir() if p.name.startswith("models--"))
        except OSError:
            continue
        for repo in repos:
            for snapshot in sorted((repo / "snapshots").glob("*")):
                for path in _walk(snapshot, _MAX_DEPTH):   # links into ../../blobs
                    yield path, None


def _describe(path: Path, source: str, name: str | None, seen: set[Path]) -> FoundModel | None:
    try:
        resolved = path.resolve()
    except OSError:
        return None
    if resolved in seen:
        return None
    seen.add(resolved)
    shard = _SHARD.search(path.name)
    if shard and int(shard.group(1)) != 1:
        return None             # later shards load through the first one
    try:
        info = read_gguf_info(resolved)
    except ModelError:
        return None             # damaged or not a model: skip it, keep looking
    if info.split_no or info.architecture in (None, "clip"):
        return None             # not the first shard, or a vision projector, not a model
    return _record(path, source, name, info)


def _record(path: Path, source: str, name: str | None, info: GGUFInfo) -> FoundModel:
    """`path` stays as found (a Hugging Face snapshot link keeps its readable name);
    sizes are read through links."""
    quant = info.quantization or quant_from_name(name or path.name)
    return FoundModel(path=path.absolute(), name=name or path.name, source=source,
                      size_bytes=_total_size(path), quantization=quant,
                      context_length=info.context_length, architecture=info.architecture)


def _total_size(path: Path) -> int:
    """A file's size, or all its shards' (`-00001-of-00003.gguf`) together."""
    shard = _SHARD.search(path.name)
    if not shard:
        return path.stat().st_size
    count, stem = int(shard.group(2)), path.name[:shard.start()]
    total = 0
    for i in range(1, count + 1):
        part = path.with_name(f"{stem}-{i:05d}-of-{count:05d}.gguf")
        total += part.stat().st_size if part.is_file() else 0
    return total


def _gb(n: int) -> str:
    return f"{n / 1000**3:.1f} GB"


def _short_count(n: int) -> str:
    return f"{n // 1024}k" if n >= 1024 and n % 1024 == 0 else f"{n:,}"
