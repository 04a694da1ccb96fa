"""Turning an answer into a stored turn and the next conversation memory."""
from __future__ import annotations

import time

import numpy as np

from engine.answer import Answer, describe
from engine.conversation.followup import update_memory
from engine.store.conversations import Conversation, Turn

__all__ = ["turn_of", "next_memory"]


def turn_of(ans: Answer) -> Turn:
    cited = []
    for n, hit in ans.citations:
        cited.append({"n": n, "chunk_id": hit.chunk_id, "path": hit.location.path,
                      "label": describe(hit), "page": hit.location.page,
                      "line_start": hit.location.line_start, "start_s": hit.location.start_s,
                      "section": hit.location.section_path or None})
    return Turn(question=ans.question, answer=ans.synthesis, query=ans.resolved, beta=ans.beta,
                place=ans.place, quotes=[{"text": q.text, "n": q.tag} for q in ans.quotes],
                evidence=[h.chunk_id for h in ans.evidence], cited=cited, asked_at=time.time())


def next_memory(conversation: Conversation, ans: Answer, encoder) -> np.ndarray:
    """The memory after this turn: the question's key and the keys of what it quoted."""
    quoted = [ans.evidence[q.tag - 1].text for q in ans.quotes] or \
             [h.text for _, h in ans.citations][:2]
    keys = encoder.encode(quoted) if quoted else None
    asked = ans.key if ans.key is not None and len(ans.key) else encoder.encode_query(ans.question)
    return update_memory(conversation.memory, asked, keys)
