"""Where things live by default, and the environment variables that override it."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["default_library", "default_model"]


def default_library() -> Path:
    """`MEMEX_LIBRARY`, else a folder in the platform's user data dir."""
    env = os.environ.get("MEMEX_LIBRARY")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("memex", appauthor=False)) / "library"


def default_model() -> Path | None:
    """`MEMEX_MODEL` names a GGUF file; None means the bundled SmolLM2."""
    env = os.environ.get("MEMEX_MODEL")
    return Path(env).expanduser() if env else None
