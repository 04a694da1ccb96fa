"""Fuzz every parser entry point for longer than the suite does (tests/fuzz.py has the
inputs and the property; tests/ingest/test_fuzz.py runs a few seconds of it).

    python -m bench.fuzz [--seconds 60] [--parsers pdf,epub] [--seed 0] [--keep DIR]

Each parser gets `--seconds` of inputs from hypothesis (mutated seed files, random bytes,
structured generators), in batches with successive seeds, so a run is repeatable for a
given --seed. A finding is any other exception than IngestError, a broken chunk, or an
execution slower than --slow seconds; findings are grouped by signature (exception type
and innermost ingest frame), and the smallest input of each is written under --keep to
become a regression test. Ends with one line of JSON: executions, findings and outcomes
per parser.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ingest.offline  # noqa: E402,F401  first, as in memex

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from bench.common import emit  # noqa: E402
from tests.fuzz import PARSERS, check, inputs, make_seeds, signature  # noqa: E402

BATCH = 200   # examples per hypothesis run; runs repeat with the next seed until time is up


def fuzz_one(name: str, work: Path, *, seconds: float, first_seed: int, slow_s: float,
             keep: Path | None) -> dict:
    s = make_seeds(work / "seeds", [name])[name]
    folder = work / name
    folder.mkdir()
    path = folder / s.name
    stats = {"executions": 0, "stored": 0, "refused": 0, "slowest_s": 0.0, "findings": {}}
    smallest: dict[str, bytes] = {}
    deadline = time.monotonic() + seconds

    @settings(max_examples=BATCH, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs(name, s))
    def run(data: bytes) -> None:
        if time.monotonic() > deadline:
            return
        path.write_bytes(data)
        t = time.perf_counter()
        try:
            outcome = check(path, hang_s=max(slow_s * 4, 30))
        except BaseException as exc:   # a finding, including a Hang
            if isinstance(exc, KeyboardInterrupt):
                raise
            outcome = "finding:" + signature(exc)
        took = time.perf_counter() - t
        if took > slow_s and not outcome.startswith("finding:"):
            outcome = f"finding:slow (over {slow_s:g} s)"
        stats["executions"] += 1
        stats["slowest_s"] = max(stats["slowest_s"], round(took, 3))
        if outcome.startswith("finding:"):
            sig = outcome.removeprefix("finding:")
            stats["findings"][sig] = stats["findings"].get(sig, 0) + 1
            if sig not in smallest or len(data) < len(smallest[sig]):
                smallest[sig] = data
        else:
            stats[outcome] += 1

    k = first_seed
    while time.monotonic() < deadline:
        seed(k)(run)()
        k += 1
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        for i, (sig, data) in enumerate(sorted(smallest.items())):
            out = keep / f"{name}-{i}{Path(s.name).suffix}"
            out.write_bytes(data)
            print(f"{name}: {sig}  ->  {out} ({len(data)} bytes)", file=sys.stderr)
    stats["batches"] = k - first_seed
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="per parser")
    ap.add_argument("--parsers", default=",".join(PARSERS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--slow", type=float, default=5.0, help="an execution slower is a finding")
    ap.add_argument("--keep", type=Path, help="folder for the smallest input of each finding")
    args = ap.parse_args()
    names = [n for n in args.parsers.split(",") if n]
    unknown = set(names) - set(PARSERS)
    if unknown:
        ap.error(f"unknown parsers {sorted(unknown)}; choose from {', '.join(PARSERS)}")
    per: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="memex-fuzz-") as tmp:
        for name in names:
            per[name] = fuzz_one(name, Path(tmp), seconds=args.seconds, first_seed=args.seed,
                                 slow_s=args.slow, keep=args.keep)
            st = per[name]
            print(f"{name:<10} {st['executions']:>7} executions  {st['stored']:>6} stored  "
                  f"{st['refused']:>6} refused  {sum(st['findings'].values()):>4} findings  "
                  f"slowest {st['slowest_s']:.2f} s", file=sys.stderr, flush=True)
    emit({"bench": "fuzz", "seconds_per_parser": args.seconds, "seed": args.seed,
          "executions": sum(p["executions"] for p in per.values()),
          "findings": sum(sum(p["findings"].values()) for p in per.values()),
          "distinct_findings": sum(len(p["findings"]) for p in per.values()),
          "parsers": per})


if __name__ == "__main__":
    main()
