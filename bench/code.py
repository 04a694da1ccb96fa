"""Benchmark: a codebase in, traced out — on the running interpreter's standard library.

Measures, in one run and against baselines run beside it:
  * ingest time split into parse / store / graph / encode, lines per second, and the ratio
    against parsing the same files with Python's `ast` alone;
  * trace quality for randomly chosen function names: call-site recall and precision of
    `Library.trace` against ground truth computed here with `ast` (calls whose callee is
    the name or an attribute of that name), beside `grep -n "NAME("`;
  * trace latency (median, p95) on that library;
  * incremental re-ingest after editing one file and deleting another, as a share of the
    first ingest.
Encoding every chunk with the sentence encoder takes most of an hour on two shared cores, so
`--encode-sample N` encodes N chunks, reports the measured rate, and gives the full encode
time as an estimate (labelled so); `--encode-all` encodes everything for real.
Ends by printing one line of JSON.

    python bench/code.py [--root DIR] [--names 100] [--seed 7] [--encode-sample 512]
"""
from __future__ import annotations

import argparse
import ast
import json
import random
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

from engine.library import Library  # noqa: E402

_EDITED = "json/decoder.py"
_DELETED = "this.py"
_ADDED = "\n\ndef memex_bench_added(x):\n    return memex_bench_added(x - 1) if x else 0\n"


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--names", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--encode-sample", type=int, default=512)
    ap.add_argument("--encode-all", action="store_true")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="memex-bench-code-"))
    tree = work / "Lib"
    _copy_tree(Path(args.root), tree)
    lib = Library(work / "library")
    try:
        # -- first ingest (text, units, symbols; keys per the encode option) --------------
        t0 = time.perf_counter()
        first = lib.ingest([tree], encode=args.encode_all)
        first_s = time.perf_counter() - t0
        stored = set(first.stored)
        py_files = sorted(Path(p) for p in stored if p.endswith(".py"))
        assert len(py_files) > 500, f"only {len(py_files)} Python files stored"
        chunks = lib.store.chunk_count()
        timings = {k: round(v, 2) for k, v in first.timings.items()}
        for path, reason in first.ignored + first.failed:
            print(f"not stored: {path}: {reason}", file=sys.stderr)

        # -- encode: all of it, or a measured sample -------------------------------------
        if args.encode_all:
            encode_rate = chunks / max(first.timings["encode_s"], 1e-9)
            encode_note = "measured"
        else:
            t1 = time.perf_counter()
            n = lib.encode_pending(limit=args.encode_sample)
            encode_rate = n / (time.perf_counter() - t1)
            encode_note = f"estimated from {n} chunks encoded"
        encode_full_s = chunks / encode_rate

        # -- the ast baseline over the same files ----------------------------------------
        ast_s = _ast_seconds(py_files)
        truth, funcs, lines, parsed = _ground_truth(py_files)
        parse_s = first.timings["parse_s"]

        # -- trace quality vs ast ground truth, grep beside it ---------------------------
        names = random.Random(args.seed).sample(funcs, min(args.names, len(funcs)))
        stored_py = parsed
        db = lib.store.db
        tt = tf = tn = gt = gf = 0
        latencies = []
        worst = []
        for name in names:
            t1 = time.perf_counter()
            occ = lib.trace(name)
            latencies.append(time.perf_counter() - t1)
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
        p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
        # the same through `memex trace --json` in a new process (start-up and imports count)
        cli = []
        for name in names[:5]:
            t1 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "engine.cli", "trace", name, "--json",
                            "--library", str(work / "library")], cwd=ROOT,
                           capture_output=True, check=False)
            cli.append(time.perf_counter() - t1)

        # -- incremental: edit one file, delete another ----------------------------------
        edited, deleted = tree / _EDITED, tree / _DELETED
        with open(edited, "a", encoding="utf-8") as f:
            f.write(_ADDED)
        deleted.unlink()
        t1 = time.perf_counter()
        again = lib.ingest([tree], encode=args.encode_all)
        incr_s = time.perf_counter() - t1
        assert again.stored == [str(edited)], again.stored
        assert again.removed == [str(deleted)], again.removed
        added = lib.trace("memex_bench_added")
        assert [o.kind for o in added] == ["definition", "reference"], added
        assert lib.store.document(str(deleted)) is None
        t1 = time.perf_counter()
        lib.ingest([tree], encode=args.encode_all)       # nothing changed at all
        noop_s = time.perf_counter() - t1
        # what a person's re-read does: the edited file's chunks are encoded too
        with open(edited, "a", encoding="utf-8") as f:
            f.write(_ADDED.replace("memex_bench_added", "memex_bench_again"))
        t1 = time.perf_counter()
        encoded = lib.ingest([tree], encode=True)
        incr_encoded_s = time.perf_counter() - t1
        assert encoded.stored == [str(edited)] and encoded.timings["encode_s"] > 0
    finally:
        lib.close()
        shutil.rmtree(work, ignore_errors=True)

    first_with_encode = first_s + (0 if args.encode_all else encode_full_s)
    result = {
        "bench": "code",
        "root": args.root,
        "files_stored": len(stored), "python_files": len(py_files), "lines": lines,
        "python_files_ast_parses": len(parsed),
        "chunks": chunks, "skipped": len(first.ignored), "failed": len(first.failed),
        "first_ingest_s": round(first_s, 2),
        # parse = read + tree-sitter + units + definition/reference extraction;
        # store = chunk, FTS and symbol rows; graph = resolving references
        "split_s": {"parse": timings["parse_s"], "store": timings["store_s"],
                    "graph": timings["graph_s"], "encode": round(encode_full_s, 1)},
        "encode": encode_note, "encode_chunks_per_s": round(encode_rate, 1),
        "lines_per_s_without_encode": round(lines / first_s),
        "ast_parse_s": round(ast_s, 2),
        "parse_vs_ast_ratio": round(parse_s / ast_s, 2),
        "ingest_vs_ast_ratio": round(first_s / ast_s, 2),
        "trace_names": len(names),
        "trace_recall": _ratio(tt, tn), "trace_precision": _ratio(tt, tf),
        "grep_recall": _ratio(gt, tn), "grep_precision": _ratio(gt, gf),
        "call_sites_truth": tn,
        "trace_ms_median": round(1000 * statistics.median(latencies), 2),
        "trace_ms_p95": round(1000 * p95, 2),
        "trace_ms_max": round(1000 * latencies[-1], 2),
        "cli_trace_s_median": round(statistics.median(cli), 2),
        "incremental_s": round(incr_s, 2),
        "incremental_ratio": round(incr_s / first_s, 4),
        "incremental_with_encode_s": round(incr_encoded_s, 2),
        "incremental_with_encode_ratio_vs_first_with_encode": round(
            incr_encoded_s / first_with_encode, 5),
        "noop_reingest_s": round(noop_s, 2),
        "misses": sorted(worst, key=lambda w: -(w[1] + w[2]))[:8],
    }
    print(f"stdlib: {len(py_files)} Python files, {lines:,} lines, {chunks:,} chunks; "
          f"first ingest {first_s:.1f}s (encode {encode_note}: {encode_full_s:.0f}s), "
          f"incremental {incr_s:.2f}s", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
