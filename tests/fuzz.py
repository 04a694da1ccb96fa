"""The fuzz harness every parser entry point is run through, briefly by
`tests/ingest/test_fuzz.py` and for minutes by `bench/fuzz.py`.

The property: `open_document(path)` plus draining `Document.chunks` either yields
well-formed located chunks or raises our `IngestError` naming the file, with a sentence
for a reason; never another exception, never a hang (`HANG_S`), and nothing printed on
stdout or stderr. "Well-formed": ordinals 0..n-1, non-empty text within the token budget
(except one cue or one source line, which those readers never cut), a location naming
the file and a page, line or time inside the document. Inputs are mutations of small
real, valid seed files made here (bytes flipped, truncated, inserted, deleted, repeated,
overwritten, or the text re-encoded in a wrong encoding), random bytes, and structured
generators where they are cheap (subtitle cues, Markdown lines, plain text, EPUBs whose
zip is valid but whose XHTML, OPF or NCX members are mutated).
"""
from __future__ import annotations

import io
import math
import os
import signal
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pymupdf
from hypothesis import strategies as st

from ingest import Chunk, IngestError, estimate_tokens, open_document
from tests.makers import make_epub, make_pdf

__all__ = ["PARSERS", "Seed", "make_seeds", "inputs", "check", "Hang", "HANG_S", "BUDGET",
           "signature"]

# PyMuPDF prints to the sys.stdout it found at import (under pytest, a capture object, not
# file descriptor 1); in `memex` that is fd 1. Point it there, so `_silent` sees it.
pymupdf.set_messages(fd=1)
pymupdf.set_log(fd=1)

BUDGET = 64      # tokens per chunk: small, so a few-KB seed still makes several chunks
HANG_S = 20.0    # one parse of a seed-sized input taking longer than this is a hang

# Parser name -> the file name its inputs are written under (the suffix picks the reader).
PARSERS = {"pdf": "book.pdf", "epub": "book.epub", "text": "notes.txt",
           "markdown": "notes.md", "srt": "talk.srt", "vtt": "talk.vtt", "ass": "talk.ass",
           "python": "mod.py", "javascript": "app.js", "c": "lib.c", "rust": "lib.rs",
           "video": "clip.mkv"}

_PROSE = ("Alice was beginning to get very tired of sitting by her sister on the bank, and "
          "of having nothing to do. Once or twice she had peeped into the book her sister "
          "was reading, but it had no pictures or conversations in it.")
_CUES = [(0.5, 2.0, "Welcome to the <i>harbour</i> tour."),
         (2.5, 4.0, "The lighthouse was built in 1842."),
         (9.0, 10.5, "Here the budget was cut by half."),
         (11.0, 12.2, "Nobody noticed for a year.")]


@dataclass(frozen=True)
class Seed:
    name: str         # file name (its suffix picks the reader)
    data: bytes       # a valid file the reader stores without warnings
    text: bool        # whether re-encoding the bytes as other text encodings makes sense


