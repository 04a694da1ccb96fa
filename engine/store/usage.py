"""Usage events: what a person did with the library, when (by the library's clock).

Events name the chunk they touched (a recalled or cited piece of evidence, an opened
citation) or only the document (a document opened). They die with their document: a
changed file starts its usage afresh, as its chunks and blocks do.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["EventRow", "ValueBlock", "record_events", "block_events", "document_events",
           "value_blocks", "blocks_of_chunks", "event_count"]


@dataclass(frozen=True)
class EventRow:
    at: float
    kind: str
    doc_id: int | None
    chunk_id: int | None


@dataclass(frozen=True)
class ValueBlock:
    """A block with what the value scorer needs to know about it besides its events."""
    id: int
    doc_id: int
    first_chunk: int
    last_chunk: int
    surprise: float
    modality: str
    added_at: float
    tier: str
    pinned: bool
    value: float | None
    tier_since: float | None


def record_events(store: "Store", events: Iterable[EventRow]) -> int:
    """Append events (chunks or documents deleted meanwhile are skipped); → rows written.

    An event naming a chunk gets the chunk's document filled in, so per-document queries
    need no join."""
    events = list(events)
    if not events:
        return 0
    with store.atomic() as db:
        cids = sorted({e.chunk_id for e in events if e.chunk_id is not None})
        owner = dict(db.execute(
            f"SELECT id, doc_id FROM chunks WHERE id IN ({','.join('?' * len(cids))})",
            cids).fetchall()) if cids else {}
        dids = sorted({e.doc_id for e in events if e.doc_id is not None})
        docs = {r[0] for r in db.execute(
            f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(dids))})",
            dids).fetchall()} if dids else set()
        rows = []
        for e in events:
            if e.chunk_id is not None:
                if e.chunk_id in owner:
                    rows.append((e.at, e.kind, owner[e.chunk_id], e.chunk_id))
            elif e.doc_id in docs:
                rows.append((e.at, e.kind, e.doc_id, None))
        db.conn.executemany("INSERT INTO usage_events (at, kind, doc_id, chunk_id)"
                            " VALUES (?, ?, ?, ?)", rows)
        return len(rows)


def event_count(store: "Store") -> int:
    return int(store.db.execute("SELECT count(*) FROM usage_events").fetchone()[0])


def block_events(store: "Store", until: float) -> dict[int, list[tuple[str, float]]]:
    """block id → [(kind, at)] of chunk events up to `until`, oldest first."""
    out: dict[int, list[tuple[str, float]]] = {}
    for block_id, kind, at in store.db.execute(
            "SELECT b.id, e.kind, e.at FROM usage_events e JOIN blocks b"
            " ON b.doc_id = e.doc_id AND e.chunk_id BETWEEN b.first_chunk AND b.last_chunk"
            " WHERE e.chunk_id IS NOT NULL AND e.at <= ? ORDER BY e.at", [until]):
        out.setdefault(block_id, []).append((kind, at))
    return out


def document_events(store: "Store", until: float) -> dict[int, list[tuple[str, float]]]:
    """doc id → [(kind, at)] of whole-document events (no chunk) up to `until`."""
    out: dict[int, list[tuple[str, float]]] = {}
    for doc_id, kind, at in store.db.execute(
            "SELECT doc_id, kind, at FROM usage_events WHERE chunk_id IS NULL AND doc_id IS NOT"
            " NULL AND at <= ? ORDER BY at", [until]):
        out.setdefault(doc_id, []).append((kind, at))
    return out


def value_blocks(store: "Store", now: float) -> list[ValueBlock]:
    """Every block with its tier row (created warm for blocks that have none yet)."""
    with store.atomic() as db:
        db.execute("INSERT OR IGNORE INTO block_tiers (block_id, tier, tier_since)"
                   " SELECT id, 'warm', ? FROM blocks", [now])
    rows = store.db.execute(
        "SELECT b.id, b.doc_id, b.first_chunk, b.last_chunk, COALESCE(b.surprise, 0),"
        " COALESCE(d.modality, ''), COALESCE(d.added_at, ?), t.tier, t.pinned, t.value,"
        " t.tier_since FROM blocks b JOIN documents d ON d.id = b.doc_id"
        " JOIN block_tiers t ON t.block_id = b.id ORDER BY b.id", [now]).fetchall()
    return [ValueBlock(r[0], r[1], r[2], r[3], float(r[4]), r[5], float(r[6]), r[7], bool(r[8]),
                     r[9], r[10]) for r in rows]


def blocks_of_chunks(store: "Store", chunk_ids: Sequence[int]) -> dict[int, int]:
    """chunk id → id of the block holding it (chunks outside every block are left out)."""
    if not chunk_ids:
        return {}
    marks = ",".join("?" * len(chunk_ids))
    rows = store.db.execute(
        f"SELECT c.id, b.id FROM chunks c JOIN blocks b ON b.doc_id = c.doc_id"
        f" AND c.id BETWEEN b.first_chunk AND b.last_chunk WHERE c.id IN ({marks})",
        list(chunk_ids)).fetchall()
    return {int(c): int(b) for c, b in rows}
