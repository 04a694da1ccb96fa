"""The engine's front door: one library folder, its store, recall and answering.

The CLI, the app and the benchmarks all go through `Library`, so they share one code path.
Models load lazily: listing or forgetting documents never pays for them.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from engine.answer import Answer, answer
from engine.store.app_state import AppState
from engine.catalog import Catalog
from engine.config import ModelChoice, resolve_model
from engine.store.conversations import Conversations
from engine.jobs import CancelToken, Report, no_report, shielded
from engine.model.encoder import Encoder, shared_encoder
from engine.model.llm import LLM
from engine.model.remote import RemoteLLM, default_endpoint
from engine.reading.documents import FileResult, IngestSummary
from engine.reading.understand import UnderstandSummary, understand
from engine.recall import Hit, Mode, Searcher
from engine.recall.adapter import FitReport
from engine.recall.fitting import fit_library, needs_fit
from engine.recall.hubness import hubs_pending, measure_hubs
from engine.store import DocumentRow, StoredCue
from engine.store.adapters import load_adapter
from engine.store.key_codes import compact_chunk_keys, compact_sentence_keys
from engine.store.sentence_cells import learn_cells
from engine.value import Clock, Consolidation, MemoryReport, SystemClock, Usage, consolidate, memory_report

__all__ = ["Library"]

if TYPE_CHECKING:
    from engine.gists.digest import DigestSummary
    from engine.gists.outline import OutlineEntry


class Library(Catalog):
    def __init__(self, path: str | Path | None = None, *, model: str | Path | None = None,
                 n_ctx: int = 4096, n_threads: int | None = None,
                 endpoint: str | None = None, endpoint_model: str | None = None,
                 encoder: Encoder | None = None, clock: Clock | None = None,
                 on_wait: Callable[[str], None] | None = None, synthesis: bool | None = None):
        """`on_wait(message)` hears when a write waits for another process writing to
        this library (the CLI prints it); the wait is silent without it. `synthesis`:
        whether the model writes its own synthesis under the quotes (None: only a model
        that can, engine/answer/answer.py `writes_freely`)."""
        super().__init__(path, on_wait=on_wait)
        self.synthesis = synthesis
        self._model_flag = model      # None: $MEMEX_MODEL, the library's choice, global, bundled
        self._model_path = resolve_model(model, library_choice=AppState(self.store).model()).path
        self._n_ctx, self._n_threads = n_ctx, n_threads
        # a model server (OpenAI-compatible URL) answers instead of the in-process model
        self._endpoint, self._endpoint_model = endpoint or default_endpoint(), endpoint_model
        self._encoder = encoder
        self._searcher: Searcher | None = None
        self._llm: LLM | RemoteLLM | None = None
        self.state = AppState(self.store)  # watched folders, pending ingests, chat history
        self.clock = clock or SystemClock()  # usage times; tests set it (engine.value.clock)
        self.usage = Usage(self.store, self.clock)  # where use is recorded (engine.value.events)
        self.conversations = Conversations(self.store)

    # -- lazily loaded pieces ----------------------------------------------------------

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            if hubs_pending(self.store):     # reset by an upgrade: measured once, here
                measure_hubs(self.store, self.encoder.name)
            self._searcher = Searcher(self.store, self.encoder)
        return self._searcher

    @property
    def llm(self) -> LLM | RemoteLLM:
        """With an endpoint, the server answers and `n_ctx` is only the size assumed when
        the server does not tell its own."""
        if self._llm is None:
            if self._endpoint:
                self._llm = RemoteLLM(self._endpoint, model=self._endpoint_model, n_ctx=self._n_ctx)
            else:
                self._llm = LLM(self._model_path, n_ctx=self._n_ctx, n_threads=self._n_threads)
        return self._llm

    def configure_model(self, model: str | Path | None = None, *, n_ctx: int = 4096,
                        n_threads: int | None = None, endpoint: str | None = None,
                        endpoint_model: str | None = None) -> None:
        """Use another model, size or model server from the next answer on (the app's
        settings); no endpoint means the in-process model (or $MEMEX_ENDPOINT)."""
        self._model_flag = model
        path = self.model_choice().path
        server = (endpoint or default_endpoint(), endpoint_model)
        if ((path, n_ctx, n_threads) != (self._model_path, self._n_ctx, self._n_threads)
                or server != (self._endpoint, self._endpoint_model)):
            self._model_path, self._n_ctx, self._n_threads = path, n_ctx, n_threads
            self._endpoint, self._endpoint_model = server
            self._llm = None

    def model_choice(self) -> ModelChoice:
        """The model answers use, and why (engine/config.py `resolve_model`)."""
        return resolve_model(self._model_flag, library_choice=self.state.model())

    def choose_model(self, path: str | Path | None) -> None:
        """Keep `path` as this library's model (None forgets it), from the next answer on,
        unless a `--model` flag, the app's model setting or $MEMEX_MODEL overrides it."""
        self.state.choose_model(str(path) if path else None)
        self.configure_model(self._model_flag, n_ctx=self._n_ctx, n_threads=self._n_threads,
                             endpoint=self._endpoint, endpoint_model=self._endpoint_model)

    # -- operations --------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], *, cancel: CancelToken | None = None,
               report: Report = no_report,
               on_file: Callable[[FileResult], None] | None = None,
               wait: bool = True, on_wait: Callable[[], None] | None = None) -> IngestSummary:
        """Read files and folders: phase 1 makes them readable (keyword search, trace, the
        viewer); with `wait`, phase 2 (`understand`) then adds their keys and memory.
        `summary.timings` holds both phases' stages (phase 2's writes as `keys_store_s`)
        and `read_s` / `understand_s`;
        `on_wait()` hears when phase 2 waits for another process running it."""
        report = shielded(report)   # a failing progress display never stops the steps below
        start = time.perf_counter()
        summary = self.read(paths, cancel=cancel, report=report, on_file=on_file)
        summary.timings["read_s"] = time.perf_counter() - start
        if wait:
            start = time.perf_counter()
            done = self.understand(cancel=cancel, report=report, on_wait=on_wait)
            # phase 2's own write time beside phase 1's (both are "store_s" in their summaries)
            summary.timings.update({"keys_store_s" if k == "store_s" else k: v
                                    for k, v in done.timings.items()})
            summary.timings["understand_s"] = time.perf_counter() - start
        return summary

    def readable(self) -> list[DocumentRow]:
        """Documents still waiting for phase 2 (searchable by keyword only)."""
        return self.store.readable_documents()

    def understand(self, *, cancel: CancelToken | None = None, report: Report = no_report,
                   on_document: Callable[[DocumentRow], None] | None = None,
                   on_wait: Callable[[], None] | None = None) -> UnderstandSummary:
        """Phase 2 for every readable document (engine/reading/understand.py), then the
        library-wide steps its new keys call for: chunk and sentence keys compressed once
        the library can learn a projection, a large library's sentence codes put in cells
        (engine/store/sentence_cells.py), the query adapter refitted when the library grew
        enough (`fit_adapter`), hubs measured. One process runs it at a time; another
        caller waits (`on_wait()` hears it once; `cancel` ends the wait too) and then finds
        less or nothing to do."""
        report = shielded(report)
        with self.store.exclusive("understand", on_wait=on_wait, cancel=cancel):
            if not self.store.readable_documents(limit=1):
                return UnderstandSummary()        # the encoder never loads for nothing
            done = understand(self.store, self.encoder, cancel=cancel, report=report,
                              on_document=on_document)
            compact_sentence_keys(self.store, cancel=cancel, report=report)
            compact_chunk_keys(self.store, cancel=cancel, report=report)
            learn_cells(self.store, cancel=cancel, report=report)
            if needs_fit(self.store, self.encoder):
                self.fit_adapter(cancel=cancel, report=report)
            measure_hubs(self.store, self.encoder.name, cancel=cancel, report=report)
        return done

    def to_digest(self, paths: Iterable[str | Path] | None = None) -> list[DocumentRow]:
        """Understood documents whose gist tree is not complete, in the order `digest`
        takes them (engine/gists/digest.py)."""
        from engine.gists.digest import to_digest
        return to_digest(self.store, paths)

    def digest(self, paths: Iterable[str | Path] | None = None, *,
               cancel: CancelToken | None = None, report: Report = no_report,
               on_document: Callable[[DocumentRow], None] | None = None,
               on_wait: Callable[[], None] | None = None) -> "DigestSummary":
        """Write the gists of understood documents (all, or those at `paths`) with the
        answering model: blocks, sections, chapters, the whole document. One process at a
        time per library; cut short, the next call resumes where this one stopped."""
        from engine.gists.digest import DigestSummary, digest

        with self.store.exclusive("digest", on_wait=on_wait, cancel=cancel):
            docs = self.to_digest(paths)
            if not docs:
                return DigestSummary()             # no model loads for nothing
            return digest(self.store, self.llm, self.encoder.encode, docs,
                          cancel=cancel, report=report, on_document=on_document)

    def outline(self, path: str | Path) -> "OutlineEntry | None":
        """A document's map: its gist tree, each entry opening its first page; None
        until the document is digested."""
        from engine.gists.outline import outline
        found = outline(self.store, str(path))
        return found if found is not None else \
            outline(self.store, str(Path(path).expanduser().resolve()))

    def fit_adapter(self, *, cancel: CancelToken | None = None,
                    report: Report = no_report) -> FitReport:
        """Fit the query adapter on pseudo-queries from this library (test-time training);
        it is kept only if it raised held-out pseudo-query recall."""
        result = fit_library(self.store, self.encoder, cancel=cancel, report=report)
        measure_hubs(self.store, self.encoder.name, cancel=cancel, report=report)
        return result

    def adapter_report(self) -> dict | None:
        """How the last adapter fit went (`FitReport` fields), or None if never fitted."""
        row = load_adapter(self.store, self.encoder.name)
        return row.report if row else None

    def memory_bytes(self) -> dict[str, int]:
        return self.store.key_bytes()

    def ingest_resumable(self, paths: Iterable[str | Path], *, cancel: CancelToken | None = None,
                         report: Report = no_report,
                         on_file: Callable[[FileResult], None] | None = None,
                         wait: bool = True) -> IngestSummary:
        """`ingest`, but the paths stay queued in the library until read, so an ingest cut
        short by quitting resumes at the next start (`state.pending()`); finished files are
        unchanged on the second pass and cost only a hash. (Phase 2 needs no queue: what
        is still readable is its queue.)"""
        keys = [str(Path(p).expanduser().absolute()) for p in paths]
        self.state.queue(keys)
        summary = self.ingest(keys, cancel=cancel, report=report, on_file=on_file, wait=wait)
        self.state.done(keys)
        return summary

    def search(self, query: str, *, k: int = 5, mode: Mode = "fused",
               record: bool = True) -> list[Hit]:
        """Evidence for a query; the hits are recorded as recalled (`record=False` for
        measurements that must not count as use)."""
        hits = self.searcher.search(query, k=k, mode=mode)
        if record and hits:
            self.usage.recalled(h.chunk_id for h in hits)
        return hits

    def ask(self, question: str, *, on_text: Callable[[str], None] | None = None,
            cancel: CancelToken | None = None, max_tokens: int = 160,
            exact: bool = False, conversation: int | None = None,
            kv: bool = True, record: bool = True) -> Answer:
        """`exact` recalls with flat exact search instead of the block router.

        With `conversation` (an id from `conversations.new()`), the question is resolved
        against that conversation's earlier turns and the turn is stored in it (unless
        `record=False`: the app stores it through its single writer with `remember`).
        `kv=False` reads the whole prompt again (the baseline KV reuse is measured against).
        `still_reading` lists documents not yet understood (phase 2 of reading): recall
        found them by keyword only, and the answer says so.
        The evidence is recorded as recalled and the cited evidence as cited."""
        conv = self.conversations.load(conversation) if conversation is not None else None
        ans = answer(question, self.searcher, self.llm, on_text=on_text, cancel=cancel,
                     max_tokens=max_tokens, mode="exact" if exact else "fused",
                     conversation=conv, kv=self.kv if kv else None, write=self.synthesis)
        ans.still_reading = [d.path for d in self.store.readable_documents()]
        # usage is recorded whoever stores the turn (the app stores it with `remember`)
        self.usage.recalled(h.chunk_id for h in ans.evidence)
        self.usage.cited(h.chunk_id for _, h in ans.citations)
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

    # -- usage the app reports, consolidation and the memory's state ---------------------

    def citation_opened(self, chunk_id: int) -> None:
        """The person opened a citation at its source."""
        self.usage.citation_opened(chunk_id)

    def answer_copied(self, chunk_ids: Iterable[int]) -> None:
        """The person copied an answer; `chunk_ids` are the evidence it cites."""
        self.usage.answer_copied(chunk_ids)

    def document_opened(self, path: str | Path) -> None:
        doc = self.store.document(str(path))
        if doc is not None:
            self.usage.document_opened(doc.id)

    def pin(self, block_ids: Iterable[int], pinned: bool = True) -> int:
        """Pin blocks (they never demote) or unpin them; → blocks changed."""
        return self.usage.pin(list(block_ids), pinned)

    def consolidate(self, *, cancel: CancelToken | None = None, report: Report = no_report,
                    learn: bool = True) -> Consolidation:
        """Rescore every block and move blocks between the hot, warm and cold tiers."""
        return consolidate(self.store, clock=self.clock, encoder=lambda: self.encoder,
                           learn=learn, cancel=cancel, report=report)

    def memory(self, *, top: int = 5) -> MemoryReport:
        """Blocks and bytes per tier, most and least valuable blocks, the last consolidation."""
        return memory_report(self.store, top=top)

    def thumbnail(self, keyframe_id: int) -> bytes | None:
        """The JPEG of a keyframe a hit lists (`Hit.keyframes`), for the citation viewer."""
        return self.store.thumbnail(keyframe_id)

    def cues(self, chunk_id: int) -> list[StoredCue]:
        """The subtitle cues inside a scene chunk, with times and spans in its text."""
        return self.store.cues_of(chunk_id)

    def __enter__(self) -> "Library":
        return self
