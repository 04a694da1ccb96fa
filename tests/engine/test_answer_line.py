"""The answer line, with the real bundled model on real libraries: a short answer taken
from the quoted evidence and cited, or "The library does not say."; quotes come from the
passage recall ranked first."""
from __future__ import annotations

import numpy as np
import pytest

from engine.answer.answer_line import NOT_SAID
from tests.engine.conftest import FACTS, ROOT

SAMPLE = ROOT / "resources" / "samples" / "alice.pdf"
SAMPLE_QUESTION = "What was written on the little cake in the glass box?"


@pytest.fixture(scope="module")
def sample_library(tmp_path_factory, encoder):
    from engine.library import Library
    lib = Library(tmp_path_factory.mktemp("sample") / "lib", encoder=encoder)
    assert lib.ingest([SAMPLE]).stored
    yield lib
    lib.close()


def test_sample_question_is_answered_eat_me_cited_to_page_8(sample_library):
    ans = sample_library.ask(SAMPLE_QUESTION, max_tokens=8)
    assert ans.line is not None and ans.line.text == "EAT ME", ans.text
    cited = ans.evidence[ans.line.tag - 1]
    assert cited.location.page == 8 and "EAT ME" in cited.text
    assert ans.text.startswith(f"Answer: EAT ME [{ans.line.tag}]\n\n“")
    assert ans.to_json()["answer_line"]["n"] == ans.line.tag


def test_who_and_what_was_shouted_are_answered_by_someone_and_the_quoted_words(sample_library):
    """A who-question's line names someone, not the clause the model likes anyway; a
    question about what was shouted gets the quoted speech (engine/answer/spans.py)."""
    ans = sample_library.ask("Who was sitting on the mushroom smoking a hookah?", max_tokens=8)
    assert ans.line.text.split()[-1] == "caterpillar", ans.text
    assert "hookah" in ans.evidence[ans.line.tag - 1].text
    ans = sample_library.ask("What did the Queen keep shouting when she was angry?", max_tokens=8)
    assert ans.line.text == "Off with her head!", ans.text


def test_a_question_the_library_cannot_answer_gets_not_said(sample_library):
    ans = sample_library.ask("What is the boiling point of liquid nitrogen?", max_tokens=8)
    assert ans.line.text == NOT_SAID and ans.line.tag is None
    assert ans.text.startswith("Answer: The library does not say.")
    assert ans.synthesis == ""                 # the model is not asked to invent
    assert ans.quotes                          # the nearest passages are still shown


@pytest.mark.parametrize("fact, answer", [(FACTS[1], "forty-two"), (FACTS[0], "loaf")],
                         ids=["number", "place"])
def test_a_planted_fact_asked_in_paraphrase_gets_its_span(planted_library, fact, answer):
    ans = planted_library.ask(fact.question, max_tokens=8)
    assert answer in ans.line.text, ans.text
    assert ans.line.text in " ".join(fact.fact.split())          # the evidence's own words
    assert fact.fact in ans.evidence[ans.line.tag - 1].text      # cited to the fact's passage


def test_the_first_quote_comes_from_the_passage_search_ranks_first(planted_library):
    from engine.answer.answer import working_memory
    llm = planted_library.llm
    checked = 0
    for fact in FACTS:
        top = planted_library.search(fact.question, k=5, record=False)[0]
        if fact.fact not in top.text:
            continue
        wm = working_memory(fact.question, planted_library.searcher, n_ctx=llm.n_ctx,
                            count=llm.count)
        first = wm.packed.evidence[wm.quotes[0].tag - 1]
        assert first.chunk_id == top.chunk_id and wm.quotes[0].text in " ".join(fact.fact.split()), \
            (fact.question, wm.quotes[0].text)
        checked += 1
    assert checked >= 2


def test_replies_sharing_a_pass_score_as_if_read_alone(planted_library):
    llm = planted_library.llm
    messages = [{"role": "user", "content": "How many rolls were baked? Forty-two cinnamon rolls."}]
    together = llm.score_replies(messages, ["forty-two cinnamon rolls", "forty-two"])
    alone = llm.score_replies(messages, ["forty-two"])
    assert together[1].tokens == alone[0].tokens
    assert np.isclose(together[1].logprob, alone[0].logprob, atol=1e-3)
    assert np.isclose(together[1].stop, alone[0].stop, atol=1e-3)
    first = llm.score_replies(messages, ["forty-two"], first_token=True)[0]
    assert first >= alone[0].logprob - 1e-3    # one token's log-probability, never less



def test_a_two_part_question_about_one_place_quotes_that_place(planted_library):
    """Asked in two parts about one sentence, the answer quotes that sentence and takes
    each part's line from the quotes (the second part may be answered by the first's)."""
    from engine.conversation.hops import split_hops
    fact = FACTS[0]
    question = "What was inside the bread, and where did he keep it?"
    assert len(split_hops(question)) == 2
    ans = planted_library.ask(question, max_tokens=8)
    quoted = [q for q in ans.quotes if fact.fact in ans.evidence[q.tag - 1].text]
    assert quoted and quoted[0].text in " ".join(fact.fact.split()), ans.text
    assert ans.route == "two-part" and len(ans.line.parts) == 2
    assert all(any(part.text in q.text for q in ans.quotes) for part in ans.line.parts)
