"""Sentence codes grouped into cells: learnt from the library, every row assigned, later
documents too, and a question scans only the cells nearest it without losing its answer."""
from __future__ import annotations

import numpy as np

from engine.recall import dense
from engine.recall.dense import DenseIndex
from engine.store.key_codes import compact_sentence_keys
from engine.store.sentence_cells import CELLS_FROM, cell_count, learn_cells, load_cells
from engine.store.tiers import TierMove, move_tiers
from tests.engine.conftest import ALICE
from tests.engine.test_key_codes import QUESTIONS


def _coded_library(library, tmp_path):
    book = tmp_path / "alice.txt"
    book.write_bytes(ALICE.read_bytes())
    library.ingest([book])
    assert compact_sentence_keys(library.store, min_keys=500) > 500
    return library.store


def test_cells_cover_every_row_and_probing_keeps_the_answer(library, tmp_path, monkeypatch):
    store = _coded_library(library, tmp_path)
    coded = store.db.execute("SELECT count(*) FROM sentence_keys WHERE code IS NOT NULL").fetchone()[0]
    # a library this small keeps scanning every sentence
    assert coded < CELLS_FROM and learn_cells(store) == 0 and load_cells(store) is None
    flat = DenseIndex(store, chunk_keys=False)
    cells = DenseIndex(store, chunk_keys=False, cells=True)
    cells.scores(library.encoder.encode(["a question"])[0])
    assert cells.cell_centroids is None

    assert learn_cells(store, min_codes=500) == coded
    cent = load_cells(store)
    assert cent.shape == (cell_count(coded), 128)
    assert np.allclose(np.linalg.norm(cent, axis=1), 1, atol=1e-4)
    assert store.db.execute("SELECT count(*) FROM sentence_keys WHERE cell IS NULL").fetchone()[0] == 0
    for q in library.encoder.encode(QUESTIONS):
        reference = flat.scores(q)
        probed = cells.scores(q)
        spans = cells._probed(cells.proj.centred_query(q))
        read = sum(hi - lo for lo, hi in spans)
        assert 0 < read < len(cells.codes)                   # not every cell was read
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))   # no row read twice
        # a probed chunk scores as in the flat scan; an unprobed one no higher (the scans are
        # tiled differently, so float32 sums may differ in the last bit across CPUs)
        assert np.all(probed <= reference + 1e-6)
        (want_id, want_score), = flat.top(reference, 1)
        (got_id, got_score), = cells.top(probed, 1)
        assert got_id == want_id                              # the best sentence was reached
        np.testing.assert_allclose(got_score, want_score, rtol=1e-5, atol=1e-6)
    monkeypatch.setattr(dense, "probe_cells", lambda n: n)      # every cell: the flat scan
    q = library.encoder.encode(QUESTIONS[:1])[0]
    every, reference = cells.scores(q), flat.scores(q)
    assert np.array_equal(cells.ids, flat.ids)                # the same chunks, in the same order
    np.testing.assert_allclose(every, reference, rtol=1e-5, atol=1e-6)

    # a block parked cold and brought back keeps its sentences' cells
    def cells_by_span():
        return {(c, a): cell for c, a, cell in store.db.execute(
            "SELECT chunk_id, char_start, cell FROM sentence_keys")}
    before = cells_by_span()
    block = store.db.execute("SELECT id, first_chunk, last_chunk FROM blocks LIMIT 1").fetchone()
    move_tiers(store, [TierMove(*block, "warm", "cold")], now=0.0)
    assert store.db.execute("SELECT count(*) FROM cold_sentence_keys WHERE cell IS NOT NULL").fetchone()[0]
    move_tiers(store, [TierMove(*block, "cold", "warm")], now=1.0)
    assert cells_by_span() == before

    # a document read later is assigned as it is stored, and found through its cell
    later = tmp_path / "later.txt"
    later.write_text("The clockmaker of Lisbon repaired the admiral's telescope twice. "
                     "He charged nine guineas for the brass fittings and nothing for the glass.\n\n"
                     "Nobody in the harbour knew where he had learnt the trade.", encoding="utf-8")
    monkeypatch.undo()
    library.ingest([later])
    assert store.db.execute("SELECT count(*) FROM sentence_keys WHERE cell IS NULL").fetchone()[0] == 0
    assert len(load_cells(store)) == len(cent)                # the cells were kept, not relearnt
    hits = library.search("How much did the repairer charge for the metal fittings?", k=3, mode="dense")
    assert hits and hits[0].location.path == str(later.resolve())
