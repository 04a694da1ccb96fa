"""Files a repository holds that are not worth reading as code, and why.

Minified bundles and generated tables are one huge line each: as chunks they would be
noise and as citations useless. They are passed over with a reason, as are files that are
not UTF-8 text, so the person sees what was left out instead of silence.
"""
from __future__ import annotations

from ingest.errors import Skipped

__all__ = ["Skipped", "MAX_CODE_BYTES", "MAX_LINE_CHARS", "screen_code", "decode_code"]

MAX_CODE_BYTES = 2 * 1024 * 1024    # larger source files are generated, not written
MAX_LINE_CHARS = 5000               # a line longer than this is minified or generated data
_MINIFIED_MEAN = 250                # mean characters per line of a minified bundle


def screen_code(path: str, data: bytes) -> None:
    """Raise Skipped when `data` is binary, minified or generated."""
    if b"\x00" in data[:8192]:
        raise Skipped(path, "skipped: the file is binary (it contains NUL bytes), not source code")
    lines = data.count(b"\n") + 1
    longest = max((len(ln) for ln in data.split(b"\n")), default=0)
    if longest > MAX_LINE_CHARS:
        raise Skipped(path, f"skipped: the file looks minified or generated (a line of "
                            f"{longest:,} characters)")
    if len(data) > 10_000 and len(data) / lines > _MINIFIED_MEAN:
        raise Skipped(path, f"skipped: the file looks minified (its lines average "
                            f"{len(data) // lines:,} characters)")


def decode_code(path: str, data: bytes) -> str:
    """Source as text; invalid UTF-8 is refused with the byte offset that broke it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Skipped(path, f"skipped: the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} "
                            f"at offset {exc.start:,})") from exc
