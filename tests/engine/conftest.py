"""Real libraries for engine tests: real PDFs, the real encoder, real SQLite files."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.makers import make_pdf

ROOT = Path(__file__).resolve().parents[2]
ALICE = ROOT / "resources" / "samples" / "alice.txt"


@dataclass(frozen=True)
class Planted:
    page: int
    fact: str
    question: str


# Facts planted in generated books; questions paraphrase them with few shared words.
FACTS = [
    Planted(3, "The ferryman Osric Dallow kept the lighthouse key hidden inside a hollow "
               "loaf of rye bread on the windowsill.",
            "Where was the beacon tower's key concealed?"),
    Planted(6, "Every Thursday the village baker, Mrs. Penhallow, baked exactly forty-two "
               "cinnamon rolls for the orphanage on Gull Street.",
            "How many sweet pastries did the bread maker prepare for the children's home each week?"),
    Planted(9, "The old clockmaker's telescope was sold at auction in Lisbon for nine "
               "hundred guineas to a Portuguese admiral.",
            "Who bought the watch repairer's spyglass, and for what price?"),
]


def alice_paragraphs() -> list[str]:
    text = ALICE.read_text(encoding="utf-8", errors="replace")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return [p for p in paras if len(p) > 200 and not p.isupper()]


def book_pages(n_pages: int, facts: list[Planted], chars_per_page: int = 2300) -> list[list[tuple[str, float]]]:
    """Pages of real prose (Alice) with each fact as its own paragraph on its page."""
    paras = itertools.cycle(alice_paragraphs())
    pages = []
    for number in range(1, n_pages + 1):
        items: list[tuple[str, float]] = []
        used = 0
        planted = [f.fact for f in facts if f.page == number]
        if planted:
            items.append((next(paras)[:700], 10))
            items.append((planted[0], 10))
            used = 700 + len(planted[0])
        pages.append(filled(items, used, paras, chars_per_page))
    return pages


def filled(items: list[tuple[str, float]], used: int, paras, chars_per_page: int) -> list[tuple[str, float]]:
    """`items` (a page's paragraphs so far, `used` characters) topped up from `paras`
    (an endless iterator of prose) until the next one would overflow the page."""
    while True:
        p = next(paras)[:900]
        if used + len(p) > chars_per_page:
            return items
        items.append((p, 10))
        used += len(p)


@pytest.fixture(scope="session")
def encoder():
    from engine.model.encoder import shared_encoder
    return shared_encoder()


@pytest.fixture(scope="session")
def planted_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("books") / "planted.pdf"
    toc = [[1, "Part One", 1], [1, "Part Two", 5], [1, "Part Three", 8]]
    return make_pdf(path, book_pages(11, FACTS), toc=toc)


@pytest.fixture(scope="session")
def planted_library(tmp_path_factory, planted_pdf, encoder):
    """A library holding the planted book, ingested once for the session."""
    from engine.library import Library
    folder = tmp_path_factory.mktemp("lib")
    lib = Library(folder, encoder=encoder)
    summary = lib.ingest([planted_pdf])
    assert summary.stored == [str(planted_pdf.resolve())], summary.failed
    yield lib
    lib.close()


@pytest.fixture
def library(tmp_path, encoder):
    from engine.library import Library
    lib = Library(tmp_path / "lib", encoder=encoder)
    yield lib
    lib.close()
