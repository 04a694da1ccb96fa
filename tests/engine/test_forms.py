"""The form of a question, read from its words (engine/plan/forms.py): which questions ask
where a name occurs, which ask about code, and which are neither."""
from __future__ import annotations

import pytest

from engine.plan.forms import clean_term, code_form, mentions_form


@pytest.mark.parametrize("question, form, unit, term", [
    ("Which chapters mention the lighthouse keeper?", "which", "chapter", "lighthouse keeper"),
    ("In what chapters is Captain Ahab named?", "which", "chapter", "Captain Ahab"),
    ("Which acts does Malvolio appear in?", "which", "act", "Malvolio"),
    ("What scenes have the ghost in them?", "which", "scene", "ghost"),
    ("Which files mention parse_config?", "which", "file", "parse_config"),
    ("Which books of the Iliad speak of Hector?", "which", "book", "Hector"),
    ("Where is Mr. Rochester first mentioned?", "first", "", "Mr. Rochester"),
    ("When does the white whale first appear?", "first", "", "white whale"),
    ("In which chapter does Heathcliff first come up?", "first", "chapter", "Heathcliff"),
    ("What is the first mention of the lottery?", "first", "", "lottery"),
    ("How often is Bingley mentioned?", "count", "", "Bingley"),
    ("How many times does the word 'whale' occur in the book?", "count", "", "whale"),
    ("Where is Pemberley mentioned?", "every", "", "Pemberley"),
    ("List every mention of the green door", "every", "", "green door"),
])
def test_mention_questions(question, form, unit, term):
    m = mentions_form(question)
    assert m is not None and (m.form, m.unit, m.term) == (form, unit, term)


def test_a_theme_verb_asks_by_meaning():
    m = mentions_form("Which chapters deal with grief?")
    assert m is not None and m.theme and m.term == "grief"
    assert not mentions_form("Which chapters mention grief?").theme


@pytest.mark.parametrize("question", [
    "What did the captain keep in his cabin?", "Who inherited the house?",
    "Why did she leave the village?", "What happens in chapter 3?",
])
def test_plain_questions_are_not_mention_questions(question):
    assert mentions_form(question) is None


def test_a_named_reading_is_offered_beside_a_described_one():
    m = mentions_form("Which scenes mention Orsino the duke?")
    assert m.candidates[0] == "Orsino"


@pytest.mark.parametrize("question, form, name, kind", [
    ("Where is load_settings defined?", "definition", "load_settings", ""),
    ("Where's the class HttpClient declared?", "definition", "HttpClient", ""),
    ("Which file defines `Config.reload`?", "definition", "Config.reload", ""),
    ("Who calls load_settings?", "callers", "load_settings", ""),
    ("Which modules use retry_request()?", "callers", "retry_request", ""),
    ("Where in the project is flush_cache called?", "callers", "flush_cache", ""),
    ("What does normalise_path do?", "explain", "normalise_path", ""),
    ("Explain the function merge_intervals", "explain", "merge_intervals", ""),
    ("Which function parses the command line arguments?", "describe",
     "parses the command line arguments", "function"),
    ("What class holds the connection pool?", "describe", "holds the connection pool", "class"),
    ("Which function or class does this: Convert a colour to grey?", "describe",
     "Convert a colour to grey", ""),
    ("Is there a helper that retries failed downloads?", "describe", "retries failed downloads", ""),
])
def test_code_questions(question, form, name, kind):
    asked = code_form(question)
    assert asked is not None and (asked.form, asked.name, asked.kind) == (form, name, kind)


@pytest.mark.parametrize("question", [
    "Which chapters mention the lighthouse?", "What was written on the cake?",
    "Who wrote the letter to the captain?",
])
def test_questions_about_prose_are_not_code_questions(question):
    assert code_form(question) is None


@pytest.mark.parametrize("raw, term", [
    ("the word 'lantern' in the book", "lantern"), ("Audrey's name", "Audrey"),
    ("Kiyo at all", "Kiyo"), ("the Badger", "Badger"),
])
def test_clean_term(raw, term):
    assert clean_term(raw) == term
