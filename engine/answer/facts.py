"""The facts route: one question (or a follow-up in a conversation), recalled once, maybe
inside a place it names; a broad question also gets the gists that cover it.

Why follow-ups stay here: "and why?" names nothing itself; the conversation memory
(engine/conversation/followup.py) supplies what it points at, and its evidence may stay
in working memory unchanged, so the model's read of it can be reused.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from engine.answer.answer_line import AnswerLine
from engine.answer.prompt import Packed, history_budget, pack
from engine.answer.quote import Quote, best_quotes
from engine.answer.routed import Working
from engine.conversation.followup import Resolved, keep_evidence, resolve
from engine.conversation.place import chunks_of, find_place
from engine.gists.chapters import ChapterHit, chapters_named
from engine.gists.recall import Broad, broad_question, gist_hits, spread
from engine.recall import Hit, Searcher
from engine.recall.callees import callee_hits
from engine.recall.query import Query
from engine.store.conversations import Conversation
from engine.store.gists import gist_title

__all__ = ["facts_memory", "within", "stored_hits", "chapters_line", "fit", "QUOTES",
           "QUOTE_MARGIN", "EVIDENCE_BUDGET"]

EVIDENCE_BUDGET = 1500  # tokens; the model reads them all before its first token
QUOTES = 3              # quoted sentences at most: the first from the best-ranked passage,
QUOTE_MARGIN = 0.05     # the others from other passages scoring within this of it
WHICH_DOCUMENTS = 3     # a theme is looked for in the books the question's passages are in


def stored_hits(searcher: Searcher, ids: Sequence[int]) -> list[Hit]:
    """Evidence a previous turn used, as far as it still exists (re-ingest drops it)."""
    chunks = searcher.store.chunks(list(ids))
    frames = searcher.store.keyframes_of([c for c in ids if c in chunks])
    return [Hit(c, chunks[c].text, chunks[c].location, 0.0, frames.get(c, ()))
            for c in ids if c in chunks]


def within(searcher: Searcher, text: str):
    """(place, chunk ids) the text restricts recall to; (None, None) when it names none or
    the library holds nothing at the place it names."""
    place = find_place(text)
    if place is None:
        return None, None
    ids = chunks_of(searcher.store, place)
    return (place, ids) if ids else (None, None)


def fit(question: str, hits: list[Hit], searcher: Searcher, *, n_ctx: int,
        count: Callable[[str], int], max_tokens: int, evidence_budget: int,
        conversation: Conversation | None, callees: bool = True) -> Packed:
    """The evidence packed for the model beside the conversation, within its context;
    the definitions recalled code calls are added after it where they fit."""
    talk = history_budget(n_ctx)
    budget = min(evidence_budget + talk, n_ctx - max_tokens - 64)
    if callees:
        hits = hits + callee_hits(searcher.store, hits)
    history = [(t.question, t.answer) for t in conversation.turns] if conversation else []
    return pack(question, hits, budget=budget, count=count, history=history, history_tokens=talk)


def facts_memory(question: str, searcher: Searcher, *, n_ctx: int, count: Callable[[str], int],
                 k: int = 6, max_tokens: int = 160, evidence_budget: int = EVIDENCE_BUDGET,
                 mode: str = "fused", conversation: Conversation | None = None,
                 theme: Broad | None = None, documents: Sequence[int] | None = None) -> Working:
    """Resolve against the conversation, recall (inside a place the question names), pack
    and choose the quotes. `theme`: a 'which chapters discuss …' question the planner
    sent here, answered by chapters scored by meaning (of `documents`, when it names
    them). The question is encoded once, here."""
    place, inside = within(searcher, question)
    asked = theme.theme if theme is not None else question
    plain = searcher.encoder.encode_query(asked)
    resolved = resolve(question, conversation, plain) if theme is None else \
        Resolved(question, asked, plain, plain, 0.0, ())
    query = searcher.query(resolved.text, plain=plain,
                           key=resolved.key if resolved.beta > 0 else None, within=inside)
    # the quote answers what is asked now, scored by the question's own adapted key; the
    # conversation's memory only says who "she" is (its words are in `resolved.text`)
    quoting = query if resolved.beta == 0 else replace(query, key=searcher.adapted(plain))
    fresh = searcher.search(query, k=k, mode="exact" if mode == "exact" else "fused")
    previous: list[Hit] = []
    if conversation is not None and conversation.last is not None and resolved.beta > 0:
        previous = stored_hits(searcher, conversation.last.evidence)
        if inside is not None:
            allowed = set(inside)
            previous = [h for h in previous if h.chunk_id in allowed]
    hits, same = keep_evidence(previous, fresh, resolved.own, searcher.encoder, resolved.beta,
                               question=question)
    hits, broad, named = _with_gists(searcher, question, hits, inside, query, theme, documents)
    label = place.label if place else None
    if not hits:
        return Working(question, None, [], resolved, label, 1, False, query=query)
    packed = fit(question, hits, searcher, n_ctx=n_ctx, count=count, max_tokens=max_tokens,
                 evidence_budget=evidence_budget, conversation=conversation, callees=not same)
    # a gist is no one's words: quotes come from passages only; the whole book is
    # answered by its gists alone: no one sentence is about all of it
    passages = {i + 1 for i, h in enumerate(packed.evidence) if h.gist is None}
    if named:       # a 'which chapters' question: a quote from each chapter named
        quotes: list[Quote] = []
        for c in named[:QUOTES + 1]:
            inside_c = {t for t in passages
                        if c.first_chunk <= packed.evidence[t - 1].chunk_id <= c.last_chunk}
            quotes += best_quotes(quoting, packed.evidence, searcher, limit=1, among=inside_c)
    else:
        quotes = [] if broad == "whole" else \
            best_quotes(quoting, packed.evidence, searcher, limit=1 if broad else QUOTES,
                        margin=QUOTE_MARGIN, among=passages)
    if not named and not any(h.gist for h in packed.evidence):
        broad = None
    route = "gists" if (named or broad not in (None, "spread")) else "facts"
    how = _how(route, broad, named, hits, packed, inside is not None)
    line = chapters_line(named, packed.evidence) if named else None
    return Working(question, packed, quotes, resolved, label, 1, same, broad, tuple(named),
                   route=route, how=how, line=line, quiet=bool(named), query=query)


def _how(route: str, broad: str | None, named, hits, packed: Packed, placed: bool) -> str:
    passages = sum(1 for h in packed.evidence if h.gist is None)
    gists = len(packed.evidence) - passages
    if named:
        return (f"chapters scored by meaning (no literal mention): {len(named)} named, "
                f"{passages} passages read")
    said = f"recall: {passages} passage{'s' if passages != 1 else ''} read"
    if gists:
        said += f", {gists} gist{'s' if gists != 1 else ''}"
    return said + (" inside the place named" if placed else "")


def _with_gists(searcher: Searcher, question: str, hits: list[Hit], inside: Sequence[int] | None,
                query: Query, theme: Broad | None, documents: Sequence[int] | None
                ) -> tuple[list[Hit], str | None, list[ChapterHit]]:
    """A broad question's gists before its chunk hits (engine/gists/recall.py); a 'which
    chapters' question gets the chapters it names (`_which_chapters`)."""
    broad = theme or broad_question(question, place=inside is not None)
    if broad is None:
        blocks = searcher.store.blocks_of_chunks([h.chunk_id for h in hits])
        if not spread(hits, blocks.get):
            return hits, None, []
        broad = Broad("spread")
    if broad.kind == "which" and inside is None:
        return _which_chapters(searcher, hits, broad, query.plain, documents)
    # spread hits keep their passages and gain the two chapters nearest the question
    # the whole book gets every chapter that fits the evidence budget (pack drops the rest)
    k = {"spread": 2, "whole": 24}.get(broad.kind, 6)
    gists = gist_hits(searcher.store, query.plain, broad, within=inside, k=k)
    if not gists or broad.kind == "which":
        return hits, None, []
    return gists + hits, broad.kind, []


