"""The answering model: any GGUF file run in-process by llama.cpp (llama-cpp-python).

A prompt is rendered with the model's own chat template and split into a stable prefix
(system prompt + evidence) and a suffix (conversation + question). The prefix's sequence
state can be kept in a `KVCache`, so a follow-up over the same evidence reads only the
suffix: reading, not writing, is what costs on a laptop CPU.
"""
from __future__ import annotations

import ctypes
import os
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from engine.errors import ModelError
from engine.jobs import CancelToken
from engine.model.bundled import bundled_gguf
from engine.model.catalog import check_memory
from engine.model.kv_cache import KVCache, KVEntry, prefix_key
from engine.model.reply_scorer import ReplyScore, ReplyScorer

__all__ = ["LLM", "check_gguf", "StreamStats"]


@dataclass
class StreamStats:
    """How the last prompt was read: what it cost and where its prefix came from."""
    prompt_tokens: int = 0
    prefix_tokens: int = 0
    reused_tokens: int = 0       # tokens not read again (prefix restored or still in context)
    kv: str = "off"              # 'off' | 'miss' | 'context' | 'ram' | 'disk'
    first_token_s: float | None = None
    total_s: float = 0.0


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
        check_memory(self.path, n_ctx=n_ctx)   # refuse a model that cannot fit, before loading
        try:
            self._llm = Llama(
                model_path=str(self.path), n_ctx=n_ctx, n_threads=n_threads or os.cpu_count(),
                flash_attn=True, seed=seed, verbose=False,
            )
        except Exception as exc:
            raise ModelError(f"llama.cpp could not load {self.path}: {exc}") from exc
        self.n_ctx = self._llm.n_ctx()
        self._n_threads = n_threads or os.cpu_count() or 1
        self._scorer: ReplyScorer | None = None      # made at the first score_replies
        self._lock = threading.Lock()
        self._formatter = self._chat_formatter()
        st = self.path.stat()
        # what a stored KV state depends on: the weights file and the context settings
        self.model_id = f"{self.path}|{st.st_size}|{st.st_mtime_ns}|ctx={self.n_ctx}|fa=1"
        self.last = StreamStats()
        # how many weights it has: answers leave a small model's free synthesis out
        self.parameters = _parameters(self._llm)

    def _chat_formatter(self):
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            return None
        model = self._llm._model
        eos, bos = self._llm.token_eos(), self._llm.token_bos()
        text = lambda t: model.token_get_text(t) if t != -1 else ""  # noqa: E731
        return Jinja2ChatFormatter(template=template, eos_token=text(eos), bos_token=text(bos),
                                   stop_token_ids=[eos])

    def tokenize(self, text: str, *, first: bool) -> list[int]:
        """Tokens of rendered prompt text (special tokens parsed); BOS only when `first`."""
        return self._llm.tokenize(text.encode("utf-8"), add_bos=first, special=True)

    def count(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(self, messages: list[dict], *, max_tokens: int = 256,
               cancel: CancelToken | None = None, stable: str | None = None,
               kv: KVCache | None = None, documents: Sequence[tuple[str, str]] = (),
               reuse: bool = True) -> Iterator[str]:
        """Yield pieces of the reply; stops between tokens when `cancel` fires.

        `stable` is text of the last message that the next prompts will share (the
        evidence); the rendered prompt up to its end is the prefix whose state is looked up
        in, or stored into, `kv`. `documents` are (path, content hash) of the documents
        the prefix quotes, so a changed document never reuses a state. `reuse=False`
        reads the whole prompt again even if the context still holds its prefix (the
        baseline KV reuse is measured against)."""
        if self._formatter is None or stable is None:
            yield from self._stream_chat(messages, max_tokens=max_tokens, cancel=cancel)
            return
        result = self._formatter(messages=messages)
        prompt = result.prompt
        cut = prompt.rfind(stable)
        if not stable or cut < 0:
            raise ValueError("the stable text must appear in the rendered prompt")
        cut += len(stable)
        prefix = self.tokenize(prompt[:cut], first=not result.added_special)
        tokens = prefix + self.tokenize(prompt[cut:], first=False)
        stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        with self._lock:
            start = time.perf_counter()
            stats = StreamStats(prompt_tokens=len(tokens), prefix_tokens=len(prefix),
                                kv="off" if kv is None else "miss")
            self.last = stats
            if reuse:
                self._prepare_prefix(prefix, kv, documents, stats)
            else:
                self._llm.reset()
            parts = self._llm.create_completion(
                prompt=tokens, stream=True, max_tokens=max_tokens, temperature=0.0,
                repeat_penalty=1.1, stop=stop)
            try:
                for part in parts:
                    if cancel is not None and cancel.cancelled:
                        return
                    piece = part["choices"][0].get("text")
                    if stats.first_token_s is None:
                        stats.first_token_s = time.perf_counter() - start
                    if piece:
                        yield piece
            finally:
                stats.total_s = time.perf_counter() - start
                close = getattr(parts, "close", None)
                if close:
                    close()

    def _prepare_prefix(self, prefix: list[int], kv: KVCache | None,
                        documents: Sequence[tuple[str, str]], stats: StreamStats) -> None:
        """Make the context hold `prefix` cheaply: still there, restored, or read and saved."""
        llm, n = self._llm, len(prefix)
        if llm.n_tokens >= n and list(llm.input_ids[:n]) == prefix:
            stats.kv, stats.reused_tokens = "context", n       # generate() keeps it
            return
        if kv is None:
            return
        key = prefix_key(self.model_id, prefix, documents)
        found = kv.get(key)
        if found is not None and found[0].n_tokens == n and self._restore(found[0].data, prefix):
            stats.kv, stats.reused_tokens = found[1], n
            return
        llm.reset()
        llm.eval(prefix)                                       # read the prefix once ...
        kv.put(KVEntry(key, n, self._save(), tuple(p for p, _ in documents)))  # ... keep it
        stats.kv = "miss"

    def _save(self) -> bytes:
        ctx = self._llm._ctx.ctx
        size = llama_cpp_lib().llama_state_seq_get_size(ctx, 0)
        buf = (ctypes.c_uint8 * size)()
        n = llama_cpp_lib().llama_state_seq_get_data(ctx, buf, size, 0)
        return ctypes.string_at(buf, n)

    def _restore(self, data: bytes, prefix: list[int]) -> bool:
        lib, llm = llama_cpp_lib(), self._llm
        llm.reset()
        mem = lib.llama_get_memory(llm._ctx.ctx)
        lib.llama_memory_seq_rm(mem, -1, -1, -1)
        buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if lib.llama_state_seq_set_data(llm._ctx.ctx, buf, len(data), 0) != len(data):
            llm.reset()
            return False
        n = len(prefix)
        llm.input_ids[:n] = prefix
        llm.n_tokens = n
        llm._requires_eval = True      # the logits are not restored: the suffix refreshes them
        return True

    def _stream_chat(self, messages: list[dict], *, max_tokens: int,
                     cancel: CancelToken | None) -> Iterator[str]:
        """The plain path: the model's chat handler, no prefix bookkeeping."""
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

    def score_replies(self, messages: list[dict], replies: Sequence[str], *,
                      first_token: bool = False) -> list[ReplyScore | float | None]:
        """How likely the model finds each reply to `messages` (rendered with its chat
        template), and that it ends there; None for a reply that does not fit. With
        `first_token`, only log P(its first token) (cheap: no pass per reply)."""
        scorer, prompt = self._scoring(messages)
        return scorer.first_tokens(prompt, replies) if first_token else scorer.score(prompt, replies)

    def _scoring(self, messages: list[dict]) -> tuple[ReplyScorer, list[int]]:
        if self._formatter is not None:
            result = self._formatter(messages=messages)
            prompt, first, ends = result.prompt, not result.added_special, result.stop
        else:
            prompt = "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant: "
            first, ends = True, None
        if self._scorer is None:
            ends = ends if isinstance(ends, list) else [ends] if ends else []
            self._scorer = ReplyScorer(self.path, n_threads=self._n_threads, end_texts=ends)
        return self._scorer, self._scorer.tokenize(prompt, first=first)

    def complete(self, messages: list[dict], *, max_tokens: int = 256,
                 stop: Sequence[str] | None = None, cancel: CancelToken | None = None) -> str:
        """The whole reply at once, for short internal prompts (the same call on
        `RemoteLLM`); generation ends before the first `stop` string."""
        text = ""
        for piece in self.stream(messages, max_tokens=max_tokens, cancel=cancel):
            text += piece
            cuts = [i for s in stop or () if s and (i := text.find(s)) >= 0]
            if cuts:
                return text[:min(cuts)]
        return text


def _parameters(llm) -> int | None:
    try:
        import llama_cpp

        return int(llama_cpp.llama_model_n_params(llm.model))
    except Exception:       # an older binding without it: treated as able to write
        return None


def llama_cpp_lib():
    import llama_cpp
    return llama_cpp
