"""The answering model: any GGUF file run in-process by llama.cpp (llama-cpp-python)."""
from __future__ import annotations

import os
import struct
import threading
from pathlib import Path
from typing import Iterator

from engine.errors import ModelError
from engine.jobs import CancelToken
from engine.model.bundled import bundled_gguf

__all__ = ["LLM", "check_gguf"]


def check_gguf(path: str | Path) -> Path:
    """Validate a model file before llama.cpp sees it, so the error names the real problem."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelError(f"The model file {path} does not exist.")
    with open(path, "rb") as f:
        head = f.read(8)
    if len(head) < 8 or head[:4] != b"GGUF":
        raise ModelError(f"{path} is not a GGUF model file (llama.cpp needs .gguf).")
    version = struct.unpack("<I", head[4:8])[0]
    if version < 2:
        raise ModelError(f"{path} is an old GGUF version ({version}); convert it again.")
    return path.resolve()


class LLM:
    def __init__(self, model_path: str | Path | None = None, *, n_ctx: int = 4096,
                 n_threads: int | None = None, seed: int = 0):
        from llama_cpp import Llama

        self.path = check_gguf(model_path) if model_path else bundled_gguf()
        try:
            self._llm = Llama(
                model_path=str(self.path), n_ctx=n_ctx, n_threads=n_threads or os.cpu_count(),
                flash_attn=True, seed=seed, verbose=False,
            )
        except Exception as exc:
            raise ModelError(f"llama.cpp could not load {self.path}: {exc}") from exc
        self.n_ctx = self._llm.n_ctx()
        self._lock = threading.Lock()

    def count(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(self, messages: list[dict], *, max_tokens: int = 256,
               cancel: CancelToken | None = None) -> Iterator[str]:
        """Yield pieces of the reply; stops between tokens when `cancel` fires."""
        with self._lock:
            parts = self._llm.create_chat_completion(
                messages=messages, stream=True, max_tokens=max_tokens, temperature=0.0,
                repeat_penalty=1.1,
            )
            try:
                for part in parts:
                    if cancel is not None and cancel.cancelled:
                        return
                    piece = part["choices"][0]["delta"].get("content")
                    if piece:
                        yield piece
            finally:
                close = getattr(parts, "close", None)
                if close:
                    close()
