"""Reopening a cited source: a PDF page as an image with the evidence boxes, or a text
file's lines, so the viewer shows exactly what was cited (no Qt here: bytes and numbers).

Highlights come from the chunk's stored character span on its page (the offsets that
`page.get_text()` uses), mapped to the words on those lines; a chunk without a span
falls back to finding its first words on the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from engine.errors import IngestError
from ingest.prose.decode import read_text_file
from ingest.prose.pagetext import page_lines

__all__ = ["RenderedPage", "render_page", "page_count", "source_text"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in image pixels


@dataclass(frozen=True)
class RenderedPage:
    png: bytes
    width: int
    height: int
    page: int                # 1-based
    pages: int
    scale: float             # image pixels per PDF point
    highlights: list[Box] = field(default_factory=list)


def _open(path: str | Path) -> pymupdf.Document:
    try:
        return pymupdf.open(str(path))
    except Exception as exc:
        raise IngestError(str(path), f"the PDF cannot be opened any more ({exc})") from exc


def page_count(path: str | Path) -> int:
    with _open(path) as doc:
        return doc.page_count


def render_page(path: str | Path, page: int, *, scale: float = 96 / 72,
                char_span: tuple[int, int] | None = None, text: str | None = None) -> RenderedPage:
    """Render page `page` (1-based) at `scale` pixels per point, with the evidence boxes.

    `scale` = zoom × screen dpi / 72 gives "screen resolution" at zoom 1.
    """
    with _open(path) as doc:
        if not 1 <= page <= doc.page_count:
            raise IngestError(str(path), f"page {page} does not exist (the PDF has "
                                         f"{doc.page_count} pages)")
        pg = doc[page - 1]
        boxes = _evidence_boxes(pg, char_span, text)
        pix = pg.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
        return RenderedPage(
            png=pix.tobytes("png"), width=pix.width, height=pix.height, page=page,
            pages=doc.page_count, scale=scale,
            highlights=[tuple(v * scale for v in b) for b in boxes])


def _evidence_boxes(pg, char_span, text) -> list[Box]:
    words = pg.get_text("words")  # (x0, y0, x1, y1, word, block, line, wordno)
    if char_span is not None:
        start, end = char_span
        boxes = []
        for line in page_lines(pg):
            if start <= line.char < end:
                ws = [w for w in words if line.y0 - 1 <= (w[1] + w[3]) / 2 <= line.y1 + 1]
                if ws:
                    boxes.append((min(w[0] for w in ws), line.y0, max(w[2] for w in ws), line.y1))
        if boxes:
            return boxes
    if text:
        head = " ".join(text.split()[:8])
        return [tuple(r) for r in pg.search_for(head)]
    return []


def source_text(path: str | Path) -> str:
    """A text or code file decoded the way ingest read it, so line numbers agree."""
    return read_text_file(Path(path))
