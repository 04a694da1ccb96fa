"""Answering a question: recall → quote → pack → stream the model → map citations."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.answer.citations import CitationFilter, cited_numbers
from engine.answer.moment import narrow_to_quote
from engine.answer.prompt import describe, pack
from engine.answer.quote import Quote, best_quote
from engine.jobs import CancelToken
from engine.model.llm import LLM
from engine.recall import Hit, Searcher
from engine.recall.callees import callee_hits

__all__ = ["Answer", "answer"]

EVIDENCE_BUDGET = 1500  # tokens; the bundled model reads ~350 tokens/s on two cores


@dataclass
class Answer:
    question: str
    text: str
    quote: Quote | None
    evidence: list[Hit]
    omitted: list[Hit] = field(default_factory=list)
    stopped: bool = False
    # The quoted evidence located at the cue(s) that say the quote (media scenes only).
    moment: Hit | None = None

    @property
    def citations(self) -> list[tuple[int, Hit]]:
        """(tag, evidence) for every tag the answer cites, in order of first use; the
        quoted tag of a subtitle scene points at the moment the quote is said."""
        quoted = self.quote.tag if self.quote is not None and self.moment is not None else None
        return [(n, self.moment if n == quoted else self.evidence[n - 1])
                for n in cited_numbers(self.text) if 1 <= n <= len(self.evidence)]

    def to_json(self) -> dict:
        citations = []
        for n, hit in self.citations:
            entry = {"n": n, **hit.to_json()}
            if hit is self.moment:   # keep the whole scene's span beside the moment's
                scene = self.evidence[n - 1].location
                entry.update(scene_start_s=scene.start_s, scene_end_s=scene.end_s)
            citations.append(entry)
        return {"answer": self.text, "citations": citations, "stopped": self.stopped}


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
) -> Answer:
    emit = on_text or (lambda s: None)
    hits = searcher.search(question, k=k, mode=mode)
    if not hits:
        text = "The library holds nothing that matches this question."
        emit(text)
        return Answer(question, text, None, [])
    budget = min(evidence_budget, llm.n_ctx - max_tokens - 64)
    # definitions the recalled code calls, packed after the recalled units if they fit
    hits = hits + callee_hits(searcher.store, hits)
    packed = pack(question, hits, budget=budget, count=llm.count)
    quote = best_quote(question, packed.evidence, searcher.encoder)
    text = ""
    moment = None
    if quote is not None:
        hit = packed.evidence[quote.tag - 1]
        if hit.location.cue_start is not None:
            moment = narrow_to_quote(hit, quote.text, searcher.store.cues_of(hit.chunk_id))
        text = f"“{quote.text}” [{quote.tag}] ({describe(moment or hit)})\n\n"
        emit(text)
    filt = CitationFilter(len(packed.evidence))
    stopped = False
    for piece in llm.stream(packed.messages, max_tokens=max_tokens, cancel=cancel):
        shown = filt.feed(piece)
        text += shown
        emit(shown)
    if cancel is not None and cancel.cancelled:
        stopped = True
    tail = filt.flush()
    text += tail
    emit(tail)
    return Answer(question, text.strip(), quote, packed.evidence, packed.omitted, stopped,
                  moment)
