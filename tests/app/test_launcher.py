"""`memex`: the window for no arguments or `gui`, the command line otherwise."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env_extra=None, timeout=120):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "app.launcher", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_subcommands_go_to_the_cli(tmp_path):
    out = _run("list", "--json", "--library", str(tmp_path / "lib"))
    assert out.returncode == 0 and json.loads(out.stdout) == {"documents": []}
    assert "memex gui" in _run("--help").stdout


def test_gui_opens_the_window_on_a_library(tmp_path):
    out = _run("gui", "--library", str(tmp_path / "lib"), "--quit-after", "1500",
               env_extra={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert out.returncode == 0, out.stderr
    assert f"Memex — {tmp_path / 'lib'}" in out.stdout


def test_open_with_memex_reads_the_file_then_shows_it(qtbot, window, tmp_path):
    from app.launcher import open_when_read

    notes = tmp_path / "notes.txt"
    notes.write_text("The lighthouse keeper counted forty gulls.\n\nThen he slept.\n")
    open_when_read(window, [str(notes)])
    qtbot.waitUntil(lambda: "notes.txt" in window.viewer.title.text(), timeout=120_000)
    assert [d.path for d in window.session.library.documents()] == [str(notes)]
