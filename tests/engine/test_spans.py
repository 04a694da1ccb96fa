"""Candidate answer spans: runs of the sentence's own words, whole numbers, typed by question."""
from __future__ import annotations

from engine.answer.spans import candidate_spans, typed_spans, wants_quantity, wants_someone

CAKE = ("Soon her eye fell on a little glass box that was lying under the table: she opened "
        "it, and found in it a very small cake, on which the words `EAT ME' were beautifully "
        "marked in currants.")
MOSS = ("Professor Linus Farrow counted four hundred and twelve species of moss on the north "
        "wall of his cottage.")


def texts(question: str, sentence: str) -> list[str]:
    return [s.text for s in candidate_spans(question, sentence)]


def test_every_span_is_the_sentences_own_characters():
    for span in candidate_spans("What was written on the little cake?", CAKE):
        assert CAKE[span.start:span.end] == span.text


def test_quote_marks_are_trimmed_and_capitals_count_as_words():
    found = texts("What was written on the little cake in the glass box?", CAKE)
    assert "EAT ME" in found
    assert not any(t[0] in "`'\"" or t[-1] in "`'\"" for t in found)


def test_a_number_is_never_cut_and_a_quantity_question_keeps_quantities():
    found = texts("How many kinds of small green plants did the scholar find?", MOSS)
    assert "four hundred and twelve" in found
    assert "twelve" not in found and "four hundred" not in found
    assert all(any(w in t for w in ("four", "twelve", "hundred")) for t in found)


def test_spans_say_something_the_question_does_not():
    found = texts("Which professor counted species of moss?", MOSS)
    assert "moss" not in found and "species of moss" not in found
    assert "Linus Farrow" in found


def test_an_answer_does_not_run_into_the_next_clause():
    found = texts("Where was the box?", CAKE)
    assert "lying under the table" in found
    assert not any("table: she" in t for t in found)


def test_quantity_questions():
    assert wants_quantity("How far did she row each week?")
    assert wants_quantity("In which year was it built? When?")
    assert not wants_quantity("Who rowed to the cove?")
    assert wants_quantity("Who built the lock, and when?")
    # "when" inside the question sets a scene; the question still asks where
    assert not wants_quantity("Where was the composer resting when he wrote his symphony?")
    spans = candidate_spans("Where was the composer resting when he wrote his symphony?",
                            "He wrote it while recovering from a broken leg in Lisbon.")
    assert "Lisbon" in [s.text for s in spans]


def test_what_was_written_keeps_the_quoted_words():
    found = texts("What was written on the little cake in the glass box?", CAKE)
    assert found == ["EAT ME"]


def test_a_number_keeps_what_it_counts():
    found = texts("How long did the family last on the roof?",
                  "During the great flood the miller's family survived for six days on their roof.")
    assert "six days" in found and "days" not in found


def test_a_price_question_keeps_sums_of_money():
    question = "How much did the baker charge for her buns?"
    sentences = {1: "The keeper rowed eleven miles to buy lamp oil.",
                 2: "The baker sold her saffron buns for threepence each at the fair."}
    spans = [(k, s) for k, text in sentences.items()
             for s in candidate_spans(question, text, typed=False)]
    kept = [s.text for _, s in typed_spans(question, spans, sentences)]
    assert "threepence" in kept and "eleven miles" not in kept
    # a distance question keeps every quantity: no money is asked for
    far = [s.text for _, s in typed_spans("How far did the keeper row?", spans, sentences)]
    assert "eleven miles" in far


def test_a_pronoun_is_no_answer():
    spans = [s.text for s in candidate_spans(
        "Who was sitting on the mushroom?",
        "She stretched herself up on tiptoe and met the eyes of a large caterpillar.")]
    assert "large caterpillar" in spans
    assert not any(w in ("herself", "She") for s in spans for w in (s.split()[0], s.split()[-1]))


HOOKAH = ("She stretched herself up on tiptoe, and peeped over the edge of the mushroom, and her "
          "eyes immediately met those of a large caterpillar, that was sitting on the top with "
          "its arms folded, quietly smoking a long hookah, and taking not the smallest notice of "
          "her or of anything else.")
SHOUTED = "`Off with her head!' the Queen shouted at the top of her voice."


def test_a_who_question_keeps_the_spans_naming_someone():
    found = texts("Who was sitting on the mushroom smoking a hookah?", HOOKAH)
    assert found and all(t.split()[-1] == "caterpillar" for t in found), found
    assert "top with its arms folded" not in found
    # a name counts; a plant's name does not ("chess" is first a grass in WordNet)
    assert texts("Who found the box?", "Then Mary Lisle found the box under the chess table.") \
        == ["Mary", "Mary Lisle", "Lisle"]
    # "who …, and for how much?" keeps the quantity rule
    found = texts("Who bought it, and for how much?", "A Dutch collector paid sixty pounds.")
    assert "sixty pounds" in found and all("sixty" in t for t in found), found


def test_what_was_shouted_is_the_quoted_speech():
    assert texts("What did the Queen keep shouting when she was angry?", SHOUTED) \
        == ["Off with her head!"]
    assert wants_someone("Whom did the innkeeper refuse to serve?")
    assert not wants_someone("What did the innkeeper refuse, and who asked?")
