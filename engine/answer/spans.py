"""Candidate answers: the short spans of an evidence sentence that could answer a question.

Why: a small model asked to answer in its own words invents names and numbers, but it can
still judge which words of a sentence answer the question. So the answer line is chosen
among spans of the quoted sentences, never written: every span is a run of the
sentence's own words, so whatever is chosen is grounded by construction.

A span starts and ends on a content word, is at most `MAX_WORDS` long, says something the
question does not (a span made only of the question's own words answers nothing), and
never cuts a number in two ("four hundred and twelve") or from what it counts ("six
days"). A question asking for a quantity ("how many", "how far", "what year", "when")
keeps only spans holding one, when any does, and one asking a price ("how much did it
cost") only spans holding a sum of money, when any does. A question asking who ("who was
sitting on the mushroom?") keeps only the spans naming someone, when any does: a run of
content words ending in a name or in a noun whose first WordNet sense is a person, an
animal or a group of people ("large caterpillar", "Dutch collector", "jury"); without this the
line was a clause after the subject ("top with its arms folded"), likely under any
question. One asking what was said, shouted or sung keeps the words in quotation marks,
as one asking what was written does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.recall.thesaurus import Thesaurus

__all__ = ["Span", "candidate_spans", "typed_spans", "quoted_spans", "wants_quantity", "wants_words",
           "wants_someone", "MAX_WORDS"]

MAX_WORDS = 8

_STOP = frozenset("""a an the of to in on at for by with and or but nor from as is was were be
been being am are his her their its this that these those into onto over under every each
than then so such it he she they we you i me him them us our your my who whom whose which
what when where why how not no there here had has have do did does would could should will
shall may might must can only very also just upon unto myself yourself himself herself
itself ourselves yourselves themselves""".split())
_NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
sixty seventy eighty ninety hundred thousand million billion dozen half quarter score once
twice thrice first second third fourth fifth sixth seventh eighth ninth tenth""".split())
_MONEY = re.compile(r"(pence|penny|pennies|farthings?|shillings?|pounds?|guineas?|crowns?|"
                    r"sovereigns?|florins?|ducats?|dollars?|cents?|francs?|euros?|yen|"
                    r"rupees?)$|^[£$€¥]\d")
# a quantity question about a price: its answer is a sum of money, when the evidence has one
_PRICE_QUESTION = re.compile(r"\b(cost|costs|charged?|charges|pa(?:y|id|ys)|price[ds]?|fees?|"
                             r"fares?|sold|sells?|bought|buy|worth)\b", re.I)
_QUANTITY_QUESTION = re.compile(
    r"\b(how\s+(many|much|far|long|tall|high|old|often|quickly|fast|deep|wide|big|heavy|"
    r"large|soon)|what\s+(number|year|time|age|date|price|sum|amount|distance|size)|"
    r"which\s+year|at\s+what\s+(time|age|hour))\b"
    # "when" asks a time only as the question's own word, not "where was he when he…"
    r"|(?:^|[,;]\s*|\band\s+)when\b", re.I)
# "What was written on it?", "what was the inn called?": the answer is quoted words
_WORDS_QUESTION = re.compile(
    r"\b(written|wrote|write|said|say|says|called|named|read|reads|labell?ed|marked|"
    r"inscribed|engraved|printed|signed|motto|words?|sign|title|"
    # what was said aloud: the quoted speech
    r"shout(?:s|ed|ing)?|cr(?:y|ies|ied|ying)|scream(?:s|ed|ing)?|yell(?:s|ed|ing)?|"
    r"exclaim(?:s|ed|ing)?|whisper(?:s|ed|ing)?|shriek(?:s|ed|ing)?|mutter(?:s|ed|ing)?|"
    r"repl(?:y|ies|ied|ying)|sing|sings|sang|sung|singing)\b", re.I)
# "Who sat on the mushroom?", "whom did the innkeeper refuse?": the answer names someone
_SOMEONE_QUESTION = re.compile(r"^\W*(who|whom)\b", re.I)
# WordNet noun synsets (3.0 offsets) whose kinds are someone: person, animal, social group
# (a jury, a crew); not organism, which takes in plants ("chess" is first a grass)
_SOMEONE = frozenset({7846, 15388, 7950920})
_QUOTED = re.compile(r"`([^`'\n]{1,80})'|\"([^\"\n]{1,80})\"|“([^”\n]{1,80})”|‘([^’\n]{1,80})’")
_EDGE = "\"'`“”‘’«»()[]{}<>,.;:!?*_—–-"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    text: str       # the sentence's own characters from `start` to `end`, edges trimmed
    start: int      # character offsets in the sentence
    end: int


def _bare(word: str) -> str:
    return word.strip(_EDGE).lower()


def _is_number(word: str) -> bool:
    w = _bare(word)
    if not w:
        return False
    if any(ch.isdigit() for ch in w):
        return True
    parts = re.split(r"[-–]", w)
    return all(p in _NUMBER_WORDS or p.endswith("pence") for p in parts if p)


def _is_money(word: str) -> bool:
    return bool(_MONEY.search(_bare(word)) or _MONEY.search(word.strip("\"'`“”‘’(")))


def _is_quantity(word: str) -> bool:
    return _is_number(word) or _is_money(word)


