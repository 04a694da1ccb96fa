"""Lay a plain-text book out as a real, paginated PDF.

Why: tests, demos and benchmarks need PDFs that behave like printed books (wrapped
paragraphs, chapters that start on a new page, an outline, printed page labels that differ
from physical page numbers) without shipping anyone's copyrighted files. This module turns
any plain-text book into such a PDF with PyMuPDF and nothing else.

Choices, and why:
- Base-14 fonts (Times) are never embedded, so a 100-page book stays around 100 KB, and
  they draw no ligatures, so `page.get_text()` returns the words as written.
- Lines break only at spaces; no word is ever hyphenated, so extracted text has no
  hyphenation debris.
- Short paragraphs (a few lines) are kept on one page, as a typesetter would, so a sentence
  planted by a benchmark sits on exactly one page.
- Output is deterministic (fixed metadata, reproducible save), so the committed sample and
  the benchmark cache stay byte-stable.

Input format: paragraphs separated by blank lines; lines inside a paragraph are re-flowed.
A paragraph that is a single line like `CHAPTER I. Down the Rabbit-Hole`, `BOOK IV`,
`ACT II, SCENE 3` or `PART TWO. Botchan` is a heading; a bare heading followed by a centred
one-line paragraph takes that line as its title (Gutenberg's layout). `PART` headings are
outline level 1 and the others level 2 beneath them; without parts, all are level 1.

Run `python resources/samples/make_pdf.py` to regenerate `alice.pdf` from `alice.txt`.
"""
from __future__ import annotations

import argparse
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

__all__ = ["Block", "is_heading", "parse_blocks", "write_book_pdf"]

HERE = Path(__file__).resolve().parent

# Page geometry, in points. A5 with book-like margins: about 35 lines of 60-65 characters.
PAGE_W, PAGE_H = 420.0, 595.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 50.0, 56.0, 60.0
BODY_FONT, BOLD_FONT = "tiro", "tibo"      # Times-Roman, Times-Bold (base-14)
BODY_SIZE, LEADING = 10.5, 13.5           # font size and baseline-to-baseline distance
PARA_GAP = 5.0                            # extra space between paragraphs
HEADING_SIZE, HEADING_LEADING = 16.0, 20.0
TITLE_SIZE = 22.0
FOOTER_SIZE = 9.0
KEEP_TOGETHER = 4                         # paragraphs this short never split across pages

_NUMBER = r"(?:[IVXLCDM]+|\d+|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE)"
_HEADING = re.compile(rf"^(PART|BOOK|CHAPTER|ACT)\s+{_NUMBER}\b(?P<rest>.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]")
# Base-14 fonts draw Latin-1 only: typographic punctuation is spelled in ASCII instead.
_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "--", "\u2026": "...", "\u00a0": " "})


@dataclass(frozen=True)
class Block:
    """One paragraph or heading of the book, whitespace already collapsed."""

    text: str
    heading: bool = False
    level: int = 1


def is_heading(paragraph: str) -> bool:
    """Whether a paragraph is a heading line such as `BOOK IV` or `CHAPTER 2. Welcome`."""
    flat = paragraph.strip()
    return "\n" not in flat and len(flat) <= 120 and _HEADING.match(flat) is not None


def parse_blocks(text: str) -> list[Block]:
    """Split plain text into headings and paragraphs (see the module docstring)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).translate(_TYPOGRAPHY)
    if odd := sorted({ch for ch in text if ord(ch) > 0xFF}):
        raise ValueError(f"The text has characters the PDF's base-14 fonts cannot draw: "
                         f"{''.join(odd[:10])!r}; only Latin-1 text can be laid out.")
    raw = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    blocks: list[Block] = []
    i = 0
    while i < len(raw):
        lines = raw[i].strip("\n").splitlines()
        flat = _join_lines(lines)
        heading = len(lines) == 1 and is_heading(flat)
        bare = heading and not _HEADING.match(flat)["rest"].strip(" .")
        if bare and i + 1 < len(raw) and _is_centred_title(raw[i + 1]):
            flat = f"{flat.rstrip('.')}. {_join_lines(raw[i + 1].splitlines())}"
            i += 1
        blocks.append(Block(flat, heading=heading))
        i += 1
    has_parts = any(b.heading and b.text.startswith("PART") for b in blocks)
    if has_parts:
        blocks = [Block(b.text, True, 1 if b.text.startswith("PART") else 2) if b.heading else b
                  for b in blocks]
    return blocks


def _join_lines(lines: list[str]) -> str:
    """Re-flow a paragraph's lines; a line ending in `word-` continues without a space."""
    parts: list[str] = []
    for line in (ln.strip() for ln in lines):
        if line:
            glue = "" if parts and re.search(r"\S-$", parts[-1]) else " "
            parts.append((glue if parts else "") + line)
    return " ".join("".join(parts).split())


