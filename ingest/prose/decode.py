"""Bytes to text for plain-text and Markdown files.

Old books arrive in whatever encoding their scanner or editor used, so decoding detects
rather than assumes: a BOM wins (UTF-8, UTF-16, UTF-32), then strict UTF-8, then cp1252
(the usual "ANSI" of old Windows files, with its smart quotes), then latin-1, which
decodes anything. Binary data is refused before any of that, so a renamed image or
archive gets a clear reason instead of pages of mojibake.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from ingest.errors import IngestError

__all__ = ["decode_text", "binary_reason", "read_text_file", "SNIFF_BYTES"]

SNIFF_BYTES = 64 * 1024  # how much of the head is inspected for binary content

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never occur in text; tab, LF, VT, FF, CR and ESC are allowed.
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_MAX_CONTROL_RATIO = 0.02


def _bom_encoding(head: bytes) -> str | None:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """Spot BOM-less UTF-16 by its NUL pattern (ASCII text has every other byte zero)."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    n = len(even)
    if odd.count(0) > 0.9 * n and even.count(0) < 0.05 * n:
        return "utf-16-le"
    if even.count(0) > 0.9 * n and odd.count(0) < 0.05 * n:
        return "utf-16-be"
    return None


def binary_reason(head: bytes) -> str | None:
    """Why `head` (the first bytes of a file) is not text, or None when it may be."""
    if _bom_encoding(head) or _utf16_without_bom(head):
        return None
    sample = head[:SNIFF_BYTES]
    if b"\0" in sample:
        return "looks like binary data, not text"
    controls = sum(1 for b in sample if b in _CONTROL)
    if sample and controls / len(sample) > _MAX_CONTROL_RATIO:
        return "looks like binary data, not text"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a whole file; return (text, encoding name). Call `binary_reason` first."""
    enc = _bom_encoding(data[:4]) or _utf16_without_bom(data[:SNIFF_BYTES])
    if enc:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            return data.decode(enc, errors="replace"), enc
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


def read_text_file(path: Path) -> str:
    """Read and decode a text file, or raise IngestError with the reason it is not text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"the file cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise IngestError(str(path), "the file is empty")
    if (why := binary_reason(data[:SNIFF_BYTES])):
        raise IngestError(str(path), why)
    text, _ = decode_text(data)
    if not text.strip():
        raise IngestError(str(path), "the file contains no text, only blank space")
    return text
