"""The two-part route: "How deep did the parish decide the well should be, and how did
that decision turn out?" — two recall hops, the second carrying what the first found.

Why: the second part names nothing itself ("that decision"); recalled alone it finds any
decision, and recalled with the whole question it finds the first fact again. So the
first part is recalled and quoted, its answer taken from the quote, and the second
part is recalled with the first part's words, that answer and the rarest words of the
quoted sentence (the names the pointer stands for, which the second fact repeats); its
quote must be another sentence. The line answers both parts, each cited:
"ninety-two feet [1]; eleven feet too shallow [2]".
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from engine.answer.answer_line import NOT_SAID, AnswerLine, answer_line
from engine.answer.quote import Quote, best_quotes
from engine.answer.spans import wants_quantity, wants_someone, wants_words
from engine.answer.routed import Working
from engine.answer.facts import EVIDENCE_BUDGET, fit, within
from engine.conversation.followup import Resolved
from engine.conversation.hops import bridge_terms
from engine.recall import Hit, Searcher
from engine.recall.keyword import query_terms
from engine.store.conversations import Conversation

__all__ = ["two_part_memory", "BRIDGES", "HOP_KEYWORD_WEIGHT"]

BRIDGES = 6                 # rarest words of the first quote carried into the second hop
HOP_KEYWORD_WEIGHT = 0.5    # the carried words are names the encoder may never have seen


def _interleave(*lists: Sequence[Hit]) -> list[Hit]:
    out, seen = [], set()
    for row in zip(*[list(x) + [None] * (max(map(len, lists)) - len(x)) for x in lists]):
        for h in row:
            if h is not None and h.chunk_id not in seen:
                seen.add(h.chunk_id)
                out.append(h)
    return out


def typed(part: str) -> bool:
    """Whether a part asks for a kind of thing a short span can be: a quantity, someone,
    words said or written."""
    return wants_quantity(part) or wants_someone(part) or wants_words(part)


def _quoted(quotes: list[Quote], pool: Sequence[Hit]) -> list[tuple[Quote, Hit]]:
    return [(q, pool[q.tag - 1]) for q in quotes]


def two_part_memory(question: str, parts: Sequence[str], searcher: Searcher, *, n_ctx: int,
                    count: Callable[[str], int], llm=None, k: int = 6, max_tokens: int = 160,
                    evidence_budget: int = EVIDENCE_BUDGET, mode: str = "fused",
                    conversation: Conversation | None = None) -> Working:
    """Recall, quote and (with `llm`) answer each part in turn. Each part also looks among
    what the whole question recalls (both facts are often near it: the second part's own
    words may be too few). Each query is encoded once; the quoted passages are packed
    first, so what answers the parts is never what the context had no room for."""
    first_part, second_part = parts
    half = max(2, k // 2 + 1)     # each hop's best; packing keeps what fits
    search_mode = "exact" if mode == "exact" else "fused"
    p1, in1 = within(searcher, first_part)
    p2, in2 = within(searcher, second_part)
    whole = [] if in1 is not None or in2 is not None else \
        searcher.search(searcher.query(question), k=k, mode=search_mode)
    q1 = searcher.query(first_part, within=in1)
    first = searcher.search(q1, k=half, mode=search_mode)
    pool1 = _interleave(first, whole)
    quote1 = _quoted(best_quotes(q1, pool1, searcher, limit=1), pool1)
    found = [q for q, _ in quote1]
    line1 = answer_line(first_part, found, llm, floor=False) if (llm is not None and found) else None
    carried = [line1.text] if line1 is not None and line1.how == "span" else []
    bridges = bridge_terms(searcher.store, found[0].text if found else
                           (first[0].text if first else ""), question, limit=BRIDGES)
    subject = [w for w in query_terms(first_part) if w not in query_terms(second_part)]
    second_text = " ".join([second_part, *subject, *carried, *bridges])
    q2 = searcher.query(second_text, within=in2, keyword_weight=HOP_KEYWORD_WEIGHT,
                        carried=bridges)
    second = searcher.search(q2, k=half, mode=search_mode)
    pool2 = _interleave(second, whole, first)
    said = {q.text for q in found}
    # the second part's sentence is another one: the first sentence holds every word the
    # second hop carried, so it would always win; only when no other sentence was found
    # is the second part answered from the first sentence ("what was inside the bread,
    # and where did he keep it?")
    quote2 = [(q, h) for q, h in _quoted(best_quotes(q2, pool2, searcher, limit=3, margin=1.0),
                                         pool2) if q.text not in said][:1] or quote1
    labels = " / ".join(p.label for p in (p1, p2) if p is not None) or None
    resolved = Resolved(question, question, q1.plain, q1.plain, 0.0, ())
    hits = _interleave([h for _, h in quote1 + quote2], first, second, whole)
    if not hits:
        return Working(question, None, [], resolved, labels, 2, False, route="two-part", query=q1,
                       parts=tuple(parts))
    packed = fit(question, hits, searcher, n_ctx=n_ctx, count=count, max_tokens=max_tokens,
                 evidence_budget=evidence_budget, conversation=conversation)
    tags = {h.chunk_id: i + 1 for i, h in enumerate(packed.evidence)}
    quotes: list[Quote] = []
    for q, h in quote1 + quote2:
        if h.chunk_id in tags and not any(o.text == q.text for o in quotes):
            quotes.append(replace(q, tag=tags[h.chunk_id]))
    first_q = [q for q in quotes if q.text in said][:1]
    second_q = [q for q in quotes if q.text not in said][:1] or first_q
    line = None
    if llm is not None and first_q and second_q:
        a = answer_line(first_part, first_q, llm, floor=False)
        b = answer_line(question, second_q, llm, floor=False, avoid=[a.span or a.text])
        if b.how == "span" and not typed(second_part):
            # "…, and how did that turn out?" asks for an outcome or a reason, which a short
            # span of the sentence rarely is (the calibration pairs' second spans named
            # what happened when asked why): the sentence answers it
            b = replace(b, text=second_q[0].text, tag=second_q[0].tag, how="sentence")
        line = AnswerLine(f"{a.text} [{a.tag}]; {b.text} [{b.tag}]", None, "two-part",
                          parts=(a, b))
        if a.text == NOT_SAID or b.text == NOT_SAID:
            line = None
    how = (f"two recall hops: “{first_part.strip(' ?')}”, then “{second_part.strip(' ?')}” "
           f"carrying {', '.join(carried + bridges) or 'the first part'}")
    return Working(question, packed, quotes, resolved, labels, 2, False, route="two-part",
                   how=how, line=line, query=q1, parts=tuple(parts),
                   found={"carried": carried + bridges})