def _t(s: float) -> str:
    ms = round(s * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def _srt() -> str:
    return "".join(f"{i}\n{_t(a)} --> {_t(b)}\n{t}\n\n" for i, (a, b, t) in enumerate(_CUES, 1))


def _vtt() -> str:
    return "WEBVTT\n\n" + "".join(f"{_t(a).replace(',', '.')} --> {_t(b).replace(',', '.')}"
                                  f"\n{t}\n\n" for a, b, t in _CUES)


def _ass() -> str:
    rows = "".join(f"Dialogue: 0,0:00:{a:05.2f},0:00:{b:05.2f},Default,,0,0,0,,"
                   f"{{\\i1}}{t}{{\\i0}}\n" for a, b, t in _CUES)
    return ("[Script Info]\nTitle: Harbour\nScriptType: v4.00+\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            + rows)


_SOURCES = {
    "python": 'import os\n\n\nclass Reader:\n    """Reads things."""\n\n'
              '    def read(self, path):\n        return os.path.exists(path)\n\n\n'
              'def main():\n    r = Reader()\n    print(r.read("x"))\n',
    "javascript": "import { x } from './x.js';\n\nclass Reader {\n  read(p) { return x(p); }\n}\n\n"
                  "function main() {\n  const r = new Reader();\n  console.log(r.read('a'));\n}\n",
    "c": "#include <stdio.h>\n\nstruct point { int x, y; };\n\nstatic int add(int a, int b) {\n"
         "    return a + b;\n}\n\nint main(void) {\n    printf(\"%d\\n\", add(1, 2));\n"
         "    return 0;\n}\n",
    "rust": "use std::fmt;\n\nstruct Point { x: i32 }\n\nimpl Point {\n    fn new(x: i32) -> Self "
            "{ Point { x } }\n}\n\nfn main() {\n    let p = Point::new(3);\n"
            "    println!(\"{}\", p.x);\n}\n",
}


def make_seeds(folder: Path, names: Iterator[str] | None = None) -> dict[str, Seed]:
    """Valid seed files, one per parser (or the `names` given), made in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Seed] = {}
    for name in (names or PARSERS):
        out[name] = Seed(PARSERS[name], _seed_bytes(name, folder), name != "pdf"
                         and name not in ("epub", "video"))
    return out


def _seed_bytes(name: str, folder: Path) -> bytes:
    if name == "pdf":
        pages = [[(f"Chapter {k}", 18), (_PROSE, 11), (_PROSE.upper(), 11)] for k in (1, 2, 3)]
        return make_pdf(folder / "seed.pdf", pages, toc=[[1, "Chapter 1", 1], [1, "Chapter 2", 2]],
                        title="Seed").read_bytes()
    if name == "epub":
        return make_epub(folder / "seed.epub", [("Down the Hole", _PROSE + "\n\n" + _PROSE),
                                                ("The Pool", _PROSE)]).read_bytes()
    if name == "video":
        from tests.media import Scene, make_video   # PyAV loads only for the video seed
        return make_video(folder / "seed.mkv", [Scene(12, "static", 1), Scene(12, "moving", 2)],
                          fps=6, size=(64, 48),
                          subtitles=[(0.5, 1.5, _CUES[0][2]), (2.0, 3.5, _CUES[1][2])]
                          ).read_bytes()
    if name == "text":
        return ("CHAPTER I. Down the Rabbit-Hole\n\n" + _PROSE + "\n\n" + _PROSE + "\n").encode()
    if name == "markdown":
        return ("---\ntitle: x\n---\n# Alice\n\n" + _PROSE + "\n\n## Pool\n\n- one\n- two\n\n"
                "```py\n# not a heading\n```\n\n| a | b |\n|---|---|\n\nEnd\n===\n").encode()
    if name == "srt":
        return _srt().encode()
    if name == "vtt":
        return _vtt().encode()
    if name == "ass":
        return _ass().encode()
    return _SOURCES[name].encode()


# --- inputs ----------------------------------------------------------------------------

_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "shift_jis",
              "koi8-r", "cp437", "utf-8-sig", "gb18030", "cp500")
_SPECIAL = (b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\r", b"\n" * 3, b"\xc3",
            b"\xe2\x80", b"-->", b"[Events]", b"WEBVTT", b"%PDF-1.7", b"obj", b"endstream",
            b"99999999999", b"-1", b"<<>>", b"PK\x03\x04", b"\t" * 8, b"#" * 7, b"```",
            b"\xf0\x9f\x98", b"\\u0000", b"}" * 4, b"(" * 40)


@st.composite
def _mutation(draw, seed: Seed) -> bytes:
    return _mutate(draw, seed.data, seed.text)


def _mutate(draw, data: bytes, text: bool) -> bytes:
    if text and draw(st.integers(0, 4)) == 0:   # the right text in a wrong encoding
        enc = draw(st.sampled_from(_ENCODINGS))
        data = data.decode("utf-8").encode(enc, errors="replace")
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(("flip", "truncate", "insert", "delete", "repeat",
                                   "overwrite", "special")))
        n = len(buf)
        at = draw(st.integers(0, max(0, n - 1)))
        if op == "flip" and n:
            buf[at] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del buf[at:]
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del buf[at:at + draw(st.integers(1, 256))]
        elif op == "repeat":
            piece = bytes(buf[at:at + draw(st.integers(1, 64))])
            buf[at:at] = piece * draw(st.integers(1, 50))
        elif op == "overwrite":
            junk = draw(st.binary(min_size=1, max_size=32))
            buf[at:at + len(junk)] = junk
        else:
            buf[at:at] = draw(st.sampled_from(_SPECIAL))
    return bytes(buf)


@st.composite
def _epub_members(draw, seed: Seed) -> bytes:
    """A valid zip whose members are hostile: one or two of the container, package,
    navigation or chapter files mutated before zipping, so the bytes reach MuPDF's XHTML
    and OPF parsers instead of failing the zip's checksums."""
    with zipfile.ZipFile(io.BytesIO(seed.data)) as z:
        members = [(info, z.read(info)) for info in z.infolist()]
    hit = draw(st.sets(st.integers(1, len(members) - 1), min_size=1, max_size=2))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i, (info, data) in enumerate(members):
            z.writestr(info, _mutate(draw, data, True) if i in hit else data)
    return out.getvalue()


def _cue_time(draw) -> str:
    h, m, s, ms = (draw(st.integers(0, 999)), draw(st.integers(0, 99)),
                   draw(st.integers(0, 99)), draw(st.integers(0, 9999)))
    sep = draw(st.sampled_from((",", ".", ":", "")))
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


_LINE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@st.composite
def _subtitles(draw, kind: str) -> bytes:
    cues = []
    for i in range(draw(st.integers(0, 8))):
        a, b, text = _cue_time(draw), _cue_time(draw), draw(_LINE_TEXT)
        if kind == "ass":
            cues.append(f"Dialogue: 0,{a},{b},Default,,0,0,0,,{text}\n")
        else:
            num = f"{draw(st.integers(-5, 10**9))}\n" if kind == "srt" else ""
            cues.append(f"{num}{a} --> {b}{draw(st.sampled_from(('', ' line:0', ' X1:5')))}\n"
                        f"{text}\n{draw(st.sampled_from(('', chr(10))))}")
    head = {"srt": "", "vtt": "WEBVTT\n\n",
            "ass": "[Script Info]\nTitle: t\n\n[Events]\n"
                   + draw(st.sampled_from(("Format: Layer, Start, End, Style, Name, MarginL, "
                                           "MarginR, MarginV, Effect, Text\n",
                                           "Format: Text, Start\n", "")))}[kind]
    return (head + "".join(cues)).encode("utf-8")


_MD_LINES = st.sampled_from(("# Title", "## Sub ##", "Setext", "===", "---", "```", "~~~~",
                             "- item", "1) item", "| a | b |", "    code", "", "***", "#",
                             "#######", "> quote", "text " * 30))


@st.composite
def _lines(draw, pool) -> bytes:
    lines = draw(st.lists(st.one_of(pool, _LINE_TEXT), max_size=40))
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def inputs(name: str, seed: Seed) -> st.SearchStrategy[bytes]:
    """Bytes to write as `seed.name`: mostly mutations of the seed, sometimes random bytes
    or a structured generator for the format."""
    options = [_mutation(seed), _mutation(seed), _mutation(seed), st.binary(max_size=2048)]
    if name == "epub":
        options += [_epub_members(seed), _epub_members(seed)]
    elif name in ("srt", "vtt", "ass"):
        options.append(_subtitles(name))
    elif name in ("text", "markdown"):
        options.append(_lines(_MD_LINES if name == "markdown" else st.just("CHAPTER II.")))
    return st.one_of(*options)


# --- the property ------------------------------------------------------------------------

class Hang(Exception):
    """One parse ran longer than HANG_S."""


@contextmanager
def _alarm(seconds: float):
    """Raise Hang in the main thread after `seconds` (a hang in Python code; one inside C
    code is caught by pytest-timeout, or seen as a slow execution by bench/fuzz.py)."""
    def fire(*_):
        raise Hang(f"no result after {seconds:.0f} s")
    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def _silent():
    """Fail when anything reaches file descriptors 1 or 2 (a library's traceback printed
    on stdout would corrupt `memex ... --json`; stderr is the person's terminal)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            sink.seek(0)
            said = sink.read(400)
        assert not said, f"the parser printed: {said.decode(errors='replace')[:200]!r}"


def check(path: Path, *, hang_s: float = HANG_S) -> str:
    """Open and drain `path`; return "stored" or "refused" when the property holds, else
    raise AssertionError (or Hang, or the parser's own stray exception), also when the
    parser printed anything."""
    with _silent(), _alarm(hang_s):
        try:
            doc = open_document(path, budget=BUDGET)
            chunks = list(doc.chunks)
        except IngestError as exc:
            _check_error(exc, path)
            return "refused"
    _check_chunks(doc, chunks, path)
    return "stored"


def _check_error(exc: IngestError, path: Path) -> None:
    assert exc.path == str(path.resolve()), f"the error names {exc.path!r}, not the file"
    assert isinstance(exc.reason, str) and exc.reason.strip(), "the error gives no reason"
    assert "Traceback" not in exc.reason and len(exc.reason) < 2000, exc.reason[:200]


def _finite(*xs) -> bool:
    return all(x is None or (isinstance(x, (int, float)) and math.isfinite(x)) for x in xs)


def _check_chunks(doc, chunks: list[Chunk], path: Path) -> None:
    where = str(path.resolve())
    assert doc.path == where, (doc.path, where)
    assert isinstance(doc.title, str) and isinstance(doc.units, int) and doc.units >= 0
    assert all(isinstance(w, str) and w for w in doc.warnings), doc.warnings
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert isinstance(c, Chunk) and isinstance(c.text, str) and c.text.strip(), c
        assert "cannot find chapter" not in c.text, "MuPDF's error text stored as content"
        loc = c.location
        if estimate_tokens(c.text) > BUDGET:   # only a unit the format cannot cut: one
            # cue (scenes.py) or one source line (code/units.py), as their docs say
            assert (loc.cue_start is not None and loc.cue_start == loc.cue_end) or \
                (loc.symbol is not None or doc.modality == "code") and \
                loc.line_start == loc.line_end, (estimate_tokens(c.text), loc, c.text[:80])
        assert loc.path == where, loc
        assert _finite(loc.page, loc.line_start, loc.line_end, loc.char_start, loc.char_end,
                       loc.start_s, loc.end_s, loc.cue_start, loc.cue_end), loc
        if loc.page is not None:
            assert 1 <= loc.page <= doc.units, (loc, doc.units)
        if loc.line_start is not None:
            assert 1 <= loc.line_start <= loc.line_end <= max(doc.units, 1), (loc, doc.units)
        if loc.char_start is not None:
            assert 0 <= loc.char_start <= loc.char_end, loc
        if loc.start_s is not None:
            assert 0 <= loc.start_s <= loc.end_s, loc
        if loc.cue_start is not None:
            assert 1 <= loc.cue_start <= loc.cue_end, loc
        assert all(isinstance(s, str) for s in loc.section), loc
        if loc.page is None and loc.line_start is None and loc.start_s is None:
            raise AssertionError(f"chunk {c.ordinal} has no page, line or time: {loc}")


def signature(exc: BaseException) -> str:
    """A finding's identity: the exception type and the innermost frame in our code."""
    tb, frame = exc.__traceback__, "?"
    while tb is not None:
        f = tb.tb_frame.f_code.co_filename
        if "/ingest/" in f or "/tests/fuzz.py" in f:
            frame = f"{Path(f).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    first = (str(exc).splitlines() or [""])[0][:80]
    return f"{type(exc).__name__} at {frame}: {first}"


def timed(run: Callable[[], str]) -> tuple[str, float]:
    t = time.perf_counter()
    out = run()
    return out, time.perf_counter() - t
