"""Gists (engine/gists): what writing them costs, whether they say only what the text says,
and whether they find the chapters a theme runs through.

Why: a whole-book question ("which chapters discuss X?", "what is this book about?") is
answered from gists the local model wrote ahead of time. Three figures say whether that
is worth it:

1. Speed: digesting the long book's first `--pages` pages with the bundled model on this
   machine, in source tokens per second, and how the model's time splits between reading
   prompts and writing.
2. Faithfulness: the share of the names and numbers in each gist that occur in the text it
   covers, for what the model wrote (before the writer's check), for the gists kept, and
   for a baseline gist made of the covered text's first sentences.
3. Chapter finding on a generated book whose chapters each carry planted themes
   (tests/themed_book.py): the share of "which chapters discuss THEME?" questions whose
   answer names exactly the right chapters, with gists (`ask` on the digested library),
   without them (`ask` on the same library before the digest) and, as the chunk-only
   baseline, each chapter scored by its best chunk key with its own margin fitted the
   same way. Margins are fitted on the calibration themes (`CALIBRATION`: the sweep is
   printed, with the chapter gist's key given a share of the score as a second sweep) and
   reported on the held-out ones (`HELD_OUT`); `--split calib` reports the calibration
   themes instead.

    python bench/gists.py [--pages 300] [--chapters-pages 5] [--split held|calib] [--skip-speed]

The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import engine  # noqa: E402,F401  (first: telemetry off, threads set before torch loads)
from bench.common import emit, stderr_progress  # noqa: E402
from bench.corpus import CACHE, build_book  # noqa: E402

MARGINS = (0.0, 0.01, 0.02, 0.03, 0.04, 0.06, 0.08, 0.1)
GIST_WEIGHTS = (0.0, 0.1, 0.25, 0.5)   # the chapter gist's share of a chapter's score


def _share(pair: list[int]) -> float | None:
    return round(pair[0] / pair[1], 4) if pair[1] else None


def speed(pages: int, work: Path) -> dict:
    """Digest the long book's first `pages` pages; times, shares and faithfulness."""
    import pymupdf

    from bench.ingest import first_pages
    from engine.gists.faithful import claim_support
    from engine.gists.terms import without_key_words
    from engine.gists.writer import first_sentences
    from engine.library import Library

    book = build_book(CACHE)
    pdf = first_pages(book.pdf, pages, work / f"book-{pages}.pdf")
    with pymupdf.open(pdf) as doc:
        pages = doc.page_count
    with Library(work / "speed") as lib:
        lib.ingest([pdf])
        doc = lib.store.document(str(pdf))
        print(f"digesting {pages} pages ({doc.tokens:,} source tokens, "
              f"{len(lib.store.block_spans(doc.id))} blocks)…", file=sys.stderr)
        done = lib.digest(report=stderr_progress(30))
        gists = lib.store.gists(doc.id)
        chunks = lib.store.document_chunks(doc.id)
        base = [0, 0]                 # the first-sentences baseline, for the same places
        model_part = [0, 0]           # the kept model gists without their key words
        for g in gists:
            if g.source == "copy":
                continue
            covered = "\n\n".join(c.text for c in chunks if g.first_chunk <= c.id <= g.last_chunk)
            for tally, said, counts in ((base, first_sentences(covered), True),
                                        (model_part, without_key_words(g.text), g.source == "model")):
                if counts:
                    found, stated = claim_support(said, covered)
                    tally[0] += found
                    tally[1] += stated
        model_s = done.prompt_s + done.generate_s
        return {
            "pages": pages, "source_tokens": doc.tokens, "gists": len(gists),
            "by_source": {s: sum(g.source == s for g in gists)
                          for s in ("model", "extract", "copy")},
            "by_level": {lv: sum(g.level == lv for g in gists)
                         for lv in ("block", "section", "chapter", "document")},
            "digest_s": round(done.seconds, 1),
            "source_tokens_per_s": round(doc.tokens / done.seconds, 1),
            "prompt_share": round(done.prompt_s / model_s, 3) if model_s else None,
            "generate_share": round(done.generate_s / model_s, 3) if model_s else None,
            "faithful_raw": _share(done.claims_raw),
            "faithful_kept": _share(done.claims_kept),
            "faithful_model_kept": _share(model_part),
            "faithful_first_sentences": _share(base),
            "claims_raw": done.claims_raw, "claims_kept": done.claims_kept,
        }


def _chapter_number(title: str) -> int | None:
    tail = title.split()[-1] if title else ""
    return int(tail) if tail.isdigit() else None


