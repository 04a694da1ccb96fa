"""The packaged app against the development install, in one run: size, start-up, first answer.

    python bench/bundle.py [--bundle DIR] [--runs 3] [--screenshot docs/screenshots/bundle.png]

Without --bundle it builds one with packaging/build.sh (several minutes). The bundle is
copied to a fresh folder and both it and the development install (this checkout with the
interpreter running this script) are run with a bare environment (`env -i`: PATH=/usr/bin:/bin,
a new HOME) and, where `unshare -rn` works, with no network at all. Correctness first: each
must pass `memex --selftest` (the sample book read into a new library, the sample question
answered "EAT ME" cited to page 8). Then, for each:

- cold start to a usable window: `memex gui` under Xvfb (started here when $DISPLAY is unset)
  until the launcher prints the window title, which it does once the event loop runs the
  shown window; the first start with the page cache dropped (as after a reboot; where the
  kernel lets root do it: `cold_cache`), then the median of --runs warm ones;
- first answer: `memex ask QUESTION --no-kv` on the selftest's library in a new process,
  until the line `Answer: …` is printed (model loading included); cold, then warm median;
- size: the bundle folder (and the tarball beside it, if built) against the virtual
  environment.

--screenshot opens the bundle as a desktop's "Open with Memex" would (`memex FILE`) on the
sample book and saves the X screen. Ends with one line of JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import emit  # noqa: E402

SCREEN = (1280, 800)   # the window's default size, so the screen shot is the window


def du(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_symlink() and p.is_file())


def mb(n: int) -> float:
    return round(n / 2**20, 1)


def network_jail() -> list[str]:
    """`unshare -rn` (a new user and network namespace: only a downed loopback) when allowed."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    ok = subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0
    return [unshare, "-rn"] if ok else []


def start_xvfb() -> tuple[subprocess.Popen | None, str]:
    if os.environ.get("DISPLAY"):
        return None, os.environ["DISPLAY"]
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("bundle: Xvfb is not installed (Debian: apt-get install xvfb)")
    n = next(n for n in range(120, 160) if not Path(f"/tmp/.X11-unix/X{n}").exists()
             and not Path(f"/tmp/.X{n}-lock").exists())
    proc = subprocess.Popen([xvfb, f":{n}", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        time.sleep(0.05)
    return proc, f":{n}"


class Target:
    """One way of running `memex`: the copied bundle or the development install."""

    def __init__(self, name: str, argv: list[str], home: Path, display: str, jail: list[str],
                 extra_env: dict[str, str] | None = None, cwd: Path | None = None):
        self.name, self.argv, self.home, self.jail, self.cwd = name, argv, home, jail, cwd
        runtime = home / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
                    "DISPLAY": display, "XDG_RUNTIME_DIR": str(runtime), **(extra_env or {})}
        self.library = home / "library"

    def command(self, *args: str) -> list[str]:
        return [*self.jail, "env", "-i", *(f"{k}={v}" for k, v in self.env.items()),
                *self.argv, *args]

    def run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), capture_output=True, text=True,
                              timeout=timeout, cwd=self.cwd)

    def time_to_line(self, args: list[str], marker: str, timeout: float = 600,
                     after=None) -> float:
        """Seconds from spawning `memex args` to its first stdout line containing `marker`;
        `after()` runs once it is seen; the process is then waited for (killed on timeout)."""
        t0 = time.perf_counter()
        proc = subprocess.Popen(self.command(*args), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=self.cwd)
        err: list[str] = []
        threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True).start()
        seen = None
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            for line in proc.stdout:
                if seen is None and marker in line:
                    seen = time.perf_counter() - t0
                    if after is not None:
                        after()
            proc.wait()
        finally:
            timer.cancel()
        if seen is None:
            raise SystemExit(f"bundle: {self.name}: `memex {' '.join(args)}` never printed "
                             f"{marker!r} (exit {proc.returncode}):\n{''.join(err)[-3000:]}")
        return seen


