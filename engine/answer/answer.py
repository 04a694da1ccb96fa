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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from engine.answer.answer_line import NOT_SAID, AnswerLine, answer_line
from engine.answer.chained import two_part_memory
from engine.answer.check import Flag, check_synthesis
from engine.answer.citations import CitationFilter, cited_numbers
from engine.answer.code import code_evidence
from engine.answer.facts import EVIDENCE_BUDGET, facts_memory, fit
from engine.answer.mentions import mention_evidence, packed_as_is
from engine.answer.moment import narrow_to_quote
from engine.answer.prompt import describe
from engine.answer.quote import Quote
from engine.answer.routed import Working
from engine.conversation.followup import Resolved, gate
from engine.gists.recall import gist_line
from engine.jobs import CancelToken
from engine.model.kv_cache import KVCache
from engine.model.llm import LLM, StreamStats
from engine.plan import plan_question
from engine.recall import Hit, Searcher
from engine.store.conversations import Conversation
from ingest.code import CODE_SUFFIXES

__all__ = ["Answer", "Working", "answer", "working_memory", "writes_freely"]

# A model smaller than this (parameters) is not asked for a free synthesis under the
# line and the quotes: the bundled 135M model's only retold the line, invented numbers
# ("Not found in the cited evidence: 25") and moralised. About 1B is where answers start
# to stay on the evidence; a model server is taken to be able to.
WRITES_FROM = 0.9e9


def writes_freely(llm) -> bool:
    """Whether `llm` is asked to write a synthesis under the quotes."""
    params = getattr(llm, "parameters", None)
    return params is None or params >= WRITES_FROM


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
    route: str = "facts"             # where the question was sent (engine/plan/planner.py)
    how: str = ""                    # how the answer was found, in a line for the reader
    found: dict = field(default_factory=dict)   # what the route found, as data
    key: np.ndarray | None = field(default=None, repr=False)   # the question's own key

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
                "still_reading": self.still_reading, "broad": self.broad, "route": self.route,
                "how": self.how, **self.found}


def working_memory(question: str, searcher: Searcher, *, n_ctx: int, count: Callable[[str], int],
                   k: int = 6, max_tokens: int = 160, evidence_budget: int = EVIDENCE_BUDGET,
                   mode: str = "fused", conversation: Conversation | None = None,
                   llm=None) -> Working:
    """Plan the question (engine/plan) and gather what its route needs: the evidence, the
    quotes and, where the route knows it, the answer line. `llm` lets a two-part
    question carry its first answer into its second hop."""
    store = searcher.store
    follow_up = conversation is not None and gate(question, conversation) > 0
    plan = plan_question(question, store, follow_up=follow_up)
    if plan.route in ("mentions", "code"):
        query = None
        if plan.route == "mentions":
            found = mention_evidence(store, plan.mentions, plan.documents)
        else:
            if plan.code.form == "describe":
                query = searcher.query(plan.code.name)
            found = code_evidence(store, plan.code, query=query, searcher=searcher)
        if found is not None:
            evidence, quotes, line, data, how = found
            resolved = Resolved(question, question, _NO_KEY, _NO_KEY, 0.0, ())
            packed = packed_as_is(evidence)
            explains = plan.route == "code" and plan.code.form == "explain"
            if explains:     # a model that can explain the unit reads it, and what it calls
                packed, quotes, line = _packed_for_model(question, evidence, quotes, line, searcher,
                                                         n_ctx=n_ctx, count=count,
                                                         max_tokens=max_tokens,
                                                         evidence_budget=evidence_budget)
            return Working(question, packed, quotes, resolved, None, 1, False, route=plan.route,
                           how=how, line=line, quiet=not explains, query=query, found=data)
    if plan.route == "two-part":
        return two_part_memory(question, plan.parts, searcher, n_ctx=n_ctx, count=count, llm=llm,
                               k=k, max_tokens=max_tokens, evidence_budget=evidence_budget,
                               mode=mode, conversation=conversation)
    return facts_memory(question, searcher, n_ctx=n_ctx, count=count, k=k, max_tokens=max_tokens,
                        evidence_budget=evidence_budget, mode=mode, conversation=conversation,
                        theme=plan.broad, documents=plan.documents)


_NO_KEY = np.zeros(0, np.float32)