def _middle_best(sweep: dict, which: int) -> float:
    """The margin in the middle of those scoring best on the calibration questions: a
    plateau's middle moves least when the questions change."""
    best = max(v[which] for v in sweep.values())
    tied = [m for m in MARGINS if sweep[m][which] == best]
    return tied[(len(tied) - 1) // 2]


def _exact_share(got: list[set[int]], asked: list[tuple[str, str]], right: dict) -> float:
    """The share of questions whose answer named exactly the right chapters."""
    return round(sum(g == right[n] for g, (n, _) in zip(got, asked)) / len(asked), 4)


def _questions(names) -> list[tuple[str, str]]:
    from tests.themed_book import THEMES
    return [(n, f"Which chapters discuss {THEMES[n].question}?") for n in names] + \
           [(n, f"Which chapters mention {n}?") for n in names] + \
           [(n, f"Which chapters are about {THEMES[n].also}?") for n in names]


def chapters(pages_per_chapter: int, split: str, work: Path) -> dict:
    """Exact chapter sets for 'which chapters' questions: `ask` with gists and without,
    and chapters ranked by chunk keys alone; margins and the gist weight are fitted on the
    calibration themes."""
    import numpy as np

    from engine.gists import chapters as chapter_recall
    from engine.gists.recall import theme_of
    from engine.library import Library
    from tests.themed_book import CALIBRATION, HELD_OUT, make_themed_book

    book = make_themed_book(work / "crafts.pdf", pages_per_chapter=pages_per_chapter)
    plain, digested = work / "themes-plain", work / "themes"
    with Library(plain) as lib:
        lib.ingest([book.path])
    shutil.copytree(plain, digested)
    asked = _questions(CALIBRATION if split == "calib" else HELD_OUT)
    calib = _questions(CALIBRATION)
    right = {name: set(where) for name, where in book.where.items()}

    def cited(ans) -> set[int]:
        found = set()
        for _, hit in ans.citations:
            n = _chapter_number(hit.gist.title if hit.gist else
                                (hit.location.section[0] if hit.location.section else ""))
            if n is not None:
                found.add(n)
        return found

    out: dict = {"questions": len(asked), "split": split}
    with Library(plain) as lib:                      # before the digest: no gists at all
        answers = [lib.ask(q, record=False) for _, q in asked]
    out["without_gists"] = _exact_share([cited(a) for a in answers], asked, right)
    with Library(digested) as lib:
        t0 = time.perf_counter()
        done = lib.digest(report=stderr_progress(30))
        out["digest_s"] = round(time.perf_counter() - t0, 1)
        out["gists"] = done.gists
        store, enc = lib.store, lib.encoder
        gists = store.all_gists()
        docs = [d.id for d in store.documents()]
        chunk_keys = {d: store.document_keys(d)[:2] for d in docs}
        scored: dict[str, list[tuple[int, float, float, float]]] = {}

        def score(q: str) -> list[tuple[int, float, float, float]]:
            """(chapter, best passage (sentence or chunk), best chunk, best gist) per chapter."""
            if q not in scored:
                query = enc.encode_query(theme_of(q) or q)
                rows = []
                for c in chapter_recall.chapter_scores(store, docs, query):
                    ids, keys = chunk_keys[c.doc_id]
                    inside = (np.asarray(ids) >= c.first_chunk) & (np.asarray(ids) <= c.last_chunk)
                    gist = max((float(g.key @ query) for g in gists if g.key is not None
                                and g.level != "document" and g.doc_id == c.doc_id
                                and g.section[:1] == c.heading), default=c.score)
                    rows.append((_chapter_number(c.heading[0]), c.score,
                                 float((keys[inside] @ query).max()), gist))
                scored[q] = rows
            return scored[q]

        def exact(qs, margin: float, pick) -> float:
            hits = 0
            for name, q in qs:
                values = {r[0]: pick(r[1:]) for r in score(q)}
                top = max(values.values())
                hits += {n for n, v in values.items() if v >= top - margin} == right[name]
            return hits / len(qs)

        passage = lambda r: r[0]                                   # noqa: E731
        chunk = lambda r: r[1]                                     # noqa: E731
        sweep = {m: (exact(calib, m, passage), exact(calib, m, chunk)) for m in MARGINS}
        chunk_margin = _middle_best(sweep, 1)
        out["chapter_margin_fitted"] = _middle_best(sweep, 0)
        out["chapter_margin_used"] = chapter_recall.CHAPTER_MARGIN
        out["chunk_margin_fitted"] = chunk_margin
        out["calibration_sweep"] = {str(m): {"passages": round(a, 4), "chunks_only": round(b, 4)}
                                    for m, (a, b) in sweep.items()}
        used = chapter_recall.CHAPTER_MARGIN
        out["calibration_gist_weight"] = {
            str(w): round(exact(calib, used, lambda r, w=w: (1 - w) * r[0] + w * r[2]), 4)
            for w in GIST_WEIGHTS}
        out["chunks_only"] = round(exact(asked, chunk_margin, chunk), 4)
        answers = [lib.ask(q, record=False) for _, q in asked]
        got = [cited(a) for a in answers]
        out["with_gists"] = _exact_share(got, asked, right)
        out["answered_from_gists"] = sum(any(h.gist for _, h in a.citations) for a in answers)
        out["examples"] = [{"question": q, "right": sorted(right[n]), "with_gists": sorted(g),
                            "line": a.text.splitlines()[0]}
                           for (n, q), g, a in list(zip(asked, got, answers))[:4]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--chapters-pages", type=int, default=5, help="pages per themed chapter")
    ap.add_argument("--split", choices=("held", "calib"), default="held")
    ap.add_argument("--skip-speed", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="memex-gists-"))
    try:
        result: dict = {"bench": "gists"}
        result["chapters"] = chapters(args.chapters_pages, args.split, work)
        print(result["chapters"], file=sys.stderr)
        if not args.skip_speed:
            result["speed"] = speed(args.pages, work)
        emit(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
