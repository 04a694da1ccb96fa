"""Memory that lasts and lets go: two simulated months of use, tiers against all-hot.

Why: a library used for months should get smaller and no slower, while the questions its
reader keeps asking are answered as well as before. This reads a real book (Alice, the
bundled sample), then lives through --weeks of use on a settable clock: each week the
reader asks some questions (chapters I, III, VII and IX; some weekly, some every other
week), opens the top citation, and the library consolidates. Other chapters are never
asked about. Baseline, measured in the same run on a copy of the same library: every block
hot (float16 keys beside int8, nothing out of the dense index).

Correctness first: no chunk text or location changes, cold keys are out of the dense
index yet cold chapters are still found by keyword. Then it prints the dense index's size
and fused-search latency before and after, recall@5 of the asked questions (before, after,
all-hot baseline), recall@5 of the never-asked questions (the price of letting go) and
whether keyword search still finds them. The last line printed is one JSON object.

    python bench/value.py [--weeks 8] [--repeat 5]

Measured here (2 shared CPU cores, 8 weeks, Alice: 191 chunks, 28 blocks): 16 blocks end
hot, 12 cold; the dense index goes from 1,466 keys / 1.05 MB to 1,068 keys / 0.77 MB
(0.73× before, 0.64× all-hot); recall-only fused search p50 27.7 → 13.5 ms (all-hot
29.3 ms), end to end ~0.77 s in every case (the query encoder dominates); recall@5 of
the asked questions 0.86 before, after and all-hot; never-asked questions 1.00 in all
three (their words occur in their answers, so keyword search finds the cold chunks and
their parked keys rank them).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import emit, stderr_progress  # noqa: E402
from engine.library import Library  # noqa: E402
from engine.store.tiers import TierMove, dense_index_size, move_tiers, tier_sizes  # noqa: E402
from engine.store.usage import value_blocks  # noqa: E402
from engine.value import SettableClock  # noqa: E402

ALICE = ROOT / "resources" / "samples" / "alice.txt"
# (question, a phrase its answer's chunk holds, how often it is asked: every n weeks)
ASKED = [
    ("What was written on the label of the little bottle?", "drink me", 1),
    ("What did the Dodo present to Alice as her prize?", "thimble", 1),
    ("Why is a raven like a writing-desk?", "writing-desk", 1),
    ("What lessons did the Mock Turtle take at school?", "reeling and writhing", 1),
    ("Where did Alice find the tiny golden key?", "golden key", 2),
    ("Who won the Caucus-race?", "everybody has won", 2),
    ("Where did the Dormouse say the three sisters lived?", "treacle", 2),
]
NEVER = [
    ("What was the Caterpillar smoking?", "hookah", "Caterpillar hookah"),
    ("What did the Queen's guests use as croquet mallets?", "flamingo", "croquet flamingo"),
    ("Who made some tarts on a summer day?", "made some tarts", "Queen Hearts tarts"),
    ("What dance did the Mock Turtle and the Gryphon perform?", "lobster quadrille", "Lobster Quadrille"),
]


def found(hits, phrase: str) -> bool:
    return any(phrase in " ".join(h.text.split()).lower() for h in hits)


def recall(lib: Library, questions, k: int = 5, mode: str = "fused") -> float:
    return float(np.mean([found(lib.search(q, k=k, mode=mode, record=False), gold)
                          for q, gold, *_ in questions]))


class KnownQueries:
    """The encoder with each question's key computed once, so timing measures recall (the
    index the tiers change), not the encoder, which costs the same in every tier."""

    def __init__(self, encoder, questions):
        self._encoder = encoder
        self._keys = {q: encoder.encode_query(q) for q in questions}

    def encode_query(self, query: str):
        return self._keys[query]

    def __getattr__(self, name):
        return getattr(self._encoder, name)


def latencies_ms(libs: dict[str, Library], questions, repeat: int) -> dict[str, dict]:
    """p50 of fused search per library: end to end, and recall alone (query keys known).
    The libraries take turns question by question, so a busy machine slows them alike."""
    texts = [q for q, *_ in questions]
    known = KnownQueries(next(iter(libs.values())).encoder, texts)
    full = {name: [] for name in libs}
    recall_only = {name: [] for name in libs}
    for lib in libs.values():
        lib.search(texts[0], record=False)               # load each index once
    for _ in range(repeat):
        for q in texts:
            for name, lib in libs.items():
                lib.searcher.encoder = lib.encoder
                t = time.perf_counter()
                lib.search(q, k=5, record=False)
                full[name].append((time.perf_counter() - t) * 1000)
                lib.searcher.encoder = known
                t = time.perf_counter()
                lib.search(q, k=5, record=False)
                recall_only[name].append((time.perf_counter() - t) * 1000)
                lib.searcher.encoder = lib.encoder
    return {name: {"end_to_end": round(float(np.median(full[name])), 2),
                   "recall_only": round(float(np.median(recall_only[name])), 2)} for name in libs}


def chunk_rows(lib: Library) -> list[tuple]:
    return lib.store.db.execute(
        "SELECT id, doc_id, ordinal, text, line_start, line_end, section, char_start, char_end"
        " FROM chunks ORDER BY id").fetchall()


def all_hot(lib: Library) -> None:
    """The baseline: every block hot, with float16 keys freshly encoded from its text."""
    store, now = lib.store, lib.clock.now()
    rows = store.db.execute("SELECT id, text FROM chunks ORDER BY id").fetchall()
    keys = lib.encoder.encode([t for _, t in rows])
    vectors = {cid: keys[i] for i, (cid, _) in enumerate(rows)}
    move_tiers(store, [TierMove(b.id, b.first_chunk, b.last_chunk, b.tier, "hot")
                       for b in value_blocks(store, now)], now, vectors)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weeks", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=5, help="timed passes over the questions")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="memex-value-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args) -> None:
    clock = SettableClock(time.time() + 60)
    lib = Library(work / "lib", clock=clock)
    t0 = time.perf_counter()
    lib.ingest([ALICE], report=stderr_progress())
    ingest_s = time.perf_counter() - t0
    lib.close()
    shutil.copytree(work / "lib", work / "hot")
    shutil.copytree(work / "lib", work / "before")
    lib = Library(work / "lib", clock=clock)
    base = Library(work / "hot", clock=clock, encoder=lib.encoder)
    before = Library(work / "before", clock=clock, encoder=lib.encoder)  # untouched copy
    all_hot(base)

    rows0 = chunk_rows(lib)
    size0 = dense_index_size(lib.store)
    recall0 = recall(lib, ASKED)
    never0 = recall(lib, NEVER)
    print(f"before: dense index {size0[0]:,} keys, {size0[1]:,} bytes; "
          f"recall@5 asked {recall0:.2f}, never asked {never0:.2f}")

    t0 = time.perf_counter()
    for week in range(1, args.weeks + 1):
        clock.advance(days=7)
        for question, _, every in ASKED:
            if week % every == 0:
                hits = lib.search(question, k=5)
                lib.citation_opened(hits[0].chunk_id)
        result = lib.consolidate()
        print(f"  week {week}: {len(result.promoted)} promoted, {len(result.demoted)} demoted;"
              f" dense index {result.dense_after[0]:,} keys", file=sys.stderr)
    simulate_s = time.perf_counter() - t0

    # correctness: nothing lost, cold is out of the dense index yet found by keyword
    assert chunk_rows(lib) == rows0, "chunk text or locations changed"
    tiers = {t.tier: t for t in tier_sizes(lib.store)}
    assert tiers["cold"].blocks > 0, "nothing went cold"
    cold_chunks = {r[0] for r in lib.store.db.execute("SELECT chunk_id FROM cold_keys")}
    keyed = {r[0] for r in lib.store.db.execute("SELECT chunk_id FROM keys")}
    assert not cold_chunks & keyed, "a cold chunk is still in the dense index"
    bm25_never = float(np.mean([found(lib.search(kw, k=5, mode="bm25", record=False), gold)
                                for _, gold, kw in NEVER]))

    size1 = dense_index_size(lib.store)
    recall1 = recall(lib, ASKED)
    never1 = recall(lib, NEVER)
    size_hot = dense_index_size(base.store)
    recall_hot = recall(base, ASKED)
    never_hot = recall(base, NEVER)
    lat = latencies_ms({"before": before, "after": lib, "all_hot": base}, ASKED, args.repeat)
    print(f"after {args.weeks} weeks: dense index {size1[0]:,} keys, {size1[1]:,} bytes "
          f"({size1[1] / size0[1]:.2f}× before, {size1[1] / size_hot[1]:.2f}× all-hot)")
    print("fused search p50, recall only (query keys known): " + ", ".join(
        f"{n} {v['recall_only']:.2f} ms" for n, v in lat.items()))
    print("fused search p50, end to end (encoder included): " + ", ".join(
        f"{n} {v['end_to_end']:.1f} ms" for n, v in lat.items()))
    print(f"tiers: " + ", ".join(f"{t.tier} {t.blocks} blocks/{t.chunks} chunks" for t in tiers.values()))
    print(f"recall@5 of the asked questions: before {recall0:.2f}, after {recall1:.2f}, "
          f"all-hot {recall_hot:.2f}")
    print(f"never-asked questions: recall@5 {never1:.2f} (before {never0:.2f}, all-hot "
          f"{never_hot:.2f}); found by keyword search {bm25_never:.2f}")
    emit({
        "bench": "value", "weeks": args.weeks, "questions_asked": len(ASKED),
        "questions_never_asked": len(NEVER), "chunks": len(rows0),
        "ingest_s": round(ingest_s, 1), "simulate_s": round(simulate_s, 1),
        "tiers": {t.tier: {"blocks": t.blocks, "chunks": t.chunks} for t in tiers.values()},
        "dense_rows": {"before": size0[0], "after": size1[0], "all_hot": size_hot[0]},
        "dense_bytes": {"before": size0[1], "after": size1[1], "all_hot": size_hot[1]},
        "latency_ms_p50": lat,
        "recall5_asked": {"before": recall0, "after": recall1, "all_hot": recall_hot},
        "recall5_never_asked": {"before": never0, "after": never1, "all_hot": never_hot},
        "never_asked_found_by_keyword": bm25_never,
    })
    for library in (lib, base, before):
        library.close()


if __name__ == "__main__":
    main()
