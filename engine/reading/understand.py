"""Reading, phase 2: a readable document's keys, sentence keys and memory blocks.

Why a phase apart: encoding is most of the cost of reading, and nobody should wait for it
to search a book by keyword or trace a function. Phase 1 (engine/reading/documents.py)
makes a document readable; this pass makes it understood, one transaction per document,
so a quit or a kill between documents loses nothing and the next run carries on with the
documents still readable, never reading their files again.

Small documents (source files) are encoded together: their chunks and sentences go to
the encoder as one length-sorted stream, so a repository of short files fills batches as
well as one long book does.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from engine.jobs import CancelToken, Report, no_report
from engine.memory.build import document_memory
from engine.store import DocumentRow, Store
from ingest.prose.split import sentence_spans

__all__ = ["UnderstandSummary", "understand", "sentences_of"]

GROUP_TEXTS = 4096   # texts encoded in one stream before their documents are written


class _Text(Protocol):
    text: str


@dataclass
class UnderstandSummary:
    documents: list[str] = field(default_factory=list)   # understood in this pass
    chunks: int = 0
    sentences: int = 0
    tokens: int = 0
    timings: dict[str, float] = field(default_factory=lambda: {
        "encode_s": 0.0, "memory_s": 0.0, "store_s": 0.0})


def understand(store: Store, encoder, *, cancel: CancelToken | None = None,
               report: Report = no_report,
               on_document: Callable[[DocumentRow], None] | None = None) -> UnderstandSummary:
    """Encode and store every readable document of `store`, oldest first.

    `encoder` is an engine.model.encoder.Encoder; `report(done, total, label)` counts
    chunks; `on_document` hears each document as soon as it is understood. Raises
    `Cancelled` when `cancel` fires; documents finished before it stay understood."""
    cancel = cancel or CancelToken()
    summary = UnderstandSummary()
    todo = store.readable_documents()
    total = max(1, sum(d.chunks for d in todo))
    done = 0
    while todo:
        cancel.check()
        group, size = [], 0
        while todo and (not group or size < GROUP_TEXTS):
            doc = todo.pop(0)
            chunks = store.document_chunks(doc.id)
            if len(chunks) != doc.chunks:      # re-read meanwhile: its new row is queued
                continue
            spans = sentences_of(chunks)
            group.append((doc, chunks, spans))
            size += len(chunks) + len(spans)
        if not group:
            break
        texts = [t for _, chunks, spans in group for t in _texts(chunks, spans)]
        chunks_in_group = sum(len(c) for _, c, _ in group)
        name = group[0][0].title or group[0][0].path.rsplit("/", 1)[-1]
        label = name if len(group) == 1 else f"{len(group)} files"
        t0 = time.perf_counter()
        encoded = encoder.encode(texts, progress=lambda n: (cancel.check(), report(
            done + int(chunks_in_group * n / len(texts)), total,
            f"understanding {label}: {n}/{len(texts)} chunks and sentences")))
        summary.timings["encode_s"] += time.perf_counter() - t0
        at = 0
        for doc, chunks, spans in group:
            cancel.check()
            n = len(chunks) + len(spans)
            keys, sentence_keys = encoded[at:at + len(chunks)], encoded[at + len(chunks):at + n]
            at += n
            t1 = time.perf_counter()
            memory = document_memory(keys, [c.location.section for c in chunks])
            t2 = time.perf_counter()
            written = store.understand_document(doc, keys=keys, sentences=spans,
                                                sentence_keys=sentence_keys, memory=memory)
            summary.timings["memory_s"] += t2 - t1
            summary.timings["store_s"] += time.perf_counter() - t2
            done += len(chunks)
            if written:
                summary.documents.append(doc.path)
                summary.chunks += len(chunks)
                summary.sentences += len(spans)
                summary.tokens += doc.tokens
                if on_document:
                    on_document(doc)
        report(done, total, f"understood {label}")
    return summary


def _texts(chunks: Sequence[_Text], spans: list[tuple[int, int, int]]) -> list[str]:
    return [c.text for c in chunks] + [chunks[i].text[a:b] for i, a, b in spans]


def sentences_of(chunks: Sequence[_Text], *, min_words: int = 4) -> list[tuple[int, int, int]]:
    """(chunk index, start, end) of each sentence worth its own key.

    A chunk of one sentence is already keyed whole, and very short sentences ("Oh!")
    match everything a little, so neither gets a sentence key.
    """
    out: list[tuple[int, int, int]] = []
    for i, chunk in enumerate(chunks):
        spans = [(a, b) for a, b in sentence_spans(chunk.text)
                 if len(chunk.text[a:b].split()) >= min_words]
        if len(spans) > 1:
            out += [(i, a, b) for a, b in spans]
    return out
