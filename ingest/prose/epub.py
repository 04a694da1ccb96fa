"""EPUB books through PyMuPDF, which lays the XHTML out into pages.

`page` is the 1-based page of PyMuPDF's default layout, stable for a given file and
PyMuPDF version; sections come from the EPUB's table of contents, else from heading
font sizes (chapter titles). The zip is checked first so a renamed archive, a zip bomb
or a DRM-locked book gets its own reason instead of a generic failure (or gigabytes of
memory inside MuPDF).
"""
from __future__ import annotations

import re
from pathlib import Path

import pymupdf

from ingest.errors import IngestError
from ingest.records import Document
from ingest.zipguard import open_checked, read_head, read_member

from .paged import find_text_page, paged_document, quiet_mupdf

__all__ = ["open_epub"]

_MIMETYPE = b"application/epub+zip"
_FONT_OBFUSCATION = {b"http://www.idpf.org/2008/embedding", b"http://ns.adobe.com/pdf/enc#RC"}
_ALGORITHM = re.compile(rb"EncryptionMethod[^>]*Algorithm=[\"']([^\"']+)")
_ENCRYPTION_MAX = 4 * 1024 * 1024   # one entry per encrypted file: a big book's is ~100 KB


def _check_zip(where: str) -> None:
    """Refuse archives that are not EPUBs, zip bombs, or books whose content is
    DRM-encrypted. Member sizes are judged from the zip's directory before any byte is
    inflated (`ingest/zipguard.py`), and the two members read here are read bounded."""
    try:
        with open_checked(where, kind="EPUB") as z:
            names = set(z.namelist())
            if "META-INF/container.xml" not in names:
                raise IngestError(where, "the file is not a valid EPUB (its container "
                                         "file META-INF/container.xml is missing)")
            if "mimetype" in names and \
                    read_head(z, "mimetype", 2 * len(_MIMETYPE)).strip() != _MIMETYPE:
                raise IngestError(where, "the file is not a valid EPUB (wrong mimetype)")
            if "META-INF/encryption.xml" in names:
                xml = read_member(z, "META-INF/encryption.xml", where, limit=_ENCRYPTION_MAX,
                                  kind="EPUB")
                if set(_ALGORITHM.findall(xml)) - _FONT_OBFUSCATION:
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
