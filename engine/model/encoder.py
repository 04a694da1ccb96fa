"""The sentence encoder that turns chunks and questions into keys.

all-MiniLM-L6-v2 through sentence-transformers, loaded from the local package folder with
the Hugging Face hub switched off, so nothing is fetched at run time.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from engine.errors import ModelError
from engine.longlived import freeze_startup_objects
from engine.model.bundled import bundled_encoder_dir

__all__ = ["Encoder", "shared_encoder"]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class Encoder:
    """Keys are L2-normalised float32 vectors, so a dot product is the cosine similarity."""

    def __init__(self, folder: str | Path | None = None, *, batch_size: int = 32):
        from sentence_transformers import SentenceTransformer
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()  # keep stderr for our own progress
        folder = Path(folder) if folder else bundled_encoder_dir()
        try:
            self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds; one sentence for the user
            raise ModelError(f"Cannot load the encoder from {folder}: {exc}") from exc
        self.name = folder.name if folder.name != "model" else folder.parent.name
        dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension  # renamed in sentence-transformers 5
        self.dim = int(dim())
        self.max_tokens = int(self._model.max_seq_length)
        self.batch_size = batch_size
        self._lock = threading.Lock()  # torch modules are not safe to call from two threads
        self._words: tuple[list[str], dict[str, int], np.ndarray, np.ndarray] | None = None
        self._related: dict[tuple[str, int], list[str]] = {}   # one library asks each word often

    def encode(
        self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Encode `texts` → [N, dim]; `progress(n_done)` after each batch is a cancel point."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for start in range(0, len(texts), self.batch_size):
                batch = list(texts[start:start + self.batch_size])
                out[start:start + len(batch)] = self._model.encode(
                    batch, batch_size=self.batch_size, normalize_embeddings=True,
                    convert_to_numpy=True, show_progress_bar=False,
                )
                if progress:
                    progress(start + len(batch))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def related_words(self, word: str, k: int = 6) -> list[str]:
        """Whole words whose input embeddings lie nearest `word`'s, other stems only.

        Why: pseudo-queries (engine/recall/pseudo.py) swap a word for one the encoder
        treats as related ("physician" → "doctor", "cloth" → "fabric"), the way a reader
        paraphrases; variants of the same stem ("safely") would teach nothing."""
        if (word, k) not in self._related:
            self._related[word, k] = self._nearest_words(word, k)
        return self._related[word, k]

    def _nearest_words(self, word: str, k: int) -> list[str]:
        words, vocab, mat, whole = self._word_table()
        row = vocab.get(word.lower())
        if row is None:
            return []
        sims = mat @ mat[row]
        sims[~whole] = -1.0
        out: list[str] = []
        for i in np.argsort(-sims)[: 8 * k]:
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
