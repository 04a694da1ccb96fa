"""The form of a question, read from its words (engine/plan/mention_form.py,
engine/plan/code_form.py): which questions ask where a name occurs and which name, which
ask about code and what about it, and which are neither. Phrasings of many kinds, as
strangers type them; which reading of a name the library holds is the planner's to
decide, so a mention question is right when its first readings hold the name."""
from __future__ import annotations

import pytest

from engine.plan.code_form import code_form
from engine.plan.mention_form import clean_term, mentions_form


@pytest.mark.parametrize("question, form, unit, term", [
    ("Which chapters mention the lighthouse keeper?", "which", "chapter", "lighthouse keeper"),
    ("In what chapters is Captain Ahab named?", "which", "chapter", "Captain Ahab"),
    ("Which acts does Malvolio appear in?", "which", "act", "Malvolio"),
    ("What scenes have the ghost in them?", "which", "scene", "ghost"),
    ("Which files mention parse_config?", "which", "file", "parse_config"),
    ("Which books of the Iliad speak of Hector?", "which", "book", "Hector"),
    ("Where is Mr. Rochester first mentioned?", "first", "", "Rochester"),
    ("When does the white whale first appear?", "first", "", "white whale"),
    ("In which chapter does Heathcliff first come up?", "first", "chapter", "Heathcliff"),
    ("What is the first mention of the lottery?", "first", "", "lottery"),
    ("How often is Bingley mentioned?", "count", "", "Bingley"),
    ("How many times does the word 'whale' occur in the book?", "count", "", "whale"),
    ("Where is Pemberley mentioned?", "every", "", "Pemberley"),
    ("List every mention of the green door", "every", "", "green door"),
    # the name before the question, the unit after it, the unit in the middle, lowercase
    ("echigo - what chapters is that province brought up in", "which", "chapter", "echigo"),
    ("pharaoh shows up in which of the twelve books?", "which", "book", "pharaoh"),
    ("Mount Olympus: which books of Milton's epic refer to it?", "which", "book",
     "Mount Olympus"),
    ("The narrator seems obsessed with noodles. Which chapters actually have them?", "which",
     "chapter", "noodles"),
    ("Chapters containing a reference to bamboo?", "which", "chapter", "bamboo"),
    ("Do the police figure in the story at all? List the chapters where they're mentioned.",
     "which", "chapter", "police"),
    ("Could you point me to the scenes where somebody is addressed as Monsieur?", "which",
     "scene", "Monsieur"),
    ("List every act and scene that includes the word wedding.", "which", "scene", "wedding"),
    ("What's the earliest book of the poem that uses the word Cherubim?", "first", "book",
     "Cherubim"),
    ("Give me a tally: how many times does horn occur?", "count", "", "horn"),
    ("As You Like It - count the occurrences of the word wit.", "count", "", "wit"),
    ("Number of times Canaan is named in the poem?", "count", "", "Canaan"),
    ("I'd like to know every place the word lantern turns up", "every", "", "lantern"),
    ("could you tell me which chapters the apothecary crops up in", "which", "chapter",
     "apothecary"),
])
def test_mention_questions(question, form, unit, term):
    m = mentions_form(question)
    assert m is not None and (m.form, m.unit) == (form, unit), m
    assert term in m.candidates[:2], m


@pytest.mark.parametrize("question, reading", [
    ("Could you tell me in what parts of the novel sweet potatoes are mentioned?", "sweet potatoes"),
    ("that red towel he takes to the baths... which chapters bring it up", "red towel"),
    ("I'd like the list of books in Paradise Lost that refer to the Tree of Life.", "Tree of Life"),
])
def test_a_long_phrase_offers_its_shorter_readings(question, reading):
    """The library decides how much of a phrase is the name: its parts are readings too."""
    assert reading in mentions_form(question).candidates


def test_a_theme_verb_asks_by_meaning():
    m = mentions_form("Which chapters deal with grief?")
    assert m is not None and m.theme and m.term == "grief"
    assert not mentions_form("Which chapters mention grief?").theme


@pytest.mark.parametrize("question", [
    "What did the captain keep in his cabin?", "Who inherited the house?",
    "Why did she leave the village?", "What happens in chapter 3?",
    "Where did the boy hide the key?", "How much did the ferryman charge?",
])
def test_plain_questions_are_not_mention_questions(question):
    assert mentions_form(question) is None


def test_a_named_reading_is_offered_beside_a_described_one():
    m = mentions_form("Which scenes mention Orsino the duke?")
    assert m.candidates[0] == "Orsino"


@pytest.mark.parametrize("question, form, name", [
    ("Where is load_settings defined?", "definition", "load_settings"),
    ("Where's the class HttpClient declared?", "definition", "HttpClient"),
    ("Which file defines `Config.reload`?", "definition", "Config.reload"),
    ("Who calls load_settings?", "callers", "load_settings"),
    ("Which modules use retry_request()?", "callers", "retry_request"),
    ("Where in the project is flush_cache called?", "callers", "flush_cache"),
    ("what depends on parse_headers?", "callers", "parse_headers"),
    ("is_valid_url - where is it used internally?", "callers", "is_valid_url"),
    ("If I changed the signature of open_session, which places would I have to update?",
     "callers", "open_session"),
    ("Which routines make a call to merge_sorted?", "callers", "merge_sorted"),
    ("What does normalise_path do?", "explain", "normalise_path"),
    ("Explain the function merge_intervals", "explain", "merge_intervals"),
])
def test_code_questions_about_a_name(question, form, name):
    asked = code_form(question)
    assert asked is not None and (asked.form, asked.name) == (form, name)


@pytest.mark.parametrize("question, words, kind", [
    ("Which function parses the command line arguments?", "parses the command line arguments",
     "function"),
    ("What class holds the connection pool?", "holds the connection pool", "class"),
    ("Which function or class does this: Convert a colour to grey?", "Convert a colour to grey", ""),
    ("Is there a helper that retries failed downloads?", "retries failed downloads", "function"),
    ("how can i test whether one node has no neighbours at all", "node has no neighbours", ""),
    ('Which one has the docstring "Return a small maze with a cycle."?',
     "Return a small maze with a cycle", ""),
    ("Looking for the helper described as \"Returns a random.Random instance.\" - which one?",
     "Returns a random.Random instance", "function"),
    ("what's the routine to find the cut vertices of a graph, i.e. the articulation points?",
     "find the cut vertices of a graph", "function"),
])
def test_a_description_asks_for_a_unit(question, words, kind):
    asked = code_form(question)
    assert asked is not None and asked.form == "describe" and words in asked.name, asked
    assert asked.kind == kind


@pytest.mark.parametrize("question", [
    "Which chapters mention the lighthouse?", "What was written on the cake?",
    "Who wrote the letter to the captain?",
])
def test_questions_about_prose_are_not_code_questions(question):
    assert code_form(question) is None


@pytest.mark.parametrize("raw, term", [
    ("the word 'lantern' in the book", "lantern"), ("Audrey's name", "Audrey"),
    ("Kiyo at all", "Kiyo"), ("the Badger", "Badger"), ("with noodles", "noodles"),
    ("a reference to bamboo", "bamboo"), ("How frequently are chariots", "chariots"),
])
def test_clean_term(raw, term):
    assert clean_term(raw) == term
