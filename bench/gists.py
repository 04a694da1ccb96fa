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
3. Chapter finding: the share of "which chapters …?" questions whose answer names exactly
   the right chapters, on two books. A generated one whose chapters carry planted themes
   (tests/themed_book.py; "which chapters discuss THEME?"), and the bundled sample, Alice
   in Wonderland ("which chapters mention the Dodo?", right where the chapter's text
   names it). `ask` answers with gists (the planted book, digested) and without them
   (both books before any digest); the chunk-only baseline scores each chapter by its
   best chunk key. How far a chapter must stand out to be named (its reach; the chunk
   baseline gets its own) is fitted on calibration questions about both books and
   reported on held-out ones (the sweep is printed, and a second sweep gives the chapter
   gist's key a share of the score); `--split calib` reports the calibration questions.

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

REACHES = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
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


def _middle_best(sweep: dict, which: int) -> float:
    """The reach in the middle of those scoring best on the calibration questions: a
    plateau's middle moves least when the questions change."""
    best = max(v[which] for v in sweep.values())
    tied = [m for m in REACHES if sweep[m][which] == best]
    return tied[(len(tied) - 1) // 2]


def _questions(names) -> list[tuple[str, str]]:
    from tests.themed_book import THEMES
    return [(n, f"Which chapters discuss {THEMES[n].question}?") for n in names] + \
           [(n, f"Which chapters mention {n}?") for n in names] + \
           [(n, f"Which chapters are about {THEMES[n].also}?") for n in names]


# the sample book's characters and things, as a reader names them, and the word whose
# occurrence in a chapter's text makes that chapter one that mentions them
NAMED = [("the Dodo", "Dodo"), ("the Duchess", "Duchess"), ("the Cheshire Cat", "Cheshire"),
         ("the Mock Turtle", "Mock Turtle"), ("the Gryphon", "Gryphon"),
         ("the Caterpillar", "Caterpillar"), ("the March Hare", "March Hare"),
         ("the Hatter", "Hatter"), ("the Dormouse", "Dormouse"), ("Bill the Lizard", "Lizard"),
         ("the Knave of Hearts", "Knave"), ("flamingos", "flamingo"), ("hedgehogs", "hedgehog"),
         ("lobsters", "lobster"), ("the tarts", "tarts"), ("the mushroom", "mushroom"),
         ("croquet", "croquet"), ("Dinah the cat", "Dinah"), ("pepper", "pepper"),
         ("the jury", "jury")]


def _cited(ans) -> set[str]:
    """The chapter headings an answer cites."""
    return {hit.gist.title if hit.gist else hit.location.section[0]
            for _, hit in ans.citations if hit.gist or hit.location.section}


def chapters(pages_per_chapter: int, split: str, work: Path) -> dict:
    """Exact chapter sets for 'which chapters' questions on two books: `ask` with gists and
    without, and chapters ranked by chunk keys alone; the rule's reach (and the chunk
    baseline's own) is fitted on calibration questions about both books."""
    import re

    import numpy as np

    from engine.gists import chapters as chapter_recall
    from engine.library import Library
    from tests.themed_book import CALIBRATION, HELD_OUT, make_themed_book

    held = split == "held"
    book = make_themed_book(work / "crafts.pdf", pages_per_chapter=pages_per_chapter)
    plain, digested, sample = work / "themes-plain", work / "themes", work / "sample"
    with Library(plain) as lib:
        lib.ingest([book.path])
    shutil.copytree(plain, digested)
    with Library(sample) as lib:
        lib.ingest([ROOT / "resources" / "samples" / "alice.pdf"])
        doc = lib.store.documents()[0]
        texts: dict[str, list[str]] = {}
        for c in lib.store.document_chunks(doc.id):
            if c.location.section:
                texts.setdefault(c.location.section[0], []).append(c.text)
    # (question, the right chapter headings); calibration and held-out alternate
    themed = {n: {f"Chapter {c}" for c in where} for n, where in book.where.items()}
    named = [(f"Which chapters mention {who}?", {h for h, t in texts.items()
              if re.search(r"\b" + re.escape(word), " ".join(t), re.I)}) for who, word in NAMED]
    planted = {s: [(q, themed[n]) for n, q in _questions(names)]
               for s, names in (("calib", CALIBRATION), ("held", HELD_OUT))}
    real = {"calib": named[0::2], "held": named[1::2]}
    asked = "held" if held else "calib"

    def exact(answers: list[set[str]], questions) -> float:
        return round(float(np.mean([a == r for a, (_, r) in zip(answers, questions)])), 4)

    out: dict = {"split": split, "questions": {"planted": len(planted[asked]),
                                               "sample": len(real[asked])}}
    with Library(plain) as lib:                      # before the digest: no gists at all
        out["without_gists"] = exact(
            [_cited(lib.ask(q, record=False)) for q, _ in planted[asked]], planted[asked])
    with Library(sample) as lib:
        answers = [lib.ask(q, record=False) for q, _ in real[asked]]
        out["sample_without_gists"] = exact([_cited(a) for a in answers], real[asked])
        out["sample_examples"] = [{"question": q, "right": sorted(r), "line": a.text.splitlines()[0]}
                                  for (q, r), a in list(zip(real[asked], answers))[:3]]
        sample_scores = _scorer(lib)
        sweep_sample = {q: sample_scores(q) for q, _ in real["calib"] + real[asked]}
    with Library(digested) as lib:
        t0 = time.perf_counter()
        done = lib.digest(report=stderr_progress(30))
        out["digest_s"] = round(time.perf_counter() - t0, 1)
        out["gists"] = done.gists
        planted_scores = _scorer(lib)
        scores = {q: planted_scores(q) for q, _ in planted["calib"] + planted[asked]}
        scores.update(sweep_sample)

        def share(questions, reach: float, pick) -> float:
            got = []
            for q, _ in questions:
                rows = scores[q]
                got.append({rows[i][0] for i in chapter_recall.named_by_reach(
                    [pick(r[1:]) for r in rows], reach)})
            return exact(got, questions)

        named_by = lambda r: r[0]                                  # noqa: E731
        chunk = lambda r: r[1]                                     # noqa: E731
        calib = planted["calib"] + real["calib"]
        sweep = {m: (share(calib, m, named_by), share(calib, m, chunk)) for m in REACHES}
        chunk_reach = _middle_best(sweep, 1)
        out["reach_fitted"] = _middle_best(sweep, 0)
        out["reach_used"] = chapter_recall.CHAPTER_REACH
        out["gist_share_used"] = chapter_recall.GIST_SHARE
        out["chunk_reach_fitted"] = chunk_reach
        out["calibration_sweep"] = {str(m): {"named_by": a, "chunks_only": b}
                                    for m, (a, b) in sweep.items()}
        used = chapter_recall.CHAPTER_REACH
        out["calibration_gist_weight"] = {
            str(w): share(planted["calib"], used, lambda r, w=w: (1 - w) * r[2] + w * r[3])
            for w in GIST_WEIGHTS}
        out["chunks_only"] = share(planted[asked], chunk_reach, chunk)
        out["sample_chunks_only"] = share(real[asked], chunk_reach, chunk)
        answers = [lib.ask(q, record=False) for q, _ in planted[asked]]
        out["with_gists"] = exact([_cited(a) for a in answers], planted[asked])
        out["answered_from_gists"] = sum(any(h.gist for _, h in a.citations) for a in answers)
        out["examples"] = [{"question": q, "right": sorted(r), "line": a.text.splitlines()[0]}
                           for (q, r), a in list(zip(planted[asked], answers))[:4]]
    return out


def _scorer(lib):
    """question -> [(heading, score `ask` names it by, best chunk, best passage, best gist)]
    for every chapter of the library, the theme taken from the question as `ask` takes it."""
    import numpy as np

    from engine.gists import chapters as chapter_recall
    from engine.gists.recall import theme_of

    store, enc = lib.store, lib.encoder
    docs = [d.id for d in store.documents()]
    chunk_keys = {d: store.document_keys(d)[:2] for d in docs}

    def score(q: str) -> list[tuple[str, float, float, float, float]]:
        query = enc.encode_query(theme_of(q) or q)
        rows = []
        for c in chapter_recall.chapter_scores(store, docs, query):
            ids, keys = chunk_keys[c.doc_id]
            inside = (np.asarray(ids) >= c.first_chunk) & (np.asarray(ids) <= c.last_chunk)
            rows.append((c.heading[0], c.score, float((keys[inside] @ query).max()), c.passage,
                         c.passage if c.gist is None else c.gist))
        return rows
    return score


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
