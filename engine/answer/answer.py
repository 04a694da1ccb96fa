"""Answering a question: recall → quote → pack → stream the model → map citations."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.answer.citations import CitationFilter, cited_numbers
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

    @property
    def citations(self) -> list[tuple[int, Hit]]:
        """(tag, evidence) for every tag the answer cites, in order of first use."""
        return [(n, self.evidence[n - 1]) for n in cited_numbers(self.text)
                if 1 <= n <= len(self.evidence)]

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "citations": [{"n": n, **hit.to_json()} for n, hit in self.citations],
            "stopped": self.stopped,
        }


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
) -> Answer:
    emit = on_text or (lambda s: None)
    hits = searcher.search(question, k=k)
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
    if quote is not None:
        hit = packed.evidence[quote.tag - 1]
        text = f"“{quote.text}” [{quote.tag}] ({describe(hit)})\n\n"
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
    return Answer(question, text.strip(), quote, packed.evidence, packed.omitted, stopped)
