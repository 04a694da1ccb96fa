"""The long-term memory at scale: two-stage router vs exact search, bytes, ingest cost.

Why: recall must stay instant and the memory small as a library grows to millions of
chunks, without losing the needle. Every figure is a ratio against a baseline measured in
the same run: router recall@10 against exact float32 search, router latency against exact
float32 and exact int8 search, key bytes per token against the bundled model's KV cache.

Correctness first: probing every block must give exact int8 search's answer. Parts:
  synthetic   clustered keys at --sizes (default 100k,1M,10M), memory-mapped int8
  sample      the real keys of the bundled sample (Alice, text + PDF), ingest cost
  planted     planted-fact recall@5 on the foundation's long book (bench/corpus.py),
              blocks+router vs flat exact search (needs bench/corpus.py and bench/facts.py)
  sentences   sentence codes in cells vs the flat scan: --sentence-codes synthetic codes
              (latency, recall@10 against the flat scan), and the needle library's real
              codes with cells forced (a copy; fused recall@5 of its planted facts)
The last line printed is one JSON object.

    python bench/memory.py [--sizes 100k,1M] [--queries 200] [--parts synthetic,sample,planted,sentences]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import emit, percentile  # noqa: E402
from bench.memory_synth import build_synthetic, make_queries  # noqa: E402
from engine.recall.router import PROBE, BlockIndex  # noqa: E402

K = 10


def exact_f32(keys: torch.Tensor, q: np.ndarray, k: int) -> np.ndarray:
    return torch.topk(keys @ torch.from_numpy(q), k).indices.numpy()


def exact_int8(index: BlockIndex, q: np.ndarray, k: int, tile: int = 131072) -> np.ndarray:
    """Flat scan of every int8 row (dequantised a tile at a time), the router's own keys."""
    qt, best_s, best_i = torch.from_numpy(q), [], []
    for s in range(0, len(index.ids), tile):
        rows = torch.from_numpy(np.asarray(index.keys[s:s + tile]))
        scores = (rows.float() @ qt) * torch.from_numpy(index.scales[s:s + tile])
        top = torch.topk(scores, min(k, len(scores)))
        best_s.append(top.values), best_i.append(top.indices + s)
    top = torch.topk(torch.cat(best_s), k)
    return torch.cat(best_i)[top.indices].numpy()


def timed(fn, *args) -> tuple[object, float]:
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def latency(ms: list[float]) -> dict:
    return {"p50_ms": round(float(np.median(ms)), 2), "p95_ms": round(percentile(ms, 95), 2)}


def synthetic_part(n: int, queries: int, probe: int, folder: Path, surprise_limit: int) -> dict:
    keep = n <= 2_000_000                        # float32 copy: 1.5 GB at 1 M, 15 GB at 10 M
    read = n <= surprise_limit
    t0 = time.perf_counter()
    syn = build_synthetic(n, folder, keep_floats=keep, read_surprise=read,
                          log=lambda m: print(m, file=sys.stderr, flush=True))
    build_s = time.perf_counter() - t0
    index = syn.index
    qs = make_queries(index, queries, seed=n % 1000)
    if n <= 200_000:                             # correctness: probing all blocks is exact
        for q in qs[:5]:
            got = [cid for cid, _ in index.search(q, K, probe=index.blocks)]
            assert set(got) == set(index.ids[exact_int8(index, q, K)].tolist()), "router ≠ exact"
    floats = torch.from_numpy(syn.floats) if syn.floats is not None else None
    t_f32, t_i8, t_r, rec_f32, rec_i8 = [], [], [], [], []
    n_i8 = queries if n <= 200_000 else min(queries, 30 if n <= 2_000_000 else 10)  # slow on CPU
    for i, q in enumerate(qs):
        routed, dt = timed(lambda: index.search(q, K, probe=probe))
        got = {cid for cid, _ in routed}
        t_r.append(dt * 1000)
        if floats is not None:
            ref, dt = timed(exact_f32, floats, q, K)
            t_f32.append(dt * 1000)
            rec_f32.append(len(got & set(index.ids[ref].tolist())) / K)
        if i < n_i8:
            ref8, dt = timed(exact_int8, index, q, K)
            t_i8.append(dt * 1000)
            rec_i8.append(len(got & set(index.ids[ref8].tolist())) / K)
    sizes = (index.stops - index.starts)
    out = {
        "chunks": n, "blocks": index.blocks, "mean_block": round(float(sizes.mean()), 2),
        "queries": queries, "probe": probe, "build_s": round(build_s, 1),
        "surprise_read": read, "timings_s": {k: round(v, 2) for k, v in syn.timings.items()},
        "surprise_ms_per_1k_chunks": round(syn.timings["surprise_s"] * 1e6 / n, 2) if read else None,
        "blocks_ms_per_1k_chunks": round(syn.timings["blocks_s"] * 1e6 / n, 2),
        "router": latency(t_r), "exact_int8": latency(t_i8) | {"queries": len(t_i8)},
        "recall10_vs_exact_int8": round(float(np.mean(rec_i8)), 4),
        "hot_tier_bytes_per_chunk": round(index.hot_bytes / n, 1),
    }
    if floats is not None:
        out["exact_f32"] = latency(t_f32)
        out["recall10_vs_exact_f32"] = round(float(np.mean(rec_f32)), 4)
        out["p95_speedup_vs_f32"] = round(out["exact_f32"]["p95_ms"] / out["router"]["p95_ms"], 2)
    out["p95_speedup_vs_int8"] = round(out["exact_int8"]["p95_ms"] / out["router"]["p95_ms"], 2)
    del syn, index, floats
    return out


