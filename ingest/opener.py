"""`open_document`: one entry point that picks the reader and does the cheap checks.

Everything that can be known without reading the whole file (missing, unsupported,
empty, too big, wrong format, encrypted, undecodable) is raised here as IngestError, so
a batch can report it at once; damage found deeper in a file surfaces from
`Document.chunks` as it streams.
"""
from __future__ import annotations

import stat
from pathlib import Path
from typing import Callable

from .code import language_of, open_code, shebang_language
from .errors import IngestError, Skipped
from .formats import (DEFAULT_MAX_BYTES, KIND_NAMES, SUPPORTED_SUFFIXES, human_size,
                      kind_of, sniff)
from .prose import open_epub, open_markdown, open_pdf, open_text
from .prose.decode import binary_reason
from .records import Document
from .subtitles import open_subtitles

__all__ = ["open_document", "MIN_BUDGET"]

MIN_BUDGET = 16   # tokens; below this a chunk cannot hold a sentence
_HEAD = 4096      # bytes sniffed for the real format

Progress = Callable[[int, int, str], None]   # done, total, label; may raise to cancel

_READERS = {"text": open_text, "markdown": open_markdown, "pdf": open_pdf, "epub": open_epub,
            "subtitles": open_subtitles}


def _supported() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def open_document(path: str | Path, *, budget: int = 240, max_bytes: int | None = None,
                  report: Progress | None = None) -> Document:
    """Open a book, note, subtitle file or video for chunking.

    budget: most tokens per chunk (estimated with `ingest.tokens.estimate_tokens`).
    max_bytes: size limit overriding the per-format default (64 MB for text and
        Markdown, 1 GB for PDF and EPUB); checked with stat before any byte is read.
    report: `report(done, total, label)` for readers with a long decode before their
        chunks (video: seconds decoded); may raise to cancel the stream.
    Raises IngestError for files that cannot be read; ValueError for a budget below
    MIN_BUDGET (a programming error, not the file's fault).
    """
    if budget < MIN_BUDGET:
        raise ValueError(f"budget must be at least {MIN_BUDGET} tokens, got {budget}")
    given = Path(path).expanduser()
    try:
        p = given.resolve(strict=True)
        st = p.stat()
    except FileNotFoundError as exc:
        raise IngestError(str(given.absolute()), "the file does not exist") from exc
    except OSError as exc:
        raise IngestError(str(given.absolute()),
                          f"the file cannot be reached ({exc.strerror or exc})") from exc
    where = str(p)
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(where, "this is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise IngestError(where, "this is not a regular file")
    kind = kind_of(p)
    if kind is None and not p.suffix and _shebang(p):
        kind = "code"
    if kind is None:
        what = f"'{p.suffix}' files" if p.suffix else "files without an extension"
        raise IngestError(where, f"{what} are not supported (Memex reads {_supported()})")
    if st.st_size == 0:   # an empty __init__.py is normal in a repository: not a failure
        raise (Skipped(where, "skipped: the file is empty") if kind == "code"
               else IngestError(where, "the file is empty"))
    limit = DEFAULT_MAX_BYTES[kind] if max_bytes is None else max_bytes
    if st.st_size > limit:
        size, cap = human_size(st.st_size), human_size(limit)
        if size == cap:   # "1 GB, over the 1 GB limit" reads wrong: give exact bytes
            size, cap = f"{st.st_size:,} bytes", f"{limit:,} bytes"
        error = Skipped if kind == "code" else IngestError   # big source is generated
        raise error(where, f"{'skipped: ' if kind == 'code' else ''}the file is {size}, "
                           f"over the {cap} limit for {KIND_NAMES[kind]} files")
    if kind == "code":
        return _open_code(p, where, budget)
    try:
        with open(p, "rb") as f:
            head = f.read(_HEAD)
    except OSError as exc:
        raise IngestError(where, f"the file cannot be read ({exc.strerror or exc})") from exc
    kind = _real_kind(where, kind, head)
    if kind == "video":
        from .video import open_video   # PyAV loads only when a video is read
        return open_video(p, budget=budget, report=report)
    return _READERS[kind](p, budget=budget)


def _shebang(p: Path) -> str | None:
    try:
        with open(p, "rb") as f:
            return shebang_language(f.read(128))
    except OSError:
        return None


def _open_code(p: Path, where: str, budget: int) -> Document:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(where, f"the file cannot be read ({exc.strerror or exc})") from exc
    language = language_of(p) or shebang_language(data[:128])
    if language is None:
        raise IngestError(where, "the programming language of this file is not known")
    return open_code(p, language, data, budget=budget)


def _real_kind(where: str, kind: str, head: bytes) -> str:
    """The reader the bytes call for: a PDF or EPUB saved as .txt is read as what it is;
    a file of another format gets a reason naming that format."""
    real, other = sniff(head)
    if kind == "video":   # PyAV judges the container; only documents are named here
        return _refuse(where, f"the file is {_a(KIND_NAMES[real])}, not a video") if real \
            else kind
    if kind == "subtitles":
        if real or (other and binary_reason(head)):
            return _refuse(where, f"the file is {other or _a(KIND_NAMES[real])}, not a "
                                  f"subtitle file")
        if (why := binary_reason(head)):
            return _refuse(where, why)
        return kind
    if kind in ("text", "markdown"):
        # only a header at the very start counts: a note may mention "%PDF-" in passing
        if real == "epub" or (real == "pdf" and head.lstrip().startswith(b"%PDF-")):
            return real
        if (why := binary_reason(head)):   # magic alone could be text ("MZ", "ID3")
            return _refuse(where, f"looks like binary data ({other}), not text" if other
                           else why)
        return kind
    if real == kind or (kind == "epub" and head.startswith(b"PK\x03\x04")):
        return kind   # any zip named .epub: the EPUB reader looks inside before judging
    name = KIND_NAMES[kind]
    if real or other:
        return _refuse(where, f"the file is {other or _a(KIND_NAMES[real])}, not {_a(name)}")
    if kind == "pdf":
        return _refuse(where, "the file is not a PDF (it has no PDF header)")
    return _refuse(where, "the file is not an EPUB (it is not a zip archive)")


def _a(name: str) -> str:
    return ("an " if name[0] in "AEIOU" else "a ") + name


def _refuse(where: str, reason: str) -> str:
    raise IngestError(where, reason)
