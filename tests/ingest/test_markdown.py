"""Markdown: heading paths (ATX and setext, nested), code fences, spans."""
from __future__ import annotations

from ingest import estimate_tokens

from .conftest import assert_stream_invariants, chunk_with, read_all

NOTE = """\
---
title: Front matter is metadata
---
# Field Guide

Intro paragraph under the title.

## Birds

Robins sing at dawn
and again at dusk.

```python
# not a heading
def f():
    return 1
```

### Owls ###

Owls hunt at night.

Mammals
-------

Bats are mammals too.

- first item
- second item

Reptiles
========

Snakes shed their skin.

~~~
## still code
~~~
"""


def test_sections_nest_by_level(write):
    p = write("guide.md", NOTE)
    doc, chunks = read_all(p, budget=1000)
    assert doc.modality == "markdown" and doc.unit_name == "line"
    assert doc.title == "Field Guide" and doc.units == NOTE.count("\n")
    sec = {c.text.split()[0]: c.location.section for c in chunks}
    assert sec["Intro"] == ("Field Guide",)
    assert sec["Robins"] == ("Field Guide", "Birds")
    assert sec["Owls"] == ("Field Guide", "Birds", "Owls")
    assert sec["Bats"] == ("Field Guide", "Mammals")          # setext level 2
    assert sec["Snakes"] == ("Reptiles",)                      # setext level 1
    assert not any("Front matter" in c.text for c in chunks)
    assert not any(c.text.startswith("#") and "heading" not in c.text for c in chunks)


def test_code_fences_hold_no_headings(write):
    p = write("guide.md", NOTE)
    _, chunks = read_all(p, budget=1000)
    code = chunk_with(chunks, "# not a heading")
    assert code.location.section == ("Field Guide", "Birds")
    assert "# not a heading\ndef f():\n    return 1" in code.text   # lines kept for code
    tail = chunk_with(chunks, "## still code")
    assert tail.location.section == ("Reptiles",)


def test_line_and_char_spans(write):
    p = write("guide.md", NOTE)
    _, chunks = read_all(p, budget=1000)
    c = chunk_with(chunks, "Robins sing")
    assert c.text.startswith("Robins sing at dawn and again at dusk.")
    lines = NOTE.splitlines()
    assert c.location.line_start == lines.index("Robins sing at dawn") + 1
    assert NOTE[c.location.char_start:].startswith("Robins sing at dawn\nand again")
    owl = chunk_with(chunks, "Owls hunt")
    assert (owl.location.line_start, owl.location.line_end) == (lines.index("Owls hunt at night.") + 1,) * 2
    assert NOTE[owl.location.char_start:owl.location.char_end] == "Owls hunt at night."
    items = chunk_with(chunks, "first item")
    assert "- first item\n\n- second item" in items.text      # list items stay apart


def test_budget_and_no_cross_section(write):
    body = "\n\n".join(f"## Part {k}\n\n" + "\n\n".join(
        f"Paragraph {k}.{i} has enough words to count for something here." for i in range(8))
        for k in range(4))
    p = write("parts.md", body)
    _, chunks = read_all(p, budget=40)
    assert_stream_invariants(chunks, 40)
    for c in chunks:
        k = c.location.section[0].split()[-1]
        assert all(w.startswith(f"{k}.") for w in c.text.split() if w[0].isdigit())
    assert max(estimate_tokens(c.text) for c in chunks) > 20   # paragraphs were merged
