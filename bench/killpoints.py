"""`kill -9` at 20 seeded random moments of a large `memex ingest`, then a run that finishes.

    python bench/killpoints.py [--points 20] [--files 80] [--pdf-pages 40] [--seed 18]

The corpus is `--files` text and markdown notes plus one PDF book of `--pdf-pages` pages (one
long write transaction). Each moment is a place in the ingest's progress (a document count,
then a seeded delay into the next document; tests/killpoints.py); the same library is
killed at each in turn. Correctness only: after every kill `PRAGMA integrity_check` is ok,
every earlier document is exactly as it was, every document the killed run stored is
whole, and a last run without a kill stores the rest, every file equal to a clean read.
Prints one row per moment and ends with one line of JSON; exits 1 on any problem.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ingest.offline  # noqa: E402,F401  first, as in memex

from bench.common import emit  # noqa: E402
from tests.engine.conftest import book_pages  # noqa: E402
from tests.killpoints import (check, corpus, kill_points, moments, reference, run_to,  # noqa: E402
                              snapshot)
from tests.makers import make_pdf  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="kill -9 at random moments of a large ingest.")
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--files", type=int, default=80)
    parser.add_argument("--pdf-pages", type=int, default=40)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--max-delay", type=float, default=1.5,
                        help="a kill comes up to this many seconds into the next document")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="memex-killpoints-") as tmp:
        folder = corpus(Path(tmp) / "corpus", args.files, seed=args.seed)
        if args.pdf_pages:
            make_pdf(folder / "book.pdf", book_pages(args.pdf_pages, []))
        documents = args.files + (1 if args.pdf_pages else 0)
        ref = reference(folder, Path(tmp) / "reference")
        assert len(ref) == documents, f"a clean read stored {len(ref)} of {documents} files"
        lib = Path(tmp) / "library"
        start = time.perf_counter()
        points = kill_points(lib, folder, ref, moments(args.points, documents, seed=args.seed,
                                                       max_delay=args.max_delay))
        killed_s = time.perf_counter() - start
        before = snapshot(lib)[1]
        start = time.perf_counter()
        last = run_to(lib, folder, None)
        finish_s = time.perf_counter() - start
        after = snapshot(lib)
        final = check(before, after, ref)
        missing = sorted(set(ref) - set(after[1]))
        final += [f"not stored by the last run: {p}" for p in missing]
        final += [f"differs from a clean read: {p}" for p, d in after[1].items() if d.texts != ref.get(p)]

    print(f"{'#':>3} {'after docs':>10} {'delay s':>8} {'outcome':>9} {'docs':>9}  checks")
    for i, p in enumerate(points, 1):
        print(f"{i:>3} {p.moment.after_docs:>10} {p.moment.delay:>8.3f} {p.outcome:>9} "
              f"{p.docs_before:>4}→{p.docs_after:<4}  {'; '.join(p.problems) or 'ok'}")
    print(f"last run: {last}, {len(before)}→{len(after[1])} of {documents} documents; "
          f"{'; '.join(final) or 'ok'}")
    problems = sum(len(p.problems) for p in points) + len(final)
    emit({
        "bench": "killpoints",
        "seed": args.seed,
        "documents": documents,
        "points": len(points),
        "killed": sum(p.outcome == "killed" for p in points),
        "finished_before_kill": sum(p.outcome == "finished" for p in points),
        "integrity_ok": sum(not any(x.startswith("integrity") for x in p.problems) for p in points),
        "points_with_problems": sum(bool(p.problems) for p in points),
        "stored_when_killed": [p.docs_after for p in points],
        "last_run_stored": len(after[1]) - len(before),
        "final_problems": final,
        "killed_runs_s": round(killed_s, 1),
        "last_run_s": round(finish_s, 1),
    })
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
