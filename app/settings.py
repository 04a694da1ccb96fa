"""The app's preferences, persisted with QSettings (model, model folders, threads, context,
library, background gists, window).

One small typed wrapper so every key has one name, one type and one default; tests pass
an INI file of their own so they never touch the person's real settings.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from engine.config import default_library

__all__ = ["Settings", "MAX_RECENT"]

MAX_RECENT = 8


class Settings:
    def __init__(self, qs: QSettings | None = None):
        self.qs = qs or QSettings("Memex", "Memex")

    def _get(self, key: str, default, kind):
        value = self.qs.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    # -- model ---------------------------------------------------------------------------
    @property
    def model_path(self) -> str:
        """A GGUF file; empty means the bundled SmolLM2."""
        return self._get("model/path", "", str)

    @model_path.setter
    def model_path(self, value: str) -> None:
        self.qs.setValue("model/path", value)

    @property
    def threads(self) -> int:
        """0 means one per CPU core."""
        return self._get("model/threads", 0, int)

    @threads.setter
    def threads(self, value: int) -> None:
        self.qs.setValue("model/threads", int(value))

    @property
    def n_ctx(self) -> int:
        return self._get("model/context", 4096, int)

    @n_ctx.setter
    def n_ctx(self, value: int) -> None:
        self.qs.setValue("model/context", int(value))

    @property
    def model_dirs(self) -> list[str]:
        """Extra folders searched for GGUF models, besides GPT4All, LM Studio, Ollama and
        the Hugging Face cache."""
        value = self.qs.value("model/folders", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in (value or []) if str(v).strip()]

    @model_dirs.setter
    def model_dirs(self, value: list[str]) -> None:
        self.qs.setValue("model/folders", [str(v) for v in value if str(v).strip()])

    @property
    def endpoint(self) -> str:
        """An OpenAI-compatible model server's URL; empty means the in-process model."""
        return self._get("model/endpoint", "", str)

    @endpoint.setter
    def endpoint(self, value: str) -> None:
        self.qs.setValue("model/endpoint", value.strip())

    # -- library -------------------------------------------------------------------------
    @property
    def library(self) -> str:
        return self._get("library/path", os.fspath(default_library()), str)

    @library.setter
    def library(self, value: str) -> None:
        self.qs.setValue("library/path", value)
        self.remember(value)

    @property
    def recent(self) -> list[str]:
        value = self.qs.value("library/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def remember(self, folder: str) -> None:
        items = [folder] + [r for r in self.recent if r != folder]
        self.qs.setValue("library/recent", items[:MAX_RECENT])

    @property
    def watch_dropped_folders(self) -> bool:
        return self._get("library/watch_dropped", "true", str).lower() == "true"

    @watch_dropped_folders.setter
    def watch_dropped_folders(self, value: bool) -> None:
        self.qs.setValue("library/watch_dropped", "true" if value else "false")

    @property
    def digest_when_idle(self) -> bool:
        """Write each understood document's gists (its map) in the background when idle."""
        return self._get("library/digest_when_idle", "true", str).lower() == "true"

    @digest_when_idle.setter
    def digest_when_idle(self, value: bool) -> None:
        self.qs.setValue("library/digest_when_idle", "true" if value else "false")

    @property
    def sample_offered(self) -> bool:
        return self._get("library/sample_offered", "false", str).lower() == "true"

    @sample_offered.setter
    def sample_offered(self, value: bool) -> None:
        self.qs.setValue("library/sample_offered", "true" if value else "false")

    # -- window --------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray | None:
        value = self.qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.qs.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self.qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.qs.setValue("window/state", value)

    def sync(self) -> None:
        self.qs.sync()

    def model_kwargs(self) -> dict:
        """Keyword arguments for `Library(...)` / `Library.configure_model(...)`."""
        return {"model": Path(self.model_path) if self.model_path else None,
                "n_ctx": self.n_ctx, "n_threads": self.threads or None,
                "endpoint": self.endpoint or None}
