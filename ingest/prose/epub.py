"""EPUB books through PyMuPDF, which lays the XHTML out into pages.

`page` is the 1-based page of PyMuPDF's default layout, stable for a given file and
PyMuPDF version; sections come from the EPUB's table of contents, else from heading
font sizes (chapter titles). The zip is checked first so a renamed archive or a
DRM-locked book gets its own reason instead of a generic failure.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pymupdf

from ingest.errors import IngestError
from ingest.records import Document

from .paged import find_text_page, paged_document, quiet_mupdf

__all__ = ["open_epub"]

_MIMETYPE = b"application/epub+zip"
_FONT_OBFUSCATION = {b"http://www.idpf.org/2008/embedding", b"http://ns.adobe.com/pdf/enc#RC"}
_ALGORITHM = re.compile(rb"EncryptionMethod[^>]*Algorithm=[\"']([^\"']+)")


def _check_zip(where: str) -> None:
    """Refuse archives that are not EPUBs, or whose content is DRM-encrypted."""
    try:
        with zipfile.ZipFile(where) as z:
            names = set(z.namelist())
            if "META-INF/container.xml" not in names:
                raise IngestError(where, "the file is not a valid EPUB (its container "
                                         "file META-INF/container.xml is missing)")
            if "mimetype" in names and z.read("mimetype").strip() != _MIMETYPE:
                raise IngestError(where, "the file is not a valid EPUB (wrong mimetype)")
            if "META-INF/encryption.xml" in names:
                algos = set(_ALGORITHM.findall(z.read("META-INF/encryption.xml")))
                if algos - _FONT_OBFUSCATION:
                    raise IngestError(where, "the EPUB is DRM-protected and cannot be read")
    except IngestError:
        raise
    except Exception as exc:  # BadZipFile, zlib errors, truncated members
        raise IngestError(where, "the EPUB is damaged (not a valid zip archive)") from exc


def open_epub(path: Path, *, budget: int) -> Document:
    """Open and check an EPUB; raise IngestError when it cannot be read."""
    where = str(path)
    _check_zip(where)
    quiet_mupdf()
    try:
        doc = pymupdf.open(where, filetype="epub")
    except Exception as exc:
        raise IngestError(where, "the EPUB is damaged and cannot be opened") from exc
    try:
        if doc.needs_pass:
            raise IngestError(where, "the EPUB is DRM-protected and cannot be read")
        if doc.page_count == 0:
            raise IngestError(where, "the EPUB has no pages")
        if find_text_page(doc) is None:
            raise IngestError(where, "the EPUB contains no readable text")
        return paged_document(doc, where, kind="EPUB", modality="epub", labels=False,
                              budget=budget)
    except IngestError:
        doc.close()
        raise
    except Exception as exc:
        doc.close()
        raise IngestError(where, "the EPUB is damaged and cannot be opened") from exc
