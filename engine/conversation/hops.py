"""Two-part questions answered in two recall hops.

"The parameters of 3.5 — how did they do in chapter 8?" asks about a place and then about
what the first place says, somewhere else. Recall of the whole question at once finds one
of the two; so the question is split, the first part recalled (in its place), and the
second part recalled with the rarest words of what the first found (in its own place):
the bridge the pronoun stands for.
"""
from __future__ import annotations

import re

from engine.conversation.place import find_place
from engine.recall.keyword import query_terms
from engine.store import Store

__all__ = ["split_hops", "bridge_terms"]

_SPLIT = re.compile(r"\s+[—–]\s+|\s+--\s+|;\s+|\?\s+(?=\S)|,\s+(?=(?:and\s+)?(?:how|what|why|where|"
                    r"when|did|does|do|was|were|is|are)\b)", re.I)
_ASKS = re.compile(r"(?:how|what|why|where|when|who|whom|which|did|does|do|was|were|is|are|has|"
                   r"had|have)\b", re.I)
_POINTER = re.compile(r"\b(it|its|they|them|their|those|these|that|this|he|she|his|her|"
                      r"the same|such)\b", re.I)


def split_hops(question: str) -> list[str]:
    """[question] or [first part, second part] when the question asks two linked things:
    the second part points back ("they", "those") or each part names its own place."""
    for m in _SPLIT.finditer(question):
        first = question[:m.start()].strip(" ,;") + ("?" if m.group(0).strip().startswith("?") else "")
        second = re.sub(r"^(?:and|but|then)\s+", "", question[m.end():].strip(), flags=re.I)
        points_back = bool(_POINTER.search(second))
        # "…, and what did she do with it?" asks with no word of its own: what it points
        # at is the first part's answer, which the second hop carries
        if not query_terms(first) or not (query_terms(second) or points_back):
            continue
        p1, p2 = find_place(first), find_place(second)
        # "…, and how did the lessons go?" refers back by a noun as often as by a pronoun:
        # a second question after a comma is a second part
        asks_again = m.group(0).startswith(",") and bool(_ASKS.match(second))
        if points_back or asks_again or (p1 is not None and p2 is not None and p1 != p2):
            return [first, second]
    return [question]


def bridge_terms(store: Store, found: str, asked: str, *, limit: int = 4) -> list[str]:
    """The rarest words of `found` (what hop one recalled) that `asked` does not contain,
    rarest first: they name what the second part's pronoun points at."""
    avoid = set(query_terms(asked))
    scored = []
    for term in query_terms(found):
        if term in avoid or term.isdigit() or len(term) < 4:
            continue
        df = store.match_count('"' + term.replace('"', '""') + '"')
        if df > 0:
            scored.append((df, term))
    scored.sort()
    return [t for _, t in scored[:limit]]
