"""The recall step: a question → ranked, located evidence (keyword + dense, fused).

Dense evidence comes from the two-stage block router; mode "exact" fuses with the flat
exact search instead (the reference the router is measured against)."""
from __future__ import annotations

from typing import Collection, Literal

import numpy as np

from engine.model.encoder import Encoder
from engine.recall.adapter import QueryAdapter
from engine.recall.dense import DenseIndex
from engine.recall.fitting import library_adapter
from engine.recall.bridges import Bridges, find_bridges
from engine.recall.fusion import (CARRIED_WEIGHT, KEYWORD_WEIGHT, bridge_credit, fuse, rrf,
                                  stand_in_cosine)
from engine.recall.hit import Hit, hits_of, keyword_hits
from engine.recall.keyword import any_of, query_terms
from engine.recall.memory_index import MemoryIndex
from engine.recall.postings import Postings
from engine.recall.query import Query
from engine.recall.thesaurus import Thesaurus
from engine.recall.units import UnitIndex
from engine.store import Store

__all__ = ["Searcher", "Mode", "Query"]

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
        self.units = UnitIndex(store)         # code units by name, signature and docstring

    def query(self, text: str, *, plain: np.ndarray | None = None, key: np.ndarray | None = None,
              within: Collection[int] | None = None, keyword_weight: float = KEYWORD_WEIGHT,
              carried: Collection[str] = ()) -> Query:
        """Work a question out once (engine/recall/query.py): its informative words and
        their IDF here, its WordNet bridges, and its keys. `plain` is the encoder's key of
        the asked words when the caller has it (the text is then not encoded again); `key`
        replaces the key dense recall ranks by (a follow-up's key mixed with the
        conversation); otherwise that is `plain` through the library's query adapter."""
        text = text.strip()
        if plain is None:
            plain = self.encoder.encode_query(text) if text else np.zeros(0, np.float32)
        plain = np.asarray(plain, np.float32)
        self.postings.refresh()
        terms = tuple(query_terms(text))
        term_idf = {t: w for t in terms if (w := self.postings.idf(t)) is not None}
        held = {w: idf for w in carried if (idf := self.postings.idf(w)) is not None}
        return Query(text, plain, np.asarray(self.adapted(plain) if key is None else key, np.float32),
                     terms, term_idf, find_bridges(list(terms), self.thesaurus, self.postings.idf),
                     None if within is None else frozenset(within), keyword_weight, held)

    def search(self, query: Query | str, *, k: int = 5, mode: Mode = "fused") -> list[Hit]:
        """The `k` best evidence for a question (text, or a `Query` worked out before);
        a query restricted to some chunks (`Query.within`) ranks only those."""
        text = query.text if isinstance(query, Query) else query.strip()
        if not text or k <= 0:
            return []
        if isinstance(query, Query) and query.within is not None and not query.within:
            return []
        if mode == "bm25":
            within = query.within if isinstance(query, Query) else None
            if within is None:
                return keyword_hits(self.store, text, k)
            return [h for h in keyword_hits(self.store, text, max(k, len(within)))
                    if h.chunk_id in within][:k]
        q = query if isinstance(query, Query) else self.query(text)
        pool = max(_POOL, k)
        dense, cosine_of = self._dense(q.key, pool, exact=mode == "exact")
        if q.within is not None:
            candidates = sorted(q.within)
            if mode == "dense":
                return self._hits(cosine_of(candidates), k)
        else:
            keyword: list[tuple[int, float]] = []
            if mode != "dense":
                match = any_of(list(q.terms)) if q.terms else None
                keyword = self.store.keyword(match, pool) if match else []
            if mode == "dense":
                return self._hits(dict(dense), k)
            if mode == "rrf":
                return self._hits(rrf([[c for c, _ in dense], [c for c, _ in keyword]]), k)
            bridged = self.store.keyword(any_of(q.bridges.words()), pool) if q.bridges else []
            carried = self.store.keyword(any_of(list(q.carried)), pool) if q.carried else []
            candidates = sorted({c for c, _ in dense} | {c for c, _ in keyword}
                                | {c for c, _ in bridged} | {c for c, _ in carried})
        cosine = cosine_of(candidates)
        matched = self._matches(q, candidates)
        # chunks of documents not yet understood have no key: keyword evidence stands in
        cosine = stand_in_cosine(cosine, [c for c in candidates if c not in cosine],
                                 matched, q.term_idf)
        scores = fuse(cosine, matched, q.term_idf, weight=q.keyword_weight)
        scores = bridge_credit(scores, self._bridged(q.bridges, candidates))
        if q.carried:
            scores = bridge_credit(scores, self._held(q.carried, candidates), weight=CARRIED_WEIGHT)
        return self._hits(scores, k)

    def adapted(self, plain: np.ndarray) -> np.ndarray:
        """A question's key through the library's query adapter, when it kept one."""
        if self.use_adapter is False:
            return plain
        gen = self.store.generation()
        if self._adapter[0] != gen:
            self._adapter = (gen, library_adapter(self.store, self.encoder,
                                                  force=bool(self.use_adapter)))
        adapter = self._adapter[1]
        return adapter(plain) if adapter is not None else plain

    def query_key(self, query: str) -> np.ndarray:
        """The question's key, through the library's query adapter when it has one."""
        return self.adapted(self.encoder.encode_query(query))

    def similarity(self, query: Query, chunk_ids: list[int]) -> dict[int, float]:
        """Dense scores of given chunks by their chunk keys as the router scores them
        (centred, less hubs; cold chunks included): how recall scored a chunk keyed whole."""
        return self.memory.similarity(query.key, chunk_ids)

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

    def _matches(self, query: Query, candidates: list[int]) -> dict[int, set[str]]:
        """Which candidates contain which of the query's informative words."""
        matched: dict[int, set[str]] = {}
        for term in query.term_idf:
            for cid in self.postings.among(term, candidates):
                matched.setdefault(cid, set()).add(term)
        return matched

    def _bridged(self, bridges: Bridges, candidates: list[int]) -> dict[int, float]:
        """Each candidate → IDF of the rarest bridge it holds."""
        best: dict[int, float] = {}
        for bs in bridges.by_term.values():
            best = self._held(bs, candidates, best)
        return best

    def _held(self, words: dict[str, float], candidates: list[int],
              best: dict[int, float] | None = None) -> dict[int, float]:
        """Each candidate → IDF of the rarest of `words` (word → IDF) it holds."""
        best = {} if best is None else best
        for word, weight in words.items():
            for cid in self.postings.among(word, candidates):
                best[cid] = max(weight, best.get(cid, weight))
        return best

    def _hits(self, scores: dict[int, float], k: int) -> list[Hit]:
        return hits_of(self.store, scores, k)
