"""Benchmark: a codebase in, traced out, understood — on the running interpreter's
standard library, in the two phases of reading.

Why: a programmer drops a repository in to trace names in it at once, and to ask about it
once it is understood. Phase 1 (`Library.ingest(wait=False)`: text, keyword index,
symbols) is what makes it traceable, so its time is the wait before `memex trace` works;
phase 2 (`Library.understand`) encodes every chunk and sentence, and it runs here for
real over the whole tree, because an estimate hides whatever a full run trips on.
Measured in one run, against baselines run beside it:
  * phase 1 split into parse / store / graph, lines per second, and the ratio against
    parsing the same files with Python's `ast` alone;
  * trace quality for randomly chosen function names: call-site recall and precision of
    `Library.trace` against ground truth computed here with `ast` (calls whose callee is
    the name or an attribute of that name), beside `grep -n "NAME("`;
  * trace latency in process (median, p95), and through `memex trace --json` in a new
    process each time (process start included, as a script calling it pays);
  * phase 2 over everything: seconds, lines/s and chunks/s;
  * the encoder against today's path (`Encoder(fast=False)`), on a sample of the same
    texts (the first chunks and their sentences): a full reference run would take hours
    on two cores, so the reference's full phase-2 time is an estimate from the sample's
    ratio, labelled so; the sample also checks the two paths' keys agree;
  * incremental re-reading after editing one file and deleting another, as a share of
    the first, without and with understanding the edited file;
  * peak memory (RSS) of the ingest, trace and re-ingest.
Ends by printing one line of JSON.

    python bench/code.py [--root DIR] [--names 100] [--cli-names 30] [--seed 7] [--sample 1000]
"""
from __future__ import annotations

import argparse
import ast
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import emit, percentile, stderr_progress  # noqa: E402
from engine.library import Library  # noqa: E402
from engine.reading.understand import sentences_of  # noqa: E402

_EDITED = "json/decoder.py"     # stdlib files edited and deleted; other roots use their own
_DELETED = "this.py"
_ADDED = "\n\ndef memex_bench_added(x):\n    return memex_bench_added(x - 1) if x else 0\n"
MEMEX = [sys.executable, "-m", "engine.cli"]


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("site-packages", "__pycache__",
                                                            "*.pyc"), symlinks=True)


_AST_TIMER = """
import ast, sys, time
files = sys.stdin.read().split("\\n")
t0 = time.perf_counter()
for f in files:
    with open(f, "rb") as fh:
        data = fh.read()
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        pass
print(time.perf_counter() - t0)
"""


