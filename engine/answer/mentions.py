"""Answering "which chapters mention X", "where is X first mentioned", "how often does X
appear" and "every place X is named" from the exact occurrences (engine/recall/mentions.py).

Why a line that lists every unit with its count, each cited, and one quote per unit: the
reader asked for all of them, and the count and the quoted sentence let them see at once
that it is the name they meant. No model writes anything: it would only retell the list.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from engine.answer.answer_line import AnswerLine
from engine.answer.prompt import Packed
from engine.answer.quote import Quote
from engine.plan.mention_form import Mentions
from engine.recall.hit import Hit, describe
from engine.recall.mentions import MentionGroup, Occurrence, find_mentions, group_mentions
from engine.store import Store
from ingest.prose.split import sentence_spans
from ingest.subtitles.timecode import clock

__all__ = ["mention_evidence", "packed_as_is", "SHOWN"]

SHOWN = 12          # quoted units at most; the line names them all
_LONGEST = 320      # characters of a quoted sentence around the mention


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _sentence(text: str, at: int) -> str:
    """The sentence of `text` holding offset `at`, cut around it when very long (verse
    without stops)."""
    span = next(((a, b) for a, b in sentence_spans(text) if a <= at < b), (0, len(text)))
    a, b = span
    if b - a > _LONGEST:
        a = max(a, at - _LONGEST // 3)
        b = min(b, a + _LONGEST)
    out = " ".join(text[a:b].split())
    return ("…" if a > span[0] else "") + out + ("…" if b < span[1] else "")


def _where(o: Occurrence) -> str:
    """The file and the page, lines or time of one occurrence's passage."""
    loc = o.chunk.location
    name = Path(o.path).name
    if loc.page is not None:
        return f"{name}, page {loc.page}"
    if loc.start_s is not None:
        return f"{name}, {clock(loc.start_s)}"
    if loc.line_start is not None:
        return f"{name}, lines {loc.line_start}-{loc.line_end}"
    return name


def _hit(o: Occurrence) -> Hit:
    return Hit(o.chunk.id, o.chunk.text, o.chunk.location, float(o.count))


def _unit_name(groups: Sequence[MentionGroup], asked: str) -> str:
    """What the groups are, in the reader's word: the word their headings open with
    ("Book I" → book, "ACT II › SCENE III" → scene), else their kind."""
    kinds = {g.unit for g in groups if g.unit != "front"} or {g.unit for g in groups}
    groups = [g for g in groups if g.unit in kinds]
    if len(kinds) != 1:
        return "place"
    kind = kinds.pop()
    if kind not in ("file", "page", "moment", "front"):
        words = {g.label.split(" › ")[-1].split()[0].lower().rstrip(".:") for g in groups}
        if len(words) == 1 and (word := words.pop()).isalpha():
            return word
    return {"front": "place"}.get(kind, kind) or asked or "place"


def mention_evidence(store: Store, asked: Mentions, documents: Sequence[int] | None = None
                     ) -> tuple[list[Hit], list[Quote], AnswerLine, dict, str] | None:
    """(evidence, quotes, answer line, what was found as data, how it was found) for a
    mention question, or None when the term occurs nowhere (the planner then asks by
    meaning)."""
    found = find_mentions(store, asked.term, documents=documents)
    if not found:
        return None
    groups = group_mentions(store, found, asked.units or asked.unit)
    several = len({g.path for g in groups}) > 1
    total = sum(g.count for g in groups)
    unit = _unit_name(groups, asked.unit)

    def named(g: MentionGroup) -> str:
        return f"{Path(g.path).name}: {g.label}" if several and g.unit != "file" else g.label

    evidence: list[Hit] = []
    quotes: list[Quote] = []
    inside = [g for g in groups if g.unit != "front"]
    if asked.form == "first":
        # "where does Phebe first appear?" means in the play, not in its list of persons;
        # in a library of several works, the first place in each
        firsts: dict[str, MentionGroup] = {}
        for g in inside + [g for g in groups if g.unit == "front"]:
            firsts.setdefault(g.path, g)
        said = []
        for g in firsts.values():
            o = g.occurrences[0]
            evidence.append(_hit(o))
            quotes.append(Quote(_sentence(o.chunk.text, o.first), len(evidence), float(o.count)))
            said.append(f"{named(g)} ({_where(o)}) [{len(evidence)}]")
        line = AnswerLine("; ".join(said), None, "mentions")
    else:
        listed = []
        per_place = asked.form == "every"
        items = [(g, o) for g in groups for o in g.occurrences] if per_place else \
            [(g, g.occurrences[0]) for g in groups]
        for g, o in items:
            evidence.append(_hit(o))
            tag = len(evidence)
            count = o.count if per_place else g.count
            place = describe(evidence[-1]) if per_place else named(g)
            listed.append(f"{place} ({_plural(count, 'mention')}) [{tag}]")
            if len(quotes) < SHOWN:
                quotes.append(Quote(_sentence(o.chunk.text, o.first), tag, float(count)))
        n = len(inside) or len(groups)
        head = {"count": f"{_plural(total, 'time')}, in {_plural(n, unit)}",
                "every": f"{_plural(total, 'mention')} in {_plural(len(items), 'passage')}"
                }.get(asked.form, f"{_plural(n, unit)}, {_plural(total, 'mention')}")
        line = AnswerLine(f"{head}: " + "; ".join(listed), None, "mentions")
    data = {"term": asked.term, "form": asked.form, "unit": unit, "total": total,
            "groups": [{"path": g.path, "label": g.label, "unit": g.unit, "count": g.count,
                        "n": next(i + 1 for i, h in enumerate(evidence)
                                  if h.chunk_id == g.occurrences[0].chunk.id)}
                       for g in groups if any(h.chunk_id == g.occurrences[0].chunk.id
                                              for h in evidence)]}
    how = (f"exact mentions of “{asked.term}” in the keyword index: "
           f"{_plural(total, 'mention')} in {_plural(len(groups), unit)}")
    return evidence, quotes, line, data, how


def packed_as_is(evidence: list[Hit]) -> Packed:
    """Evidence a route chose itself, tagged in its own order (no model reads it)."""
    return Packed(messages=[], evidence=evidence, omitted=[])
