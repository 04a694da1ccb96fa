"""Limits on what a zip archive (an EPUB) may expand to, checked before any member is read.

Why: a small EPUB whose `mimetype` member inflates to gigabytes of zeros once drove peak
memory into gigabytes before it was rejected, and the same bomb as a spine chapter did so
inside MuPDF (bench/robustness.py prints the peak of refusing each). A zip says in its
directory how many members it holds and how large each one is compressed and
decompressed, so a bomb can be refused from those numbers alone: too many members (the
directory itself costs memory), a member or a total larger than any book needs, a ratio
that text and images never reach, or sizes that contradict each other (a member
"expanding" to less than its compressed bytes is lying about its size). What is then read
here is read with a bounded, streaming read, so even a member that lies still costs at most
its limit.
"""
from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from .errors import IngestError
from .formats import human_size

__all__ = ["ZipLimits", "ZIP_LIMITS", "open_checked", "read_head", "read_member"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    members: int = 10_000              # a book with more files than this is not a book
    member_bytes: int = 64 * _MB       # decompressed size of any one member
    total_bytes: int = 1024 * _MB      # all members together (the EPUB file limit)
    ratio: float = 100.0               # XHTML compresses ~5x, repetitive tables ~30x
    ratio_from: int = 1 * _MB          # small members may compress as well as they like


ZIP_LIMITS = ZipLimits()

_EOCD = struct.Struct("<4s4H2LH")        # end of central directory, 22 bytes
_EOCD64_LOCATOR = struct.Struct("<4sLQL")  # 20 bytes just before it, in zip64 archives
_EOCD64 = struct.Struct("<4sQ2H2L4Q")    # zip64 end of central directory, 56 bytes


def member_count(f: BinaryIO) -> int | None:
    """How many members the archive's directory declares, read from its last record
    without parsing the directory; None when no record is found (not a zip)."""
    f.seek(0, 2)
    size = f.tell()
    span = min(size, _EOCD.size + 0xFFFF + _EOCD64_LOCATOR.size)   # the comment is ≤ 64 KB
    f.seek(size - span)
    tail = f.read(span)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return None
    count = _EOCD.unpack_from(tail, at)[4]
    loc = at - _EOCD64_LOCATOR.size
    if count == 0xFFFF and loc >= 0 and tail[loc:loc + 4] == b"PK\x06\x07":
        f.seek(_EOCD64_LOCATOR.unpack_from(tail, loc)[2])
        record = f.read(_EOCD64.size)
        if len(record) == _EOCD64.size and record[:4] == b"PK\x06\x06":
            return _EOCD64.unpack(record)[7]
    return count


def open_checked(where: str, *, kind: str, limits: ZipLimits = ZIP_LIMITS) -> zipfile.ZipFile:
    """Open the archive at `where` once its directory is within `limits`.

    `kind` names the format in the reasons ("EPUB"). Raises IngestError naming the file
    and the member at fault; zipfile's own errors (not a zip, damaged directory) pass
    through for the caller to word."""
    with open(where, "rb") as f:
        count = member_count(f)
    if count is not None and count > limits.members:
        raise IngestError(where, f"the {kind} holds {count:,} files, over the limit of "
                                 f"{limits.members:,}; it may be a zip bomb")
    z = zipfile.ZipFile(where)
    try:
        check_members(z.infolist(), where, kind=kind, limits=limits)
    except BaseException:
        z.close()
        raise
    return z


def check_members(infos: list[zipfile.ZipInfo], where: str, *, kind: str,
                  limits: ZipLimits = ZIP_LIMITS) -> None:
    """Refuse the archive when a member's declared sizes make it a bomb or a liar."""
    total = 0
    for info in infos:
        name, size, packed = info.filename, info.file_size, info.compress_size
        if size > limits.member_bytes:
            raise IngestError(where, f"the {kind} looks like a zip bomb: '{name}' inside it "
                                     f"would expand to {human_size(size)}, over the "
                                     f"{human_size(limits.member_bytes)} limit for one file")
        if size > limits.ratio_from and size > limits.ratio * max(1, packed):
            raise IngestError(where, f"the {kind} looks like a zip bomb: '{name}' inside it "
                                     f"would expand {size / max(1, packed):,.0f} times, to "
                                     f"{human_size(size)}; real books compress less than "
                                     f"{limits.ratio:.0f} times")
        if packed > size + size // 100 + 1024:   # deflate never grows data by 1%
            raise IngestError(where, f"the {kind} is damaged: '{name}' inside it declares "
                                     f"{human_size(size)} but holds {human_size(packed)} "
                                     f"compressed")
        total += size
        if total > limits.total_bytes:
            raise IngestError(where, f"the {kind} looks like a zip bomb: its files would "
                                     f"expand to more than {human_size(limits.total_bytes)}")


def read_head(z: zipfile.ZipFile, name: str, n: int) -> bytes:
    """At most the first `n` decompressed bytes of a member (streamed, never more)."""
    with z.open(name) as f:
        return f.read(n)


def read_member(z: zipfile.ZipFile, name: str, where: str, *, limit: int, kind: str) -> bytes:
    """A whole member, refused with IngestError if it decompresses past `limit` bytes;
    at most `limit + 1` bytes are ever held, whatever its header says."""
    data = read_head(z, name, limit + 1)
    if len(data) > limit:
        raise IngestError(where, f"the {kind} is not readable: '{name}' inside it is over "
                                 f"{human_size(limit)}")
    return data
