"""Tracing a term through a book: every chunk that mentions it, with page and section."""
from __future__ import annotations

from tests.engine.conftest import FACTS


def test_trace_follows_a_term_across_pages_and_parts(planted_library, planted_pdf):
    found = planted_library.trace("Penhallow")
    assert [(o.kind, o.page, o.section) for o in found] == [("mention", 6, "Part Two")]
    assert "Penhallow" in found[0].text and found[0].path == str(planted_pdf.resolve())
    assert found[0].symbol is None and found[0].to_json()["kind"] == "mention"
    pages = [o.page for o in planted_library.trace("Alice")]
    assert len(pages) > 5 and pages == sorted(pages)          # reading order
    assert {o.section for o in planted_library.trace("Alice")} >= {"Part One", "Part Three"}
    assert [o.page for o in planted_library.trace("Alice", limit=2)] == pages[:2]


def test_every_planted_fact_is_traced_to_its_page(planted_library):
    for fact in FACTS:
        rare = max(fact.fact.replace(",", "").replace(".", "").split(), key=len)
        assert fact.page in [o.page for o in planted_library.trace(rare)], rare