def kv_bytes_per_token() -> dict:
    """The raw llama.cpp KV cache of the bundled model per token (f16 K and V, all layers)."""
    from llama_cpp import Llama

    from engine.model.bundled import bundled_gguf
    md = Llama(model_path=str(bundled_gguf()), vocab_only=True, verbose=False).metadata
    layers, kv_heads = int(md["llama.block_count"]), int(md["llama.attention.head_count_kv"])
    head_dim = int(md["llama.embedding_length"]) // int(md["llama.attention.head_count"])
    return {"layers": layers, "kv_heads": kv_heads, "head_dim": head_dim,
            "bytes_per_token": 2 * layers * kv_heads * head_dim * 2}


def library_bytes(lib) -> dict:
    """Key and block bytes as stored, per chunk and per source token (the document's count)."""
    db = lib.store.db
    chunks, tokens = db.execute("SELECT sum(chunks), sum(tokens) FROM documents WHERE status='ready'").fetchone()
    keys = db.execute("SELECT sum(length(vec)) + 4 * count(*) FROM keys").fetchone()[0]
    blocks = db.execute("SELECT count(*), sum(length(centroid)) + 4 * count(*) + sum(length(reps))"
                        " FROM blocks").fetchone()
    state = db.execute("SELECT sum(length(m) + length(z)) FROM doc_memory").fetchone()[0] or 0
    return {"chunks": chunks, "tokens": tokens, "blocks": blocks[0],
            "tokens_per_chunk": round(tokens / chunks, 1),
            "key_bytes_per_chunk": round(keys / chunks, 1),
            "key_bytes_per_token": round(keys / tokens, 3),
            "keys_and_blocks_bytes_per_token": round((keys + (blocks[1] or 0)) / tokens, 3),
            "doc_state_bytes_per_token": round(state / tokens, 3)}


def float32_keys(lib, rows) -> tuple[np.ndarray, torch.Tensor]:
    """The encoder's own float32 keys of stored chunks, re-encoded: the exact reference."""
    return np.asarray([c.id for c in rows], np.int64), torch.from_numpy(lib.encoder.encode([c.text for c in rows]))


def router_vs_float32(lib, ids: np.ndarray, keys: torch.Tensor,
                      qkeys: np.ndarray) -> tuple[list[float], list[float], list[float]]:
    """Top-10 overlap of the router (over the library's stored int8 keys or codes) with
    exact float32 search over `keys` (`float32_keys`), both scored alike (centred cosines
    once the library learnt its chunk projection, hubs subtracted), and each one's latency
    in ms."""
    from engine.recall.hubness import HUB_WEIGHT
    from engine.store.projection import centred
    proj = lib.store.chunk_projection()         # scored as the router scores: centred once learnt
    keys = torch.from_numpy(centred(proj, keys.numpy()))
    hub_ids, hubs = lib.store.key_hubs()
    hub = torch.from_numpy(hubs[np.searchsorted(hub_ids, ids)] if len(hub_ids) else np.zeros(len(ids), np.float32))
    router = lib.searcher.memory
    rec, t_r, t_e = [], [], []
    for q in qkeys:
        got, dt = timed(router.search, q, K)
        t_r.append(dt * 1000)
        ref, dt = timed(lambda: torch.topk(keys @ torch.from_numpy(centred(proj, q)) - HUB_WEIGHT * hub,
                                           K).indices.numpy())
        t_e.append(dt * 1000)
        rec.append(len({c for c, _ in got} & set(ids[ref].tolist())) / K)
    return rec, t_r, t_e


