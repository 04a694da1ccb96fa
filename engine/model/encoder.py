"""The sentence encoder that turns chunks and questions into keys.

all-MiniLM-L6-v2 through sentence-transformers, loaded from the local package folder with
the Hugging Face hub switched off, so nothing is fetched at run time.

Why the fast path looks as it does (bench/ingest.py measures it against the reference):
reading a book means encoding its chunks and its sentences, texts of very different
lengths. Batches cut in file order pad every short sentence to the longest in its batch,
so the fast path tokenizes first and encodes one stream sorted by token count, in batches
of about 8,192 padded tokens (on this CPU larger batches kept the matrix units busier, up
to that size); identical texts are encoded once; and the forward pass is our own
(engine/model/bert.py): where the CPU multiplies bfloat16 in hardware (AVX-512 BF16,
AMX) it runs in bfloat16 with layer norms accumulated and keys pooled in float32, which
keeps every key within a hair of the float32 one (float16 on CUDA). int8 dynamic
quantisation was tried and moved keys too far (mean cosine to the float32 key about 0.93).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from engine.errors import ModelError
from engine.longlived import freeze_startup_objects
from engine.model.bundled import bundled_encoder_dir

__all__ = ["Encoder", "shared_encoder", "fast_dtype"]

TOKENS_PER_BATCH = 8192   # padded tokens per batch on the fast path
MAX_BATCH = 512
TRIM_EVERY = 16           # batches between returning freed heap memory to the system

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class Encoder:
    """Keys are L2-normalised float32 vectors, so a dot product is the cosine similarity."""

    def __init__(self, folder: str | Path | None = None, *, batch_size: int = 32,
                 fast: bool = True, device: str | None = None):
        """`fast=False` is the reference path: float32, batches in the order given (what
        every key was before the fast path; the benches and tests compare against it).
        `device` defaults to CUDA when torch sees one, else the CPU."""
        from sentence_transformers import SentenceTransformer
        import torch
        import transformers

        from engine.model.bert import LeanBert

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()  # keep stderr for our own progress
        folder = Path(folder) if folder else bundled_encoder_dir()
        try:
            device = device or ("cuda" if torch.cuda.is_available() else "cpu")
            self._model = SentenceTransformer(str(folder), device=device, local_files_only=True)
        except Exception as exc:  # the library raises many kinds; one sentence for the user
            raise ModelError(f"Cannot load the encoder from {folder}: {exc}") from exc
        self.name = folder.name if folder.name != "model" else folder.parent.name
        dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension  # renamed in sentence-transformers 5
        self.dim = int(dim())
        self.max_tokens = int(self._model.max_seq_length)
        self.batch_size = batch_size
        self.device = device
        self.fast = fast
        # the dtype matrix products run in: None keeps float32
        self.autocast = fast_dtype(device) if fast else None
        # the fast path's own forward (engine/model/bert.py), None where it would not
        # reproduce this model's pipeline: then the library's forward runs under autocast
        self._lean = LeanBert.of(self._model, self.autocast or torch.float32, device) \
            if fast else None
        if self._lean is None and self.autocast is torch.bfloat16:
            # linear weights kept in bfloat16 once, not cast on every batch; layer norms
            # and the embeddings stay float32
            for module in self._model.modules():
                if isinstance(module, torch.nn.Linear):
                    module.to(torch.bfloat16)
        self._lock = threading.Lock()  # torch modules are not safe to call from two threads
        self._words: tuple[list[str], dict[str, int], np.ndarray, np.ndarray] | None = None
        self._related: dict[tuple[str, int], list[str]] = {}   # one library asks each word often
        self._whole_words: tuple[np.ndarray, object] | None = None   # warm_related's candidates

    def encode(
        self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Encode `texts` → [N, dim] in their order; `progress(n_done)` after each batch is
        a cancel point (on the fast path n counts distinct texts, longest first)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not len(texts):
            return out
        if self.fast:
            unique: dict[str, int] = {}
            where = np.array([unique.setdefault(t, len(unique)) for t in texts])
            out[:] = self._encode_fast(list(unique), progress)[where]
            return out
        out[:] = self._encode_reference(list(texts), progress)
        return out

    def _encode_reference(self, texts: list[str],
                          progress: Callable[[int], None] | None) -> np.ndarray:
        """float32, `batch_size` texts at a time in the order given."""
        import torch

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock, torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                part = slice(start, min(len(texts), start + self.batch_size))
                out[part] = self._library_forward(texts[part])
                if progress:
                    progress(part.stop)
        _give_back_freed_memory()
        return out

    def _encode_fast(self, texts: list[str],
                     progress: Callable[[int], None] | None) -> np.ndarray:
        """Distinct `texts`, longest first in batches of about TOKENS_PER_BATCH padded
        tokens, so short texts (sentences, questions) go many at a time and each batch
        pads little; `progress(n)` counts texts done."""
        import torch

        ids = self._token_ids(texts)
        order = np.array(sorted(range(len(texts)), key=lambda i: -len(ids[i])), dtype=np.int64)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        done = 0
        with self._lock, torch.inference_mode(), \
                torch.autocast(self.device.split(":")[0], dtype=self.autocast or torch.float32,
                               enabled=self.autocast is not None and self._lean is None):
            for n, part in enumerate(_batches([len(ids[i]) for i in order]), start=1):
                rows = order[part]
                if self._lean is not None:
                    out[rows] = self._lean.keys([ids[i] for i in rows], self.device)
                else:
                    out[rows] = self._library_forward([texts[i] for i in rows])
                if n % TRIM_EVERY == 0:
                    _give_back_freed_memory()
                done += len(rows)
                if progress:
                    progress(done)
        _give_back_freed_memory()
        return out

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids as the model sees them: [CLS] … [SEP], cut at its limit."""
        ids: list[list[int]] = []
        for start in range(0, len(texts), 2048):
            ids += self._model.tokenizer(texts[start:start + 2048], truncation=True,
                                         max_length=self.max_tokens, verbose=False)["input_ids"]
        return ids

    def _library_forward(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=len(texts), normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def related_words(self, word: str, k: int = 6) -> list[str]:
        """Whole words whose input embeddings lie nearest `word`'s, other stems only.

        Why: pseudo-queries (engine/recall/pseudo.py) swap a word for one the encoder
        treats as related ("physician" → "doctor", "cloth" → "fabric"), the way a reader
        paraphrases; variants of the same stem ("safely") would teach nothing."""
        if (word, k) not in self._related:
            self.warm_related([word], k)
        return self._related.get((word, k), [])

    def warm_related(self, words: Iterable[str], k: int = 6) -> None:
        """Find the related words of many words at once (one matrix product and one
        top-k per block, against the whole words only, instead of one pass over the
        vocabulary per word), for `related_words` to answer from; why: fitting
        the query adapter asks thousands of words in turn."""
        todo = [w for w in dict.fromkeys(words) if (w, k) not in self._related]
        _, vocab, mat, whole = self._word_table()
        todo = [w for w in todo if w.lower() in vocab]
        if not todo:
            return
        import torch

        if self._whole_words is None:       # the candidates' ids and unit embeddings, once
            ids = np.flatnonzero(whole)
            self._whole_words = (ids, torch.from_numpy(mat[ids]))
        candidates, among = self._whole_words
        wanted = min(8 * k, len(candidates))
        for start in range(0, len(todo), 256):
            block = todo[start:start + 256]
            sims = torch.from_numpy(mat[[vocab[w.lower()] for w in block]]) @ among.T
            tops = sims.topk(wanted, dim=1).indices.numpy()      # nearest first
            for word, top in zip(block, tops):
                self._related[word, k] = self._first_other_stems(word, k, candidates[top])

    def _first_other_stems(self, word: str, k: int, ranked: np.ndarray) -> list[str]:
        """The first `k` of vocabulary ids `ranked` (nearest first) that are not `word`'s
        own stem."""
        words = self._word_table()[0]
        out: list[str] = []
        for i in ranked:
            cand = words[i]
            if cand != word and cand[:4] != word[:4] and not word.startswith(cand[:-1]):
                out.append(cand)
            if len(out) == k:
                break
        return out

    def _word_table(self) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray]:
        """(word of each vocabulary id, id of each word, unit input embeddings, which ids are
        whole lowercase words), built once."""
        if self._words is None:
            weights = self._model[0].auto_model.embeddings.word_embeddings.weight
            mat = weights.detach().float().numpy()
            mat = mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-6)
            vocab = self._model.tokenizer.get_vocab()
            words = [""] * len(vocab)
            for w, i in vocab.items():
                if i < len(words):
                    words[i] = w
            whole = np.array([w.isalpha() and w.islower() and len(w) > 2 for w in words])
            self._words = (words, vocab, mat, whole)
        return self._words


