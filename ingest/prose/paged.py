"""Paragraphs of a paged PyMuPDF document (PDF, or EPUB laid out into pages).

Pages are loaded one at a time, so a 1000-page book streams in constant memory. Each
paragraph carries its 1-based physical page, the printed page label when the PDF
defines labels, and the section path from the outline or from font sizes.

`char_start`/`char_end` index the text that `page.get_text()` (default "text" options)
returns for that page: `page.get_text()[char_start:]` begins with the paragraph's first
line as extracted, and `char_end` is just past its last line. Chunk text differs from
that span only in that line breaks become spaces and words hyphenated at a line end are
rejoined. PDF page furniture (running headers, page numbers) is left out of paragraphs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pymupdf

from ingest.errors import IngestError
from ingest.records import Chunk, Document

from .chunker import Para, chunk_paragraphs
from .damage import DamageLog
from .furniture import Furniture, clean_label
from .headings import HeadingStack
from .mupdf_noise import drop_mupdf_errors
from .outline import Heading, OutlineSections, SectionFinder, font_sections
from .pagetext import PageLine, page_lines, para_from_page_lines, starts_paragraph

__all__ = ["paged_document", "paged_paragraphs", "section_finder", "find_text_page",
           "quiet_mupdf"]

_TEXT_PROBES = 8   # pages probed for a text layer when a document is opened


def section_finder(doc) -> SectionFinder:
    """The outline when the document has a usable one, else font-size headings."""
    try:
        outline = OutlineSections(doc.get_toc(simple=False), doc.page_count)
    except Exception:  # a broken outline should not stop the text from being read
        outline = OutlineSections([], doc.page_count)
    return outline if outline else font_sections(doc)


def find_text_page(doc) -> int | None:
    """A page index with extractable text, or None (scanned/image-only document).

    A few evenly spread pages are probed first, then the rest, so a normal book costs
    a handful of page extractions and only an image-only one is read through."""
    n = doc.page_count
    probes = sorted({int(k * n / _TEXT_PROBES) for k in range(min(n, _TEXT_PROBES))})
    rest = (p for p in range(n) if p not in probes)
    for pno in (*probes, *rest):
        try:
            if doc.load_page(pno).get_text().strip():
                return pno
        except Exception:
            continue
    return None


def paged_paragraphs(doc, path: str, *, kind: str, labels: bool,
                     warnings: list[str]) -> Iterator[Para]:
    """Paragraphs page by page; `kind` ("PDF", "EPUB") names the format in errors.
    Labels are read when `labels`; furniture is stripped for PDFs only (an EPUB's
    layout prints none), and MuPDF's error text for EPUBs only (`mupdf_noise.py`).

    A page that fails to extract is skipped with a note in `warnings`, and a PDF's pages
    lost or damaged in a repair are named there at the end (`damage.py`); if no page
    yields any text, IngestError is raised at the end."""
    sections = section_finder(doc)  # lazily: font statistics read a sample of pages
    heads = HeadingStack()
    furniture = Furniture() if kind == "PDF" else None
    damage = DamageLog() if kind == "PDF" else None
    found = False
    failed = 0
    for pno in range(doc.page_count):
        page_no = pno + 1
        try:
            if damage:
                damage.page_start()
            page = doc.load_page(pno)
            lines = page_lines(page)
            label = clean_label(page.get_label()) if labels else None
        except Exception:
            failed += 1
            warnings.append(f"page {page_no} is damaged and was skipped")
            continue
        if damage:
            damage.page_end(page_no, bool(lines))
        if kind == "EPUB":   # MuPDF lays out its own error text where a chapter is missing
            lines = drop_mupdf_errors(lines, page_no, warnings)
        if furniture:
            lines = furniture.strip(lines, page_no, label)
        for para in _page_paras(lines, sections.headings(page_no, lines), heads, page_no, label):
            found = True
            yield para
    if damage:
        warnings += damage.warnings(doc)
    if not found:
        if failed or (damage and damage.lost):
            raise IngestError(path, f"the {kind} is damaged: no page could be read")
        raise IngestError(path, f"the {kind} has no text layer (scanned PDF?)" if kind == "PDF"
                          else "the EPUB contains no readable text")


def _page_paras(lines: list[PageLine], headings: list[Heading], heads: HeadingStack,
                page: int, label: str | None) -> Iterator[Para]:
    at: dict[int, list[Heading]] = {}
    for h in headings:
        at.setdefault(h.index, []).append(h)
    skip_until = -1
    run: list[PageLine] = []
    for i, ln in enumerate(lines):
        if i in at:
            if run:
                yield para_from_page_lines(run, heads.path, page, label)
                run = []
            for h in at[i]:
                heads.open(h.level, h.title)
                skip_until = max(skip_until, i + h.count)
        if i < skip_until:
            continue               # the heading's own lines: it is the section, not text
        if run and starts_paragraph(run[-1], ln):
            yield para_from_page_lines(run, heads.path, page, label)
            run = []
        run.append(ln)
    if run:
        yield para_from_page_lines(run, heads.path, page, label)
    for h in at.get(len(lines), ()):  # sections starting below the page's last line
        heads.open(h.level, h.title)


def quiet_mupdf() -> None:
    """Keep MuPDF's repair chatter off stderr; failures still reach us as exceptions.

    PyMuPDF also prints a Python traceback on *stdout* for an exception it swallows (a
    table-of-contents link whose target is not UTF-8 fails `resolve_link`), which would
    land in the middle of `memex ... --json`; `g_exceptions_verbose = 0` silences it."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.g_exceptions_verbose = 0


def paged_document(doc, path: str, *, kind: str, modality: str, labels: bool,
                   budget: int) -> Document:
    """Wrap an opened, checked document; its chunks stream and close it when done."""
    try:
        title = (doc.metadata or {}).get("title", "").strip()
    except Exception:
        title = ""
    warnings: list[str] = []

    def chunks() -> Iterator[Chunk]:
        try:
            paras = paged_paragraphs(doc, path, kind=kind, labels=labels, warnings=warnings)
            yield from chunk_paragraphs(paras, path, budget)
        finally:
            doc.close()

    return Document(path=path, modality=modality, title=title or Path(path).stem,
                    units=doc.page_count, unit_name="page", chunks=chunks(),
                    warnings=warnings)
