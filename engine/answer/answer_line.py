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
from dataclasses import dataclass, replace
from typing import Sequence

from engine.answer.check import claims
from engine.answer.quote import Quote
from engine.answer.spans import Span, candidate_spans, typed_spans

__all__ = ["AnswerLine", "answer_line", "sure", "NOT_SAID", "NOT_SAID_BELOW", "SPAN_SURE",
           "MARGIN_SURE"]

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
# A span is shown only when the reader is sure of it: it beats the best span elsewhere in
# the evidence (another sentence's, or this one's elsewhere) by MARGIN_SURE nats, and its
# own score reaches SPAN_SURE; else the line is recall's best sentence itself. Fitted on
# the calibration halves of bench/answers.py's fact questions (the long book's planted
# facts and questions about the real texts, 35 whose fact search ranked in its top 5): at
# 4 nats a wrong span was shown for 1 of them and the line held the answer for 25, against
# 13 wrong spans and 22 right lines showing every span; a floor on the score added nothing
# at any margin (the sweep is in the bench's output). A span with no rival (a question for
# written words whose evidence quotes only "EAT ME") counts as beating it.
SPAN_SURE = float("-inf")
MARGIN_SURE = 4.0
_SYSTEM = "You answer with a short phrase copied from the evidence."
_NEUTRAL = "What does it say?"
_WRITE = ("Answer the question in a few words, using only the evidence. If the evidence "
          "does not answer it, say: not said.")


@dataclass(frozen=True)
class AnswerLine:
    text: str               # the short answer, or NOT_SAID
    tag: int | None         # the evidence it is taken from (None with NOT_SAID)
    how: str                # "span": chosen among the evidence's spans; "model": a server's
                            # own words, checked; "sentence": the quoted sentence itself (no
                            # span fitted, or none was sure enough); "none"; and the routes'
                            # own: "mentions", "code", "chapters", "gist", "two-part"
    score: float = 0.0      # the best span's score, whether shown or not
    margin: float = 0.0     # how far it beat the best span elsewhere in the evidence
    span: str = ""          # the best span, also when the sentence is shown instead
    parts: tuple["AnswerLine", ...] = ()    # a two-part question's lines, one a part

    def to_json(self) -> dict:
        out = {"text": self.text, "n": self.tag, "how": self.how}
        if self.span:
            out.update(span=self.span, score=round(self.score, 4), margin=round(self.margin, 4))
        if self.parts:
            out["parts"] = [p.to_json() for p in self.parts]
        return out


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


def sure(line: AnswerLine) -> bool:
    """Whether a chosen span is sure enough to be shown (`SPAN_SURE`, `MARGIN_SURE`)."""
    return line.score >= SPAN_SURE and line.margin >= MARGIN_SURE


def answer_line(question: str, quotes: Sequence[Quote], llm, *, floor: bool = True,
                avoid: Sequence[str] = ()) -> AnswerLine:
    """The line for `quotes` (best first); NOT_SAID when there are none or, with `floor`,
    when none is near enough the question (`NOT_SAID_BELOW`). A span is shown only when
    it is `sure`; else the line is the first quote itself, so the person is never shown a
    short wrong answer above the right sentence. `avoid`: spans already given (a
    two-part question's first answer)."""
    if not quotes or (floor and max(q.cosine for q in quotes) < NOT_SAID_BELOW):
        return AnswerLine(NOT_SAID, None, "none")
    if hasattr(llm, "score_replies"):
        line = _chosen(question, quotes, llm, avoid)
        # a span is shown only from recall's best sentence: where the model's best span lies
        # in another sentence, the two disagree about where the answer is (on the
        # calibration facts such spans were as often wrong as right), and recall's sentence
        # is the safer line
        if line.how == "span" and (not sure(line) or line.tag != quotes[0].tag):
            return replace(line, text=quotes[0].text, tag=quotes[0].tag, how="sentence")
        return line
    return _written(question, quotes, llm)


NO_RIVAL = 10.0       # the margin of a span no other span competes with


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _chosen(question: str, quotes: Sequence[Quote], llm, avoid: Sequence[str] = ()) -> AnswerLine:
    given = {a.lower() for a in avoid}
    found = [(t, s) for t, s in _candidates(question, quotes) if s.text.lower() not in given]
    if not found:
        return AnswerLine(quotes[0].text, quotes[0].tag, "sentence")
    evidence = _evidence(quotes)
    ask, neutral = _messages(evidence, question), _messages(evidence, _NEUTRAL)
    found = _promising(found, llm, ask, neutral)
    texts = [s.text for _, s in found]
    prior = llm.score_replies(neutral, texts)     # neutral first: its prompt is still read
    asked = llm.score_replies(ask, texts)
    scored = []
    for (tag, span), a, p in zip(found, asked, prior):
        if a is None or p is None:
            continue
        scored.append(((a.logprob - p.logprob) + a.stop + (a.stop - p.stop)
                       + WORD_CREDIT * len(span.text.split()), tag, span))
    if not scored:
        return AnswerLine(quotes[0].text, quotes[0].tag, "sentence")
    best_score, tag, span = max(scored, key=lambda x: x[0])
    # the best span that says something else: another quote's, or this one's elsewhere
    elsewhere = [s for s, t, x in scored if t != tag or not _overlap(x, span)]
    margin = best_score - max(elsewhere) if elsewhere else NO_RIVAL
    return AnswerLine(span.text, tag, "span", best_score, margin, span.text)


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
