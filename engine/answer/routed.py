"""What a route hands the answer: the evidence, the quotes, and the line when it knows it.

Why one record: each route (mentions, code, two hops, gists, facts) finds its answer its
own way, but the reader gets one shape of answer — a short line, the quoted evidence,
the sources — so the answer is written by one piece of code whatever found it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.answer.answer_line import AnswerLine
from engine.answer.prompt import Packed
from engine.answer.quote import Quote
from engine.conversation.followup import Resolved
from engine.gists.chapters import ChapterHit
from engine.recall.query import Query

__all__ = ["Working"]


@dataclass
class Working:
    """What the model will read for one question, before it reads it."""
    question: str
    packed: Packed | None        # None when recall found nothing
    quotes: list[Quote]
    resolved: Resolved
    place: str | None
    hops: int
    same: bool                   # a follow-up over unchanged working memory
    broad: str | None = None     # the kind of broad question (engine/gists/recall.py)
    chapters: tuple[ChapterHit, ...] = ()   # the chapters a 'which chapters' question names
    route: str = "facts"         # 'mentions' | 'code' | 'gists' | 'two-part' | 'facts'
    how: str = ""                # one line for the reader: how the answer was found
    line: AnswerLine | None = None   # the line, where the route knows it without the model
    quiet: bool = False          # nothing for a model to add: it would only retell the line
    query: Query | None = None   # the question as recall worked it out
    parts: tuple[str, ...] = ()  # a two-part question's parts
    found: dict = field(default_factory=dict)   # what the route found, as data (--json)
