"""Answers from the real bundled model: cited pages, streaming and a clean stop."""
from __future__ import annotations

import signal
import subprocess
import time

import pytest

from tests.engine.cli import MEMEX, ROOT, env, memex, memex_json
from tests.engine.conftest import FACTS


@pytest.fixture(scope="module")
def cli_library(tmp_path_factory, planted_pdf):
    lib = tmp_path_factory.mktemp("cli-lib")
    memex("ingest", planted_pdf, "--library", lib)
    return lib


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"page{f.page}")
def test_ask_json_cites_the_planted_page(cli_library, fact):
    out = memex_json("ask", fact.question, "--json", "--max-tokens", "48", "--library", cli_library)
    assert out["answer_line"]["text"] and out["route"] == "facts"
    assert out["answer"] == "" and not out["flags"]     # the bundled model adds no synthesis
    pages = [c["page"] for c in out["citations"]]
    assert fact.page in pages, out
    cited = next(c for c in out["citations"] if c["page"] == fact.page)
    assert fact.fact in cited["text"]
    assert all(1 <= c["n"] for c in out["citations"])


def test_ask_streams_and_lists_sources(cli_library):
    proc = memex("ask", FACTS[0].question, "--max-tokens", "32", "--library", cli_library)
    assert "Sources:" in proc.stdout
    assert "page 3" in proc.stdout


def test_ctrl_c_stops_generation_cleanly(cli_library):
    proc = subprocess.Popen([*MEMEX, "ask", "Tell me everything about Alice.", "--max-tokens", "400",
                             "--library", str(cli_library)], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.read(1)   # the quote arrives before the model starts
    assert first
    time.sleep(6)                 # let the model read the evidence and start writing
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "[stopped]" in out or "Sources:" in out
