"""An ingest killed mid-document leaves the library exactly as it was."""
from __future__ import annotations

import signal
import sqlite3
import subprocess

from tests.engine.cli import MEMEX, ROOT, env, memex
from tests.engine.conftest import book_pages
from tests.makers import make_pdf


def _snapshot(lib):
    conn = sqlite3.connect(lib / "library.sqlite")
    try:
        return (conn.execute("SELECT path, hash, chunks FROM documents ORDER BY path").fetchall(),
                conn.execute("SELECT count(*) FROM chunks").fetchone()[0],
                conn.execute("SELECT count(*) FROM keys").fetchone()[0],
                conn.execute("SELECT count(*) FROM chunks_fts").fetchone()[0],
                conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _kill_midway(lib, pdf, sig):
    # a terminal's foreground process: Ctrl-C's default action, whatever this process
    # inherited (a parent that ignores SIGINT would pass that on and the child would ignore it)
    proc = subprocess.Popen([*MEMEX, "ingest", str(pdf), "--library", str(lib)], cwd=ROOT,
                            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    line = ""
    while "encoding" not in line:          # the document is read and being encoded
        line = proc.stderr.readline()
        assert line, "ingest ended before reporting progress"
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    return proc.returncode


def test_sigkill_mid_document_leaves_library_intact(tmp_path):
    lib = tmp_path / "lib"
    small = tmp_path / "small.txt"
    small.write_text("The caterpillar smoked a hookah on a mushroom.\n")
    memex("ingest", small, "--library", lib)
    before = _snapshot(lib)
    big = make_pdf(tmp_path / "big.pdf", book_pages(40, []))
    assert _kill_midway(lib, big, signal.SIGKILL) == -signal.SIGKILL
    after = _snapshot(lib)
    assert after == before and after[-1] == "ok"
    # and the library is still usable: the interrupted file reads fully afterwards
    memex("ingest", big, "--library", lib)
    assert len(_snapshot(lib)[0]) == 2


def test_ctrl_c_mid_document_leaves_library_intact(tmp_path):
    lib = tmp_path / "lib"
    small = tmp_path / "small.txt"
    small.write_text("The Mock Turtle sang of beautiful soup.\n")
    memex("ingest", small, "--library", lib)
    before = _snapshot(lib)
    big = make_pdf(tmp_path / "big.pdf", book_pages(40, []))
    assert _kill_midway(lib, big, signal.SIGINT) == 130
    assert _snapshot(lib) == before
