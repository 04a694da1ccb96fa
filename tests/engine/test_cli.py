"""The `memex` command line contract: exit codes, JSON shapes, --library and MEMEX_LIBRARY."""
from __future__ import annotations

import os

from tests.engine.cli import memex, memex_json
from tests.makers import make_pdf

C_FIELDS = {"path", "page", "line_start", "line_end", "start_s", "end_s", "section", "text", "score"}


def test_ingest_search_list_forget(tmp_path):
    lib = tmp_path / "new" / "lib"  # created when missing
    pdf = make_pdf(tmp_path / "moths.pdf", [[("Introduction to the moth collection.", 11)],
                                            [("The luna moth was pinned beside a green lantern.", 11)]],
                   labels=[{"startpage": 0, "style": "r", "firstpagenum": 1}])
    proc = memex("ingest", pdf, "--library", lib)
    assert "1 stored" in proc.stderr
    assert lib.is_dir()
    out = memex_json("search", "luna moth lantern", "--json", "--k", "2", "--library", lib)
    top = out["results"][0]
    assert set(top) >= C_FIELDS
    assert top["page"] == 2 and top["path"] == str(pdf.resolve())
    assert top["page_label"] == "ii"
    assert top["start_s"] is None and top["line_start"] is None
    listed = memex_json("list", "--json", "--library", lib)["documents"]
    assert [d["path"] for d in listed] == [str(pdf.resolve())]
    assert memex("ingest", pdf, "--library", lib).stderr.count("1 unchanged") == 1
    memex("forget", pdf, "--library", lib)
    assert memex_json("list", "--json", "--library", lib)["documents"] == []
    assert memex("forget", pdf, "--library", lib, check=False).returncode == 1


def test_ingest_exit_status_and_one_line_per_failure(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The hedgehog rolled across the croquet lawn.\n")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(os.urandom(1000))
    proc = memex("ingest", good, bad, tmp_path / "missing.txt", check=False,
                 MEMEX_LIBRARY=str(tmp_path / "envlib"))
    assert proc.returncode == 1
    lines = [l for l in proc.stderr.splitlines() if l.startswith("failed:")]
    assert len(lines) == 2
    assert any("bad.pdf" in l for l in lines) and any("missing.txt" in l for l in lines)
    assert (tmp_path / "envlib").is_dir()
    hits = memex_json("search", "hedgehog croquet", "--json", MEMEX_LIBRARY=str(tmp_path / "envlib"))
    assert hits["results"][0]["line_start"] == 1


def test_bad_model_file_is_a_clear_error(tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not a model")
    note = tmp_path / "n.txt"
    note.write_text("The cat grinned.\n")
    memex("ingest", note, "--library", tmp_path / "l")
    proc = memex("ask", "Who grinned?", "--model", fake, "--library", tmp_path / "l", check=False)
    assert proc.returncode == 2
    assert "not a GGUF model file" in proc.stderr
