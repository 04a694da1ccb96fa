"""The recall step: a question → ranked, located evidence (keyword + dense, fused).

Dense evidence comes from the two-stage block router; mode "exact" fuses with the flat
exact search instead (the reference the router is measured against)."""
from __future__ import annotations

from typing import Literal

import numpy as np

from engine.model.encoder import Encoder
from engine.recall.adapter import QueryAdapter
from engine.recall.dense import DenseIndex
from engine.recall.fitting import library_adapter
from engine.recall.bridges import Bridges, find_bridges
from engine.recall.fusion import bridge_credit, fuse, rrf, stand_in_cosine
from engine.recall.hit import Hit, hits_of, keyword_hits
from engine.recall.keyword import any_of, fts_query, query_terms
from engine.recall.memory_index import MemoryIndex
from engine.recall.postings import Postings
from engine.recall.thesaurus import Thesaurus
from engine.store import Store

__all__ = ["Searcher", "Mode"]

Mode = Literal["fused", "bm25", "dense", "rrf", "exact"]
_POOL = 50  # candidates drawn from each list before fusing


class Searcher:
    """Questions pass through the query adapter this library fitted
    (`engine/recall/adapter.py`) when its fit kept it; `adapter=True` forces the fitted
    one, `adapter=False` never uses one. Fused and exact searches also credit the query's
    WordNet bridges (`engine/recall/bridges.py`) unless `bridges=False`."""

    def __init__(self, store: Store, encoder: Encoder, *, adapter: bool | None = None,
                 bridges: bool = True):
        self.store = store
        self.encoder = encoder
        self.use_adapter = adapter
        self.thesaurus = Thesaurus.load() if bridges else None
        self.postings = Postings(store)
        self._adapter: tuple[int, QueryAdapter | None] = (-1, None)
        self.dense = DenseIndex(store)        # flat exact search, loaded only when asked for
        self.memory = MemoryIndex(store)      # blocks → chunks router over int8 keys
        self.sentences = DenseIndex(store, chunk_keys=False, cells=True)  # sentence keys beside it

    def search(self, query: str, *, k: int = 5, mode: Mode = "fused") -> list[Hit]:
        query = query.strip()
        if not query or k <= 0:
            return []
        if mode == "bm25":
            return keyword_hits(self.store, query, k)
        pool = max(_POOL, k)
        keyword: list[tuple[int, float]] = []
        if mode != "dense":
            match = fts_query(query)
            keyword = self.store.keyword(match, pool) if match else []
        qkey = self.query_key(query)
        dense, cosine_of = self._dense(qkey, pool, exact=mode == "exact")
        if mode == "dense":
            return self._hits(dict(dense), k)
        if mode == "rrf":
            return self._hits(rrf([[c for c, _ in dense], [c for c, _ in keyword]]), k)
        self.postings.refresh()
        bridges = find_bridges(query_terms(query), self.thesaurus, self.postings.idf)
        bridged = self.store.keyword(any_of(bridges.words()), pool) if bridges else []
        candidates = sorted({c for c, _ in dense} | {c for c, _ in keyword} | {c for c, _ in bridged})
        cosine = cosine_of(candidates)
        term_idf, matched = self._matches(query, candidates)
        # chunks of documents not yet understood have no key: keyword evidence stands in
        cosine = stand_in_cosine(cosine, [c for c in candidates if c not in cosine],
                                 matched, term_idf)
        scores = fuse(cosine, matched, term_idf)
        return self._hits(bridge_credit(scores, self._bridged(bridges, candidates)), k)

    def query_key(self, query: str) -> np.ndarray:
        """The question's key, through the library's query adapter when it has one."""
        key = self.encoder.encode_query(query)
        if self.use_adapter is False:
            return key
        gen = self.store.generation()
        if self._adapter[0] != gen:
            self._adapter = (gen, library_adapter(self.store, self.encoder,
                                                  force=bool(self.use_adapter)))
        adapter = self._adapter[1]
        return adapter(key) if adapter is not None else key

    def _dense(self, qkey, pool: int, *, exact: bool):
        """Top chunks by dense score, and a function scoring any chunks the same way.

        A chunk's score is the best of its own key and its sentence keys. Exact mode scans
        both flat; otherwise chunk keys go through the block router and the sentence keys
        are scanned beside it."""
        if exact:
            scores = self.dense.scores(qkey)
            return self.dense.top(scores, pool), lambda ids: self.dense.pick(scores, ids)
        sent = self.sentences.scores(qkey)
        best = dict(self.memory.search(qkey, pool))
        for cid, score in self.sentences.top(sent, pool):
            best[cid] = max(score, best.get(cid, score))
        top = sorted(best.items(), key=lambda kv: -kv[1])[:pool]

        def cosine_of(ids: list[int]) -> dict[int, float]:
            routed = self.memory.similarity(qkey, ids)
            for cid, score in self.sentences.pick(sent, ids).items():
                routed[cid] = max(score, routed.get(cid, score))
            return routed
        return top, cosine_of

    def _matches(self, query: str, candidates: list[int]) -> tuple[dict[str, float], dict[int, set[str]]]:
        """IDF of each query term in this library, and which candidates contain which term."""
        term_idf: dict[str, float] = {}
        matched: dict[int, set[str]] = {}
        for term in query_terms(query):
            weight = self.postings.idf(term)
            if weight is None:
                continue
            term_idf[term] = weight
            for cid in self.postings.among(term, candidates):
                matched.setdefault(cid, set()).add(term)
        return term_idf, matched

    def _bridged(self, bridges: Bridges, candidates: list[int]) -> dict[int, float]:
        """Each candidate → IDF of the rarest bridge it holds."""
        best: dict[int, float] = {}
        for bs in bridges.by_term.values():
            for word, weight in bs.items():
                for cid in self.postings.among(word, candidates):
                    best[cid] = max(weight, best.get(cid, weight))
        return best

    def _hits(self, scores: dict[int, float], k: int) -> list[Hit]:
        return hits_of(self.store, scores, k)