def sample_part(folder: Path) -> dict:
    from engine.library import Library
    samples = ROOT / "resources" / "samples"
    with Library(folder / "sample") as lib:
        start = time.perf_counter()
        summary = lib.ingest([samples / "alice.txt", samples / "alice.pdf"])
        ingest_s = time.perf_counter() - start
        rows = [c for d in lib.documents() for c in lib.store.document_chunks(d.id)]
        rng = np.random.default_rng(3)
        picks = rng.choice(len(rows), min(60, len(rows)), replace=False)
        questions = [" ".join(rows[i].text.split()[:12]) for i in picks]  # opening words as queries
        qkeys = lib.encoder.encode(questions)
        router = lib.searcher.memory
        rec, t_r, t_e = router_vs_float32(lib, *float32_keys(lib, rows), qkeys)
        chunks = summary.chunks
        return {"ingest_s": round(ingest_s, 1), "chunks": chunks,
                "surprise_and_blocks_ms_per_1k_chunks": round(summary.timings["memory_s"] * 1e6 / chunks, 1),
                "encode_ms_per_1k_chunks": round(summary.timings["encode_s"] * 1e6 / chunks, 1),
                "router_blocks": router.index.blocks, "probe": router.probe,
                "recall10_router_vs_exact": round(float(np.mean(rec)), 4),
                "router": latency(t_r), "exact_f32": latency(t_e), "bytes": library_bytes(lib)}


def planted_part(folder: Path) -> dict:
    """Planted-fact recall@5, fused with BM25 as `memex search` does: flat exact dense search
    vs the block router, forced to route at several probe sizes (the library is small
    enough that by default the router would scan every key exactly)."""
    try:
        from bench.corpus import CACHE, FACTS, build_book, fact_pages
    except ImportError as exc:
        return {"skipped": f"the foundation's bench corpus is not on this branch ({exc})"}
    from engine.library import Library
    from engine.recall import router as router_mod
    book = build_book(CACHE, facts=FACTS, seed=0)
    truth = fact_pages(book.pdf, FACTS)
    with Library(folder) as lib:                  # reused between runs: ingest is skipped
        summary = lib.ingest([book.pdf])
        memory = lib.searcher.memory
        result: dict = {"pages": book.pages, "minilm_tokens": book.tokens,
                        "chunks": lib.store.chunk_count(), "facts": len(FACTS),
                        "ingested_now": bool(summary.stored)}
        if summary.stored:
            result["surprise_and_blocks_ms_per_1k_chunks"] = round(
                summary.timings["memory_s"] * 1e6 / max(1, summary.chunks), 1)
        configs = [("flat_exact", "exact", None), ("router_default", "fused", None)]
        configs += [(f"router_forced_probe{p}", "fused", p) for p in (32, 64, 128)]
        misses = {}
        for name, mode, probe in configs:
            saved = router_mod.EXACT_BELOW
            if probe is not None:
                router_mod.EXACT_BELOW, memory.probe = 0, probe
            try:
                for variant in ("question", "quote_question"):
                    found = []
                    for i, (fact, page) in enumerate(zip(FACTS, truth)):
                        hits = lib.search(getattr(fact, variant), k=5, mode=mode, record=False)
                        found.append(page in [h.location.page for h in hits])
                    result[f"{name}_{variant}_recall@5"] = round(sum(found) / len(FACTS), 4)
                    if variant == "question":
                        misses[name] = [i for i, ok in enumerate(found) if not ok]
            finally:
                router_mod.EXACT_BELOW, memory.probe = saved, router_mod.PROBE
        # the router's chunk keys (codes once the library learnt its projection) against
        # exact float32 search over the encoder's own keys, scanning and forced to route
        ids, keys = float32_keys(lib, [c for d in lib.documents() for c in lib.store.document_chunks(d.id)])
        qkeys = lib.encoder.encode([f.question for f in FACTS])
        for label, probe in (("scan", None), ("forced_probe64", 64)):
            saved = router_mod.EXACT_BELOW
            router_mod.EXACT_BELOW = saved if probe is None else 0
            try:
                rec, _, _ = router_vs_float32(lib, ids, keys, qkeys)
            finally:
                router_mod.EXACT_BELOW = saved
            result[f"recall10_router_{label}_vs_float32"] = round(float(np.mean(rec)), 4)
        result["chunk_key_width"] = lib.store.chunk_projection().width \
            if lib.store.chunk_projection() else None
        flat = set(misses["flat_exact"])
        result["router_misses_not_in_flat"] = {n: sorted(set(m) - flat) for n, m in misses.items()}
        result["flat_misses_found_by_router"] = {n: sorted(flat - set(m)) for n, m in misses.items()}
        result["bytes"] = library_bytes(lib)
        keys = lib.store.db.execute("SELECT sum(length(vec)) + 4 * count(*) FROM keys").fetchone()[0]
        result["key_bytes_per_minilm_token"] = round(keys / book.tokens, 3)
        result["router_blocks"] = memory.index.blocks
    return result


