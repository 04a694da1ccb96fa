"""An EPUB whose spine names a missing chapter: MuPDF's error text is never stored.

MuPDF lays out `ERROR: cannot find chapter "..."` where the chapter should be; the
reader drops it and warns, naming the chapter and the page.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest import IngestError, open_document
from tests.makers import make_epub

CHAPTERS = [("The Arrival", "The ship reached the harbour at dawn."),
            ("The Storm", "Thunder rolled over the bay all night."),
            ("Departure", 'The log read: ERROR: cannot find chapter "nine", in the '
                          "captain's hand, and they sailed away.")]


def point_spine_at(src: Path, dst: Path, changes: dict[str, str]) -> Path:
    """Copy an EPUB, rewriting chapter hrefs in its package file (`ch2.xhtml` → ...)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.endswith(".opf"):
                for was, now in changes.items():
                    data = data.replace(f'href="{was}"'.encode(), f'href="{now}"'.encode())
            new.writestr(info, data)
    return dst


def test_missing_chapter_is_a_warning_not_content(tmp_path):
    book = point_spine_at(make_epub(tmp_path / "ok.epub", CHAPTERS), tmp_path / "evil.epub",
                          {"ch2.xhtml": "../evil.txt"})
    doc = open_document(book)
    chunks = list(doc.chunks)
    texts = " ".join(c.text for c in chunks)
    assert "cannot find chapter \"evil.txt\"" not in texts and "Thunder" not in texts
    assert "The ship reached the harbour at dawn." in texts
    assert 'ERROR: cannot find chapter "nine"' in texts    # the author's own words stay
    [warning] = doc.warnings
    assert "evil.txt" in warning and "missing" in warning and "page 2" in warning


def test_epub_of_missing_chapters_only_is_refused(tmp_path):
    one = make_epub(tmp_path / "one.epub", CHAPTERS[:1])
    book = point_spine_at(one, tmp_path / "gone.epub", {"ch1.xhtml": "../gone.xhtml"})
    with pytest.raises(IngestError, match="no readable text"):
        list(open_document(book).chunks)
