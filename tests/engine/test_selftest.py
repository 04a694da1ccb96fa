"""`memex --selftest`: the sample book read offline, the sample question answered and cited,
every component's version named. The packaged app runs the same check (bench/bundle.py)."""
from __future__ import annotations

import json
import os

import pytest

from engine.cli import main as memex_main
from engine.cli.selftest import SAMPLES, sample_facts, selftest


def test_the_sample_readme_names_question_answer_and_page():
    question, expected, page = sample_facts()
    assert question.endswith("?") and expected == "EAT ME" and page == 8


def test_a_readme_without_the_answer_is_refused(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text((SAMPLES / "README.md").read_text().replace("SAMPLE_ANSWER:", "ANSWER:"))
    with pytest.raises(ValueError, match="SAMPLE_ANSWER"):
        sample_facts(readme)


def test_memex_selftest_is_dispatched_before_the_subcommands(monkeypatch):
    import engine.cli.selftest as st
    monkeypatch.setattr(st, "run", lambda argv: 7 if argv == ["--json"] else 0)
    assert memex_main(["--selftest", "--json"]) == 7


def test_selftest_reads_the_sample_and_answers_it_with_its_page(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MEMEX_ENDPOINT", "http://127.0.0.1:9")   # never asked: in-process model
    said = []
    result = selftest(said.append, library=tmp_path / "lib")
    assert result.ok, result.problems
    assert result.answer_line.startswith("EAT ME [") and result.cited_page == 8
    assert "page 8" in result.cited
    for component in ("memex", "python", "torch", "llama-cpp-python", "sentence-transformers",
                      "PyMuPDF", "PyAV", "PySide6", "tree-sitter", "sqlite"):
        assert result.versions[component][:1].isdigit(), (component, result.versions[component])
    assert result.models["answering model"].endswith(".gguf")
    assert result.models["wordnet"] == "wordnet-3.0"
    assert len(result.grammars) == 9
    assert any(line.strip().startswith("torch") for line in said)    # versions said first
    assert json.loads(json.dumps(result.to_json()))["ok"] is True
    assert os.environ["MEMEX_ENDPOINT"] == "http://127.0.0.1:9"       # restored
