"""An ingest killed mid-document leaves every document whole: the ones read before as
they were, and the one being understood (phase 2) readable, its text stored, its keys
never half-written; the next ingest understands it without reading it again."""
from __future__ import annotations

import signal
import sqlite3
import subprocess

from tests.engine.cli import MEMEX, ROOT, env, memex
from tests.engine.conftest import book_pages
from tests.makers import make_pdf


def _snapshot(lib, path):
    """(path, hash, chunks, phase) of `path`, its chunk, key and keyword-index rows, and the
    integrity check."""
    conn = sqlite3.connect(lib / "library.sqlite")
    try:
        doc = conn.execute("SELECT id, path, hash, chunks, phase FROM documents WHERE path = ?",
                           [str(path)]).fetchone()
        did = doc[0] if doc else -1
        return (doc and doc[1:],
                conn.execute("SELECT count(*) FROM chunks WHERE doc_id = ?", [did]).fetchone()[0],
                conn.execute("SELECT count(*) FROM keys k JOIN chunks c ON c.id = k.chunk_id"
                             " WHERE c.doc_id = ?", [did]).fetchone()[0],
                conn.execute("SELECT count(*) FROM chunks_fts WHERE rowid IN"
                             " (SELECT id FROM chunks WHERE doc_id = ?)", [did]).fetchone()[0],
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
    while "understanding" not in line:     # the document is read and being encoded
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
    before = _snapshot(lib, small.resolve())
    big = make_pdf(tmp_path / "big.pdf", book_pages(40, [])).resolve()
    assert _kill_midway(lib, big, signal.SIGKILL) == -signal.SIGKILL
    assert _snapshot(lib, small.resolve()) == before and before[-1] == "ok"
    (path, _, chunks, phase), stored, keys, indexed, ok = _snapshot(lib, big)
    assert phase == "readable" and stored == chunks == indexed > 0 and keys == 0 and ok == "ok"
    # and the library is still usable: the interrupted file is understood afterwards
    out = memex("ingest", big, "--library", lib)
    assert "0 stored, 1 unchanged" in out.stderr             # not read again
    (_, _, _, phase), _, keys, _, _ = _snapshot(lib, big)
    assert phase == "understood" and keys == chunks


def test_ctrl_c_mid_document_leaves_library_intact(tmp_path):
    lib = tmp_path / "lib"
    small = tmp_path / "small.txt"
    small.write_text("The Mock Turtle sang of beautiful soup.\n")
    memex("ingest", small, "--library", lib)
    before = _snapshot(lib, small.resolve())
    big = make_pdf(tmp_path / "big.pdf", book_pages(40, [])).resolve()
    assert _kill_midway(lib, big, signal.SIGINT) == 130
    assert _snapshot(lib, small.resolve()) == before
    (_, _, chunks, phase), _, keys, _, _ = _snapshot(lib, big)
    assert phase == "readable" and keys == 0 and chunks > 0
