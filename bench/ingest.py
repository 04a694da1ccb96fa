"""Ingest throughput on the long book, against PyMuPDF text extraction of the same file.

Why: text extraction is the floor every PDF ingest pays, so "ingest costs N times plain
extraction", measured in the same run on the same file, is a figure that carries across
machines; tokens/s and pages/s per stage (parse / encode / store) say where the rest goes.

Correctness first: the book must be long enough, the ingest must store it with every page,
and keyword search must find sample lines back on their pages. Then the figures; the last
line printed is one JSON object.

    python bench/ingest.py [--cache DIR] [--library DIR]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ingest.offline  # noqa: E402,F401  (before PyMuPDF: its add-ons phone home)
import pymupdf  # noqa: E402
from bench.common import emit, stderr_progress  # noqa: E402
from bench.corpus import CACHE, build_book, normalize  # noqa: E402
from engine.library import Library  # noqa: E402

SPOT_CHECKS = 8


def extract_all(pdf: Path) -> tuple[float, int]:
    """The baseline: `page.get_text()` on every page; returns (seconds, characters)."""
    start = time.perf_counter()
    with pymupdf.open(pdf) as doc:
        chars = sum(len(page.get_text()) for page in doc)
    return time.perf_counter() - start, chars


def spot_lines(pdf: Path, n: int) -> list[tuple[int, str]]:
    """(page, line) pairs: the longest line of n body pages spread over the book (a page
    with no line of 8 words or more, such as a part title, gives way to the one before)."""
    with pymupdf.open(pdf) as doc:
        first = next(i for i in range(doc.page_count) if doc[i].get_label() == "1")
        out = []
        for k in range(n):
            i = first + 1 + k * (doc.page_count - first - 2) // (n - 1)
            while not (lines := [ln for ln in doc[i].get_text().splitlines()
                                 if len(ln.split()) >= 8]):
                i -= 1
            out.append((i + 1, max(lines, key=len)))
    return out


def check_spots(lib: Library, pdf: Path, spots: list[tuple[int, str]]) -> list[str]:
    """Problems found when searching sample lines by keyword; empty when all are found."""
    problems = []
    for page, line in spots:
        hits = lib.search(line, k=5, mode="bm25", record=False)
        ok = any(normalize(line) in normalize(h.text) and h.location.page in (page - 1, page)
                 and Path(h.location.path).resolve() == pdf.resolve() for h in hits)
        if not ok:
            got = [h.location.page for h in hits]
            problems.append(f"line from page {page} not found (top pages {got}): {line!r}")
    return problems


def rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ingest throughput on the long book.")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--library", type=Path, help="library folder (default: a fresh temp one)")
    args = parser.parse_args(argv)

    book = build_book(args.cache)
    print(f"book: {book.pdf.name}, {book.pages} pages, {book.tokens} MiniLM tokens")

    spots = spot_lines(book.pdf, SPOT_CHECKS)
    with tempfile.TemporaryDirectory(prefix="memex-bench-") as tmp:
        lib = Library(args.library or Path(tmp) / "library")
        try:
            start = time.perf_counter()
            lib.encoder                                  # load weights outside the timings
            load_s = time.perf_counter() - start
            start = time.perf_counter()
            summary = lib.ingest([book.pdf], report=stderr_progress())
            wall_s = time.perf_counter() - start
            if summary.failed:
                raise SystemExit(f"ingest failed: {summary.failed}")
            if not summary.stored:
                raise SystemExit("nothing was stored; pass a fresh --library to time ingest")
            if summary.pages != book.pages:
                raise SystemExit(f"ingest read {summary.pages} pages of {book.pages}")
            problems = check_spots(lib, book.pdf, spots)
        finally:
            lib.close()
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    if problems:
        raise SystemExit(f"{len(problems)} of {SPOT_CHECKS} spot checks failed")
    print(f"checks: stored, {summary.pages} pages, {SPOT_CHECKS}/{SPOT_CHECKS} lines found")

    extract_s, chars = extract_all(book.pdf)
    t = summary.timings
    stages = {"parse": t.get("parse_s", 0.0), "encode": t.get("encode_s", 0.0),
              "store": t.get("store_s", 0.0), "total": wall_s}
    print(f"\n{'stage':<10}{'seconds':>10}{'pages/s':>12}{'tokens/s':>12}{'x extract':>12}")
    print(f"{'extract':<10}{extract_s:>10.2f}{rate(book.pages, extract_s):>12.1f}"
          f"{rate(book.tokens, extract_s):>12.0f}{1.0:>12.2f}")
    for name, seconds in stages.items():
        print(f"{name:<10}{seconds:>10.2f}{rate(book.pages, seconds):>12.1f}"
              f"{rate(book.tokens, seconds):>12.0f}{rate(seconds, extract_s):>12.2f}")
    print(f"(encoder load {load_s:.2f}s outside the timings; engine counted {summary.tokens} "
          f"tokens in {summary.chunks} chunks; extraction read {chars} characters)")

    emit({
        "bench": "ingest",
        "pages": book.pages,
        "tokens": book.tokens,
        "engine_tokens": summary.tokens,
        "chunks": summary.chunks,
        "encoder_load_s": round(load_s, 3),
        "extract_s": round(extract_s, 3),
        **{f"{name}_s": round(s, 3) for name, s in stages.items()},
        **{f"{name}_pages_per_s": round(rate(book.pages, s), 2) for name, s in stages.items()},
        **{f"{name}_tokens_per_s": round(rate(book.tokens, s), 1) for name, s in stages.items()},
        "extract_pages_per_s": round(rate(book.pages, extract_s), 2),
        "extract_tokens_per_s": round(rate(book.tokens, extract_s), 1),
        "parse_vs_extract": round(rate(stages["parse"], extract_s), 3),
        "total_vs_extract": round(rate(wall_s, extract_s), 3),
    })


if __name__ == "__main__":
    main()