def _batches(lengths: list[int]) -> Iterator[slice]:
    """Slices of `lengths` (longest first) of about TOKENS_PER_BATCH padded tokens."""
    start = 0
    while start < len(lengths):
        size = max(1, min(MAX_BATCH, TOKENS_PER_BATCH // max(1, lengths[start])))
        yield slice(start, min(len(lengths), start + size))
        start += size


def _give_back_freed_memory() -> None:
    """Return the C heap's freed pages to the system (glibc's malloc_trim).

    Why: batches of ever-different shapes leave glibc's heap fragmented, and it kept what
    torch freed: encoding a repository grew the process by gigabytes, each group of files
    adding hundreds of megabytes. Trimming every few batches holds it near its working
    size; elsewhere (no glibc) it does nothing."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def fast_dtype(device: str):
    """The low precision `device` multiplies fastest: bfloat16 where the CPU multiplies it
    in hardware, float16 on CUDA, else None (emulated bfloat16 would be slower than
    float32)."""
    import torch

    if device.startswith("cuda"):
        return torch.float16
    if os.environ.get("MEMEX_ENCODER_FP32") == "1":   # a way back to float32, for comparison
        return None
    try:
        flags = Path("/proc/cpuinfo").read_text()
        if not any(f in flags for f in (" avx512_bf16", " amx_bf16")):
            return None           # oneDNN would emulate bfloat16 on plain AVX-512
    except OSError:
        pass                      # not Linux: trust the probe below
    try:
        if torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported():
            return torch.bfloat16
    except (AttributeError, RuntimeError):   # a torch build without the probe
        pass
    return None


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """One encoder per process: loading it is slow and its weights are large."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Encoder()
            freeze_startup_objects()   # the model and its libraries stay for good
        return _shared