def _synthetic_codes(n: int, dim: int, rng: np.random.Generator, batch: int = 1 << 19) -> np.ndarray:
    """Clustered int8 codes [n, dim]: sentences scattered around shared topics."""
    from engine.store.keys import quantize
    topics = rng.standard_normal((max(64, n // 100), dim)).astype(np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    out = np.zeros((n, dim), np.int8)
    for at in range(0, n, batch):
        m = min(batch, n - at)
        x = topics[rng.integers(0, len(topics), m)] + rng.standard_normal((m, dim), np.float32) * (1.0 / dim ** 0.5)
        out[at:at + m] = quantize(x)[0]
    return out


def sentences_part(n: int, queries: int, folder: Path, needle: Path | None) -> dict:
    """The sentence scan with cells (engine/store/sentence_cells.py) vs flat, as the dense
    index runs it: synthetic codes for speed and agreement, the needle library for recall."""
    from engine.recall.dense import DenseIndex, probe_cells
    from engine.store import Store
    from engine.store.keys import Projection
    from engine.store.sentence_cells import cell_count, fit_cells, nearest_cells, sample_size, unit_codes
    dim, rng = 128, np.random.default_rng(7)
    t0 = time.perf_counter()
    codes = _synthetic_codes(n, dim, rng)
    gen_s = time.perf_counter() - t0
    store = Store(folder / "sentences")          # an empty library: the index's arrays are set below
    index = DenseIndex(store, chunk_keys=False, cells=True)
    index.scores(np.ones(384, np.float32))
    index.ids, index.codes = np.arange(n, dtype=np.int64), codes
    index.code_rows, index.code_inv = index.ids, Projection.inv_norms(codes)
    index.code_hubs, index.hubs = np.zeros(n, np.float32), np.zeros(n, np.float32)
    index.proj = Projection(np.zeros(dim, np.float32), np.eye(dim, dtype=np.float32))
    cells = cell_count(n)
    t0 = time.perf_counter()
    sample = codes[rng.choice(n, min(n, sample_size(cells)), replace=False)]
    cent = fit_cells(unit_codes(sample), cells)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    assigned = np.concatenate([nearest_cells(codes[a:a + 65536], cent) for a in range(0, n, 65536)])
    assign_s = time.perf_counter() - t0
    out: dict = {"codes": n, "cells": cells, "probe": probe_cells(cells), "generate_s": round(gen_s, 1),
                 "fit_s": round(fit_s, 1), "assign_ms_per_1k_codes": round(assign_s * 1e6 / n, 2),
                 "mean_cell": round(n / cells, 1)}
    index.group_cells(assigned, cent)
    for label, noise in (("near", 0.6), ("far", 1.5)):   # cos to its sentence ≈ 0.86 / 0.55
        rows = rng.choice(n, queries, replace=False)
        base = unit_codes(codes[rows])
        qs = base + rng.standard_normal(base.shape).astype(np.float32) * (noise / dim ** 0.5)
        qs /= np.linalg.norm(qs, axis=1, keepdims=True)
        t_flat, t_cells, rec, hit = [], [], [], []
        for q, row in zip(qs, rows):
            index.cell_centroids = None
            flat, dt = timed(index.scores, q)
            t_flat.append(dt * 1000)
            index.cell_centroids = cent
            got, dt = timed(index.scores, q)
            t_cells.append(dt * 1000)
            ref = set(np.argpartition(-flat, K)[:K].tolist())
            rec.append(len(ref & set(np.argpartition(-got, K)[:K].tolist())) / K)
            hit.append(bool(got[row] >= flat[row] - 1e-6))
        out[label] = {"flat": latency(t_flat), "cells": latency(t_cells),
                      "p95_speedup": round(percentile(t_flat, 95) / percentile(t_cells, 95), 2),
                      "recall10_vs_flat": round(float(np.mean(rec)), 4),
                      "own_sentence_reached": round(float(np.mean(hit)), 4)}
    store.close()
    del codes, index
    if needle is not None and needle.exists():
        out["needle"] = _needle_with_cells(needle, folder)
    else:
        out["needle"] = {"skipped": "no needle library (run bench/needle.py first)"}
    return out


def _needle_with_cells(library: Path, folder: Path) -> dict:
    """Fused recall of the needle facts on a copy of its library, flat vs cells forced."""
    from bench.facts import FACTS
    from bench.needle import measure, summary, _searching
    from engine.library import Library
    from engine.store.sentence_cells import learn_cells, load_cells
    copy = folder / "needle-cells"
    shutil.copytree(library, copy)
    qs, fs = [f.question for f in FACTS], [f.fact for f in FACTS]
    with Library(copy) as lib:
        lib.searcher.search("warm up")
        flat = summary(measure(_searching(lib.searcher, "fused"), qs, fs))
        t0 = time.perf_counter()
        assigned = learn_cells(lib.store, min_codes=1)
        learn_s = time.perf_counter() - t0
        lib.searcher.search("warm up")
        cells = summary(measure(_searching(lib.searcher, "fused"), qs, fs))
        sent = lib.searcher.sentences
        q = sent.proj.centred_query(lib.encoder.encode(["a question"])[0])
        return {"codes": len(sent.codes), "cells": len(load_cells(lib.store)), "assigned": assigned,
                "learn_s": round(learn_s, 1), "rows_scanned": sum(b - a for a, b in sent._probed(q)),
                "flat": flat, "cells_forced": cells}


def _newest_needle() -> Path | None:
    try:
        from bench.corpus import CACHE
    except ImportError:
        return None
    found = sorted(Path(CACHE).glob("needle-library-*"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100k,1M,10M")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--probe", type=int, default=PROBE)
    p.add_argument("--parts", default="synthetic,sample,planted,sentences")
    p.add_argument("--surprise-limit", type=int, default=2_000_000,
                   help="largest synthetic size read by the surprise reader (else sections only)")
    p.add_argument("--tmp", type=Path, default=None, help="folder for memory-mapped keys")
    p.add_argument("--sentence-codes", type=float, default=5e6,
                   help="synthetic sentence codes for the sentences part")
    p.add_argument("--needle-library", type=Path, default=None,
                   help="the needle library (default: the newest in bench/corpus.py's cache)")
    p.add_argument("--planted-library", type=Path, default=None,
                   help="reuse (or create) this library for the planted part")
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    parts = set(args.parts.split(","))
    result: dict = {"bench": "memory", "cuda": torch.cuda.is_available(), "synthetic": {}}
    tmp = Path(tempfile.mkdtemp(prefix="memex-memory-", dir=args.tmp))
    try:
        result["kv_cache"] = kv_bytes_per_token()
        if "sample" in parts:
            result["sample"] = s = sample_part(tmp)
            print(f"sample: {json.dumps(s)}", flush=True)
            result["key_bytes_vs_kv_cache"] = round(
                s["bytes"]["key_bytes_per_token"] / result["kv_cache"]["bytes_per_token"], 6)
        if "planted" in parts:
            result["planted"] = pl = planted_part(args.planted_library or tmp / "planted")
            print(f"planted: {json.dumps(pl)}", flush=True)
        if "sentences" in parts:
            needle = args.needle_library or _newest_needle()
            result["sentences"] = se = sentences_part(int(args.sentence_codes), min(args.queries, 100),
                                                     tmp, needle)
            print(f"sentences: {json.dumps(se)}", flush=True)
        if "synthetic" in parts:
            for label in args.sizes.split(","):
                n = int(float(label.lower().replace("k", "e3").replace("m", "e6")))
                try:
                    r = synthetic_part(n, args.queries, args.probe, tmp, args.surprise_limit)
                except MemoryError as exc:
                    r = {"skipped": f"not enough memory ({exc})"}
                result["synthetic"][label] = r
                print(f"synthetic {label}: {json.dumps(r)}", flush=True)
                for f in tmp.glob("keys-*.npy"):
                    f.unlink()
        result["gpu"] = "no GPU in this run: Triton figures not measured" if not torch.cuda.is_available() else "see kernels"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    emit(result)


if __name__ == "__main__":
    main()