def _ast_seconds(files: list[Path]) -> float:
    """Reading + `ast.parse` of every file, timed in a fresh interpreter: this process
    holds a big heap by now, and the cyclic GC would slow the baseline unfairly."""
    out = subprocess.run([sys.executable, "-c", _AST_TIMER], input="\n".join(map(str, files)),
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def _ground_truth(files: list[Path]) -> tuple[dict[str, set], list[str], int, set[str]]:
    """(call sites by callee name, function names defined, lines, files ast could parse):
    ground truth exists only for files Python itself parses (not the Python 2 samples
    and deliberately broken files among the tests)."""
    lines = 0
    parsed: set[str] = set()
    calls: dict[str, set] = defaultdict(set)
    funcs: set[str] = set()
    for f in files:
        data = f.read_bytes()
        lines += data.count(b"\n")
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            continue
        parsed.add(str(f))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else \
                    fn.attr if isinstance(fn, ast.Attribute) else None
                if name:
                    calls[name].add((str(f), node.lineno))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                funcs.add(node.name)
    return calls, sorted(funcs), lines, parsed


def _grep(name: str, root: Path, stored: set[str]) -> set:
    out = subprocess.run(["grep", "-rn", "--include=*.py", "-F", name + "(", str(root)],
                         capture_output=True, text=True, errors="replace").stdout
    sites = set()
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        num = rest.partition(":")[0]
        if path in stored and num.isdigit():
            sites.add((path, int(num)))
    return sites


def _pr(found: set, truth: set) -> tuple[int, int, int]:
    return len(found & truth), len(found), len(truth)


def _ratio(tp: int, n: int) -> float:
    return round(tp / n, 4) if n else 1.0



def _sample_texts(lib: Library, chunks: int) -> tuple[int, list[str]]:
    """The first `chunks` chunks in reading order and their sentences, as phase 2 keys
    them (engine/reading/understand.py): (chunks taken, texts)."""
    taken, texts = 0, []
    for doc in sorted(lib.documents(), key=lambda d: d.id):
        if taken >= chunks:
            break
        rows = lib.store.document_chunks(doc.id)[:chunks - taken]
        taken += len(rows)
        texts += [c.text for c in rows] + [rows[i].text[a:b] for i, a, b in sentences_of(rows)]
    return taken, texts


def _timed_encode(encoder, texts: list[str]):
    """(seconds, keys) of encoding `texts`, after a small warm-up call."""
    encoder.encode(texts[:8])
    t0 = time.perf_counter()
    keys = encoder.encode(texts)
    return time.perf_counter() - t0, keys


def _trace_cli(name: str, library: Path) -> tuple[float, int]:
    """`memex trace NAME --json` in a new process: (seconds, start included; occurrences)."""
    t0 = time.perf_counter()
    proc = subprocess.run([*MEMEX, "trace", name, "--json", "--library", str(library)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"memex trace {name} exited {proc.returncode}:\n{proc.stderr}")
    return seconds, len(json.loads(proc.stdout)["occurrences"])


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024    # KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--names", type=int, default=100)
    ap.add_argument("--cli-names", type=int, default=30,
                    help="names traced through `memex trace` in a new process each")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sample", type=int, default=1000,
                    help="chunks (with their sentences) both encoder paths key for the ratio")
    args = ap.parse_args()
    stdlib = Path(args.root).resolve() == Path(sysconfig.get_paths()["stdlib"]).resolve()

    work = Path(tempfile.mkdtemp(prefix="memex-bench-code-"))
    tree, library = work / "Lib", work / "library"
    _copy_tree(Path(args.root), tree)
    lib = Library(library)
    try:
        # -- phase 1: text, units, symbols; traceable from here on -----------------------
        t0 = time.perf_counter()
        first = lib.ingest([tree], wait=False, report=stderr_progress())
        traceable_s = time.perf_counter() - t0
        stored = set(first.stored)
        py_files = sorted(Path(p) for p in stored if p.endswith(".py"))
        assert len(py_files) > (500 if stdlib else 1), f"only {len(py_files)} Python files stored"
        chunks = lib.store.chunk_count()
        timings = {k: round(v, 2) for k, v in first.timings.items()}
        for path, reason in first.ignored + first.failed:
            print(f"not stored: {path}: {reason}", file=sys.stderr)

        # -- the ast baseline over the same files ----------------------------------------
        ast_s = _ast_seconds(py_files)
        truth, funcs, lines, parsed = _ground_truth(py_files)
        parse_s = first.timings["parse_s"]

        # -- trace quality vs ast ground truth, grep beside it (after phase 1 only) -------
        names = random.Random(args.seed).sample(funcs, min(args.names, len(funcs)))
        stored_py = parsed
        db = lib.store.db
        tt = tf = tn = gt = gf = 0
        latencies = []
        worst = []
        counts = {}
        for name in names:
            t1 = time.perf_counter()
            occ = lib.trace(name)
            latencies.append(time.perf_counter() - t1)
            counts[name] = len(occ)
            non_call = {(p, ln) for p, ln in db.execute(
                "SELECT d.path, r.line FROM refs r JOIN documents d ON d.id = r.doc_id"
                " WHERE r.name = ? GROUP BY d.path, r.line HAVING SUM(r.kind = 'call') = 0",
                [name])}
            found = {(o.path, o.line_start) for o in occ
                     if o.kind == "reference" and o.path in stored_py} - non_call
            want = truth.get(name, set())
            a, b, c = _pr(found, want)
            tt, tf, tn = tt + a, tf + b, tn + c
            if b - a or c - a:
                worst.append((name, c - a, b - a))
            g = _grep(name, tree, stored_py)
            gt, gf = gt + len(g & want), gf + len(g)
        latencies.sort()
        # the same through `memex trace --json` in a new process (start-up and imports count)
        cli = []
        for name in names[:args.cli_names]:
            seconds, n = _trace_cli(name, library)
            assert n == counts[name], \
                f"memex trace {name}: {n} occurrences, {counts[name]} in process"
            cli.append(seconds)

        # -- phase 2 over everything, for real ------------------------------------------
        t0 = time.perf_counter()
        encoder = lib.encoder                            # load weights outside the timings
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = lib.understand(report=stderr_progress())
        understand_s = time.perf_counter() - t0
        assert not lib.readable(), f"{len(lib.readable())} documents still readable"
        encode_s = done.timings["encode_s"]

        # -- incremental: edit one file, delete another ----------------------------------
        edited = tree / _EDITED if (tree / _EDITED).exists() else py_files[0]
        deleted = tree / _DELETED if (tree / _DELETED).exists() else py_files[-1]
        with open(edited, "a", encoding="utf-8") as f:
            f.write(_ADDED)
        deleted.unlink()
        t1 = time.perf_counter()
        again = lib.ingest([tree], wait=False)
        incr_s = time.perf_counter() - t1
        assert again.stored == [str(edited)], again.stored
        assert again.removed == [str(deleted)], again.removed
        added = lib.trace("memex_bench_added")
        assert [o.kind for o in added] == ["definition", "reference"], added
        assert lib.store.document(str(deleted)) is None
        t1 = time.perf_counter()
        lib.ingest([tree], wait=False)                   # nothing changed at all
        noop_s = time.perf_counter() - t1
        # what a person's re-read does: the edited file's chunks are understood too
        with open(edited, "a", encoding="utf-8") as f:
            f.write(_ADDED.replace("memex_bench_added", "memex_bench_again"))
        t1 = time.perf_counter()
        encoded = lib.ingest([tree], wait=True)
        incr_encoded_s = time.perf_counter() - t1
        assert encoded.stored == [str(edited)] and encoded.timings["encode_s"] > 0
        assert not lib.readable()
        peak_rss_mb = _peak_rss_mb()                     # before the reference encoder loads

        # -- the encoder against today's path, on a sample of the same texts -------------
        from engine.model.encoder import Encoder

        sample_chunks, sample = _sample_texts(lib, args.sample)
        reference = Encoder(fast=False)
        ref_s, ref_keys = _timed_encode(reference, sample)
        new_s, new_keys = _timed_encode(encoder, sample)
        cosines = (ref_keys * new_keys).sum(axis=1)       # both are unit vectors
        assert cosines.mean() > 0.99, f"the paths' keys differ: mean cosine {cosines.mean():.4f}"
    finally:
        lib.close()
        shutil.rmtree(work, ignore_errors=True)

    speedup = ref_s / new_s
    both_s = traceable_s + understand_s
    result = {
        "bench": "code",
        "root": args.root,
        # lines: of the stored Python files (every lines/s below counts these)
        "files_stored": len(stored), "python_files": len(py_files), "lines": lines,
        "python_files_ast_parses": len(parsed),
        "chunks": chunks, "sentences": done.sentences,
        "skipped": len(first.ignored), "failed": len(first.failed),
        # phase 1; parse = read + tree-sitter + units + definition/reference extraction;
        # store = chunk, FTS and symbol rows; graph = resolving references
        "traceable_s": round(traceable_s, 2),
        "split_s": {"parse": timings["parse_s"], "store": timings["store_s"],
                    "graph": timings["graph_s"]},
        "traceable_lines_per_s": round(lines / traceable_s),
        "ast_parse_s": round(ast_s, 2),
        "parse_vs_ast_ratio": round(parse_s / ast_s, 2),
        "traceable_vs_ast_ratio": round(traceable_s / ast_s, 2),
        # phase 2, measured over everything
        "encoder_load_s": round(load_s, 2),
        "understand_s": round(understand_s, 2),
        "understand_split_s": {k.removesuffix("_s"): round(v, 2) for k, v in done.timings.items()},
        "understand_lines_per_s": round(lines / understand_s, 1),
        "understand_chunks_per_s": round(done.chunks / understand_s, 2),
        "encode_chunks_per_s": round(done.chunks / encode_s, 2) if encode_s else None,
        "both_phases_s": round(both_s, 2),
        "both_phases_lines_per_s": round(lines / both_s, 1),
        # the encoder paths on a sample of the same texts (not the whole tree)
        "sample_chunks": sample_chunks, "sample_texts": len(sample),
        "sample_new_s": round(new_s, 2), "sample_reference_s": round(ref_s, 2),
        "sample_new_texts_per_s": round(len(sample) / new_s, 1),
        "sample_reference_texts_per_s": round(len(sample) / ref_s, 1),
        "sample_speedup": round(speedup, 2),
        "sample_key_cosine_mean": round(float(cosines.mean()), 5),
        "sample_key_cosine_min": round(float(cosines.min()), 5),
        "reference_encode_s_estimated": round(encode_s * speedup, 1),
        "reference_understand_s_estimated": round(understand_s + encode_s * (speedup - 1), 1),
        # trace, after phase 1 only
        "trace_names": len(names),
        "trace_recall": _ratio(tt, tn), "trace_precision": _ratio(tt, tf),
        "grep_recall": _ratio(gt, tn), "grep_precision": _ratio(gt, gf),
        "call_sites_truth": tn,
        "trace_ms_median": round(1000 * statistics.median(latencies), 2),
        "trace_ms_p95": round(1000 * percentile(latencies, 95), 2),
        "trace_ms_max": round(1000 * latencies[-1], 2),
        "trace_cli_names": len(cli),
        "trace_cli_p50_s": round(statistics.median(cli), 3),
        "trace_cli_p95_s": round(percentile(cli, 95), 3),
        "trace_cli_max_s": round(max(cli), 3),
        # re-reading
        "incremental_s": round(incr_s, 2),
        "incremental_ratio": round(incr_s / traceable_s, 4),
        "incremental_with_encode_s": round(incr_encoded_s, 2),
        "incremental_with_encode_ratio_vs_first_with_encode": round(incr_encoded_s / both_s, 5),
        "noop_reingest_s": round(noop_s, 2),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "misses": sorted(worst, key=lambda w: -(w[1] + w[2]))[:8],
    }
    print(f"{args.root}: {len(py_files)} Python files, {lines:,} lines, {chunks:,} chunks; "
          f"traceable in {traceable_s:.1f}s ({lines / traceable_s:,.0f} lines/s), understood "
          f"in {understand_s:.1f}s more ({lines / understand_s:,.0f} lines/s, encode "
          f"{encode_s:.1f}s); memex trace p50 {result['trace_cli_p50_s']:.2f}s p95 "
          f"{result['trace_cli_p95_s']:.2f}s per call; sample of {len(sample)} texts: new "
          f"path {speedup:.2f}x the reference (reference phase 2 estimated "
          f"{result['reference_understand_s_estimated']:.0f}s); incremental {incr_s:.2f}s; "
          f"peak RSS {peak_rss_mb:.0f} MB", file=sys.stderr)
    emit(result)


if __name__ == "__main__":
    main()
