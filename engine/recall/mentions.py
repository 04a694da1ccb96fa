"""Every place a name or word occurs, counted and grouped by chapter, scene, file or page.

Why: "which chapters mention Kiyo?" has an exact answer the keyword index already holds;
scoring chapters by how near their passages are to the question named chapters where
Kiyo never occurs and missed ones where she is named once in passing. So a mention
question is answered from the literal occurrences: the index finds the chunks (its words
stemmed), a whole-word pattern counts them in each chunk's text (a chunk the stemmer
matched but the pattern does not, "badgering" for "badger", is not a mention), and the
chunks are grouped by the unit the question asks for, read from the document's own
headings ("CHAPTER II.", "Book IV", "ACT II › SCENE III").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from engine.recall.keyword import phrase
from engine.store import Store
from engine.store.store import StoredChunk
from ingest.subtitles.timecode import clock

__all__ = ["Occurrence", "MentionGroup", "find_mentions", "group_mentions", "term_pattern",
           "MAX_CHUNKS"]

MAX_CHUNKS = 100_000    # chunks read for one term: more than any library here holds of one name

# the words readers use for a unit, as headings spell them
_HEADING_WORDS = {"chapter": ("chapter", "ch.", "chap."), "book": ("book",), "part": ("part",),
                  "act": ("act",), "scene": ("scene",), "canto": ("canto",),
                  "volume": ("volume", "vol."), "section": ("section", "§")}
_OUTER = {"chapter", "book", "part", "act", "canto", "volume", "story"}   # a top-level heading


@dataclass(frozen=True)
class Occurrence:
    """A chunk that mentions the term: how often, and where the first mention starts."""
    chunk: StoredChunk
    path: str
    count: int
    first: int           # character offset of the first mention in the chunk's text


@dataclass(frozen=True)
class MentionGroup:
    """The mentions inside one unit (a chapter, a scene, a file, a page), reading order."""
    path: str
    label: str           # "CHAPTER II", "ACT II › SCENE III The forest", "page 12", a file name
    unit: str            # what the label names: 'chapter', 'scene', 'file', 'page', 'moment', …
    occurrences: tuple[Occurrence, ...]

    @property
    def count(self) -> int:
        return sum(o.count for o in self.occurrences)


def term_pattern(term: str) -> re.Pattern:
    """The term as a whole word or phrase, any case, any spacing between its words, with
    a plural or possessive ending ("Kiyo's", "badgers"); a plural asked for also finds its
    singular ("the grasshoppers" → "grasshopper")."""
    words = [re.escape(w) for w in term.split()]
    last = term.split()[-1]
    if len(last) > 3 and last.lower().endswith("s") and not last.lower().endswith("ss"):
        words[-1] = f"(?:{re.escape(last)}|{re.escape(last[:-1])})"
    return re.compile(r"(?<![\w])" + r"\s+".join(words) + r"(?:'s|’s|s|es)?(?![\w])", re.I)


def find_mentions(store: Store, term: str, *, documents: Iterable[int] | None = None
                  ) -> list[Occurrence]:
    """The chunks mentioning `term`, in reading order (document path, then position), of
    the given documents or all; a file stored at two paths counts once."""
    term = term.strip()
    if not re.search(r"\w", term):
        return []
    ids = store.match_ids(phrase(" ".join(re.findall(r"\w+", term))), MAX_CHUNKS)
    if not ids:
        return []
    pattern = term_pattern(term)
    docs = {d.id: d for d in store.documents()}
    allowed = set(documents) if documents is not None else None
    seen_hash: dict[str, int] = {}
    for d in sorted(docs.values(), key=lambda d: d.path):
        if d.hash and d.hash not in seen_hash:
            seen_hash[d.hash] = d.id
    out = []
    for c in store.chunks(ids).values():
        doc = docs.get(c.doc_id)
        if doc is None or (allowed is not None and c.doc_id not in allowed):
            continue
        if doc.hash and seen_hash.get(doc.hash) != doc.id:
            continue                                  # the same file read at another path
        found = list(pattern.finditer(c.text))
        if found:
            out.append(Occurrence(c, doc.path, len(found), found[0].start()))
    out.sort(key=lambda o: (o.path, o.chunk.ordinal))
    return out


def _depth_named(sections: Sequence[tuple[str, ...]], unit: str) -> int | None:
    """The shallowest heading depth whose headings the unit's word names ("SCENE III" for
    scenes), when at least two do."""
    words = _HEADING_WORDS.get(unit, (unit,))
    deepest = max((len(s) for s in sections), default=0)
    for d in range(deepest):
        titles = {s[d] for s in sections if len(s) > d}
        if sum(t.lower().lstrip(" ([").startswith(words) for t in titles) >= 2:
            return d + 1
    return None


def _depth(sections: Sequence[tuple[str, ...]], unit: str) -> int | None:
    """How deep a unit's headings lie in a document: named by the unit's word, else a
    chapter-like unit is a top-level heading and a section or scene the deepest one;
    None when the document has no such headings."""
    named = _depth_named(sections, unit)
    if named is not None:
        return named
    deepest = max((len(s) for s in sections), default=0)
    tops = {s[0] for s in sections if s}
    if unit in _OUTER or not unit:
        return 1 if len(tops) >= 2 else None
    if unit in ("section", "scene") and deepest:
        return deepest if len({s for s in sections if len(s) >= deepest}) >= 2 else None
    return None


def _label(heading: Sequence[str]) -> str:
    return " › ".join(h.strip().rstrip(".:") for h in heading)


def group_mentions(store: Store, found: Sequence[Occurrence], units: str | Sequence[str] = ""
                   ) -> list[MentionGroup]:
    """`found` grouped in each document by the finest of `units` (the units a question
    asks for, coarsest first: "acts and scenes") its headings name, else by the finest
    asked: its headings at that unit's depth, else (a document without such headings) its
    pages, the scenes of subtitles and video, or the whole file; 'file' and 'page' group
    by file and page. Groups in reading order."""
    asked = [units] if isinstance(units, str) else list(units) or [""]
    unit = asked[-1]
    by_doc: dict[str, list[Occurrence]] = {}
    for o in found:
        by_doc.setdefault(o.path, []).append(o)
    sections = {} if unit in ("file", "page", "place") else \
        {path: [c.location.section for c in store.document_chunks(occ[0].chunk.doc_id)]
         for path, occ in by_doc.items()}
    chosen = {p: next((u for u in reversed(asked) if _depth_named(s, u) is not None), unit)
              for p, s in sections.items()}
    if any(u in _HEADING_WORDS for u in asked):
        # "which scenes mention Adam?" asks about the works that have scenes: where some
        # do, a poem of books naming him too is not what was asked
        having = {p for p, s in sections.items() if _depth_named(s, chosen[p]) is not None}
        if having:
            by_doc = {p: occ for p, occ in by_doc.items() if p in having}
    groups: list[MentionGroup] = []
    for path, occ in by_doc.items():
        here = chosen.get(path, unit)
        depth = _depth(sections[path], here) if path in sections else None
        keyed: dict[tuple, list[Occurrence]] = {}
        labels: dict[tuple, tuple[str, str]] = {}
        for o in occ:
            loc = o.chunk.location
            if here == "file":
                key, label, kind = (), Path(path).name, "file"
            elif depth is not None and len(loc.section) >= depth:
                key, label, kind = loc.section[:depth], _label(loc.section[:depth]), here or "chapter"
            elif loc.page is not None:
                key, label, kind = ("page", loc.page), f"page {loc.page}", "page"
            elif loc.start_s is not None:
                key = ("time", loc.start_s)
                end = f"–{clock(loc.end_s)}" if loc.end_s is not None else ""
                label, kind = clock(loc.start_s) + end, "moment"
            elif depth is not None:
                key, label, kind = ("before",), "before the first heading", "front"
            else:
                key, label, kind = (), Path(path).name, "file"
            keyed.setdefault(key, []).append(o)
            labels.setdefault(key, (label, kind))
        for key, items in keyed.items():
            label, kind = labels[key]
            groups.append(MentionGroup(path, label, kind, tuple(items)))
    return groups
