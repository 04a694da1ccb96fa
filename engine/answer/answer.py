"""Answering a question: resolve → recall (one or two hops, maybe in a place) → pack →
quote → answer line → stream the model (reusing the evidence's KV state) → check → map
citations.

Every answer opens with one short answer line taken from the quoted evidence and cited
(engine/answer/answer_line.py), or "The library does not say."; then the verbatim evidence
sentences the engine chose, each cited; then the model's synthesis, checked: a sentence
whose names or numbers occur in no cited evidence is flagged. Small local models invent;
the line and the quotes keep answers trustworthy.
"""
from __future__ import annotations

import time
from pathlib import Path
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from engine.answer.answer_line import NOT_SAID, AnswerLine, answer_line
from engine.answer.check import Flag, check_synthesis
from engine.answer.citations import CitationFilter, cited_numbers
from engine.answer.moment import narrow_to_quote
from engine.answer.prompt import Packed, describe, history_budget, pack
from engine.answer.quote import Quote, best_quotes
from engine.conversation.followup import Resolved, keep_evidence, resolve
from engine.conversation.hops import bridge_terms, split_hops
from engine.conversation.place import chunks_of, find_place
from engine.conversation.recall import recall
from engine.gists.chapters import ChapterHit, chapters_named
from engine.gists.recall import Broad, broad_question, gist_hits, gist_line, spread
from engine.store.conversations import Conversation
from engine.store.gists import gist_title
from engine.jobs import CancelToken
from engine.model.kv_cache import KVCache
from engine.model.llm import LLM, StreamStats
from engine.recall import Hit, Searcher
from engine.recall.callees import callee_hits

__all__ = ["Answer", "Working", "answer", "working_memory"]

EVIDENCE_BUDGET = 1500  # tokens; the model reads them all before its first token
WHOLE = 1               # passages recalled for a two-part question as a whole
QUOTES = 3              # quoted sentences at most: the first from the best-ranked passage,
QUOTE_MARGIN = 0.05     # the others from other passages scoring within this of it


@dataclass
class Answer:
    question: str
    text: str                        # what the reader sees: quotes, synthesis, flags
    quote: Quote | None              # the first quote (kept for older callers)
    evidence: list[Hit]
    omitted: list[Hit] = field(default_factory=list)
    stopped: bool = False
    # The quoted evidence located at the cue(s) that say the quote (media scenes only).
    moment: Hit | None = None
    quotes: list[Quote] = field(default_factory=list)
    synthesis: str = ""              # the model's part, citations filtered
    flags: list[Flag] = field(default_factory=list)
    resolved: str = ""               # the keyword query recall used
    beta: float = 0.0                # share of the conversation memory in the recall key
    place: str | None = None         # the place recall was restricted to
    hops: int = 1
    same_evidence: bool = False      # a follow-up over unchanged working memory
    kv: str = "off"                  # where the evidence's KV state came from
    first_token_s: float | None = None
    prompt_tokens: int = 0
    reused_tokens: int = 0
    conversation: int | None = None
    line: AnswerLine | None = None   # the short answer the text opens with
    line_s: float | None = None      # seconds from the question to that line
    # documents still between the phases of reading: recall found them by keyword only
    still_reading: list[str] = field(default_factory=list)
    broad: str | None = None         # a broad question answered over levels: its kind ("which"
                                     # names chapters also before any gist is written)

    @property
    def citations(self) -> list[tuple[int, Hit]]:
        """(tag, evidence) for every tag the answer cites, in order of first use; the
        quoted tag of a subtitle scene points at the moment the quote is said."""
        quoted = self.quote.tag if self.quote is not None and self.moment is not None else None
        return [(n, self.moment if n == quoted else self.evidence[n - 1])
                for n in cited_numbers(self.text) if 1 <= n <= len(self.evidence)]

    @property
    def reading_note(self) -> str | None:
        """What the reader is told when some documents were not yet understood."""
        n = len(self.still_reading)
        if not n:
            return None
        which = "1 document is" if n == 1 else f"{n} documents are"
        return (f"{which} still being read for meaning; recall found "
                f"{'its' if n == 1 else 'their'} passages by keyword only.")

    def to_json(self) -> dict:
        citations = []
        for n, hit in self.citations:
            entry = {"n": n, **hit.to_json()}
            if hit is self.moment:   # keep the whole scene's span beside the moment's
                scene = self.evidence[n - 1].location
                entry.update(scene_start_s=scene.start_s, scene_end_s=scene.end_s)
            citations.append(entry)
        quotes = [{"text": q.text, "n": q.tag, "label": describe(self.evidence[q.tag - 1]),
                   "path": self.evidence[q.tag - 1].location.path} for q in self.quotes]
        omitted = [{k: v for k, v in h.to_json().items() if k != "text"} | {"label": describe(h)}
                   for h in self.omitted]
        line = self.line.to_json() | {"label": describe(self.evidence[self.line.tag - 1])} \
            if self.line is not None and self.line.tag else \
            (self.line.to_json() if self.line is not None else None)
        return {"text": self.text, "answer_line": line, "quotes": quotes, "answer": self.synthesis,
                "flags": [f.to_json() for f in self.flags], "citations": citations,
                "omitted": omitted, "stopped": self.stopped, "conversation": self.conversation,
                "resolved_query": self.resolved, "beta": round(self.beta, 3),
                "place": self.place, "hops": self.hops, "same_evidence": self.same_evidence,
                "kv": self.kv, "first_token_s": self.first_token_s, "line_s": self.line_s,
                "prompt_tokens": self.prompt_tokens, "reused_tokens": self.reused_tokens,
                "still_reading": self.still_reading, "broad": self.broad}


