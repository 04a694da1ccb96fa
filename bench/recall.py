"""Recall of planted facts in a 300k-token book: keyword vs dense vs fused, side by side.

Why: a reader asks in their own words, so the figure that matters is whether the page
holding the answer comes back for a paraphrased question, and at what cost per query. Each
fact (bench/facts.py) is planted once in the long book; for every fact we ask its
paraphrase and its exact-quote variant in each mode and score recall@1 and @5 of the true
page. BM25 is the baseline the other modes are compared against in the same run.

Correctness first: the facts pass `check_facts`, each lands on exactly one page, and the
exact-quote questions must find most facts by keyword. The last line printed is one JSON
object.

    python bench/recall.py [--library DIR] [--limit N] [--seed S] [--cache DIR]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit, percentile, stderr_progress  # noqa: E402
from bench.corpus import (CACHE, FACTS, Fact, build_book, check_facts,  # noqa: E402
                          fact_pages, normalize)
from engine.library import Library  # noqa: E402

MODES = ("bm25", "dense", "fused")
VARIANTS = ("paraphrase", "quote")
K = 5
MIN_QUOTE_BM25_AT5 = 0.8   # below this the setup, not the retriever, is broken


@dataclass(frozen=True)
class Outcome:
    rank: int | None          # 1-based rank of the first hit on the true page, None if absent
    evidence: bool            # some hit's text contains the fact sentence
    pages: tuple[int, ...]    # pages of the hits, best first
    latency_s: float


def ask(lib: Library, pdf: Path, question: str, fact: Fact, page: int, mode: str) -> Outcome:
    start = time.perf_counter()
    hits = lib.search(question, k=K, mode=mode, record=False)
    latency = time.perf_counter() - start
    ours = [Path(h.location.path).resolve() == pdf.resolve() for h in hits]
    rank = next((i + 1 for i, h in enumerate(hits) if ours[i] and h.location.page == page), None)
    evidence = any(ours[i] and normalize(fact.fact) in normalize(h.text)
                   for i, h in enumerate(hits))
    return Outcome(rank, evidence, tuple(h.location.page or 0 for h in hits), latency)


def recall_at(outcomes: list[Outcome], k: int) -> float:
    return sum(o.rank is not None and o.rank <= k for o in outcomes) / len(outcomes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recall of planted facts, per search mode.")
    parser.add_argument("--library", type=Path, help="reuse (or create) this library folder")
    parser.add_argument("--limit", type=int, help="ask only the first N facts")
    parser.add_argument("--seed", type=int, default=0, help="where the facts are planted")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args(argv)

    check_facts(FACTS)
    book = build_book(args.cache, facts=FACTS, seed=args.seed)
    truth = fact_pages(book.pdf, FACTS)
    facts = list(zip(FACTS, truth))[: args.limit]
    print(f"book: {book.pdf.name}, {book.pages} pages, {book.tokens} MiniLM tokens, "
          f"{len(FACTS)} facts planted (seed {args.seed}), asking {len(facts)}")

    with tempfile.TemporaryDirectory(prefix="memex-bench-") as tmp:
        lib = Library(args.library or Path(tmp) / "library")
        try:
            start = time.perf_counter()
            summary = lib.ingest([book.pdf], report=stderr_progress())
            ingest_s = time.perf_counter() - start
            if summary.failed:
                raise SystemExit(f"ingest failed: {summary.failed}")
            print(f"ingest: {'stored' if summary.stored else 'unchanged'} in {ingest_s:.1f}s")
            for mode in MODES:                         # warm-up: load models, fill caches
                lib.search("warm-up question about a garden", k=K, mode=mode, record=False)
            results = {(mode, variant): [ask(lib, book.pdf, getattr(f, field), f, page, mode)
                                         for f, page in facts]
                       for mode in MODES
                       for variant, field in zip(VARIANTS, ("question", "quote_question"))}
        finally:
            lib.close()

    quote_bm25 = recall_at(results["bm25", "quote"], K)
    if quote_bm25 < MIN_QUOTE_BM25_AT5:
        raise SystemExit(f"exact-quote questions found only {quote_bm25:.0%} of facts by "
                         f"keyword; the book, the pages or the ingest is broken")

    print(f"\n{'mode':<7}{'para@1':>8}{'para@5':>8}{'quote@1':>9}{'quote@5':>9}"
          f"{'evid@5':>8}{'p50 ms':>8}{'p95 ms':>8}")
    table: dict[str, dict[str, float]] = {}
    for mode in MODES:
        para, quote = results[mode, "paraphrase"], results[mode, "quote"]
        ms = [o.latency_s * 1000 for o in para + quote]
        row = {"paraphrase@1": recall_at(para, 1), "paraphrase@5": recall_at(para, K),
               "quote@1": recall_at(quote, 1), "quote@5": recall_at(quote, K),
               "paraphrase_evidence@5": sum(o.evidence for o in para) / len(para),
               "latency_ms_p50": statistics.median(ms), "latency_ms_p95": percentile(ms, 95)}
        table[mode] = {k: round(v, 4) for k, v in row.items()}
        print(f"{mode:<7}{row['paraphrase@1']:>8.2f}{row['paraphrase@5']:>8.2f}"
              f"{row['quote@1']:>9.2f}{row['quote@5']:>9.2f}"
              f"{row['paraphrase_evidence@5']:>8.2f}{row['latency_ms_p50']:>8.1f}"
              f"{row['latency_ms_p95']:>8.1f}")
    print("(evid@5: a paraphrase hit's text holds the fact, whatever page it names)")

    misses = [(f, page, o) for (f, page), o in zip(facts, results["fused", "paraphrase"])
              if o.rank is None]
    print(f"\nfused paraphrase misses ({len(misses)} of {len(facts)}):")
    for f, page, o in misses:
        note = "  [fact in evidence, wrong page]" if o.evidence else ""
        print(f"  p.{page:<4} {f.question}  -> pages {list(o.pages)}{note}")

    def ratio(metric: str) -> float | None:
        base = table["bm25"][metric]
        return round(table["fused"][metric] / base, 3) if base else None

    emit({
        "bench": "recall",
        "pages": book.pages,
        "tokens": book.tokens,
        "facts": len(facts),
        "seed": args.seed,
        "ingest_s": round(ingest_s, 2),
        "ingested": bool(summary.stored),
        "modes": table,
        "fused_vs_bm25_paraphrase@1": ratio("paraphrase@1"),
        "fused_vs_bm25_paraphrase@5": ratio("paraphrase@5"),
        "fused_paraphrase_misses": [FACTS.index(f) for f, _, _ in misses],
    })


if __name__ == "__main__":
    main()
