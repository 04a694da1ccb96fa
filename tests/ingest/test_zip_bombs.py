"""EPUB zip bombs are refused from the zip's directory, before anything is inflated.

Bombs are generated here with streaming writes (a few hundred MB of blanks deflate to a
few hundred KB in about a second), then opened in a fresh process whose peak resident
memory (VmHWM, `tests/peak.py`) is compared with its idle level, so the bound is
measured, not assumed.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest import IngestError, open_document
from ingest.zipguard import ZIP_LIMITS
from tests.makers import add_encryption, make_epub
from tests.peak import peak_above_idle

MB = 1024 * 1024
PEAK_BOUND_MB = 200   # the bound on a rejected file's peak memory above idle
CHAPTERS = [("The Arrival", "The ship reached the harbour at dawn."),
            ("The Harbour", "Gulls circled the mast.")]


def rebuild(src: Path, dst: Path, member: str, head: bytes, blank_mb: int,
            tail: bytes = b"") -> Path:
    """Copy the EPUB `src` to `dst`, `member` replaced by `head`, `blank_mb` MB of spaces
    and `tail`, written deflated through a stream (never held in memory)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info, old.read(info.filename))
                continue
            out = zipfile.ZipInfo(member)
            out.compress_type = zipfile.ZIP_DEFLATED
            with new.open(out, "w") as f:
                f.write(head)
                block = b" " * MB
                for _ in range(blank_mb):
                    f.write(block)
                f.write(tail)
    return dst


def lie_about_size(path: Path, member: str, declared: int) -> Path:
    """Rewrite the member's decompressed size in its local and central headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(sig)
        while at >= 0 and data[at + name_at:at + name_at + len(name)] != name:
            at = data.find(sig, at + 1)
        data[at + size_at:at + size_at + 4] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    base = make_epub(d / "base.epub", CHAPTERS)
    xhtml = (b'<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/'
             b'xhtml"><head><title>x</title></head><body><p>')
    end = b"</p></body></html>\n"
    many = d / "many.epub"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(many, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        for i in range(ZIP_LIMITS.members + 1):
            new.writestr(f"OEBPS/extra/{i}.css", b"")
    return {
        "mimetype": rebuild(base, d / "mimetype.epub", "mimetype", b"application/epub+zip", 300),
        "chapter": rebuild(base, d / "chapter.epub", "OEBPS/ch1.xhtml", xhtml, 300, end),
        "ratio": rebuild(base, d / "ratio.epub", "OEBPS/ch2.xhtml", xhtml, 40, end),
        "liar": lie_about_size(rebuild(base, d / "liar.epub", "OEBPS/ch1.xhtml", xhtml, 40,
                                       end), "OEBPS/ch1.xhtml", 2000),
        "many": many,
    }


@pytest.mark.parametrize("which,reason", [
    ("mimetype", "looks like a zip bomb: 'mimetype' inside it would expand to 300 MB"),
    ("chapter", "looks like a zip bomb: 'OEBPS/ch1.xhtml' inside it would expand to 300 MB"),
    ("ratio", "'OEBPS/ch2.xhtml' inside it would expand"),
    ("liar", "is damaged: 'OEBPS/ch1.xhtml' inside it declares 2 KB but holds"),
    ("many", f"files, over the limit of {ZIP_LIMITS.members:,}; it may be a zip bomb"),
], ids=["mimetype", "spine-chapter", "ratio", "lying-size", "many-members"])
def test_bomb_is_refused_naming_file_and_member(bombs, which, reason):
    with pytest.raises(IngestError) as e:
        open_document(bombs[which])
    assert e.value.path == str(bombs[which].resolve())
    assert reason in e.value.reason, e.value.reason
    assert bombs[which].stat().st_size < 2 * MB   # the bomb is small on disk


def test_peak_memory_of_refused_bombs_stays_bounded(bombs):
    work = ("result = []\n"
            "for p in sys.argv[1:]:\n"
            "    try:\n"
            "        list(open_document(p).chunks)\n"
            "        result.append(None)\n"
            "    except IngestError as e:\n"
            "        result.append(e.reason)\n")
    out = peak_above_idle("from ingest import IngestError, open_document", work,
                          *(str(p) for p in bombs.values()))
    assert None not in out["result"], out
    assert out["above_idle"] <= PEAK_BOUND_MB * MB, out


def test_normal_epub_with_encryption_of_fonts_only_still_reads(tmp_path):
    p = add_encryption(make_epub(tmp_path / "fonts.epub", CHAPTERS),
                       "http://www.idpf.org/2008/embedding")
    chunks = list(open_document(p).chunks)
    assert any("harbour at dawn" in c.text for c in chunks)