def _stored_hits(searcher: Searcher, ids: Sequence[int]) -> list[Hit]:
    """Evidence a previous turn used, as far as it still exists (re-ingest drops it)."""
    chunks = searcher.store.chunks(list(ids))
    frames = searcher.store.keyframes_of([c for c in ids if c in chunks])
    return [Hit(c, chunks[c].text, chunks[c].location, 0.0, frames.get(c, ()))
            for c in ids if c in chunks]


def _interleave(*lists: Sequence[Hit]) -> list[Hit]:
    out, seen = [], set()
    for row in zip(*[list(x) + [None] * (max(map(len, lists)) - len(x)) for x in lists]):
        for h in row:
            if h is not None and h.chunk_id not in seen:
                seen.add(h.chunk_id)
                out.append(h)
    return out


def _within(searcher: Searcher, text: str):
    """(place, chunk ids) the text restricts recall to; (None, None) when it names none or
    the library holds nothing at the place it names."""
    place = find_place(text)
    if place is None:
        return None, None
    ids = chunks_of(searcher.store, place)
    return (place, ids) if ids else (None, None)


@dataclass
class Working:
    """What the model will read for one question, before it reads it."""
    question: str
    packed: Packed | None        # None when recall found nothing
    quotes: list[Quote]
    resolved: Resolved
    place: str | None
    hops: int
    same: bool                   # a follow-up over unchanged working memory
    broad: str | None = None     # the kind of broad question (engine/gists/recall.py)
    chapters: tuple[ChapterHit, ...] = ()   # the chapters a 'which chapters' question names


