"""Output never decides the outcome: a closed stdout/stderr stops printing, not reading.

The real `memex` runs with its output going into a pipe whose reader is gone, in the two
ways it happens: the reader left before anything was written (a parent that died), and
the reader took the first 80 bytes and left (`memex ingest ... 2>&1 | head -c 80`).
Every file must be stored all the same, and the exit status must be the work's.
"""
from __future__ import annotations

import os
import shlex
import subprocess

import pytest

from engine.errors import Cancelled
from engine.library import Library
from tests.engine.cli import MEMEX, ROOT, env, memex_json

LINES = ["The hedgehog rolled across the croquet lawn.",
         "The flamingo was used as a mallet by the Queen's guests.",
         "The Cheshire cat grinned from the branch of a tree."]


def notes(tmp_path) -> list[str]:
    paths = []
    for i, line in enumerate(LINES):
        p = tmp_path / f"note{i}.txt"
        p.write_text(line + "\n")
        paths.append(str(p.resolve()))
    return paths


def stored(lib) -> dict[str, str]:
    docs = memex_json("list", "--json", "--library", lib)["documents"]
    return {d["path"]: d["status"] for d in docs}


def run_into_dead_pipe(*args) -> int:
    """Run memex with stdout and stderr on a pipe whose read end is already closed."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([*MEMEX, *map(str, args)], cwd=ROOT, env=env(), stdout=write,
                              stderr=write, timeout=300).returncode
    finally:
        os.close(write)


def test_ingest_into_a_pipe_nobody_reads_stores_every_file(tmp_path):
    paths, lib = notes(tmp_path), tmp_path / "lib"
    assert run_into_dead_pipe("ingest", *paths, "--library", lib) == 0
    assert stored(lib) == {p: "ready" for p in paths}
    assert run_into_dead_pipe("search", "hedgehog croquet", "--library", lib) == 0


def test_ingest_piped_into_head_stores_every_file(tmp_path):
    paths, lib = notes(tmp_path), tmp_path / "lib"
    cmd = " ".join(shlex.quote(str(a)) for a in [*MEMEX, "ingest", *paths, "--library", lib])
    proc = subprocess.run(["bash", "-c", f"{cmd} 2>&1 | head -c 80; exit ${{PIPESTATUS[0]}}"],
                          cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300)
    assert len(proc.stdout) <= 80
    assert proc.returncode == 0, proc.stdout
    assert stored(lib) == {p: "ready" for p in paths}


def test_a_failing_progress_callback_is_dropped_but_a_cancel_still_stops(tmp_path, encoder):
    """The engine's side of the rule, for every caller (the app's reporter too)."""
    paths = notes(tmp_path)
    calls = []

    def broken(*args) -> None:
        calls.append(args)
        raise BrokenPipeError(32, "Broken pipe")

    with Library(tmp_path / "lib", encoder=encoder) as lib:
        summary = lib.ingest(paths, report=broken, on_file=broken)
        assert sorted(summary.stored) == sorted(paths) and not summary.failed
        assert len(calls) == 2                 # one failed report, one failed on_file: then quiet

        def cancel(*args) -> None:
            raise Cancelled()

        (tmp_path / "note0.txt").write_text("Changed, so it is read again.\n")
        with pytest.raises(Cancelled):
            lib.ingest(paths, report=cancel)
