"""Reading in two phases: readable at once, understood later, and a kill in between costs
nothing already read (engine/reading/documents.py, engine/reading/understand.py)."""
from __future__ import annotations

import json
import signal
from pathlib import Path

import numpy as np

from engine.store import Store
from tests.engine.cli import ROOT, kill_at_line, memex, memex_json
from tests.engine.conftest import ALICE, alice_paragraphs
from tests.killpoints import half_understood

ALICE_PDF = ROOT / "resources" / "samples" / "alice.pdf"

QUESTIONS = [
    "a bottle with a label saying drink me",
    "the caterpillar smoking a hookah on a mushroom",
    "the queen orders everyone's head cut off",
    "a cat whose grin stays after it vanishes",
    "a tea party that never ends because time stopped",
    "the trial about who stole the tarts",
    "falling down a very deep well past cupboards and shelves",
    "swimming in a pool of her own tears",
    "playing croquet with flamingos and hedgehogs",
    "the mock turtle sings about soup",
]


def test_the_lean_forward_in_float32_is_the_library_s_forward(encoder):
    """engine/model/bert.py beside its reference: in float32 its keys are the
    sentence-transformers pipeline's up to rounding, padding and the attention's
    alignment padding included (texts of many lengths in one batch)."""
    import torch

    from engine.model.bert import LeanBert
    from engine.model.encoder import Encoder

    lean = LeanBert.of(encoder._model, torch.float32, "cpu")
    assert lean is not None
    texts = alice_paragraphs()[:12] + QUESTIONS[:5]
    with torch.inference_mode():
        keys = lean.keys(encoder._token_ids(texts))
    reference = Encoder(fast=False).encode(texts)
    assert float(np.min(np.sum(keys * reference, axis=1))) > 0.99999
    assert np.allclose(np.linalg.norm(keys, axis=1), 1.0, atol=1e-5)


def test_the_fused_sums_are_the_plain_ones_in_the_fast_dtype(encoder):
    """oneDNN's linear+GELU and linear+residual (engine/model/bert.py `_Fused`) against the
    same forward with separate ops, in the dtype the fast path runs in on this CPU."""
    import pytest
    import torch

    from engine.model import bert
    from engine.model.encoder import fast_dtype

    dtype = fast_dtype("cpu") or torch.float32
    lean = bert.LeanBert.of(encoder._model, dtype, "cpu")
    if lean.ops is not bert._Fused:
        pytest.skip("this torch has no fused oneDNN linear ops")
    ids = encoder._token_ids(alice_paragraphs()[:12] + QUESTIONS[:5])
    with torch.inference_mode():
        fused = lean.keys(ids)
        lean.ops = bert._Plain
        plain = lean.keys(ids)
    assert float(np.min(np.sum(fused * plain, axis=1))) > 0.9999


def test_the_lean_forward_declines_a_pipeline_it_does_not_reproduce(encoder):
    import copy

    import torch

    from engine.model.bert import LeanBert

    transformer, pooling, normalize = list(encoder._model)
    cls = copy.copy(pooling)
    cls.pooling_mode = "cls"
    assert LeanBert.of([transformer, cls, normalize], torch.float32, "cpu") is None
    assert LeanBert.of([transformer, pooling, normalize, normalize], torch.float32, "cpu") is None
    assert LeanBert.of([transformer], torch.float32, "cpu") is None
    assert LeanBert.of([transformer, pooling], torch.float32, "cpu") is not None


def test_the_fast_encoder_ranks_real_text_as_the_reference_does(encoder):
    """Keys from the fast path (length-sorted, deduplicated, bfloat16 matrix products where
    the CPU has them) against the float32 reference path, on Alice's paragraphs."""
    from engine.model.encoder import Encoder

    reference = Encoder(fast=False)
    paras = alice_paragraphs()[:160]
    texts = paras + paras[:10]                           # repeats are encoded once
    fast_keys, ref_keys = encoder.encode(texts), reference.encode(texts)
    assert fast_keys.shape == ref_keys.shape == (len(texts), encoder.dim)
    assert np.allclose(fast_keys[len(paras):], fast_keys[:10])
    assert float(np.min(np.sum(fast_keys * ref_keys, axis=1))) > 0.999
    fast_q, ref_q = encoder.encode(QUESTIONS), reference.encode(QUESTIONS)
    for fq, rq in zip(fast_q, ref_q):
        fast_top = list(np.argsort(-(fast_keys[:len(paras)] @ fq))[:5])
        ref_top = list(np.argsort(-(ref_keys[:len(paras)] @ rq))[:5])
        assert fast_top[0] == ref_top[0]
        assert len(set(fast_top) & set(ref_top)) >= 4