def working_memory(question: str, searcher: Searcher, *, n_ctx: int, count: Callable[[str], int],
                   k: int = 6, max_tokens: int = 160, evidence_budget: int = EVIDENCE_BUDGET,
                   mode: str = "fused", conversation: Conversation | None = None) -> Working:
    """Resolve, recall (one or two hops, maybe inside a place), pack and choose the quotes."""
    exact = mode == "exact"
    encoder = searcher.encoder
    resolved = resolve(question, conversation, encoder)
    parts = split_hops(question)
    same, place_label, groups, broad, named = False, None, None, None, ()
    if len(parts) == 2:
        half = max(2, k // 2)
        p1, in1 = _within(searcher, parts[0])
        first = recall(searcher, parts[0], k=half, within=in1, exact=exact)
        found = best_quotes(parts[0], first, searcher, limit=1)
        bridge = bridge_terms(searcher.store, found[0].text if found else
                              (first[0].text if first else ""), " ".join(parts), limit=3)
        p2, in2 = _within(searcher, parts[1])
        parts = [parts[0], " ".join([parts[1], *bridge])]
        # the bridge words are names the encoder may never have seen: let them count
        second = recall(searcher, parts[1], k=half, within=in2, exact=exact, keyword_weight=0.5)
        # "what did they want, and how long did they stop?" is often one place, which the
        # whole question finds better than either half: it is recalled and quoted too
        whole = [] if in1 is not None or in2 is not None else \
            recall(searcher, question, k=WHOLE, exact=exact)
        hits = _interleave(first, second, whole)
        groups = [{h.chunk_id for h in first}, {h.chunk_id for h in second}]
        place_label = " / ".join(p.label for p in (p1, p2) if p is not None) or None
    else:
        place, within = _within(searcher, question)
        place_label = place.label if place else None
        fresh = recall(searcher, resolved.text, k=k, within=within, exact=exact,
                       key=resolved.key if resolved.beta > 0 else None)
        previous: list[Hit] = []
        if conversation is not None and conversation.last is not None and resolved.beta > 0:
            previous = _stored_hits(searcher, conversation.last.evidence)
            if within is not None:
                allowed = set(within)
                previous = [h for h in previous if h.chunk_id in allowed]
        hits, same = keep_evidence(previous, fresh, resolved.own, encoder, resolved.beta,
                                   question=question)
        hits, broad, named = _with_gists(searcher, question, hits, within)
    if not hits:
        return Working(question, None, [], resolved, place_label, len(parts), False)
    # evidence gets its budget, the conversation its reserve beside it, both within the context
    talk = history_budget(n_ctx)
    budget = min(evidence_budget + talk, n_ctx - max_tokens - 64)
    if not same:   # definitions the recalled code calls, packed after the units if they fit
        hits = hits + callee_hits(searcher.store, hits)
    history = [(t.question, t.answer) for t in conversation.turns] if conversation else []
    packed = pack(question, hits, budget=budget, count=count, history=history,
                  history_tokens=talk)
    if groups is not None:   # one quote from each hop's evidence, so both places are cited
        quotes: list[Quote] = []
        asked = [*zip(parts, groups), (question, {h.chunk_id for h in whole})]
        for part, ids in asked:
            tags = {i + 1 for i, h in enumerate(packed.evidence) if h.chunk_id in ids}
            quotes += [q for q in best_quotes(part, packed.evidence, searcher, limit=1, among=tags)
                       if all(q.tag != o.tag for o in quotes)]
    else:
        # scored against this question plus the words carried from the last turn, not the
        # mixed key: the quote must answer what is asked now, the memory only says who "she" is.
        # A gist is no one's words: quotes come from passages only.
        # The whole book is answered by its gists alone: no one sentence is about all of it.
        passages = {i + 1 for i, h in enumerate(packed.evidence) if h.gist is None}
        if named:       # a 'which chapters' question: a quote from each chapter named
            quotes = []
            for c in named[:QUOTES + 1]:
                inside = {t for t in passages
                          if c.first_chunk <= packed.evidence[t - 1].chunk_id <= c.last_chunk}
                quotes += best_quotes(resolved.text, packed.evidence, searcher, limit=1,
                                      among=inside)
        else:
            quotes = [] if broad == "whole" else \
                best_quotes(resolved.text, packed.evidence, searcher,
                            limit=1 if broad else QUOTES, margin=QUOTE_MARGIN, among=passages)
    if not named and not (packed is not None and any(h.gist for h in packed.evidence)):
        broad = None
    return Working(question, packed, quotes, resolved, place_label, len(parts), same, broad,
                   tuple(named))


def _with_gists(searcher: Searcher, question: str, hits: list[Hit],
                within: Sequence[int] | None
                ) -> tuple[list[Hit], str | None, list[ChapterHit]]:
    """A broad question's gists before its chunk hits (engine/gists/recall.py); a 'which
    chapters' question gets the chapters it names (`_which_chapters`)."""
    broad = broad_question(question, place=within is not None)
    if broad is None:
        blocks = searcher.store.blocks_of_chunks([h.chunk_id for h in hits])
        if not spread(hits, blocks.get):
            return hits, None, []
        broad = Broad("spread")
    if broad.kind == "which" and within is None:
        return _which_chapters(searcher, question, broad, hits)
    # spread hits keep their passages and gain the two chapters nearest the question
    # the whole book gets every chapter that fits the evidence budget (pack drops the rest)
    k = {"spread": 2, "whole": 24}.get(broad.kind, 6)
    gists = gist_hits(searcher.store, searcher.encoder.encode_query, question, broad,
                      within=within, k=k)
    if not gists or broad.kind == "which":
        return hits, None, []
    return gists + hits, broad.kind, []


WHICH_DOCUMENTS = 3   # a theme is looked for in the books the question's passages are in


def _which_chapters(searcher: Searcher, question: str, broad: Broad, hits: list[Hit]
                    ) -> tuple[list[Hit], str | None, list[ChapterHit]]:
    """The chapters a 'which chapters' question names (engine/gists/chapters.py), each by
    its chapter gist where the digest wrote one, then each one's best passage, then the
    question's other passages inside them. Works before any gist exists."""
    store = searcher.store
    docs, copies = [], set()
    for path in dict.fromkeys(h.location.path for h in hits if h.gist is None):
        doc = store.document(path)
        if doc is not None and (doc.hash is None or doc.hash not in copies):
            docs.append(doc.id)       # the same file at two paths is one book here
            copies.add(doc.hash)
    named = chapters_named(store, docs[:WHICH_DOCUMENTS],
                           searcher.encoder.encode_query(broad.theme or question))
    if not named:
        return hits, None, []
    gists = gist_hits(store, searcher.encoder.encode_query, question, broad, named=named)
    best = {c.best_chunk: c.score for c in named}
    passages = [replace(h, score=best[h.chunk_id]) for h in _stored_hits(searcher, list(best))]
    inside = [h for h in hits if h.gist is None and h.chunk_id not in best
              and any(c.first_chunk <= h.chunk_id <= c.last_chunk for c in named)]
    return gists + passages + inside, "which", named


def _chapters_line(named: Sequence[ChapterHit], evidence: Sequence[Hit]) -> AnswerLine:
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


def answer(
    question: str,
    searcher: Searcher,
    llm: LLM,
    *,
    k: int = 6,
    max_tokens: int = 160,
    evidence_budget: int = EVIDENCE_BUDGET,
    on_text: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
    mode: str = "fused",
    conversation: Conversation | None = None,
    kv: KVCache | None = None,
) -> Answer:
    emit = on_text or (lambda s: None)
    start = time.perf_counter()
    wm = working_memory(question, searcher, n_ctx=llm.n_ctx, count=llm.count, k=k,
                        max_tokens=max_tokens, evidence_budget=evidence_budget, mode=mode,
                        conversation=conversation)
    resolved, packed, quotes = wm.resolved, wm.packed, wm.quotes
    if packed is None:
        text = "The library holds nothing that matches this question."
        emit(text)
        return Answer(question, text, None, [], resolved=resolved.text, beta=resolved.beta,
                      place=wm.place, hops=wm.hops)
    # a follow-up ("and why?") is judged by the evidence it keeps, not by how near its
    # few words are to it
    fresh = resolved.beta == 0 and not wm.same
    gists = [(i + 1, h) for i, h in enumerate(packed.evidence) if h.gist is not None]
    # a question broad by its words opens with what the gists say; one whose hits were
    # merely spread may still be answered by a passage, so its line comes from the quotes
    if wm.chapters:
        line = _chapters_line(wm.chapters, packed.evidence)
    elif wm.broad not in (None, "spread") and gists:
        line = gist_line(gists)
    else:
        line = answer_line(resolved.text, quotes, llm, floor=fresh)
    said = f"Answer: {line.text}" + (f" [{line.tag}]" if line.tag else "") + "\n\n"
    text, moment = said, None
    emit(said)
    line_s = time.perf_counter() - start
    if line.text == NOT_SAID and quotes:
        text += "Nearest passages:\n"
        emit("Nearest passages:\n")
    for tag, hit in gists:                      # what the places are about, then their words
        shown = f"• {describe(hit)}: {hit.text} [{tag}]\n"
        text += shown
        emit(shown)
    if gists and quotes:
        text += "\n"
        emit("\n")
    for i, quote in enumerate(quotes):
        hit = packed.evidence[quote.tag - 1]
        here = None
        if hit.location.cue_start is not None:
            here = narrow_to_quote(hit, quote.text, searcher.store.cues_of(hit.chunk_id))
            moment = moment or (here if i == 0 else None)
        shown = f"“{quote.text}” [{quote.tag}] ({describe(here or hit)})\n"
        text += shown
        emit(shown)
    if quotes:
        text += "\n"
        emit("\n")
    documents = sorted({h.location.path for h in packed.evidence})
    hashes = [(p, (searcher.store.document(p).hash if searcher.store.document(p) else "") or "")
              for p in documents]
    filt = CitationFilter(len(packed.evidence))
    synthesis = ""
    # nothing for the model to add where the library does not say: it would invent
    # nor where the line already names the chapters asked for: it would only retell them
    quiet = (line.text == NOT_SAID and fresh) or bool(wm.chapters)
    pieces = iter(()) if quiet else \
        llm.stream(packed.messages, max_tokens=max_tokens, cancel=cancel, stable=packed.stable,
                   kv=kv, documents=hashes, reuse=kv is not None)
    for piece in pieces:
        shown = filt.feed(piece)
        synthesis += shown
        emit(shown)
    stopped = cancel is not None and cancel.cancelled
    tail = filt.flush()
    synthesis += tail
    emit(tail)
    text += synthesis
    flags = check_synthesis(synthesis, packed.evidence) if not stopped else []
    if flags:
        note = "\n\n⚠ Not found in the cited evidence: " + "; ".join(
            ", ".join(f.unsupported) for f in flags) + "."
        text += note
        emit(note)
    stats = StreamStats() if quiet else llm.last
    return Answer(question, text.strip(), quotes[0] if quotes else None, packed.evidence,
                  line=line, line_s=line_s,
                  omitted=packed.omitted, stopped=stopped, moment=moment, quotes=quotes,
                  synthesis=synthesis.strip(),
                  flags=flags, resolved=resolved.text, beta=resolved.beta, place=wm.place,
                  hops=wm.hops, same_evidence=wm.same, broad=wm.broad, kv=stats.kv,
                  first_token_s=stats.first_token_s, prompt_tokens=stats.prompt_tokens,
                  reused_tokens=stats.reused_tokens,
                  conversation=conversation.id if conversation else None)
