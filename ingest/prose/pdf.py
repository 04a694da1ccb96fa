"""PDF books through PyMuPDF: cheap checks when opened, pages streamed when chunked.

Opening rejects what cannot be read at all (damaged, encrypted, not a PDF, no pages,
image-only scans) with a reason a person understands; everything else streams through
`paged.py`. Page labels ("xii", "A-3") are reported beside the physical page when the
PDF defines them, since that is the number printed on the page.
"""
from __future__ import annotations

from pathlib import Path

import pymupdf

from ingest.errors import IngestError
from ingest.records import Document

from .paged import find_text_page, paged_document, quiet_mupdf

__all__ = ["open_pdf"]


def open_pdf(path: Path, *, budget: int) -> Document:
    """Open and check a PDF; raise IngestError when it cannot be read."""
    where = str(path)
    quiet_mupdf()
    try:
        doc = pymupdf.open(where, filetype="pdf")
    except Exception as exc:
        raise IngestError(where, "the PDF is damaged and cannot be opened") from exc
    try:
        if not doc.is_pdf:
            raise IngestError(where, "the file is not a PDF")
        if doc.needs_pass:
            raise IngestError(where, "the PDF is encrypted and needs a password")
        if doc.page_count == 0:
            raise IngestError(where, "the PDF has no pages")
        if find_text_page(doc) is None:
            raise IngestError(where, "the PDF has no text layer (scanned PDF?)")
        try:
            labels = bool(doc.get_page_labels())
        except Exception:  # a broken label tree only costs the labels
            labels = False
        return paged_document(doc, where, kind="PDF", modality="pdf", labels=labels,
                              budget=budget)
    except IngestError:
        doc.close()
        raise
    except Exception as exc:  # MuPDF failed on structure it could not repair
        doc.close()
        raise IngestError(where, "the PDF is damaged and cannot be opened") from exc
