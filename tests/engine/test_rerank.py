"""The short-list reranker reads question and passage together with the real local model."""
from __future__ import annotations

from engine.recall.hit import Hit
from engine.recall.rerank import Reranker
from ingest.records import Location

ANSWER = ("Every Thursday the village baker, Mrs. Penhallow, baked exactly forty-two cinnamon "
          "rolls for the orphanage on Gull Street.")
OTHER = ("Alice was beginning to get very tired of sitting by her sister on the bank, and of "
         "having nothing to do: once or twice she had peeped into the book her sister was reading.")


def hit(cid: int, text: str) -> Hit:
    return Hit(cid, text, Location(path="book.txt"), 0.5)


def test_the_passage_that_answers_is_more_likely_and_moves_up():
    r = Reranker()
    question = "How many cinnamon rolls did the baker make for the orphanage?"
    assert r.likelihood(question, ANSWER) > r.likelihood(question, OTHER)
    tail = hit(3, "A third passage, past the short list.")
    order = r.rerank(question, [hit(1, OTHER), hit(2, ANSWER), tail], short=2)
    assert [h.chunk_id for h in order] == [2, 1, 3]
