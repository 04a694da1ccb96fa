"""Cut one oversized paragraph into spans that fit the token budget.

A span should still read as prose, so cuts go at the gentlest boundary that works:
line breaks first for verse and code (where lines are the units of meaning), then
sentence ends, then spaces between words, and only as a last resort inside a word
(a URL or base64 blob longer than the whole budget).
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from ingest.tokens import estimate_tokens

__all__ = ["split_spans", "sentence_spans"]

Span = tuple[int, int]
Piece = tuple[int, int, int]   # start, end, estimated tokens

# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by whitespace and
# a character that can open a sentence (not a lowercase letter: "e.g. the" goes on).
_SENT_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+[^\s\w]*[^\W_a-z])""")
_ABBREV = frozenset("""mr mrs ms dr st prof sr jr vs etc e.g i.e cf fig no vol ch pp p
    mt gen col capt lt sgt rev hon messrs mme mlle""".split())
_WORD = re.compile(r"\S+")
_BLANK = re.compile(r"\n[ \t]*\n")
_PIECE = re.compile(r"\w+|[^\w\s]")


def _strip(text: str, a: int, b: int) -> Span | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def sentence_spans(text: str, a: int = 0, b: int | None = None) -> list[Span]:
    """Sentences of text[a:b] as stripped spans, skipping common abbreviations. A blank
    line always ends one: verse, headings and stage directions carry no full stop, and a
    sentence key spanning them matches nothing well (a planted paragraph after unpunctuated
    verse once shared one key with it)."""
    b = len(text) if b is None else b
    spans: list[Span] = []
    cuts = [a] + [m.end() for m in _BLANK.finditer(text, a, b)] + [b]
    for x, y in zip(cuts, cuts[1:]):
        spans += _sentences(text, x, y)
    return spans


def _sentences(text: str, a: int, b: int) -> list[Span]:
    spans, start = [], a
    for m in _SENT_END.finditer(text, a, b):
        word = text[max(a, text.rfind(" ", a, m.start()) + 1): m.start()]
        word = word.lstrip("\"'“‘([").lower()
        if m.group().startswith(".") and (word in _ABBREV or (len(word) == 1 and word.isalpha())):
            continue  # "Mr. Darcy", "J. Smith"
        if (s := _strip(text, start, m.end())):
            spans.append(s)
        start = m.end()
    if (s := _strip(text, start, b)):
        spans.append(s)
    return spans


def _line_spans(text: str, a: int, b: int, breaks: Sequence[int]) -> list[Span]:
    cuts = [a] + [x for x in breaks if a < x < b] + [b]
    return [s for x, y in zip(cuts, cuts[1:]) if (s := _strip(text, x, y))]


def _word_spans(text: str, a: int, b: int) -> list[Span]:
    return [m.span() for m in _WORD.finditer(text, a, b)]


def _hard_spans(text: str, a: int, b: int, budget: int) -> Iterator[Piece]:
    """Cut a single word: whole pieces while they fit, long pieces by characters."""
    start, used = a, 0
    for m in _PIECE.finditer(text, a, b):
        cost = estimate_tokens(m.group())
        if used + cost <= budget:
            used += cost
            continue
        if used:
            yield start, m.start(), used
            start, used = m.start(), 0
        if cost > budget:  # one \w+ run over budget: 1 + len//8 tokens per piece
            step = 8 * budget - 1
            while m.end() - start > step:
                yield start, start + step, budget
                start += step
            cost = estimate_tokens(text[start:m.end()])
        used = cost
    if start < b:
        yield start, b, used


def split_spans(text: str, budget: int, breaks: Sequence[int] = (),
                cost: int | None = None) -> list[Piece]:
    """(start, end, tokens) spans of `text`, in order, each of <= budget tokens.

    `breaks` are offsets where a source line starts; when given (verse, code) lines are
    tried before sentences. Whitespace between spans is dropped. `cost`: the estimate
    of the whole text, when the caller already has it.
    """
    levels = (["lines"] if breaks else []) + ["sentences", "words"]
    out: list[Piece] = []
    total = estimate_tokens(text) if cost is None else cost
    _fit(text, 0, len(text), total, budget, levels, breaks, out)
    return out


def _fit(text: str, a: int, b: int, cost: int, budget: int, levels: list[str],
         breaks: Sequence[int], out: list[Piece]) -> None:
    """Append the pieces of text[a:b] (estimated at `cost`) to `out`. Each unit is
    estimated once; a packed span's cost is the sum of its units' costs, which is exact
    because units are separated by whitespace and no token spans whitespace."""
    if cost <= budget:
        if (s := _strip(text, a, b)):
            out.append((s[0], s[1], cost))
        return
    if not levels:
        out.extend(_hard_spans(text, a, b, budget))
        return
    level, rest = levels[0], levels[1:]
    units = (_line_spans(text, a, b, breaks) if level == "lines"
             else sentence_spans(text, a, b) if level == "sentences"
             else _word_spans(text, a, b))
    cur: Piece | None = None
    for ua, ub in units:
        ucost = estimate_tokens(text[ua:ub])
        if cur and cur[2] + ucost <= budget:
            cur = (cur[0], ub, cur[2] + ucost)
            continue
        if cur:
            out.append(cur)
        if ucost > budget:
            _fit(text, ua, ub, ucost, budget, rest, breaks, out)
            cur = None
        else:
            cur = (ua, ub, ucost)
    if cur:
        out.append(cur)
