"""Answering questions about code from the symbol graph and the units it defines.

"Where is f defined?", "who calls f?", "what does f do?" have exact answers in the graph
`trace` reads; "which function returns the shortest path?" is a description matched
against units (engine/recall/units.py), not against chunks of prose. The line names the
qualified name and cites its lines, so the person can open it; recall of passages that
merely resemble the question is not asked.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence

from engine.answer.answer_line import AnswerLine
from engine.answer.quote import Quote
from engine.plan.code_form import CodeAsk
from engine.recall.hit import Hit
from engine.recall.query import Query
from engine.recall.trace import known_name
from engine.store import Store, symbols
from ingest.code import CODE_SUFFIXES

__all__ = ["code_evidence", "SHOWN", "LISTED"]

SHOWN = 12        # quoted lines at most
LISTED = 40       # call sites or definitions the line names; `memex trace` lists every one
DESCRIBED = 3     # units named for a description: the best, then the next two as quotes


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _short(path: str) -> str:
    """A path short enough for a line and long enough to tell utils.py from utils.py."""
    return "/".join(Path(path).parts[-3:])


def _at(store: Store, places: Sequence[tuple[str, int, int, str | None]], texts: Sequence[str] = ()
        ) -> list[Hit]:
    """Hits narrowed to (path, first line, last line, symbol) inside the chunks holding them."""
    chunk_of = symbols.chunks_at_lines(store, [(p, a) for p, a, _, _ in places])
    chunks = store.chunks(list(chunk_of.values()))
    out = []
    for i, (path, a, b, symbol) in enumerate(places):
        cid = chunk_of.get((path, a))
        if cid is None or cid not in chunks:
            continue
        c = chunks[cid]
        text = texts[i] if i < len(texts) and texts[i] else c.text
        out.append(Hit(cid, text, replace(c.location, line_start=a, line_end=b,
                                          symbol=symbol or c.location.symbol), 1.0))
    return out


def _definitions(store: Store, name: str):
    found = symbols.definitions(store, name)
    return [d for d in found if Path(d.path).suffix.lower() in CODE_SUFFIXES] or found


def code_evidence(store: Store, asked: CodeAsk, *, query: Query | None = None, searcher=None
                  ) -> tuple[list[Hit], list[Quote], AnswerLine, dict, str] | None:
    """(evidence, quotes, answer line, what was found as data, how it was found) for a
    code question, or None when the library holds nothing it could answer from. A
    'describe' question needs `query` (the description worked out by recall) and
    `searcher` (its unit index and chunk recall)."""
    if asked.form == "describe":
        return _described(store, asked.name, asked.kind, query, searcher)
    name = known_name(store, asked.name)
    if name is None:
        return None
    if asked.form == "callers":
        return _callers(store, name)
    defs = _definitions(store, name)
    if not defs:
        return None
    hits = _at(store, [(d.path, d.line_start, d.line_end, d.qualname) for d in defs[:LISTED]])
    if not hits:
        return None
    if asked.form == "explain":
        return _explained(store, name, defs, hits)
    quotes = [Quote(d.signature or d.qualname, i + 1, 1.0)
              for i, d in enumerate(defs[:len(hits)][:SHOWN])]
    listed = [f"`{d.qualname}` in {_short(d.path)}:{d.line_start}-{d.line_end} [{i + 1}]"
              for i, d in enumerate(defs[:len(hits)])]
    line = AnswerLine("; ".join(listed), None, "code")
    data = {"form": "definition", "name": name,
            "definitions": [{"path": d.path, "qualname": d.qualname, "line_start": d.line_start,
                             "line_end": d.line_end, "n": i + 1} for i, d in enumerate(defs[:len(hits)])]}
    return hits, quotes, line, data, f"the symbol graph: {_plural(len(defs), 'definition')} of `{name}`"


def _callers(store: Store, name: str):
    calls = [u for u in symbols.uses(store, name) if u.kind == "call"]
    calls.sort(key=lambda u: (u.path, u.line))
    if not calls:
        defs = _definitions(store, name)
        hits = _at(store, [(d.path, d.line_start, d.line_end, d.qualname) for d in defs[:1]])
        line = AnswerLine(f"Nothing in the library calls `{name}`" +
                          (" (defined in " + f"{_short(defs[0].path)}:{defs[0].line_start}) [1]"
                           if hits else "."), None, "code")
        return hits, [], line, {"form": "callers", "name": name, "calls": []}, \
            "the symbol graph: no calls"
    hits = _at(store, [(u.path, u.line, u.line, u.scope) for u in calls[:LISTED]],
               [u.text for u in calls[:LISTED]])
    tags = {(h.location.path, h.location.line_start): i + 1 for i, h in enumerate(hits)}
    listed = []
    for u in calls[:LISTED]:
        where = f"{_short(u.path)}:{u.line}"
        who = f"`{u.scope}`" if u.scope else "module level"
        tag = tags.get((u.path, u.line))
        listed.append(f"{who} ({where})" + (f" [{tag}]" if tag else ""))
    more = f"; and {len(calls) - LISTED} more (memex trace {name})" if len(calls) > LISTED else ""
    line = AnswerLine(f"{_plural(len(calls), 'call')}: " + "; ".join(listed) + more, None, "code")
    quotes = [Quote(h.text.strip(), i + 1, 1.0) for i, h in enumerate(hits[:SHOWN])]
    data = {"form": "callers", "name": name,
            "calls": [{"path": u.path, "line": u.line, "scope": u.scope, "text": u.text,
                       "n": tags.get((u.path, u.line))} for u in calls]}
    return hits, quotes, line, data, f"the symbol graph: {_plural(len(calls), 'call')} of `{name}`"


def _explained(store: Store, name: str, defs, hits: list[Hit]):
    """What a unit does: its docstring's line as the answer, its signature quoted, and
    its whole body as evidence for a model that can explain it."""
    d, first = defs[0], hits[0]
    doc = d.doc
    body = symbols.chunks_between(store, d.path, d.line_start, d.line_end)
    chunks = store.chunks(body)
    more = [Hit(c, chunks[c].text, chunks[c].location, 0.5) for c in body
            if c in chunks and c != first.chunk_id]
    evidence = hits[:1] + more + hits[1:]
    said = doc or d.signature or d.qualname
    line = AnswerLine(f"`{d.qualname}` ({_short(d.path)}:{d.line_start}-{d.line_end}): {said}",
                      1, "sentence" if doc else "code")
    quotes = [Quote(d.signature or d.qualname, 1, 1.0)]
    data = {"form": "explain", "name": name, "qualname": d.qualname, "path": d.path,
            "line_start": d.line_start, "line_end": d.line_end, "doc": doc}
    return evidence, quotes, line, data, f"the symbol graph: the definition of `{name}` and its docstring"


def _described(store: Store, description: str, kind: str, query: Query | None, searcher):
    if query is None or searcher is None or not len(searcher.units):
        return None
    found = searcher.search(query, k=20)
    also = [(h.location.path, h.location.symbol) for h in found if h.location.symbol]
    best = searcher.units.match(description, query.plain, searcher.encoder.encode, also=also,
                                kind=kind, k=DESCRIBED)
    if not best:
        return None
    hits = _at(store, [(u.unit.path, u.unit.line_start, u.unit.line_end, u.unit.qualname)
                       for u in best])
    if not hits:
        return None
    units = {(h.location.path, h.location.symbol): h for h in hits}
    best = [b for b in best if (b.unit.path, b.unit.qualname) in units]
    top = best[0].unit
    line = AnswerLine(f"`{top.qualname}` ({_short(top.path)}:{top.line_start}-{top.line_end})",
                      1, "code", best[0].score)
    quotes = [Quote(f"{b.unit.qualname}: {b.unit.doc or b.unit.signature or ''}".strip(": "),
                    i + 1, b.score) for i, b in enumerate(best)]
    data = {"form": "describe", "description": description,
            "units": [{"path": b.unit.path, "qualname": b.unit.qualname,
                       "line_start": b.unit.line_start, "line_end": b.unit.line_end,
                       "score": round(b.score, 4), "n": i + 1} for i, b in enumerate(best)]}
    return hits, quotes, line, data, (f"code units matched by name, signature and docstring "
                                      f"({len(searcher.units)} units)")
