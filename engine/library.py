"""The engine's front door: one library folder, its store, recall and answering.

The CLI, the app and the benchmarks all go through `Library`, so they share one code path.
Models load lazily: listing or forgetting documents never pays for them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from engine.answer import Answer, answer
from engine.appstate import AppState
from engine.config import default_library, default_model
from engine.conversation.state import Conversations
from engine.jobs import CancelToken, Report, no_report
from engine.model.encoder import Encoder, shared_encoder
from engine.model.kv_cache import KVCache
from engine.model.llm import LLM
from engine.reading import FileResult, IngestSummary, read_into
from engine.recall import Hit, Mode, Searcher
from engine.store import DocumentRow, Store, StoredCue
from engine.trace import Occurrence, trace

__all__ = ["Library"]


class Library:
    def __init__(self, path: str | Path | None = None, *, model: str | Path | None = None,
                 n_ctx: int = 4096, n_threads: int | None = None,
                 encoder: Encoder | None = None):
        self.path = Path(path).expanduser() if path else default_library()
        self.store = Store(self.path)
        self._model_path = model or default_model()
        self._n_ctx, self._n_threads = n_ctx, n_threads
        self._encoder = encoder
        self._searcher: Searcher | None = None
        self._llm: LLM | None = None
        self.state = AppState(self.store)  # watched folders, pending ingests, chat history
        self.conversations = Conversations(self.store)
        # KV states of evidence prefixes: RAM LRU over a bounded folder in the library
        self.kv = KVCache(self.path / "kv")

    # -- lazily loaded pieces ----------------------------------------------------------

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = Searcher(self.store, self.encoder)
        return self._searcher

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = LLM(self._model_path, n_ctx=self._n_ctx, n_threads=self._n_threads)
        return self._llm

    def configure_model(self, model: str | Path | None = None, *, n_ctx: int = 4096,
                        n_threads: int | None = None) -> None:
        """Use another model or size from the next answer on (the app's settings)."""
        if (model or default_model(), n_ctx, n_threads) != (self._model_path, self._n_ctx, self._n_threads):
            self._model_path, self._n_ctx, self._n_threads = model or default_model(), n_ctx, n_threads
            self._llm = None

    # -- operations --------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], *, cancel: CancelToken | None = None,
               report: Report = no_report,
               on_file: Callable[[FileResult], None] | None = None,
               encode: bool = True) -> IngestSummary:
        """Read files and folders; `encode=False` defers the dense keys (see encode_pending)."""
        summary = read_into(self.store, self.encoder if encode else None, paths, cancel=cancel,
                            report=report, on_file=on_file, encode=encode)
        # a state read from a document's old text must never answer again
        self.kv.drop_documents([*summary.stored, *summary.removed])
        return summary

    def encode_pending(self, *, cancel: CancelToken | None = None, report: Report = no_report,
                       batch: int = 256, limit: int | None = None) -> int:
        """Compute dense keys for chunks stored without one; returns how many were added."""
        todo = self.store.missing_keys(limit)
        for start in range(0, len(todo), batch):
            if cancel is not None:
                cancel.check()
            report(start, len(todo), "encoding stored chunks")
            part = todo[start:start + batch]
            keys = self.encoder.encode([text for _, text in part])
            self.store.add_keys([cid for cid, _ in part], keys)
        report(len(todo), len(todo), "encoding stored chunks")
        return len(todo)

    def trace(self, term: str, *, limit: int | None = None) -> list[Occurrence]:
        """Definitions and references of a code name, and prose mentions of a term, in
        document then line/page order."""
        return trace(self.store, term, limit=limit)

    def ingest_resumable(self, paths: Iterable[str | Path], *, cancel: CancelToken | None = None,
                         report: Report = no_report,
                         on_file: Callable[[FileResult], None] | None = None) -> IngestSummary:
        """`ingest`, but the paths stay queued in the library until read, so an ingest cut
        short by quitting resumes at the next start (`state.pending()`); finished files are
        unchanged on the second pass and cost only a hash."""
        keys = [str(Path(p).expanduser().absolute()) for p in paths]
        self.state.queue(keys)
        summary = self.ingest(keys, cancel=cancel, report=report, on_file=on_file)
        self.state.done(keys)
        return summary

    def search(self, query: str, *, k: int = 5, mode: Mode = "fused") -> list[Hit]:
        return self.searcher.search(query, k=k, mode=mode)

    def ask(self, question: str, *, on_text: Callable[[str], None] | None = None,
            cancel: CancelToken | None = None, max_tokens: int = 160,
            exact: bool = False, conversation: int | None = None,
            kv: bool = True, record: bool = True) -> Answer:
        """`exact` recalls with flat exact search instead of the block router.

        With `conversation` (an id from `conversations.new()`), the question is resolved
        against that conversation's earlier turns and the turn is stored in it (unless
        `record=False`: the app stores it through its single writer with `remember`).
        `kv=False` reads the whole prompt again (the baseline KV reuse is measured against)."""
        conv = self.conversations.load(conversation) if conversation is not None else None
        ans = answer(question, self.searcher, self.llm, on_text=on_text, cancel=cancel,
                     max_tokens=max_tokens, mode="exact" if exact else "fused",
                     conversation=conv, kv=self.kv if kv else None)
        if conv is not None and record:
            self.remember(conv.id, ans)
        return ans

    def remember(self, conversation: int, ans: Answer) -> None:
        """Store an answer as the next turn of `conversation` and update its memory; a
        stopped answer is not a turn (its evidence and quotes were never complete)."""
        from engine.conversation.record import next_memory, turn_of

        if ans.stopped:
            return
        conv = self.conversations.load(conversation, last=1)
        self.conversations.add(conversation, turn_of(ans), next_memory(conv, ans, self.encoder))

    def thumbnail(self, keyframe_id: int) -> bytes | None:
        """The JPEG of a keyframe a hit lists (`Hit.keyframes`), for the citation viewer."""
        return self.store.thumbnail(keyframe_id)

    def cues(self, chunk_id: int) -> list[StoredCue]:
        """The subtitle cues inside a scene chunk, with times and spans in its text."""
        return self.store.cues_of(chunk_id)

    def documents(self) -> list[DocumentRow]:
        return self.store.documents()

    def forget(self, path: str | Path) -> bool:
        """Remove a document and every row of it; `path` as given or as stored."""
        p = str(path)
        full = str(Path(p).expanduser().resolve())
        gone = self.store.forget(p) or self.store.forget(full)
        if gone:
            self.kv.drop_documents([p, full])
            self.store.resolve_graph()   # references into the forgotten file re-resolve
        return gone

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
