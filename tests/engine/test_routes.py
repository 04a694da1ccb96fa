"""Each question goes where the library knows its answer: a name's mentions to the exact
occurrences, code to the symbol graph, a two-part question to two hops, a fact to recall.
One real library (a plain-text novel with chapters and a small Python package), the real
encoder and the bundled model; the truth is counted from the files written here."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from engine.store import symbols
from tests.books import alice_paragraphs

# (chapter, sentence) planted into generated chapters of real prose (Alice)
PLANTED = [
    (1, "The council of Marrowby voted that the new bridge should be built of grey granite."),
    (2, "Quillon Marsh kept a lantern burning all night by the ferry steps."),
    (2, "Nobody in the village had ever seen Quillon Marsh sleep."),
    (4, "Within a year the Marrowby bridge cracked in the first hard frost."),
    (4, "When the floods came, Quillon Marsh's lantern guided the boats home."),
    (5, "The schoolmistress Edith Vane taught the children to count in French."),
]
CHAPTERS = ["CHAPTER I.", "CHAPTER II.", "CHAPTER III.", "CHAPTER IV.", "CHAPTER V."]

CODE = {
    "geo/__init__.py": "",
    "geo/paths.py": '''\
def shortest_route(graph, start, goal):
    """Return the shortest route between two towns on the map."""
    seen = neighbours(graph, start)
    return [start, goal] if goal in seen else [start]


def neighbours(graph, town):
    """List the towns one road away from a town."""
    return graph.get(town, [])
''',
    "geo/survey.py": '''\
from geo.paths import neighbours, shortest_route


class Surveyor:
    """A surveyor who measures the length of every road on the map."""

    def measure(self, graph):
        """Add up the lengths of the roads."""
        return [shortest_route(graph, a, b) for a, b in graph]


def plan_trip(graph, a, b):
    """Plan a holiday trip through the countryside."""
    return shortest_route(graph, a, b) + neighbours(graph, b)
''',
}


PLAY = """THE FERRY

ACT I

SCENE I. The quay.

BOATMAN. Quillon Marsh keeps the lantern, they say, and never sleeps.

SCENE II. The inn.

HOSTESS. Bread and ale for the travellers, and a bed by the fire.

ACT II

SCENE I. The quay at night.

