"""A document's memory from its keys: surprise, blocks with representatives, final state.

Called by the ingest pipeline before the document's single write transaction, and to fill
in documents of a library stored before blocks existed."""
from __future__ import annotations

import json

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.memory.blocks import BlockPolicy, cut_blocks, representatives
from engine.memory.reader import SurpriseReader
from engine.store import Store
from engine.store.blocks import BlockRow, DocumentMemory

__all__ = ["document_memory", "fill_missing_blocks"]


def document_memory(keys: np.ndarray, sections: list, *, reader: SurpriseReader | None = None,
                    policy: BlockPolicy = BlockPolicy()) -> DocumentMemory:
    """keys [T, D] float in document order; `sections` one comparable value per chunk."""
    read = (reader or SurpriseReader()).read(keys)
    blocks = []
    for first, last, why in cut_blocks(sections, read.surprise, policy):
        centroid, reps = representatives(keys[first:last + 1], policy.reps)
        blocks.append(BlockRow(first, last, why, float(read.surprise[first]), centroid,
                               tuple(first + r for r in reps)))
    return DocumentMemory(read.surprise, blocks, read.m, read.z)


def fill_missing_blocks(store: Store, *, cancel: CancelToken | None = None,
                        report: Report = no_report) -> int:
    """Build blocks for every ready document that has none; → documents built."""
    todo = store.documents_without_blocks()
    reader = SurpriseReader()
    for i, doc_id in enumerate(todo):
        if cancel:
            cancel.check()
        report(i, len(todo), f"building memory blocks {i + 1}/{len(todo)}")
        _, keys, sections = store.document_keys(doc_id)
        if len(keys):
            store.set_document_memory(doc_id, document_memory(
                keys, [json.loads(s) if s else [] for s in sections], reader=reader))
    report(len(todo), len(todo), "memory blocks built")
    return len(todo)
