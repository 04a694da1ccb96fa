"""A real library for the value tests: the first five chapters of Alice (a real book),
read with the real encoder, on a settable clock. Read once per session; each test gets its
own copy of the folder, so tests can age and consolidate it freely."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from engine.library import Library
from engine.value import SettableClock

ROOT = Path(__file__).resolve().parents[3]
ALICE = ROOT / "resources" / "samples" / "alice.txt"
# The clock's day 0: now, because documents record when they were read by the wall clock.
START = time.time()


def alice_chapters(n: int) -> str:
    """The book's text up to (not including) chapter n + 1."""
    lines = ALICE.read_text(encoding="utf-8", errors="replace").splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip().startswith("CHAPTER ")]
    return "\n".join(lines[:marks[n]]) + "\n"


@pytest.fixture(scope="session")
def alice_folder(tmp_path_factory, encoder) -> Path:
    folder = tmp_path_factory.mktemp("alice_value")
    book = folder / "alice-1-5.txt"
    book.write_text(alice_chapters(5), encoding="utf-8")
    lib = Library(folder / "lib", encoder=encoder, clock=SettableClock(START))
    summary = lib.ingest([book])
    assert summary.stored, summary.failed
    lib.close()
    return folder


@pytest.fixture
def aged(alice_folder, tmp_path, encoder):
    """(Library on a settable clock at day 0, its folder): a private copy per test."""
    folder = tmp_path / "alice"
    shutil.copytree(alice_folder, folder)
    clock = SettableClock(max(START, time.time()))
    lib = Library(folder / "lib", encoder=encoder, clock=clock)
    yield lib, clock
    lib.close()