def wants_someone(question: str) -> bool:
    """Whether the question asks who (and no quantity with it: "who bought it, and for how
    much?" keeps the quantity rule)."""
    return bool(_SOMEONE_QUESTION.search(question)) and not wants_quantity(question)


def _names_someone(span: Span, sentence: str) -> bool:
    """A run of content words ending in a name (a capitalised word that does not open the
    sentence) or in a noun for a person, an animal or a group; "of" may join names ("King
    of Hearts")."""
    words = span.text.split()
    bare = [_bare(w) for w in words]
    for i, b in enumerate(bare[1:-1], start=1):
        if b in _STOP and not (b == "of" and words[i - 1][:1].isupper()
                               and words[i + 1][:1].isupper()):
            return False
    last = words[-1].strip(_EDGE)
    opens = not sentence[:span.end - len(words[-1])].strip(_EDGE + " ")
    if last[:1].isupper() and not opens and bare[-1] not in _STOP:
        return True
    thesaurus = Thesaurus.load()
    return thesaurus is not None and thesaurus.is_kind_of(bare[-1], _SOMEONE)


def wants_words(question: str) -> bool:
    """Whether the question asks for words written, said or given as a name."""
    return bool(_WORDS_QUESTION.search(question))


def quoted_spans(sentence: str) -> list[Span]:
    """The runs of words a sentence puts in quotation marks."""
    out = []
    for m in _QUOTED.finditer(sentence):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        a, b = m.start(group), m.end(group)
        text = sentence[a:b].strip()
        if text:
            a += len(sentence[a:b]) - len(sentence[a:b].lstrip())
            out.append(Span(text, a, a + len(text)))
    return out


def wants_quantity(question: str) -> bool:
    """Whether the question asks how many, how much, how far, how long, when, …"""
    return bool(_QUANTITY_QUESTION.search(question))


def _stem(word: str) -> str:
    return word[:5]


def candidate_spans(question: str, sentence: str, *, max_words: int = MAX_WORDS,
                    typed: bool = True) -> list[Span]:
    """Every span of `sentence` that could be a short answer to `question`; `typed=False`
    skips the quantity filter (`typed_spans` applies it across several sentences)."""
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(sentence)]
    asked = {_stem(w) for w in (_bare(x) for x in question.split()) if w and w not in _STOP}
    bare = [_bare(w) for _, _, w in words]
    # a word in capitals is a name or a sign's words ("EAT ME"), whatever it spells
    content = [bool(b) and (b not in _STOP or (len(b) > 1 and w.strip(_EDGE).isupper()))
               for b, (_, _, w) in zip(bare, words)]
    number = [_is_number(w) for _, _, w in words]

    def joined(i: int) -> bool:        # word i continues the number before it
        if i == 0:
            return False
        if number[i] and number[i - 1] and not words[i - 1][2].endswith((",", ";", ".")):
            return True
        return number[i] and bare[i - 1] == "and" and i >= 2 and number[i - 2]

    def continued(j: int) -> bool:     # the number ending at word j goes on after it
        return any(k < len(words) and joined(k) for k in (j + 1, j + 2))

    out: list[Span] = []
    seen: set[str] = set()
    for i in range(len(words)):
        if not content[i] or joined(i) or (i > 0 and number[i - 1]):
            continue                   # nor cut a number from what it counts ("six | days")
        for j in range(i, min(len(words), i + max_words)):
            if j > i and words[j - 1][2].endswith((":", ";", "—")):
                break                  # an answer does not run on into the next clause
            if not content[j] or continued(j):
                continue
            new = [bare[k] for k in range(i, j + 1) if content[k] and _stem(bare[k]) not in asked]
            if not new:
                continue
            a, b = words[i][0], words[j][1]
            text = sentence[a:b]
            lead = len(text) - len(text.lstrip(_EDGE))
            trail = len(text) - len(text.rstrip(_EDGE))
            a, b = a + lead, b - trail
            text = sentence[a:b]
            if text and text not in seen:
                seen.add(text)
                out.append(Span(text, a, b))
    if wants_words(question):
        out += [q for q in quoted_spans(sentence) if q.text not in seen]
    return [s for _, s in typed_spans(question, [(0, x) for x in out], {0: sentence})] \
        if typed else out


def typed_spans(question: str, spans: list[tuple], sentences: dict) -> list[tuple]:
    """Only the spans of the kind the question asks for, when any is: someone ("who"),
    words in quotation marks ("what was written"), or a quantity ("how many", "when"). `spans` are
    `(key, Span)` pairs; `sentences[key]` is the sentence the span comes from."""
    if wants_someone(question):
        someone = [(k, s) for k, s in spans if _names_someone(s, sentences[k])]
        if someone:
            return someone
    if wants_words(question):
        quoted = [(k, s) for k, s in spans if _is_quoted(s, sentences[k])]
        if quoted:
            return quoted
    if not wants_quantity(question):
        return spans
    counted = [(k, s) for k, s in spans if any(_is_quantity(w) for w in s.text.split())]
    if counted and _PRICE_QUESTION.search(question):
        money = [(k, s) for k, s in counted if any(_is_money(w) for w in s.text.split())]
        counted = money or counted
    return counted or spans


def _is_quoted(span: Span, sentence: str) -> bool:
    return any(q.start == span.start and q.end == span.end for q in quoted_spans(sentence))
