"""The digest: a background phase of reading that writes each understood document's gist
tree (engine/gists/plan.py), leaves first, one gist per transaction.

It runs when the app is idle or on `memex digest`; the most valuable or most recently
added documents go first. Cut short (quit, cancel, kill), it resumes where it stopped: a
gist already written for the same blocks is kept. A document is fully digested when its
whole-document gist exists; a re-read document is a new row, so its old gists are gone
and its new ones are written from its new blocks.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from engine.gists.faithful import claim_support, grounded
from engine.gists.plan import Node, plan_tree
from engine.gists.terms import KeyTerms, with_key_words
from engine.gists.writer import Model, Written, excerpt, write_leaf, write_parent
from engine.jobs import CancelToken, Report, no_report, shielded
from engine.store import DocumentRow, Store
from engine.store.gists import LEVELS, StoredGist, gist_title

__all__ = ["DigestSummary", "digest", "to_digest"]


@dataclass
class DigestSummary:
    documents: list[str] = field(default_factory=list)   # digested to the whole-document gist
    gists: int = 0              # written in this run
    kept: int = 0               # found already written (a resumed run)
    model: int = 0              # written by the model (its names checked)
    extract: int = 0            # the model's sentences named what the text does not
    copies: int = 0             # a node with one child takes its text
    prompt_s: float = 0.0
    generate_s: float = 0.0
    source_tokens: int = 0      # of the digested documents
    seconds: float = 0.0
    # names and numbers found in the covered text / stated, in what the model wrote
    # before the check (`raw`) and in the gists kept (model and extract)
    claims_raw: list[int] = field(default_factory=lambda: [0, 0])
    claims_kept: list[int] = field(default_factory=lambda: [0, 0])


def to_digest(store: Store, paths: Iterable[str | Path] | None = None) -> list[DocumentRow]:
    """Documents whose gist tree is not complete, in digest order; with `paths`, only
    those documents and the documents under those folders."""
    by_id = {d.id: d for d in store.documents()}
    todo = [by_id[i] for i in store.documents_to_digest() if i in by_id]
    if paths is None:
        return todo
    wanted = [str(Path(p).expanduser().resolve()) for p in paths]
    return [d for d in todo if any(d.path == w or d.path.startswith(w.rstrip("/") + "/")
                                   for w in wanted)]


def _label(node: Node, name: str) -> str:
    return f"the whole of {name}" if node.level == "document" else \
        gist_title(node.level, node.section, name)


def digest(store: Store, model: Model, encode: Callable[[list[str]], "object"],
           docs: list[DocumentRow], *, cancel: CancelToken | None = None,
           report: Report = no_report,
           on_document: Callable[[DocumentRow], None] | None = None) -> DigestSummary:
    """Write the missing gists of `docs` (what `to_digest` lists). `encode(texts)` gives
    the gists' keys ([n, D] unit rows) for recall. `report(done, total)` counts gists."""
    report = shielded(report)
    start = time.perf_counter()
    summary = DigestSummary()
    trees = {d.id: plan_tree(store.block_spans(d.id)) for d in docs}
    total = sum(len(nodes) for t in trees.values() for nodes in t.values())
    done = 0
    for doc in docs:
        if cancel is not None:
            cancel.check()
        tree, name = trees[doc.id], Path(doc.path).name
        chunks = store.document_chunks(doc.id)
        at = {c.id: i for i, c in enumerate(chunks)}
        distinct = distinctness(store, doc.id)
        terms = KeyTerms([c.text for c in chunks])
        have = {(g.level, g.ordinal): g for g in store.gists(doc.id)}
        if any(not _same(g, tree) for g in have.values()):   # its blocks were rebuilt
            store.clear_gists(doc.id)
            have = {}
        texts: dict[tuple[str, int], str] = {k: g.text for k, g in have.items()}
        gone = False
        for depth, level in enumerate(LEVELS):
            for node in tree[level]:
                report(done, total, f"{name}: {level} {node.ordinal + 1}/{len(tree[level])}")
                done += 1
                if (level, node.ordinal) in have:
                    summary.kept += 1
                    continue
                if cancel is not None:
                    cancel.check()
                run = chunks[at[node.first_chunk]:at[node.last_chunk] + 1]
                covered = "\n\n".join(c.text for c in run)
                below = LEVELS[depth - 1] if depth else None
                if node.copies_child:
                    child = texts[(below, node.children[0])]
                    written = Written(child, "copy", 0.0, 0.0)
                    summary.copies += 1
                elif level == "block":
                    where = name + (f", {node.section[-1]}" if node.section else "")
                    shown = excerpt([c.text for c in run],
                                    [distinct.get(c.id, 0.0) for c in run], model.count)
                    written = write_leaf(model, covered, where=where, shown=shown, cancel=cancel)
                else:
                    parts = [texts[(below, i)] for i in node.children]
                    written = write_parent(model, parts, covered, what=_label(node, name),
                                           cancel=cancel)
                if written.source != "copy":
                    for tally, said in ((summary.claims_raw, written.raw),
                                        (summary.claims_kept, written.text)):
                        found, stated = claim_support(said, covered)
                        tally[0] += found
                        tally[1] += stated
                if written.source == "model":
                    summary.model += 1
                elif written.source == "extract":
                    summary.extract += 1
                summary.prompt_s += written.prompt_s
                summary.generate_s += written.generate_s
                text = written.text
                if written.source != "copy":     # what is particular to the place, in its words
                    text = with_key_words(text, terms.top(
                        [c.text for c in sorted(run, key=lambda c: -distinct.get(c.id, 0.0))]))
                key = encode([grounded(text, covered) or text])[0]   # recall by what it says truly
                if not store.write_gist(doc.id, version=(doc.hash, doc.updated_at),
                                        level=level, ordinal=node.ordinal,
                                        first_chunk=node.first_chunk, last_chunk=node.last_chunk,
                                        blocks=node.blocks, section=node.section,
                                        text=text, source=written.source, key=key,
                                        prompt_s=written.prompt_s, generate_s=written.generate_s):
                    gone = True                     # re-read or forgotten meanwhile
                    break
                texts[(level, node.ordinal)] = text
                summary.gists += 1
            if gone:
                break
        if not gone:
            summary.documents.append(doc.path)
            summary.source_tokens += doc.tokens
            if on_document is not None:
                on_document(doc)
    report(total, total, "gists written")
    summary.seconds = time.perf_counter() - start
    return summary


def distinctness(store: Store, doc_id: int) -> dict[int, float]:
    """chunk id → how far its key stands from the document's mean key (1 − cosine): the
    chunks a place is particular for, beside what the whole document is about."""
    ids, keys, _ = store.document_keys(doc_id)
    if not len(ids):
        return {}
    mean = keys.mean(0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return {cid: 1.0 - float(c) for cid, c in zip(ids, keys @ mean)}


def _same(gist: StoredGist, tree: dict[str, list[Node]]) -> bool:
    nodes = tree.get(gist.level, [])
    if gist.ordinal >= len(nodes):
        return False
    node = nodes[gist.ordinal]
    return (node.first_chunk, node.last_chunk, node.blocks) == \
        (gist.first_chunk, gist.last_chunk, gist.blocks)
