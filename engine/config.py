"""Where things live by default, and the environment variables that override it."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["default_library", "default_model", "config_dir", "global_model",
           "set_global_model", "ModelChoice", "resolve_model"]


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


def config_dir() -> Path:
    """`MEMEX_CONFIG_DIR`, else the platform's user config dir: settings for every library."""
    env = os.environ.get("MEMEX_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("memex", appauthor=False))


def _config_file() -> Path:
    return config_dir() / "config.json"


def _read_config() -> dict:
    try:
        data = json.loads(_config_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}                    # missing or damaged: as if nothing was chosen
    return data if isinstance(data, dict) else {}


def global_model() -> Path | None:
    """The model chosen for every library (`memex models --use … --global`), if any."""
    value = _read_config().get("model")
    return Path(value) if isinstance(value, str) and value else None


def set_global_model(path: str | Path | None) -> None:
    """Remember (None: forget) the model for every library; written whole, then renamed,
    so a crash never leaves half a file."""
    data = _read_config()
    if path is None:
        data.pop("model", None)
    else:
        data["model"] = str(path)
    target = _config_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


@dataclass(frozen=True)
class ModelChoice:
    """The answering model and why it is the one: path None means the bundled model."""
    path: Path | None
    origin: str                      # 'flag' | 'env' | 'library' | 'global' | 'bundled'


def resolve_model(flag: str | Path | None = None, *,
                  library_choice: str | Path | None = None) -> ModelChoice:
    """The one place the order is decided: `--model` (or the app's model setting) >
    `$MEMEX_MODEL` > this library's choice > the global choice > the bundled model."""
    if flag:
        return ModelChoice(Path(flag).expanduser(), "flag")
    if (env := default_model()) is not None:
        return ModelChoice(env, "env")
    if library_choice:
        return ModelChoice(Path(library_choice).expanduser(), "library")
    if (chosen := global_model()) is not None:
        return ModelChoice(chosen, "global")
    return ModelChoice(None, "bundled")
