"""Fitting the library's query adapter after ingest (test-time training).

Why here and not at query time: fitting reads a sample of the library's sentences, makes
pseudo-queries from them, encodes those (the costly part: every pseudo-query goes through
the encoder) and trains the low-rank map (quick by comparison). It runs after an ingest
that grew the library enough to matter, with progress and cancel like the ingest itself,
and stores the result (or the fact that it did not help) in the library, with the
pseudo-queries' keys as the question bank that key hubs are measured against
(`hubness.py`).
"""
from __future__ import annotations

import re
from dataclasses import replace
from collections import Counter

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.model.encoder import Encoder, fast_dtype
from engine.recall.adapter import FitReport, QueryAdapter, fit, recall_at
from engine.recall.fusion import idf
from engine.recall.hubness import HUB_WEIGHT, hubs
from engine.recall.pseudo import pseudo_queries
from engine.store import Store
from engine.store.keys import encode_bank
from engine.store.projection import centred
from engine.store.adapters import load_adapter, save_adapter, sentence_count

__all__ = ["MIN_SENTENCES", "needs_fit", "fit_library", "library_adapter", "rare_words", "SAMPLE"]

MIN_SENTENCES = 4000   # below this, pseudo-queries are too few to learn from
SAMPLE = 4000          # pseudo-queries made per fit
CHECK = 600            # sentences outside the sample whose pseudo-queries judge the fit
REFIT_GROWTH = 2.0     # refit once the library has this many times the sentences
RARE_IDF = 6.0         # a word this rare in the library (by chunk frequency) is "rare"
_WORD = re.compile(r"[A-Za-z]+")


def needs_fit(store: Store, encoder: Encoder) -> bool:
    n = sentence_count(store)
    if n < MIN_SENTENCES:
        return False
    row = load_adapter(store, encoder.name)
    return row is None or n >= REFIT_GROWTH * row.sentences


def library_adapter(store: Store, encoder: Encoder, *, force: bool = False) -> QueryAdapter | None:
    """The adapter search should use: the fitted one if its fit kept it (or `force`)."""
    row = load_adapter(store, encoder.name)
    if row is None or not row.weights or not (force or row.report.get("kept")):
        return None
    return QueryAdapter.from_bytes(row.weights)


def fit_library(store: Store, encoder: Encoder, *, cancel: CancelToken | None = None,
                report: Report = no_report, sample: int = SAMPLE, seed: int = 0) -> FitReport:
    """Make pseudo-queries from a sample of sentences, fit, and store the adapter."""
    cancel = cancel or CancelToken()
    report(0, 3, "fitting the query adapter: reading sentences")
    ids, owners, keys = store.sentence_key_matrix()
    n = len(ids)
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(n, min(sample, n), replace=False))
    texts = store.sentence_texts(ids[chosen].tolist())
    rare = rare_words(store)
    related = encoder.related_words
    rest = np.setdiff1d(np.arange(n), chosen)
    others = np.sort(rng.choice(rest, min(CHECK, len(rest)), replace=False)) if len(rest) else rest
    other_texts = store.sentence_texts(ids[others].tolist())
    encoder.warm_related({w.lower() for t in texts + other_texts for w in _WORD.findall(t)})
    pairs = pseudo_queries(texts, seed=seed, rare=rare.__contains__, related=related)
    cancel.check()

    def progress(done: int) -> None:
        cancel.check()
        report(1, 3, f"fitting the query adapter: {done}/{len(pairs)} pseudo-queries")

    queries = encoder.encode([q for _, q in pairs], progress=progress)
    targets = chosen[np.asarray([i for i, _ in pairs], np.int64)]
    report(2, 3, "fitting the query adapter: training")
    adapter, result = fit(queries, targets, keys, seed=seed, scores_dtype=fast_dtype("cpu"))
    cancel.check()
    # Judged as search scores it (centred, every key's hub against this bank subtracted) on
    # pseudo-queries about sentences *outside* the sample it was fitted on: held-out
    # questions about sampled sentences once said "keep" while the adapter cost recall on
    # real paraphrases and on questions about ordinary sentences (bench/needle.py prints
    # recall with and without the adapter). The weights are kept either way
    # (`Searcher(adapter=True)` forces them).
    report(2, 3, "fitting the query adapter: judging")
    check = pseudo_queries(other_texts, seed=seed + 1, rare=rare.__contains__, related=related)
    plain = adapted = 0.0
    if check:
        asked = encoder.encode([q for _, q in check])
        truth = others[np.asarray([i for i, _ in check], np.int64)]
        proj = store.projection()
        scored = centred(proj, keys)
        hub = HUB_WEIGHT * hubs(centred(proj, queries), scored)
        plain = recall_at(centred(proj, asked), truth, scored, 10, hub)
        adapted = recall_at(centred(proj, adapter(asked)), truth, scored, 10, hub)
    result = replace(result, kept=result.kept and adapted > plain, checked=len(check),
                     hub_recall_before=round(plain, 4), hub_recall_after=round(adapted, 4))
    save_adapter(store, encoder.name, adapter.to_bytes(), result.to_json(), n,
                 bank=encode_bank(queries))
    report(3, 3, "fitting the query adapter: done")
    return result


def rare_words(store: Store) -> set[str]:
    """Words rare in this library (by chunk frequency): what pseudo-queries leave out."""
    df, chunks = _document_frequency(store)
    return {w for w, d in df.items() if idf(d, chunks) > RARE_IDF}


def _document_frequency(store: Store) -> tuple[Counter, int]:
    df: Counter = Counter()
    chunks = 0
    for text in store.iter_chunk_texts():
        df.update({w.lower() for w in _WORD.findall(text)})
        chunks += 1
    return df, max(chunks, 1)

