"""`memex consolidate` and `memex memory` on a real library (subprocess, as scripts use them)."""
from __future__ import annotations

from tests.engine.cli import memex, memex_json


def test_consolidate_and_memory_json(tmp_path):
    note = tmp_path / "notes.md"
    note.write_text("# Garden\n\nThe hedgehog rolled across the croquet lawn at dawn.\n\n"
                    "# Kitchen\n\nThe duchess sneezed over a cauldron of peppery soup.\n")
    lib = tmp_path / "lib"
    memex("ingest", note, "--library", lib)
    before = memex_json("memory", "--json", "--library", lib)
    assert before["tiers"]["warm"]["blocks"] >= 1 and before["tiers"]["cold"]["blocks"] == 0
    assert before["dense_index"]["rows"] > 0 and before["last_consolidation"] is None
    [doc] = before["documents"]
    assert doc["path"] == str(note.resolve()) and doc["tiers"]["warm"] == len(doc["blocks"])
    done = memex_json("consolidate", "--json", "--library", lib)
    assert done["blocks"] == len(doc["blocks"]) and done["demoted"] == []   # new: not demoted
    after = memex_json("memory", "--json", "--library", lib)
    assert after["last_consolidation"]["blocks"] == done["blocks"]
    assert all(b["value"] is not None for b in after["most_valuable"])
    text = memex("memory", "--library", lib).stdout
    assert "warm" in text and "last consolidation" in text
