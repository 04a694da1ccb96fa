"""A fake home holding the real bundled GGUF where GPT4All, LM Studio, Ollama and the
Hugging Face hub keep their models, plus files discovery must skip.

The bundled file is copied once into the folder, then hard-linked into each layout (a
copy where hard links are not possible), so every layout holds a real model file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from engine.model.bundled import bundled_gguf

__all__ = ["ModelsHome", "make_models_home", "ENV_CLEARED"]

# Environment variables that would point discovery at the machine's real models.
ENV_CLEARED = ("OLLAMA_MODELS", "HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "LOCALAPPDATA",
               "MEMEX_MODEL_DIRS", "MEMEX_MODEL")


@dataclass(frozen=True)
class ModelsHome:
    home: Path
    folder: Path                 # an extra folder of the person's own
    gpt4all: Path
    gpt4all_mac: Path
    lmstudio: Path
    lmstudio_old: Path
    ollama_blob: Path
    hf_snapshot: Path            # a link in snapshots/<rev>/ into blobs/
    own: Path                    # in `folder`, two levels down
    skipped: tuple[Path, ...]    # damaged, not a model, hidden: never listed
    size: int


def _place(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _ollama_manifest(root: Path, name: str, layers: list[tuple[str, Path]]) -> None:
    manifest = root / "manifests" / "registry.ollama.ai" / "library" / name / "latest"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": "sha256:" + "0" * 64, "size": 2},
        "layers": [{"mediaType": kind, "digest": "sha256:" + path.name.removeprefix("sha256-"),
                    "size": path.stat().st_size} for kind, path in layers],
    }))


def make_models_home(root: Path) -> ModelsHome:
    root.mkdir(parents=True, exist_ok=True)
    original = root / "original.gguf"
    shutil.copyfile(bundled_gguf(), original)
    home = root / "home"
    gpt4all = _place(original, home / ".local/share/nomic.ai/GPT4All/smollm2-135m-instruct.Q4_1.gguf")
    gpt4all_mac = _place(original, home / "Library/Application Support/nomic.ai/GPT4All/mac.gguf")
    lmstudio = _place(original, home / ".lmstudio/models/HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
                                       "/SmolLM2-135M-Instruct-Q4_1.gguf")
    lmstudio_old = _place(original, home / ".cache/lm-studio/models/pub/repo/old-style.gguf")

    ollama = home / ".ollama/models"
    blob = _place(original, ollama / "blobs" / f"sha256-{_sha256(original)}")
    template = ollama / "blobs" / "template.tmp"
    template.write_text("{{ .Prompt }}")
    template = template.rename(template.with_name(f"sha256-{_sha256(template)}"))
    _ollama_manifest(ollama, "smollm2", [("application/vnd.ollama.image.model", blob),
                                         ("application/vnd.ollama.image.template", template)])
    junk = ollama / "blobs" / "junk.tmp"
    junk.write_bytes(os.urandom(4096))
    junk = junk.rename(junk.with_name(f"sha256-{_sha256(junk)}"))
    _ollama_manifest(ollama, "notgguf", [("application/vnd.ollama.image.model", junk)])

    repo = home / ".cache/huggingface/hub/models--HuggingFaceTB--SmolLM2-135M-Instruct-GGUF"
    hf_blob = _place(original, repo / "blobs" / _sha256(original))
    snapshots = []
    for rev in ("a" * 40, "b" * 40):        # two revisions linking the same blob: listed once
        link = repo / "snapshots" / rev / "smollm2-135m-instruct-q4_1.gguf"
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(hf_blob, link.parent))
        snapshots.append(link)

    folder = root / "my-models"
    own = _place(original, folder / "chat" / "small" / "my-smollm.gguf")
    damaged = home / ".local/share/nomic.ai/GPT4All/damaged.gguf"
    damaged.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + os.urandom(64))
    text = folder / "notes.gguf"
    text.write_text("this is not a model at all\n")
    hidden = _place(original, folder / ".cache" / "hidden.gguf")
    return ModelsHome(home=home, folder=folder, gpt4all=gpt4all, gpt4all_mac=gpt4all_mac,
                      lmstudio=lmstudio, lmstudio_old=lmstudio_old, ollama_blob=blob,
                      hf_snapshot=snapshots[0], own=own, skipped=(damaged, text, hidden, junk),
                      size=original.stat().st_size)
