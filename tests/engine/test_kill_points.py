"""`kill -9` at seeded random moments of a large ingest leaves every earlier document intact.

Three moments here (bench/killpoints.py runs 20 over a larger corpus): after each kill the
library passes `PRAGMA integrity_check`, the documents stored before that run are exactly
as they were, the ones the killed run stored are whole, and the next run carries on; a
last run without a kill finishes the rest (tests/killpoints.py says what each check is).
"""
from __future__ import annotations

from tests.killpoints import check, corpus, kill_points, moments, reference, run_to, snapshot

FILES, POINTS, SEED = 16, 3, 18


def test_kill_9_at_random_moments_keeps_earlier_documents_and_the_next_run_finishes(tmp_path):
    folder = corpus(tmp_path / "notes", FILES, seed=SEED)
    ref = reference(folder, tmp_path / "reference")
    assert len(ref) == FILES
    lib = tmp_path / "lib"
    points = kill_points(lib, folder, ref, moments(POINTS, FILES, seed=SEED))
    for p in points:
        assert not p.problems, (p.moment, p.problems)
        assert p.docs_after >= p.docs_before
    assert any(p.outcome == "killed" for p in points)
    before = snapshot(lib)[1]
    assert run_to(lib, folder, None) == "finished"
    after = snapshot(lib)
    assert not check(before, after, ref)
    assert {path: doc.texts for path, doc in after[1].items()} == ref   # every file, each whole