BOATMAN. There burns the lantern of Quillon Marsh again.
"""


def _novel(path: Path) -> Path:
    filler = itertools.cycle(alice_paragraphs())
    lines = ["Title: The Marrowby Chronicle", ""]
    for number, heading in enumerate(CHAPTERS, 1):
        lines += [heading, ""]
        for i in range(4):
            lines += [next(filler)[:600], ""]
            lines += [s for c, s in PLANTED if c == number and i == 1] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def routed(tmp_path_factory, encoder):
    """(library, novel path, code root): read once for the module."""
    from engine.library import Library
    root = tmp_path_factory.mktemp("routed")
    novel = _novel(root / "marrowby.txt")
    (root / "ferry.txt").write_text(PLAY, encoding="utf-8")
    for rel, text in CODE.items():
        (root / "code" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "code" / rel).write_text(text)
    lib = Library(root / "lib", encoder=encoder)
    summary = lib.ingest([novel, root / "ferry.txt", root / "code"])
    assert not summary.failed
    yield lib, novel.resolve(), (root / "code").resolve()
    lib.close()


def _chapters_holding(novel: Path, name: str) -> dict[str, int]:
    """The truth, counted apart from Memex: whole-word mentions per chapter heading."""
    text = novel.read_text()
    out = {}
    for i, heading in enumerate(CHAPTERS):
        start = text.index(heading + "\n")
        end = text.index(CHAPTERS[i + 1] + "\n") if i + 1 < len(CHAPTERS) else len(text)
        n = len(re.findall(rf"\b{re.escape(name)}(?:'s)?\b", text[start:end], re.I))
        if n:
            out[heading.rstrip(".")] = n
    return out


def _counting(monkeypatch, encoder) -> list[list[str]]:
    """Every batch of texts the encoder keys from here on (the question among them)."""
    calls: list[list[str]] = []
    real = encoder.encode

    def encode(texts, *args, **kwargs):
        calls.append(list(texts))
        return real(texts, *args, **kwargs)
    monkeypatch.setattr(encoder, "encode", encode)
    return calls


def test_which_chapters_mention_a_name_names_exactly_its_chapters_with_counts(routed, monkeypatch):
    lib, novel, _ = routed
    calls = _counting(monkeypatch, lib.encoder)
    ans = lib.ask("Which chapters mention Quillon Marsh?", max_tokens=8)
    truth = _chapters_holding(novel, "Quillon Marsh")
    assert list(truth) == ["CHAPTER II", "CHAPTER IV"]
    assert ans.route == "mentions" and ans.line.how == "mentions"
    for heading, n in truth.items():
        assert f"{heading} ({n} mention{'s' if n > 1 else ''})" in ans.line.text
    assert "CHAPTER I " not in ans.line.text and "CHAPTER V" not in ans.line.text
    groups = ans.to_json()["groups"]
    assert [(g["label"], g["count"]) for g in groups] == list(truth.items())
    # each chapter cited at a passage that names it, and quoted
    for g in groups:
        assert "Quillon Marsh" in ans.evidence[g["n"] - 1].text
    assert all("Quillon Marsh" in q.text for q in ans.quotes) and len(ans.quotes) == 2
    assert ans.synthesis == "" and not ans.flags
    assert calls == []             # exact occurrences need no key


def test_the_unit_asked_for_picks_the_works_that_have_it(routed):
    """The novel has chapters and the play scenes; both name Quillon Marsh."""
    lib, _, _ = routed
    scenes = lib.ask("Which scenes mention Quillon Marsh?", max_tokens=8)
    assert scenes.route == "mentions"
    assert [g["label"] for g in scenes.to_json()["groups"]] == [
        "ACT I › SCENE I. The quay", "ACT II › SCENE I. The quay at night"]
    assert all(g["path"].endswith("ferry.txt") for g in scenes.to_json()["groups"])


def test_first_mention_and_how_often(routed):
    lib, novel, _ = routed
    first = lib.ask("Where is Edith Vane first mentioned?", max_tokens=8)
    assert first.route == "mentions" and "CHAPTER V" in first.line.text
    assert "Edith Vane" in first.quotes[0].text
    often = lib.ask("How often does Quillon Marsh come up in marrowby.txt?", max_tokens=8)
    total = sum(_chapters_holding(novel, "Quillon Marsh").values())
    assert often.line.text.startswith(f"{total} times, in 2 chapters")


def test_a_theme_that_occurs_nowhere_is_looked_for_by_meaning(routed):
    lib, _, _ = routed
    ans = lib.ask("Which chapters discuss masonry?", max_tokens=8)
    assert ans.route == "gists"
    assert not re.search(r"\bmasonry\b", lib.store.chunks([h.chunk_id for h in ans.evidence
                                                           ])[ans.evidence[0].chunk_id].text)


def test_who_calls_lists_the_call_sites_trace_finds(routed):
    lib, _, root = routed
    ans = lib.ask("Who calls shortest_route?", max_tokens=8)
    calls = [u for u in symbols.uses(lib.store, "shortest_route") if u.kind == "call"]
    assert ans.route == "code" and len(calls) == 2
    for u in calls:
        assert f"survey.py:{u.line}" in ans.line.text
        assert any(h.location.path == u.path and h.location.line_start == u.line
                   for _, h in ans.citations)
    assert "`Surveyor.measure`" in ans.line.text and "`plan_trip`" in ans.line.text


def test_where_a_function_is_defined_and_what_it_does(routed):
    lib, _, root = routed
    where = lib.ask("Where is neighbours defined?", max_tokens=8)
    assert where.route == "code" and "`neighbours` in" in where.line.text
    assert where.line.text.endswith("paths.py:7-9 [1]")
    assert where.citations[0][1].location.line_start == 7
    what = lib.ask("What does plan_trip do?", max_tokens=8)
    assert "Plan a holiday trip through the countryside." in what.line.text


@pytest.mark.parametrize("question, qualname", [
    ("Which function lists the towns one road away from a town?", "neighbours"),
    ("Which function or class does this: Return the shortest route between two towns?",
     "shortest_route"),
    ("What class measures the length of every road?", "Surveyor"),
])
def test_a_description_finds_the_unit_that_does_it(routed, question, qualname):
    lib, _, _ = routed
    ans = lib.ask(question, max_tokens=8)
    assert ans.route == "code" and ans.line.text.startswith(f"`{qualname}` (")
    assert ans.citations[0][1].location.symbol == qualname


def test_a_fact_question_is_encoded_once(routed, monkeypatch):
    lib, _, _ = routed
    calls = _counting(monkeypatch, lib.encoder)
    question = "What was the new crossing over the river made of?"
    ans = lib.ask(question, max_tokens=8)
    assert ans.route == "facts"
    assert [c for c in calls if question in c] == [[question]]
    assert any("grey granite" in q.text for q in ans.quotes)


def test_a_two_part_question_carries_its_first_answer_into_the_second_hop(routed, monkeypatch):
    lib, _, _ = routed
    calls = _counting(monkeypatch, lib.encoder)
    question = "What stone did the town choose for its bridge, and what happened to it?"
    ans = lib.ask(question, max_tokens=8)
    assert ans.route == "two-part" and ans.hops == 2 and len(ans.line.parts) == 2
    cited = [h.text for _, h in ans.citations]
    for sentence in (PLANTED[0][1], PLANTED[3][1]):
        assert any(sentence in " ".join(t.split()) for t in cited), ans.text
    assert all(any(p.text in q.text for q in ans.quotes) for p in ans.line.parts)
    keyed = [c[0] for c in calls if len(c) == 1]      # queries are keyed one by one
    assert keyed.count(question) == 1 and keyed.count(question.split(",")[0]) == 1
    assert len(keyed) == len(set(keyed))                 # each hop is worked out once