def selftest(t: Target) -> dict:
    out = t.run("--selftest", "--json", "--keep-library", str(t.library))
    try:
        result = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SystemExit(f"bundle: {t.name}: --selftest printed no JSON (exit {out.returncode}):"
                         f"\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    if out.returncode != 0 or not result["ok"]:
        raise SystemExit(f"bundle: {t.name}: --selftest failed: {result['problems']}")
    return result


WINDOW = "Memex — "     # the launcher prints the title once the shown window's loop runs
ANSWER = "Answer:"


def window_args(t: Target) -> list[str]:
    return ["gui", "--library", str(t.library), "--quit-after", "300"]


def answer_args(t: Target, question: str) -> list[str]:
    return ["ask", question, "--no-kv", "--max-tokens", "24", "--library", str(t.library)]


def timed(targets: list[Target], args, marker: str, runs: int) -> dict[str, tuple[float, float]]:
    """(first, median of `runs` more) seconds per target; each first run starts with the
    page cache dropped where the kernel allows it (cold), the others alternate between the
    targets, so a busy moment of the machine does not fall on one of them only."""
    first = {}
    for t in targets:
        drop_caches()
        first[t.name] = t.time_to_line(args(t), marker)
    rest: dict[str, list[float]] = {t.name: [] for t in targets}
    for _ in range(runs):
        for t in targets:
            rest[t.name].append(t.time_to_line(args(t), marker))
    return {n: (first[n], statistics.median(rest[n])) for n in first}


def screenshot(t: Target, display: str, out: Path, sample: Path) -> None:
    importer = shutil.which("import")
    if importer is None:
        raise SystemExit("bundle: --screenshot needs ImageMagick's `import` (apt-get install imagemagick)")
    out.parent.mkdir(parents=True, exist_ok=True)

    def shoot() -> None:
        time.sleep(20)          # the sample is read (unchanged: skipped) and its first page shown
        subprocess.run([importer, "-display", display, "-window", "root", str(out)], check=True)

    t.time_to_line([str(sample), "--library", str(t.library), "--quit-after", "30000"],
                   WINDOW, after=shoot)


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", type=Path, help="a built bundle folder (default: build one)")
    ap.add_argument("--runs", type=int, default=3, help="warm runs after the first (median)")
    ap.add_argument("--screenshot", type=Path, help="save the bundle's window here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    bundle = args.bundle
    if bundle is None:
        subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--no-tarball"], check=True)
        bundle = ROOT / "packaging" / "dist" / "memex"
    bundle = bundle.resolve()
    if not (bundle / "memex").is_file():
        raise SystemExit(f"bundle: {bundle} holds no memex executable")
    from engine.cli.selftest import sample_facts
    question, expected, page = sample_facts(ROOT / "resources" / "samples" / "README.md")

    tmp = Path(tempfile.mkdtemp(prefix="memex-bundle-bench-"))
    xvfb, display = start_xvfb()
    jail = network_jail()
    figures: dict = {"offline": bool(jail), "question": question}
    try:
        t0 = time.perf_counter()
        copy = tmp / "installed" / "memex"
        shutil.copytree(bundle, copy, symlinks=True)
        figures["copy_s"] = round(time.perf_counter() - t0, 1)
        tarballs = sorted(bundle.parent.glob("memex-*.tar.gz"))
        figures["bundle_mb"] = mb(du(copy))
        figures["tarball_mb"] = mb(tarballs[-1].stat().st_size) if tarballs else None
        venv = Path(sys.prefix)
        figures["dev_venv_mb"] = mb(du(venv))
        targets = [
            Target("bundle", [str(copy / "memex")], tmp / "home-bundle", display, jail,
                   {"QT_QPA_PLATFORM": "xcb"}, cwd=tmp),
            Target("dev", [sys.executable, "-m", "app.launcher"], tmp / "home-dev", display, jail,
                   {"QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}, cwd=ROOT),
        ]
        figures["cold_cache"] = drop_caches()   # before each target's first start
        for t in targets:        # correctness first: both must pass the self-test
            r = selftest(t)
            if expected not in (r["answer_line"] or "") or r["cited_page"] != page:
                raise SystemExit(f"bundle: {t.name}: answered {r['answer_line']!r} on page "
                                 f"{r['cited_page']}, not {expected!r} on page {page}")
            figures[t.name] = {"selftest_s": r["total_s"], "ingest_s": r["ingest_s"],
                               "selftest_answer_s": r["answer_s"], "answer_line": r["answer_line"],
                               "cited_page": r["cited_page"], "versions": r["versions"]}
            print(f"{t.name}: selftest passed in {r['total_s']:.1f} s: {r['answer_line']} "
                  f"({r['cited']})", file=sys.stderr, flush=True)
        for name, (first, warm) in timed(targets, window_args, WINDOW, args.runs).items():
            figures[name].update(window_first_s=round(first, 2), window_s=round(warm, 2))
            print(f"{name}: window after {first:.2f} s first, {warm:.2f} s warm",
                  file=sys.stderr, flush=True)
        for name, (first, warm) in timed(targets, lambda t: answer_args(t, question), ANSWER,
                                         args.runs).items():
            figures[name].update(answer_first_s=round(first, 2), answer_s=round(warm, 2))
            print(f"{name}: first answer after {first:.2f} s first, {warm:.2f} s warm",
                  file=sys.stderr, flush=True)
        b, d = figures["bundle"], figures["dev"]
        figures["ratios"] = {k: round(b[k] / d[k], 2) for k in
                             ("window_first_s", "window_s", "answer_first_s", "answer_s")}
        figures["ratios"]["size"] = round(figures["bundle_mb"] / figures["dev_venv_mb"], 2)
        home_files = sorted(str(p.relative_to(targets[0].home)) for p in targets[0].home.rglob("*")
                            if p.is_file() and not p.is_relative_to(targets[0].library))
        figures["bundle_home_files"] = home_files
        if args.screenshot:
            # the bundle's own copy of the sample: the one its selftest read into the library,
            # so it is unchanged and shown at once
            screenshot(targets[0], display, args.screenshot.resolve(),
                       copy / "_internal" / "resources" / "samples" / "alice.pdf")
            figures["screenshot"] = str(args.screenshot)
        print(f"\n{'':<22}{'bundle':>10}{'dev':>10}{'ratio':>8}\n"
              f"{'size (MB)':<22}{figures['bundle_mb']:>10}{figures['dev_venv_mb']:>10}"
              f"{figures['ratios']['size']:>8}", file=sys.stderr)
        for k, label in (("window_first_s", "window, first (s)"), ("window_s", "window, warm (s)"),
                         ("answer_first_s", "first answer (s)"), ("answer_s", "answer, warm (s)")):
            print(f"{label:<22}{b[k]:>10}{d[k]:>10}{figures['ratios'][k]:>8}", file=sys.stderr)
    finally:
        if xvfb is not None:
            xvfb.terminate()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            figures["kept"] = str(tmp)
    emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