def _which_chapters(searcher: Searcher, hits: list[Hit], broad: Broad, key: np.ndarray,
                    documents: Sequence[int] | None
                    ) -> tuple[list[Hit], str | None, list[ChapterHit]]:
    """The chapters a 'which chapters' question names (engine/gists/chapters.py), each by
    its chapter gist where the digest wrote one, then each one's best passage, then the
    question's other passages inside them. Works before any gist exists."""
    store = searcher.store
    docs, copies = list(documents or ()), set()
    if not docs:
        for path in dict.fromkeys(h.location.path for h in hits if h.gist is None):
            doc = store.document(path)
            if doc is not None and (doc.hash is None or doc.hash not in copies):
                docs.append(doc.id)       # the same file at two paths is one book here
                copies.add(doc.hash)
    named = chapters_named(store, docs[:WHICH_DOCUMENTS], key)
    if not named:
        return hits, None, []
    gists = gist_hits(store, key, broad, named=named)
    best = {c.best_chunk: c.score for c in named}
    passages = [replace(h, score=best[h.chunk_id]) for h in stored_hits(searcher, list(best))]
    inside = [h for h in hits if h.gist is None and h.chunk_id not in best
              and any(c.first_chunk <= h.chunk_id <= c.last_chunk for c in named)]
    return gists + passages + inside, "which", named


def chapters_line(named: Sequence[ChapterHit], evidence: Sequence[Hit]) -> AnswerLine:
    """The answer line of a 'which chapters' question: the chapters, each cited by its
    chapter gist where there is one, else by its best passage."""
    parts = []
    several = len({c.doc_id for c in named}) > 1     # then each chapter says its book
    for c in named:
        tag = next((i + 1 for i, h in enumerate(evidence) if h.gist is not None
                    and h.gist.level == "chapter" and c.first_chunk <= h.chunk_id <= c.last_chunk),
                   None) or next((i + 1 for i, h in enumerate(evidence)
                                  if h.gist is None and h.chunk_id == c.best_chunk), None)
        title = gist_title("chapter", c.heading, "")
        if several and tag:
            title = f"{Path(evidence[tag - 1].location.path).name}: {title}"
        parts.append(f"{title} [{tag}]" if tag else title)
    return AnswerLine("; ".join(parts), None, "chapters")
