"""Bytes to text for plain-text, Markdown and subtitle files.

Old books arrive in whatever encoding their scanner or editor used, so decoding detects
rather than assumes. A BOM wins (UTF-8, UTF-16, UTF-32), then BOM-less UTF-16 spotted by
its NUL pattern, then strict UTF-8: valid UTF-8 is almost never anything else. Binary data
is refused before any of that, so a renamed image or archive gets a clear reason instead
of pages of mojibake.

When UTF-8 fails, charset-normalizer detects the encoding, so a Russian cp1251, Chinese
GBK or Japanese Shift-JIS file reads as the words its author typed; a fixed cp1252
fallback would store them as accented Latin garbage that no question can find. Its
candidates are re-scored on the lines that hold non-ASCII bytes (ASCII lines read the
same in every candidate and only dilute the evidence) by its own two measures, language
coherence minus chaos ("mess"), because its ranking compares chaos first and so can put
an incoherent reading ahead of the right one: it ranks a Shift-JIS paragraph as Korean
cp949, whose Hangul have no coherence at all.

Short files are where detectors go wrong: an English note whose only non-ASCII bytes are
smart quotes offers so little evidence that cp1250, big5 or mac_iceland score as well as
cp1252. So cp1252, the usual "ANSI" of old Windows files, is kept whenever the bytes are
valid cp1252, it reads with little chaos, and the best candidate does not beat it by a
clear margin. Text in another script misread as cp1252 is all accented capitals and symbols
inside words, which is high chaos, so cp1251, GBK or Shift-JIS text still wins over it;
a Central European file whose cp1250 letters differ from cp1252 in only a few places
stays cp1252, as it always was.

When nothing is sure (no candidate, or the best is chaotic or matches no language, as
with a file of a few words), the text falls back to cp1252, then to latin-1, which decodes
anything, and the reader is told the encoding was guessed: a warning naming the file goes
beside the document.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes
from charset_normalizer.cd import coherence_ratio
from charset_normalizer.md import mess_ratio

from ingest.errors import IngestError

__all__ = ["Decoded", "decode_text", "binary_reason", "read_text_file", "SNIFF_BYTES"]

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

_HIGH = re.compile(rb"[\x80-\xff]")
_SAMPLE_BYTES = 128 * 1024   # non-ASCII lines shown to the detector
_SCORE_CHARS = 20_000        # characters of each candidate's reading that are scored
_CANDIDATES = 5              # the detector's best few are re-scored
_CLEAN = 0.1                 # most chaos a sure reading may have (the detector cuts at 0.2)
_COHERENT = 0.1              # least language coherence a detected reading needs
_MARGIN = 0.15               # how much better than clean cp1252 another reading must score
_FALLBACK_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


class Decoded(NamedTuple):
    text: str
    encoding: str            # a Python codec name
    guessed: bool = False    # a fallback: the encoding could not be detected with confidence


class _Reading(NamedTuple):
    encoding: str            # every byte of the file fits it
    chaos: float             # charset-normalizer's mess ratio: 0 reads clean
    coherence: float         # how well the letters fit some language, 0..1

    @property
    def score(self) -> float:
        return self.coherence - self.chaos


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


def _sample(data: bytes) -> bytes:
    """The lines holding non-ASCII bytes, up to _SAMPLE_BYTES, cut after a space or
    punctuation byte (below 0x40, so never inside a GBK, Big5 or Shift-JIS character)."""
    parts, size, pos = [], 0, 0
    while size < _SAMPLE_BYTES and (m := _HIGH.search(data, pos)):
        start = data.rfind(b"\n", 0, m.start()) + 1
        end = data.find(b"\n", m.end())
        end = len(data) if end < 0 else end + 1
        parts.append(data[start:end])
        size, pos = size + end - start, end
    sample = b"".join(parts)
    if len(sample) > _SAMPLE_BYTES:
        cut = max(sample.rfind(b, 0, _SAMPLE_BYTES) for b in b"\n \t.,;:!?")
        sample = sample[:cut + 1 if cut > 0 else _SAMPLE_BYTES]
    return sample


def _ascii_compatible(encoding: str) -> bool:
    """UTF-16/32 and EBCDIC candidates are out: BOM-less UTF-16 was handled before."""
    try:
        return "\n a,".encode(encoding) == b"\n a,"
    except (LookupError, UnicodeError):
        return False


def _reading(data: bytes, sample: bytes, encoding: str,
             coherence: float = 0.0) -> _Reading | None:
    """`encoding` scored on the sample; None when a byte of `data` does not fit it.
    `coherence`: the detector's own figure, from its chunks; the better one counts."""
    try:
        data.decode(encoding)   # checked, not kept: one whole text in memory at a time
    except (UnicodeDecodeError, LookupError):
        return None
    scored = sample.decode(encoding, errors="replace")[:_SCORE_CHARS]
    coherence = max([coherence] + [ratio for _, ratio in coherence_ratio(scored)])
    return _Reading(encoding, mess_ratio(scored, maximum_threshold=1.0), coherence)


def _detect(data: bytes) -> Decoded:
    """Not UTF-8: the detector's best reading, cp1252 when that is as good, else a guess."""
    sample = _sample(data)
    readings: list[_Reading] = []
    for match in from_bytes(sample):
        if len(readings) == _CANDIDATES:
            break
        if _ascii_compatible(match.encoding) and match.encoding != "cp1252":
            if (r := _reading(data, sample, match.encoding, match.coherence)):
                readings.append(r)
    best = max(readings, key=lambda r: r.score, default=None)   # ties: the detector's order
    cp = _reading(data, sample, "cp1252")
    if cp and cp.chaos <= _CLEAN and (best is None or best.score < cp.score + _MARGIN):
        return Decoded(data.decode("cp1252"), "cp1252")
    if best and best.chaos <= _CLEAN and best.coherence >= _COHERENT:
        return Decoded(data.decode(best.encoding), best.encoding)
    if cp:
        return Decoded(data.decode("cp1252"), "cp1252", guessed=True)
    return Decoded(data.decode("latin-1"), "latin-1", guessed=True)


def decode_text(data: bytes) -> Decoded:
    """Decode a whole file: (text, encoding name, guessed). Call `binary_reason` first."""
    enc = _bom_encoding(data[:4]) or _utf16_without_bom(data[:SNIFF_BYTES])
    if enc:
        try:
            return Decoded(data.decode(enc), enc)
        except UnicodeDecodeError:
            return Decoded(data.decode(enc, errors="replace"), enc)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _detect(data)


def read_text_file(path: Path, warnings: list[str] | None = None) -> str:
    """Read and decode a text file, or raise IngestError with the reason it is not text.

    warnings: when given, a sentence is appended to it if the encoding was only guessed.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"the file cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise IngestError(str(path), "the file is empty")
    if (why := binary_reason(data[:SNIFF_BYTES])):
        raise IngestError(str(path), why)
    text, encoding, guessed = decode_text(data)
    if not text.strip():
        raise IngestError(str(path), "the file contains no text, only blank space")
    if guessed and warnings is not None:
        warnings.append(f"the text encoding of {path.name} was guessed "
                        f"({_FALLBACK_NAMES[encoding]}): it could not be detected with "
                        f"confidence, so some characters may be wrong")
    return text
