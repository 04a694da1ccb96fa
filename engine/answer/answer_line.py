"""The answer line: one short answer, taken from the quoted evidence and cited.

Why: people ask a document tool for an answer first and evidence second, and a small
local model asked for an answer in its own words invents one. So with the in-process
model the line is *chosen*, not written: among the short spans of the quoted sentences
(engine/answer/spans.py), the one whose likelihood the question raises most — log P(span |
evidence, question) less log P(span | evidence, a question that asks nothing), so a span
is not chosen for being likely anyway (a sentence's opening words, a frequent name) —
and after which the model would stop: log P(stop | question), plus how much the question
raises it over the neutral prompt, since stopping where the sentence ends is likely under
any prompt. A model server may write its own line; every name and number in it must
occur in the quoted evidence, or the line is replaced by the evidence span closest to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from engine.answer.check import claims
from engine.answer.quote import Quote
from engine.answer.spans import Span, candidate_spans, typed_spans

__all__ = ["AnswerLine", "answer_line", "NOT_SAID", "NOT_SAID_BELOW"]

NOT_SAID = "The library does not say."
STARTS = 24           # starting words whose spans are scored whole
# Nats credited per word of a span: every copied token costs a little log-probability even
# when the question asks for it, which would make the head word ("spoon") beat the
# whole phrase ("one silver spoon").
WORD_CREDIT = 0.2
# Below this plain cosine between the question and every quoted sentence, the library is
# taken not to say: the nearest evidence is then about something else. Plain cosines, not
# recall's scores, because those are centred and hub-corrected only in large libraries.
NOT_SAID_BELOW = 0.35
_SYSTEM = "You answer with a short phrase copied from the evidence."
_NEUTRAL = "What does it say?"
_WRITE = ("Answer the question in a few words, using only the evidence. If the evidence "
          "does not answer it, say: not said.")


@dataclass(frozen=True)
class AnswerLine:
    text: str               # the short answer, or NOT_SAID
    tag: int | None         # the evidence it is taken from (None with NOT_SAID)
    how: str                # "span": chosen among the evidence's spans; "model": a server's
                            # own words, checked; "sentence": no span fitted; "none"
    score: float = 0.0      # the chosen span's score (how: "span")

    def to_json(self) -> dict:
        return {"text": self.text, "n": self.tag, "how": self.how}


# Two worked examples (invented, about nothing in any library): a small model copies the
# sentence's subject, the thing the question already names, unless shown that the answer is
# the part the question asks for.
_EXAMPLES = (
    ("The gardener Tom Hale planted forty rose bushes along the east wall in 1902.",
     "How many flowers did the groundskeeper put in?", "forty rose bushes"),
    ("Mary Lisle kept her grandmother's ring inside an old tea tin on the kitchen shelf.",
     "Where was the family jewel hidden?", "inside an old tea tin"),
)


def _messages(evidence: str, question: str, system: str = _SYSTEM,
              examples: bool = True) -> list[dict]:
    turns = [{"role": "system", "content": system}]
    for said, asked, answer in (_EXAMPLES if examples else ()):
        turns += [{"role": "user", "content": f"Evidence: {said}\nQuestion: {asked}"},
                  {"role": "assistant", "content": answer}]
    return turns + [{"role": "user", "content": f"Evidence: {evidence}\nQuestion: {question}"}]


def _evidence(quotes: Sequence[Quote]) -> str:
    return "\n".join(q.text for q in quotes)


def _candidates(question: str, quotes: Sequence[Quote]) -> list[tuple[int, Span]]:
    spans = [(q.tag, s) for q in quotes for s in candidate_spans(question, q.text, typed=False)]
    return typed_spans(question, spans, {q.tag: q.text for q in quotes})


def answer_line(question: str, quotes: Sequence[Quote], llm, *, floor: bool = True) -> AnswerLine:
    """The line for `quotes` (best first); NOT_SAID when there are none or, with `floor`,
    when none is near enough the question (`NOT_SAID_BELOW`)."""
    if not quotes or (floor and max(q.cosine for q in quotes) < NOT_SAID_BELOW):
        return AnswerLine(NOT_SAID, None, "none")
    if hasattr(llm, "score_replies"):
        return _chosen(question, quotes, llm)
    return _written(question, quotes, llm)


def _chosen(question: str, quotes: Sequence[Quote], llm) -> AnswerLine:
    found = _candidates(question, quotes)
    if not found:
        return AnswerLine(quotes[0].text, quotes[0].tag, "sentence")
    evidence = _evidence(quotes)
    ask, neutral = _messages(evidence, question), _messages(evidence, _NEUTRAL)
    found = _promising(found, llm, ask, neutral)
    texts = [s.text for _, s in found]
    prior = llm.score_replies(neutral, texts)     # neutral first: its prompt is still read
    asked = llm.score_replies(ask, texts)
    best, best_score = None, float("-inf")
    for (tag, span), a, p in zip(found, asked, prior):
        if a is None or p is None:
            continue
        score = (a.logprob - p.logprob) + a.stop + (a.stop - p.stop) \
            + WORD_CREDIT * len(span.text.split())
        if score > best_score:
            best, best_score = (tag, span), score
    if best is None:
        return AnswerLine(quotes[0].text, quotes[0].tag, "sentence")
    return AnswerLine(best[1].text, best[0], "span", best_score)


def _promising(found: list[tuple[int, Span]], llm, ask: list[dict],
               neutral: list[dict]) -> list[tuple[int, Span]]:
    """The spans starting at the `STARTS` words whose first token the question raises
    most: each start costs a pass of the model, its first token only a lookup."""
    starts: dict[tuple[int, int], str] = {}
    for tag, span in found:
        starts.setdefault((tag, span.start), span.text.split()[0])
    if len(starts) <= STARTS:
        return found
    keys = list(starts)
    words = [starts[k] for k in keys]
    asked = llm.score_replies(ask, words, first_token=True)
    prior = llm.score_replies(neutral, words, first_token=True)
    gain = {k: (a - p if a is not None and p is not None else float("-inf"))
            for k, a, p in zip(keys, asked, prior)}
    keep = set(sorted(keys, key=lambda k: -gain[k])[:STARTS])
    return [(tag, span) for tag, span in found if (tag, span.start) in keep]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w'-]+", text.lower()) if len(w) > 1}


def _written(question: str, quotes: Sequence[Quote], llm) -> AnswerLine:
    """A server's own short answer, kept only if the quoted evidence supports every name
    and number in it; else the evidence span that shares most of its words."""
    text = " ".join(llm.complete(_messages(_evidence(quotes), question, _WRITE),
                                 max_tokens=32, stop=["\n"]).split()).strip()
    if not text or "not said" in text.lower():
        return AnswerLine(NOT_SAID, None, "none")
    said = _words(text)
    home = max(quotes, key=lambda q: len(said & _words(q.text)))
    plain = " ".join(home.text.split()).lower()
    if all(c.lower().replace(",", "") in plain.replace(",", "") for c in claims(text)):
        return AnswerLine(text, home.tag, "model")
    found = _candidates(question, quotes)
    if not found:
        return AnswerLine(home.text, home.tag, "sentence")
    tag, span = max(found, key=lambda ts: (len(said & _words(ts[1].text)) /
                                           (1 + len(_words(ts[1].text)))))
    return AnswerLine(span.text, tag, "span")
