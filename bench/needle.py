"""Find the needle: paraphrased questions about 56 planted sentences in a million tokens.

Why: people ask in their own words. Each planted fact (bench/facts.py) is one invented
sentence hidden in over a million tokens of real public-domain prose (bench/haystack.py);
its question names none of its rare words. We score recall@1/@5/@10 of the chunk holding
the planted sentence, and search latency, for:
- `localdocs`: the peer, built as GPT4All LocalDocs builds it (bench/localdocs.py),
- Memex's search modes and variants (keyword only, chunk keys only, sentence keys, with
  and without the query adapter, with and without WordNet bridges, exact vs routed),
all in one run over the same haystack, with the memory all keys take per source token,
and a control: 400 pseudo-queries about ordinary haystack sentences (`control_set`).

    python bench/needle.py [--limit N] [--seed S] [--cache DIR] [--rerank]

The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit, percentile, stderr_progress  # noqa: E402
from bench.corpus import CACHE, FACTS, check_facts, normalize  # noqa: E402
from bench.haystack import build_haystack  # noqa: E402
from bench.localdocs import LocalDocsPeer  # noqa: E402
from engine.library import Library  # noqa: E402
from engine.recall.search import Searcher  # noqa: E402

KS = (1, 5, 10)


@dataclass(frozen=True)
class Outcome:
    rank: int | None      # 1-based rank of the first hit holding the planted sentence
    latency_s: float


def measure(search: Callable[[str], list[str]], questions: list[str],
            facts: list[str]) -> list[Outcome]:
    out = []
    for question, fact in zip(questions, facts):
        start = time.perf_counter()
        texts = search(question)
        latency = time.perf_counter() - start
        rank = next((i + 1 for i, t in enumerate(texts) if holds(t, fact)), None)
        out.append(Outcome(rank, latency))
    return out


def holds(text: str, fact: str) -> bool:
    """Whether a retrieved text holds the planted sentence (for the peer's 512-character
    chunks, which may cut it: at least its longer half)."""
    text, fact = normalize(text), normalize(fact)
    if fact in text:
        return True
    half = len(fact) // 2
    return fact[:half + 1] in text or fact[half:] in text


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    ms = [o.latency_s * 1000 for o in outcomes]
    row = {f"recall@{k}": sum(o.rank is not None and o.rank <= k for o in outcomes) / len(outcomes)
           for k in KS}
    row |= {"latency_ms_p50": statistics.median(ms), "latency_ms_p95": percentile(ms, 95)}
    return {k: round(v, 4) for k, v in row.items()}


def _searching(searcher: Searcher, mode: str) -> Callable[[str], list[str]]:
    return lambda q: [h.text for h in searcher.search(q, k=max(KS), mode=mode)]


def control_set(lib: Library, facts: list[str], n: int = 400,
                seed: int = 123) -> tuple[list[str], list[str]]:
    """(questions, sentences): ordinary haystack sentences of ten words or more and a
    pseudo-query made from each by the library's own generator (another seed), none from
    the sample its hub bank was made of, none beside a planted fact. A check that a change
    to recall helps questions about any sentence, not only about planted ones, which read
    unlike the prose around them."""
    import random

    from engine.recall.fitting import SAMPLE, rare_words
    from engine.recall.pseudo import pseudo_query
    ids, _, _ = lib.store.sentence_key_matrix()
    banked = set(np.random.default_rng(0).choice(len(ids), min(SAMPLE, len(ids)), replace=False).tolist())
    planted = [normalize(f) for f in facts]
    rare = rare_words(lib.store)
    rng, questions, sentences = random.Random(seed), [], []
    rows = [int(r) for r in np.random.default_rng(seed).permutation(len(ids)) if int(r) not in banked]
    for lo in range(0, len(rows), 500):           # texts read a batch at a time
        batch = rows[lo:lo + 500]
        for text in lib.store.sentence_texts([int(ids[r]) for r in batch]):
            if len(text.split()) < 10 or any(normalize(text) in p or p in normalize(text) for p in planted):
                continue
            question = pseudo_query(text, rng, rare=rare.__contains__, related=lib.encoder.related_words)
            if question:
                questions.append(question), sentences.append(text)
            if len(questions) == n:
                return questions, sentences
    return questions, sentences


class ChunkKeysOnly:
    """Dense search over chunk keys alone, flat and exact: what sentence keys add to."""

    def __init__(self, lib: Library):
        ids, mats = zip(*lib.store.iter_keys())
        self.ids, self.keys, self.lib = np.concatenate(ids), np.concatenate(mats), lib

    def search(self, question: str) -> list[str]:
        sims = self.keys @ self.lib.encoder.encode_query(question)
        top = np.argsort(-sims)[:max(KS)]
        chunks = self.lib.store.chunks([int(self.ids[i]) for i in top])
        return [chunks[int(self.ids[i])].text for i in top]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Paraphrase recall of planted sentences.")
    parser.add_argument("--limit", type=int, help="ask only the first N facts")
    parser.add_argument("--seed", type=int, default=0, help="where the facts are planted")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--rerank", action="store_true",
                        help="also rerank the default's top 10 with the local model")
    args = parser.parse_args(argv)

    check_facts(FACTS)
    hay = build_haystack(args.cache, seed=args.seed)
    facts = list(FACTS)[: args.limit]
    questions, sentences = [f.question for f in facts], [f.fact for f in facts]
    print(f"haystack: {len(hay.files)} files, {hay.tokens} MiniLM tokens, {len(FACTS)} facts "
          f"planted (seed {args.seed}), asking {len(facts)}")

    lib = Library(args.cache / f"needle-library-{hay.folder.name.split('-', 1)[1]}")
    try:
        start = time.perf_counter()
        done = lib.ingest(list(hay.files), report=stderr_progress(30))
        ingest_s = time.perf_counter() - start
        if done.failed:
            raise SystemExit(f"ingest failed: {done.failed}")
        print(f"ingest: {'stored' if done.stored else 'unchanged'} in {ingest_s:.1f}s")
        memory = lib.memory_bytes()
        variants: dict[str, Callable[[str], list[str]]] = {}
        peer = LocalDocsPeer(list(hay.files), lib.encoder, args.cache)
        variants["localdocs"] = lambda q: [c.text for c in peer.search(q, max(KS))]
        adapted = Searcher(lib.store, lib.encoder, adapter=True)
        unbridged = Searcher(lib.store, lib.encoder, bridges=False)
        chunk_keys = ChunkKeysOnly(lib)
        variants["memex chunk keys"] = chunk_keys.search
        for name, searcher, mode in (
                ("memex bm25", lib.searcher, "bm25"),
                ("memex dense", lib.searcher, "dense"),
                ("memex + adapter", adapted, "fused"),
                ("memex no bridges", unbridged, "fused"),
                ("memex exact", lib.searcher, "exact"),
                ("memex default", lib.searcher, "fused")):
            variants[name] = _searching(searcher, mode)
        if args.rerank:
            from engine.recall.rerank import Reranker
            reranker = Reranker()
            variants["memex + rerank"] = lambda q: [h.text for h in reranker.rerank(
                q, lib.searcher.search(q, k=max(KS)))]
        for search in variants.values():            # warm-up: load keys, models, caches
            search("warm-up question about a garden")
        table = {name: summary(measure(search, questions, sentences))
                 for name, search in variants.items()}
        control_q, control_s = control_set(lib, sentences)
        control = {name: summary(measure(variants[name], control_q, control_s))
                   for name in ("localdocs", "memex dense", "memex no bridges", "memex default")}
        fit = lib.adapter_report()
    finally:
        lib.close()

    print(f"\n{'variant':<20}{'@1':>7}{'@5':>7}{'@10':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in table.items():
        print(f"{name:<20}{row['recall@1']:>7.2f}{row['recall@5']:>7.2f}{row['recall@10']:>7.2f}"
              f"{row['latency_ms_p50']:>9.1f}{row['latency_ms_p95']:>9.1f}")
    print(f"\ncontrol: {len(control_q)} pseudo-queries about ordinary haystack sentences")
    for name, row in control.items():
        print(f"{name:<20}{row['recall@1']:>7.2f}{row['recall@5']:>7.2f}{row['recall@10']:>7.2f}"
              f"{row['latency_ms_p50']:>9.1f}{row['latency_ms_p95']:>9.1f}")
    per_token = {k: round(v / hay.tokens, 3) for k, v in memory.items()}
    print(f"\nmemory per source token (bytes): {per_token}")
    print(f"peer keys (float32): {peer.key_bytes / hay.tokens:.2f} bytes per token")
    print(f"query adapter: {fit}")
    base = table["localdocs"]["recall@5"]
    emit({
        "bench": "needle",
        "tokens": hay.tokens,
        "facts": len(facts),
        "seed": args.seed,
        "ingest_s": round(ingest_s, 2),
        "variants": table,
        "control": control,
        "bytes_per_token": per_token,
        "peer_bytes_per_token": round(peer.key_bytes / hay.tokens, 3),
        "adapter": fit,
        "default_vs_localdocs_recall@5": round(table["memex default"]["recall@5"] / base, 3)
        if base else None,
    })


if __name__ == "__main__":
    main()