def test_a_document_between_the_phases_is_found_by_keyword_and_trace(library, tmp_path):
    (tmp_path / "notes.txt").write_text(
        "The quartermaster hid the brass astrolabe under the third floorboard of the galley.\n\n"
        "Nobody else aboard knew where the instrument was kept.\n", encoding="utf-8")
    (tmp_path / "ledger.py").write_text(
        "def tally_astrolabes(hold):\n    return len(hold)\n\n\n"
        "def inventory(hold):\n    return tally_astrolabes(hold) + 1\n", encoding="utf-8")
    library.ingest([ALICE])                                   # understood
    summary = library.ingest([tmp_path / "notes.txt", tmp_path / "ledger.py"], wait=False)
    assert len(summary.stored) == 2
    phases = {Path(d.path).name: d.phase for d in library.documents()}
    assert phases == {"alice.txt": "understood", "notes.txt": "readable", "ledger.py": "readable"}

    assert [o.kind for o in library.trace("tally_astrolabes")] == ["definition", "reference"]
    top = library.search("where was the astrolabe hidden", k=3)          # fused, as `ask` does
    assert Path(top[0].location.path).name == "notes.txt"
    assert Path(library.search("floorboard galley", k=1, mode="bm25")[0].location.path).name == "notes.txt"
    ans = library.ask("Where was the astrolabe hidden?", max_tokens=8)
    assert sorted(Path(p).name for p in ans.still_reading) == ["ledger.py", "notes.txt"]
    assert "keyword" in ans.reading_note and ans.to_json()["still_reading"] == ans.still_reading

    done = library.understand()
    assert sorted(Path(p).name for p in done.documents) == ["ledger.py", "notes.txt"]
    assert {d.phase for d in library.documents()} == {"understood"}
    assert library.readable() == []
    assert library.ask("Where was the astrolabe hidden?", max_tokens=8).still_reading == []


def _chunk_ids(library: Path) -> dict[str, list[int]]:
    store = Store(library)
    try:
        return {d.path: [c.id for c in store.document_chunks(d.id)] for d in store.documents()}
    finally:
        store.close()


def _state(library: Path) -> tuple[str, dict[str, str], int]:
    """(integrity, phase of each document, chunks of half-understood documents)."""
    store = Store(library)
    try:
        return (store.integrity(), {Path(d.path).name: d.phase for d in store.documents()},
                half_understood(store))
    finally:
        store.close()


def test_a_kill_in_phase_two_resumes_without_reading_the_files_again(tmp_path):
    lib = tmp_path / "lib"
    out = memex("ingest", "--no-wait", ALICE_PDF, ALICE, "--library", lib, MEMEX_NO_BACKGROUND="1")
    assert "understanding 2 documents waits for `memex understand`" in out.stderr
    read = _chunk_ids(lib)
    assert _state(lib) == ("ok", {"alice.pdf": "readable", "alice.txt": "readable"}, 0)
    hits = memex_json("search", "--keyword", "EAT ME", "--library", lib, "--json")["results"]
    assert any(h["page"] == 8 for h in hits)
    listed = memex_json("list", "--json", "--library", lib)["documents"]
    assert {d["phase"] for d in listed} == {"readable"}

    # kill -9 once phase 2 reports its first batch: both files were read, none is understood
    code, _ = kill_at_line("understand", "--library", lib, when=lambda line: "understanding" in line)
    assert code == -signal.SIGKILL
    integrity, phases, half = _state(lib)
    assert integrity == "ok" and half == 0 and "readable" in phases.values()
    assert _chunk_ids(lib) == read                       # phase 1's rows are untouched

    out = memex("understand", "--library", lib)
    assert "understood" in out.stderr
    assert _state(lib) == ("ok", {"alice.pdf": "understood", "alice.txt": "understood"}, 0)
    assert _chunk_ids(lib) == read                       # understood in place, never re-read
    again = memex("ingest", ALICE_PDF, "--library", lib)     # nothing left for either phase
    assert "0 stored, 1 unchanged" in again.stderr
    found = json.loads(memex("search", "a small cake marked with currants", "--library", lib,
                             "--json").stdout)["results"]
    assert any(h["page"] == 8 for h in found)