def _packed_for_model(question: str, evidence: list[Hit], quotes: list[Quote], line: AnswerLine,
                      searcher: Searcher, **budget) -> tuple:
    """A route's evidence packed for the model (source order, what fits), its quotes and
    line re-tagged to the packed order."""
    packed = fit(question, evidence, searcher, conversation=None, **budget)
    tag = {h.chunk_id: i + 1 for i, h in enumerate(packed.evidence)}
    old = {i + 1: h.chunk_id for i, h in enumerate(evidence)}
    quotes = [replace(q, tag=tag[old[q.tag]]) for q in quotes if old.get(q.tag) in tag]
    if line.tag is not None:
        line = replace(line, tag=tag.get(old.get(line.tag)))
    return packed, quotes, line


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
    write: bool | None = None,
) -> Answer:
    """The answer to `question`, streamed to `on_text`. `write`: whether the model writes
    its own synthesis under the quotes (None: only a model that can, `writes_freely`)."""
    emit = on_text or (lambda s: None)
    start = time.perf_counter()
    wm = working_memory(question, searcher, n_ctx=llm.n_ctx, count=llm.count, k=k,
                        max_tokens=max_tokens, evidence_budget=evidence_budget, mode=mode,
                        conversation=conversation, llm=llm)
    resolved, packed, quotes = wm.resolved, wm.packed, wm.quotes
    key = wm.query.plain if wm.query is not None and len(wm.query.plain) else None
    if packed is None:
        text = "The library holds nothing that matches this question."
        emit(text)
        return Answer(question, text, None, [], resolved=resolved.text, beta=resolved.beta,
                      place=wm.place, hops=wm.hops, route=wm.route, how=wm.how, key=key)
    # a follow-up ("and why?") is judged by the evidence it keeps, not by how near its
    # few words are to it
    fresh = resolved.beta == 0 and not wm.same
    gists = [(i + 1, h) for i, h in enumerate(packed.evidence) if h.gist is not None]
    # a question broad by its words opens with what the gists say; one whose hits were
    # merely spread may still be answered by a passage, so its line comes from the quotes
    if wm.line is not None:
        line = wm.line
    elif wm.broad not in (None, "spread") and gists:
        line = gist_line(gists)
    else:
        line = answer_line(resolved.text, quotes, llm, floor=fresh)
    said = f"Answer: {line.text}" + (f" [{line.tag}]" if line.tag and f"[{line.tag}]" not in line.text
                                     else "") + "\n\n"
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
    # the line already is the first quote when no span was sure enough: it is not repeated
    shown_quotes = [q for q in quotes if not (line.how == "sentence" and q.text == line.text)]
    for i, quote in enumerate(quotes):
        hit = packed.evidence[quote.tag - 1]
        here = None
        if hit.location.cue_start is not None:
            here = narrow_to_quote(hit, quote.text, searcher.store.cues_of(hit.chunk_id))
            moment = moment or (here if i == 0 else None)
        if quote not in shown_quotes:
            continue
        code = Path(hit.location.path).suffix.lower() in CODE_SUFFIXES
        words = f"`{quote.text}`" if code else f"“{quote.text}”"
        shown = f"{words} [{quote.tag}] ({describe(here or hit)})\n"
        text += shown
        emit(shown)
    if shown_quotes:
        text += "\n"
        emit("\n")
    if len(wm.found.get("groups", ())) > len(quotes) and wm.route == "mentions":
        more = f"(Quoted: the first {len(quotes)}; the line names every one.)\n\n"
        text += more
        emit(more)
    documents = sorted({h.location.path for h in packed.evidence})
    hashes = [(p, (searcher.store.document(p).hash if searcher.store.document(p) else "") or "")
              for p in documents]
    filt = CitationFilter(len(packed.evidence))
    synthesis = ""
    # no synthesis where the library does not say (the model would invent), where the
    # route's line already is the answer (it would only retell it), nor from a model too
    # small to write one that stays on the evidence
    quiet = (line.text == NOT_SAID and fresh) or bool(wm.chapters) or wm.quiet \
        or not (writes_freely(llm) if write is None else write) or not packed.messages
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
                  conversation=conversation.id if conversation else None,
                  route=wm.route, how=wm.how, found=wm.found, key=key)
