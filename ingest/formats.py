"""Which files Memex reads, how big they may be, and what their first bytes say.

The extension picks the reader, but a renamed file is common (a PDF saved as .txt, a
PNG named .pdf), so the first bytes are sniffed and either reroute the file or give
the person the real reason it cannot be read.
"""
from __future__ import annotations

from pathlib import Path

from .code.languages import CODE_SUFFIXES

__all__ = ["SUPPORTED_SUFFIXES", "KIND_BY_SUFFIX", "DEFAULT_MAX_BYTES", "KIND_NAMES",
           "kind_of", "sniff", "human_size"]

KIND_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".pdf": "pdf",
    ".epub": "epub",
    ".srt": "subtitles", ".vtt": "subtitles", ".ass": "subtitles", ".ssa": "subtitles",
    ".mp4": "video", ".m4v": "video", ".mkv": "video", ".webm": "video", ".mov": "video",
    ".avi": "video",
    **{suffix: "code" for suffix in CODE_SUFFIXES},
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(KIND_BY_SUFFIX)

_MB = 1024 * 1024
DEFAULT_MAX_BYTES = {"text": 64 * _MB, "markdown": 64 * _MB, "pdf": 1024 * _MB,
                     "epub": 1024 * _MB, "subtitles": 64 * _MB, "code": 2 * _MB,
                     "video": 256 * 1024 * _MB}   # streamed, so only the disk limits it
KIND_NAMES = {"text": "text", "markdown": "Markdown", "pdf": "PDF", "epub": "EPUB",
              "subtitles": "subtitle", "video": "video", "code": "source code"}

# Magic numbers of formats people mistakenly rename, with how to name them.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def kind_of(path: Path) -> str | None:
    """"text" | "markdown" | "pdf" | "epub" | "subtitles" | "video" | "code" by extension
    (any case), else None."""
    return KIND_BY_SUFFIX.get(path.suffix.lower())


def sniff(head: bytes) -> tuple[str | None, str | None]:
    """(reader kind the bytes belong to, or None; what other format they are, or None).

    A PDF may carry a little junk before "%PDF-" (the spec allows 1 KB); an EPUB is a
    zip whose first entry is the stored "mimetype" file."""
    if b"%PDF-" in head[:1024]:
        return "pdf", None
    if head.startswith(b"PK\x03\x04"):
        if head[30:38] == b"mimetype" and b"application/epub+zip" in head[38:100]:
            return "epub", None
        if b"[Content_Types].xml" in head[:200] or b"word/" in head[:200]:
            return None, "an Office document (zip)"
        return None, "a zip archive"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return None, {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file",
                      b"AVI ": "an AVI video"}[head[8:12]]
    if head[4:8] == b"ftyp":
        return None, "an MP4/MOV media file"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return None, name
    return None, None


def human_size(n: int) -> str:
    """'3.2 GB', '64 MB', '512 bytes': binary units, one decimal when it matters."""
    if n < 1024:
        return f"{n} bytes"
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= scale:
            value = f"{n / scale:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return f"{n} bytes"  # unreachable
