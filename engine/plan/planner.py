"""Where a question is sent: by its form (engine/plan/mention_form.py, engine/plan/code_form.py) and what the library holds.

Routes:
- `mentions` — "which chapters mention X", "where is X first mentioned", "how often does X
  appear", "every place X is named", when X occurs literally: the exact occurrences.
- `code` — "where is f defined", "who calls f", "what does f do" for a name the library
  defines or uses, and "which function does <description>" in a library holding code:
  the symbol graph and the units it defines.
- `gists` — "which chapters discuss <a theme>" (or mention a word that occurs nowhere),
  whole-book, chapter and change-over-the-book questions: chapters scored by meaning, and
  the gists. (The facts path also turns to gists when the question's hits are spread
  over the whole book.)
- `two-part` — a question whose second part refers back to the first ("…, and how did
  that decision turn out?"): two recall hops, the second carrying what the first found.
- `facts` — everything else, follow-ups in a conversation included: recall and the
  answer line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from engine.conversation.hops import split_hops
from engine.gists.recall import Broad
from engine.plan.code_form import CodeAsk, asks_for_unit, code_form
from engine.plan.mention_form import Mentions, mentions_form
from engine.recall.keyword import phrase, query_terms
from engine.recall.trace import known_name
from engine.store import Store, symbols

__all__ = ["Plan", "plan_question", "ROUTES"]

ROUTES = ("mentions", "code", "gists", "two-part", "facts")
_POINTING = re.compile(r"^(?:it|its|they|them|he|him|she|her|this|that|these|those|there|"
                       r"one|ones|him or her)$", re.I)


@dataclass(frozen=True)
class Plan:
    route: str                              # one of ROUTES
    mentions: Mentions | None = None
    code: CodeAsk | None = None
    broad: Broad | None = None              # a theme asked by meaning ('which')
    parts: tuple[str, ...] = ()             # a two-part question's parts
    documents: tuple[int, ...] | None = None    # the documents the question names


def _named_documents(store: Store, question: str) -> tuple[tuple[int, ...] | None, list[str]]:
    """(the documents the question names by title or file name — "in Botchan", "of
    paradise_lost.txt" — or None; the names it used, which are not what it asks about)."""
    found, names = [], []
    q = question.lower()
    for d in store.documents():
        for name in {(d.title or "").strip(), Path(d.path).name, Path(d.path).stem,
                     Path(d.path).stem.replace("_", " ").replace("-", " ")}:
            if len(name) >= 3 and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", q):
                found.append(d.id)
                names.append(name)
    return (tuple(dict.fromkeys(found)) or None), names


def _without(question: str, names: list[str]) -> str:
    """The question with the works it names blanked out."""
    for name in sorted(names, key=len, reverse=True):
        question = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", question, flags=re.I)
    return question


def _is_name(term: str, question: str) -> bool:
    """Whether the asked term is written as a name (capitalised past the question's first
    word, or code-like): a name's mentions answer even 'which chapters discuss X'."""
    first = question.split()[0] if question.split() else ""
    for w in term.split():
        if ("_" in w or any(c.isupper() for c in w[1:])) or \
                (w[:1].isupper() and w != first and w.lower() not in ("i",)):
            return True
    return False


def _occurs(store: Store, term: str) -> bool:
    words = re.findall(r"\w+", term)
    return bool(words) and store.match_count(phrase(" ".join(words))) > 0


def _prose_beside_code(store: Store) -> bool:
    """Whether the library holds prose as well as code (then a question must ask for a
    function, a method or a class to be taken for a description of one)."""
    return any(d.modality != "code" for d in store.documents() if d.status == "ready")


def plan_question(question: str, store: Store, *, follow_up: bool = False) -> Plan:
    """The route for `question`. `follow_up`: it leans on the conversation ("and why?"),
    so it stays with recall, which knows the conversation."""
    code = None if follow_up else code_form(question)
    has_code = code is not None and symbols.has_code(store)
    if has_code and code.form != "describe":
        for name in code.named:                # a name the code defines or uses
            if known_name(store, name) is not None:
                return Plan("code", code=replace(code, name=name))
        if code.description:                  # none known: the words describe a unit
            code = replace(code, form="describe", name=code.description)
    if has_code and code.form == "describe" and (code.kind or asks_for_unit(question)):
        return Plan("code", code=code)         # "which function saves a graph to a file?"
    documents, titles = _named_documents(store, question)
    # "seraphim in paradise lost, what books": the work's name is where to look, not what
    asked = mentions_form(_without(question, titles))
    if asked is not None:
        readings = [t for t in asked.candidates if not _POINTING.match(t) and query_terms(t)
                    and t.lower() not in {n.lower() for n in titles}]
        # the first reading the library holds literally, unless a theme is asked by meaning
        for term in readings:
            if (not asked.theme or _is_name(term, question)) and _occurs(store, term):
                return Plan("mentions", mentions=replace(asked, term=term), documents=documents)
        if asked.form == "which" and readings and asked.theme:
            return Plan("gists", broad=Broad("which", readings[0]), documents=documents)
    if not follow_up:
        if has_code and code.form == "describe" and not _prose_beside_code(store):
            return Plan("code", code=code)
        parts = split_hops(question)
        if len(parts) == 2:
            return Plan("two-part", parts=tuple(parts))
    return Plan("facts")