def _is_centred_title(raw_block: str) -> bool:
    """A lone, short, indented line: how Gutenberg texts print a chapter's title."""
    lines = raw_block.strip("\n").splitlines()
    return len(lines) == 1 and len(lines[0].strip()) <= 60 and lines[0].startswith("    ")


@functools.lru_cache(maxsize=200_000)
def _width(word: str, font: str, size: float) -> float:
    return pymupdf.get_text_length(word, fontname=font, fontsize=size)


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy word wrap at spaces; a word wider than the line is cut by characters."""
    space = _width(" ", font, size)
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    for word in text.split():
        w = _width(word, font, size)
        while w > width:                           # only URLs and the like get here
            cut = max(1, int(len(word) * width / w))
            if cur:
                lines.append(" ".join(cur))
                cur, cur_w = [], 0.0
            lines.append(word[:cut])
            word = word[cut:]
            w = _width(word, font, size)
        if cur and cur_w + space + w > width:
            lines.append(" ".join(cur))
            cur, cur_w = [], 0.0
        cur_w += (space if cur else 0.0) + w
        cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


@dataclass(frozen=True)
class _Run:
    """A line of text placed on a page: baseline origin, font and size."""

    x: float
    y: float
    text: str
    font: str = BODY_FONT
    size: float = BODY_SIZE


class _Pages:
    """Pages being filled top to bottom; each page is a list of runs."""

    def __init__(self) -> None:
        self.pages: list[list[_Run]] = [[]]
        self.y = MARGIN_TOP

    @property
    def bottom(self) -> float:
        return PAGE_H - MARGIN_BOTTOM

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
        self.y = MARGIN_TOP

    def fits(self, height: float) -> bool:
        return self.y + height <= self.bottom

    def put(self, text: str, *, font: str = BODY_FONT, size: float = BODY_SIZE,
            leading: float = LEADING, x: float = MARGIN_X) -> None:
        if not self.fits(leading):
            self.new_page()
        self.pages[-1].append(_Run(x, self.y + size, text, font, size))
        self.y += leading


def _layout_body(blocks: list[Block]) -> tuple[list[list[_Run]], list[tuple[int, str, int]]]:
    """Place every block; returns the pages and outline entries (level, title, page index)."""
    width = PAGE_W - 2 * MARGIN_X
    out = _Pages()
    toc: list[tuple[int, str, int]] = []
    for block in blocks:
        if block.heading:
            out.new_page()
            out.y += 2 * LEADING
            toc.append((block.level, block.text, len(out.pages) - 1))
            for line in _wrap(block.text, width, BOLD_FONT, HEADING_SIZE):
                out.put(line, font=BOLD_FONT, size=HEADING_SIZE, leading=HEADING_LEADING)
            out.y += 2 * LEADING
            continue
        lines = _wrap(block.text, width, BODY_FONT, BODY_SIZE)
        if len(lines) <= KEEP_TOGETHER and not out.fits(len(lines) * LEADING):
            out.new_page()
        for line in lines:
            out.put(line)
        out.y += PARA_GAP
    if not out.pages[-1]:
        out.pages.pop()
    return out.pages, toc


def _layout_contents(entries: list[tuple[int, str, str]]) -> list[list[_Run]]:
    """Contents pages: one line per outline entry, its printed page label flush right."""
    out = _Pages()
    out.put("Contents", font=BOLD_FONT, size=HEADING_SIZE, leading=HEADING_LEADING * 2)
    right = PAGE_W - MARGIN_X
    nested = any(level > 1 for level, _, _ in entries)
    for level, title, label in entries:
        font = BOLD_FONT if nested and level == 1 else BODY_FONT
        indent = 14.0 * (level - 1)
        lines = _wrap(title, right - MARGIN_X - indent - 36.0, font, BODY_SIZE)
        if not out.fits(len(lines) * LEADING):
            out.new_page()
        for line in lines:
            out.put(line, font=font, x=MARGIN_X + indent)
        last = out.pages[-1][-1]
        out.pages[-1].append(_Run(right - _width(label, font, BODY_SIZE), last.y, label, font))
    return out.pages


def _title_page(title: str) -> list[_Run]:
    runs, y = [], PAGE_H / 3
    for line in _wrap(title, PAGE_W - 2 * MARGIN_X, BOLD_FONT, TITLE_SIZE):
        x = (PAGE_W - _width(line, BOLD_FONT, TITLE_SIZE)) / 2
        runs.append(_Run(x, y, line, BOLD_FONT, TITLE_SIZE))
        y += TITLE_SIZE * 1.3
    return runs


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                           (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _draw(page: pymupdf.Page, runs: list[_Run], footer: str | None) -> None:
    shape = page.new_shape()
    for r in runs:
        shape.insert_text((r.x, r.y), r.text, fontname=r.font, fontsize=r.size)
    if footer:
        x = (PAGE_W - _width(footer, BODY_FONT, FOOTER_SIZE)) / 2
        shape.insert_text((x, PAGE_H - MARGIN_BOTTOM / 2), footer,
                          fontname=BODY_FONT, fontsize=FOOTER_SIZE)
    shape.commit()


def write_book_pdf(text: str, out: Path, *, title: str, front_matter: int = 2) -> Path:
    """Write `text` as a book PDF at `out` and return `out`.

    `front_matter` is how many roman-numbered pages precede page 1: with 1, a title page;
    with 2 or more, a title page then the contents, which takes more pages if it needs them.
    Body pages are labelled 1, 2, 3, ...; the outline has one entry per heading.
    """
    if front_matter < 0:
        raise ValueError(f"front_matter must be 0 or more pages, not {front_matter}.")
    blocks = parse_blocks(text)
    if not any(not b.heading for b in blocks):
        raise ValueError(f"The text for {title!r} has no paragraphs to lay out.")
    body, toc = _layout_body(blocks)
    front: list[list[_Run]] = [_title_page(title)] if front_matter >= 1 else []
    if front_matter >= 2:
        front += _layout_contents([(lvl, t, str(i + 1)) for lvl, t, i in toc])
    front += [[] for _ in range(front_matter - len(front))]
    n_front = len(front)

    doc = pymupdf.open()
    for i, runs in enumerate(front + body):
        page = doc.new_page(width=PAGE_W, height=PAGE_H)
        label = _roman(i + 1) if i < n_front else str(i - n_front + 1)
        _draw(page, runs, footer=label if i > 0 or n_front == 0 else None)
    labels = [{"startpage": n_front, "prefix": "", "style": "D", "firstpagenum": 1}]
    if n_front:
        labels.insert(0, {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1})
    doc.set_page_labels(labels)
    doc.set_toc([[lvl, t, n_front + i + 1] for lvl, t, i in toc])
    doc.set_metadata({"title": title, "creator": "Memex make_pdf", "producer": "PyMuPDF",
                      "creationDate": "", "modDate": "", "author": "", "subject": "",
                      "keywords": ""})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out, garbage=4, deflate=True, use_objstms=1, no_new_id=1, reproducible=True)
    doc.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=HERE / "alice.txt")
    parser.add_argument("out", nargs="?", type=Path, default=HERE / "alice.pdf")
    parser.add_argument("--title", default="Alice's Adventures in Wonderland")
    parser.add_argument("--front-matter", type=int, default=2)
    args = parser.parse_args(argv)
    text = args.source.read_text(encoding="utf-8")
    path = write_book_pdf(text, args.out, title=args.title, front_matter=args.front_matter)
    with pymupdf.open(path) as doc:
        print(f"{path}: {doc.page_count} pages, {len(doc.get_toc())} outline entries, "
              f"{path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
