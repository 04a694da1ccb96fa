"""Conversations on a real library with the real model: follow-ups, places, two hops,
restarts and KV states that never outlive their document."""
from __future__ import annotations

import pytest

from engine.library import Library
from tests.books import PERSON, TWO_HOP, make_twohop_book

CTX = 768          # small context: the tests read a few hundred tokens, not thousands
TOKENS = 24


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return make_twohop_book(tmp_path_factory.mktemp("survey") / "survey.md", TWO_HOP)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, book, encoder):
    path = tmp_path_factory.mktemp("conv-lib")
    with Library(path, encoder=encoder) as lib:
        assert lib.ingest([book]).stored
    return path


@pytest.fixture
def lib(folder, encoder):
    lib = Library(folder, encoder=encoder, n_ctx=CTX)
    yield lib
    lib.close()


def quoted(ans) -> list[str]:
    return [ans.evidence[q.tag - 1].text for q in ans.quotes]


def test_pronoun_followup_recalls_the_right_evidence(lib, encoder):
    conv = lib.conversations.new()
    first = lib.ask(PERSON["question"], conversation=conv, max_tokens=TOKENS)
    assert any(PERSON["first"][0] in t for t in quoted(first))
    follow = lib.ask(PERSON["followup"], conversation=conv, max_tokens=TOKENS)
    assert follow.beta >= 0.5 and "Brindle" in follow.resolved
    assert any(PERSON["second"][0] in t for t in quoted(follow)), follow.text
    assert not any(other in t for t in quoted(follow) for other, _ in PERSON["distractors"])
    # opens with its answer line, then a cited verbatim quote
    assert follow.text.startswith("Answer: ") and "\n\n“" in follow.text


def test_place_restricted_question_cites_only_that_place(lib):
    ans = lib.ask("What is recorded in section 4.2?", max_tokens=TOKENS)
    assert ans.place == "section 4.2"
    assert ans.citations
    assert all(hit.location.section[-1].startswith("4.2") for _, hit in ans.citations)
    assert all(hit.location.section[-1].startswith("4.2") for hit in ans.evidence)


def test_two_hop_question_cites_both_places(lib):
    fact = TWO_HOP[1]
    ans = lib.ask(fact.question, max_tokens=TOKENS)
    assert ans.hops == 2
    cited = [hit.text for _, hit in ans.citations]
    assert any(fact.definition in t for t in cited), ans.text
    assert any(fact.validation in t for t in cited), ans.text
    sections = {hit.location.section[0].split(":")[0] for _, hit in ans.citations}
    assert {f"Chapter {fact.defined[0]}", f"Chapter {fact.validated}"} <= sections


def test_conversation_and_kv_state_survive_a_restart(folder, encoder):
    # the bundled model writes no synthesis by itself (it is too small): asked to, its read
    # of the evidence is what the KV state keeps
    with Library(folder, encoder=encoder, n_ctx=CTX, synthesis=True) as lib:
        conv = lib.conversations.new()
        first = lib.ask("What does the harbour tide model fix?", conversation=conv,
                        max_tokens=TOKENS)
        assert first.kv in ("miss", "disk")
    with Library(folder, encoder=encoder, n_ctx=CTX, synthesis=True) as lib:   # a new process
        state = lib.conversations.load(conv)
        assert [t.question for t in state.turns] == ["What does the harbour tide model fix?"]
        assert state.memory is not None and state.turns[0].evidence
        follow = lib.ask("Why?", conversation=conv, max_tokens=TOKENS)
        assert follow.same_evidence
        assert follow.kv == "disk" and follow.reused_tokens > 0
        assert [h.chunk_id for h in follow.evidence] == [h.chunk_id for h in first.evidence]
        assert len(lib.conversations.load(conv).turns) == 2


def test_kv_state_is_never_reused_after_its_document_changed(tmp_path, encoder):
    book = make_twohop_book(tmp_path / "survey.md", TWO_HOP[:2], chapters=4)
    question = "What does the harbour tide model fix?"
    with Library(tmp_path / "lib", encoder=encoder, n_ctx=CTX, synthesis=True) as lib:
        lib.ingest([book])
        first = lib.ask(question, max_tokens=4)
        assert first.kv == "miss" and lib.kv.keys()
        again = lib.ask(question, max_tokens=4)
        assert again.kv in ("context", "ram")
        # change the file without changing its text's chunks (trailing blank lines): the
        # prompt would be token for token the same, only the document's hash differs
        book.write_text(book.read_text() + "\n\n\n")
        assert lib.ingest([book]).stored
        assert lib.kv.keys() == []                 # dropped with the old document
    with Library(tmp_path / "lib", encoder=encoder, n_ctx=CTX, synthesis=True) as lib:
        after = lib.ask(question, max_tokens=4)
        assert [h.text for h in after.evidence] == [h.text for h in first.evidence]
        assert after.kv == "miss"                  # read again, not restored


def test_cli_session_continues_in_a_new_process(book, tmp_path):
    from tests.engine.cli import memex, memex_json

    lib = tmp_path / "cli-lib"
    memex("ingest", book, "--library", lib)
    opts = ["--json", "--ctx", str(CTX), "--max-tokens", "12", "--synthesis", "--library", lib]
    first = memex_json("ask", "What does the harbour tide model fix?", "--new", *opts)
    assert {"quotes", "answer", "omitted", "citations", "flags"} <= set(first)
    assert first["answer_line"]["text"] and first["text"].startswith("Answer: " + first["answer_line"]["text"])
    assert first["quotes"] and first["quotes"][0]["text"] in first["text"]
    assert first["quotes"][0]["n"] in [c["n"] for c in first["citations"]]
    conv = first["conversation"]
    assert isinstance(conv, int)
    follow = memex_json("ask", "Why?", "--session", conv, *opts)
    assert follow["conversation"] == conv and follow["beta"] >= 0.5
    assert follow["same_evidence"] and follow["kv"] == "disk"
