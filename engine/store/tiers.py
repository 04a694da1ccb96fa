"""Memory tiers of blocks: which keys each block keeps, and moving a block between tiers.

    hot   int8 chunk keys + a float16 copy (`hot_keys`) + sentence keys: sharpest scores
    warm  int8 chunk keys + sentence keys (what ingest writes; the default)
    cold  no keys in the dense index: they move to `cold_keys` / `cold_sentence_keys`, so
          recall never loads them, while the text, locations and keyword index stay put

A move rewrites only the block's own key rows, in one transaction, and bumps the store's
generation so the dense indexes reload. Nothing here ever deletes a chunk.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from engine.store import keys
from engine.store.keys import Projection

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["TIERS", "TierMove", "TierSize", "BlockListing", "move_tiers", "tier_sizes",
           "dense_index_size", "set_pinned", "set_values", "block_tier", "hot_key_rows",
           "chunk_texts", "block_listing", "cold_blocks", "first_chunks", "ParkedKeys", "parked_keys"]

TIERS = ("hot", "warm", "cold")


@dataclass(frozen=True)
class TierMove:
    block_id: int
    first_chunk: int
    last_chunk: int
    old: str
    new: str


@dataclass(frozen=True)
class TierSize:
    tier: str
    blocks: int
    chunks: int
    key_bytes: int     # bytes of the keys this tier keeps (cold: parked outside the index)


def move_tiers(store: "Store", moves: Sequence[TierMove], now: float,
               hot_vectors: Mapping[int, np.ndarray] | None = None) -> None:
    """Apply tier moves in one transaction. `hot_vectors` (chunk id → float key) gives the
    float16 copies of blocks going hot; chunks missing from it use their int8 key."""
    moves = [m for m in moves if m.old != m.new]
    if not moves:
        return
    assert all(m.old in TIERS and m.new in TIERS for m in moves), "unknown tier"
    hot_vectors = hot_vectors or {}
    proj = store.chunk_projection()
    with store.atomic() as db:
        for m in moves:
            span = [m.first_chunk, m.last_chunk]
            if m.old == "cold":
                _unpark(db, span)
            if m.old == "hot":
                db.execute("DELETE FROM hot_keys WHERE chunk_id BETWEEN ? AND ?", span)
            if m.new == "cold":
                _park(db, span)
            if m.new == "hot":
                rows = db.execute("SELECT chunk_id, vec, scale FROM keys WHERE chunk_id"
                                  " BETWEEN ? AND ?", span).fetchall()
                db.conn.executemany(
                    "INSERT OR REPLACE INTO hot_keys (chunk_id, vec) VALUES (?, ?)",
                    ((cid, _half(hot_vectors.get(cid), vec, scale, proj)) for cid, vec, scale in rows))
            db.execute("INSERT INTO block_tiers (block_id, tier, tier_since) VALUES (?, ?, ?)"
                       " ON CONFLICT(block_id) DO UPDATE SET tier = excluded.tier,"
                       " tier_since = excluded.tier_since", [m.block_id, m.new, now])


_KEY_COLUMNS = "chunk_id, vec, scale, hub"
_SENTENCE_COLUMNS = "chunk_id, char_start, char_end, vec, code, hub, cell"


def _park(db, span: list[int]) -> None:
    """Move a chunk range's keys out of the dense index (`keys`, `sentence_keys`)."""
    db.execute("DELETE FROM hot_keys WHERE chunk_id BETWEEN ? AND ?", span)
    _move(db, "keys", "cold_keys", _KEY_COLUMNS, span)
    _move(db, "sentence_keys", "cold_sentence_keys", _SENTENCE_COLUMNS, span)


def _unpark(db, span: list[int]) -> None:
    _move(db, "cold_keys", "keys", _KEY_COLUMNS, span)
    _move(db, "cold_sentence_keys", "sentence_keys", _SENTENCE_COLUMNS, span)


def _move(db, source: str, target: str, columns: str, span: list[int]) -> None:
    """Move a chunk range's rows between two tables of the same columns, in id order."""
    db.execute(f"INSERT OR REPLACE INTO {target} ({columns}) SELECT {columns} FROM {source}"
               f" WHERE chunk_id BETWEEN ? AND ? ORDER BY rowid", span)
    db.execute(f"DELETE FROM {source} WHERE chunk_id BETWEEN ? AND ?", span)


def _half(vector: np.ndarray | None, vec: bytes, scale: float | None,
          proj: Projection | None) -> bytes:
    if vector is None:
        vector = keys.decode_chunk_keys([(vec, scale)], proj)[0]
    return keys.encode_hot_keys(vector)[0]


def cold_blocks(store: "Store", block_ids: Sequence[int]) -> list[tuple[int, int, int]]:
    """(block id, first chunk, last chunk) of those given blocks that are cold."""
    if not block_ids:
        return []
    rows = store.db.execute(
        f"SELECT b.id, b.first_chunk, b.last_chunk FROM blocks b JOIN block_tiers t"
        f" ON t.block_id = b.id WHERE t.tier = 'cold' AND b.id IN ({','.join('?' * len(block_ids))})",
        list(block_ids)).fetchall()
    return [(int(b), int(f), int(l)) for b, f, l in rows]


def first_chunks(store: "Store", block_ids: Sequence[int]) -> list[int]:
    """The first chunk of each given block (blocks that are gone are left out)."""
    if not block_ids:
        return []
    return [int(r[0]) for r in store.db.execute(
        f"SELECT first_chunk FROM blocks WHERE id IN ({','.join('?' * len(block_ids))})",
        list(block_ids)).fetchall()]


def block_tier(store: "Store", block_id: int) -> str:
    row = store.db.execute("SELECT tier FROM block_tiers WHERE block_id = ?", [block_id]).fetchone()
    return row[0] if row else "warm"


def set_pinned(store: "Store", block_ids: Sequence[int], pinned: bool, now: float) -> int:
    """Pin or unpin blocks (a pinned block never demotes); → blocks changed."""
    if not block_ids:
        return 0
    with store.atomic() as db:
        db.conn.executemany("INSERT OR IGNORE INTO block_tiers (block_id, tier, tier_since)"
                            " SELECT id, 'warm', ? FROM blocks WHERE id = ?",
                            ((now, b) for b in block_ids))
        marks = ",".join("?" * len(block_ids))
        cur = db.execute(f"UPDATE block_tiers SET pinned = ? WHERE block_id IN ({marks})"
                         f" AND pinned != ?", [int(pinned), *block_ids, int(pinned)])
        return cur.rowcount


def hot_key_rows(store: "Store") -> tuple[np.ndarray, np.ndarray]:
    """(chunk ids ascending, float32 keys [n, D]) of the hot tier's float16 copies."""
    rows = store.db.execute("SELECT chunk_id, vec FROM hot_keys ORDER BY chunk_id").fetchall()
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    return ids, keys.decode_hot_keys([r[1] for r in rows])


def tier_sizes(store: "Store") -> list[TierSize]:
    """Blocks, chunks and key bytes per tier (blocks without a tier row count as warm)."""
    counts = {t: [0, 0, 0] for t in TIERS}
    for tier, blocks, chunks in store.db.execute(
            "SELECT COALESCE(t.tier, 'warm'), count(*), sum(b.last_chunk - b.first_chunk + 1)"
            " FROM blocks b LEFT JOIN block_tiers t ON t.block_id = b.id GROUP BY 1"):
        counts[tier][0:2] = [int(blocks), int(chunks or 0)]
    for table, extra in (("keys", "4"), ("sentence_keys", "coalesce(length(k.code), 0)"),
                         ("hot_keys", "0"), ("cold_keys", "4"),
                         ("cold_sentence_keys", "coalesce(length(k.code), 0)")):
        for tier, size in store.db.execute(
                f"SELECT COALESCE(t.tier, 'warm'), sum(length(k.vec) + {extra}) FROM {table} k"
                f" JOIN chunks c ON c.id = k.chunk_id JOIN blocks b ON b.doc_id = c.doc_id"
                f" AND k.chunk_id BETWEEN b.first_chunk AND b.last_chunk"
                f" LEFT JOIN block_tiers t ON t.block_id = b.id GROUP BY 1"):
            counts[tier][2] += int(size or 0)
    return [TierSize(t, *counts[t]) for t in TIERS]


def dense_index_size(store: "Store") -> tuple[int, int]:
    """(key rows, bytes) that the dense indexes load: chunk keys with their scales,
    sentence keys and the hot tier's float16 copies. Cold keys are not counted."""
    rows = size = 0
    for table, extra in (("keys", "4"), ("sentence_keys", "coalesce(length(code), 0)"),
                         ("hot_keys", "0")):
        n, b = store.db.execute(f"SELECT count(*), sum(length(vec) + {extra}) FROM {table}").fetchone()
        rows, size = rows + int(n), size + int(b or 0)
    return rows, size


@dataclass(frozen=True)
class BlockListing:
    """A block as the memory views show it."""
    id: int
    doc_id: int
    path: str
    title: str | None
    first_chunk: int
    last_chunk: int
    section: tuple[str, ...]
    tier: str
    value: float | None
    pinned: bool

    def to_json(self) -> dict:
        return {"block": self.id, "path": self.path, "title": self.title,
                "chunks": [self.first_chunk, self.last_chunk], "section": list(self.section),
                "tier": self.tier, "value": None if self.value is None else round(self.value, 4),
                "pinned": self.pinned}


def set_values(store: "Store", values: Sequence[tuple[int, float]], now: float) -> None:
    with store.atomic() as db:
        db.conn.executemany("UPDATE block_tiers SET value = ?, scored_at = ? WHERE block_id = ?",
                            ((float(v), now, b) for b, v in values))


def chunk_texts(store: "Store", first: int, last: int) -> list[tuple[int, str]]:
    return [(int(r[0]), r[1]) for r in store.db.execute(
        "SELECT id, text FROM chunks WHERE id BETWEEN ? AND ? ORDER BY id", [first, last])]


def block_listing(store: "Store", doc_id: int | None = None) -> list[BlockListing]:
    """Every block (or one document's) with its document, opening section, tier and value."""
    import json
    where = "WHERE b.doc_id = ?" if doc_id is not None else ""
    rows = store.db.execute(
        "SELECT b.id, b.doc_id, d.path, d.title, b.first_chunk, b.last_chunk, c.section,"
        " COALESCE(t.tier, 'warm'), t.value, COALESCE(t.pinned, 0) FROM blocks b"
        " JOIN documents d ON d.id = b.doc_id JOIN chunks c ON c.id = b.first_chunk"
        f" LEFT JOIN block_tiers t ON t.block_id = b.id {where} ORDER BY d.path, b.first_chunk",
        [doc_id] if doc_id is not None else []).fetchall()
    return [BlockListing(r[0], r[1], r[2], r[3], r[4], r[5],
                         tuple(json.loads(r[6])) if r[6] else (), r[7], r[8], bool(r[9]))
            for r in rows]


@dataclass(frozen=True)
class ParkedKeys:
    """The keys a cold block's chunks keep outside the dense index, decoded."""
    chunk_ids: np.ndarray            # [n] owner of each chunk key
    chunk_keys: np.ndarray           # [n, D] float32
    chunk_hubs: np.ndarray           # [n]
    sentence_owners: np.ndarray      # [m] owning chunk of each sentence key
    sentence_codes: list[np.ndarray | None]    # int8 codes of a coded row, else None
    sentence_keys: list[np.ndarray | None]     # float32 key of a float16 row, else None
    sentence_hubs: np.ndarray        # [m]


def parked_keys(store: "Store", chunk_ids: Sequence[int]) -> ParkedKeys:
    """The parked chunk and sentence keys of given cold chunks, so a cold chunk that keyword
    search found can be scored without the cold tier ever being scanned."""
    marks = ",".join("?" * len(chunk_ids))
    chunks = store.db.execute(f"SELECT chunk_id, vec, scale, coalesce(hub, 0) FROM cold_keys"
                              f" WHERE chunk_id IN ({marks})", list(chunk_ids)).fetchall()
    sentences = store.db.execute(
        f"SELECT chunk_id, vec, code, coalesce(hub, 0) FROM cold_sentence_keys"
        f" WHERE chunk_id IN ({marks})", list(chunk_ids)).fetchall()
    codes: list[np.ndarray | None] = []
    floats: list[np.ndarray | None] = []
    for _, vec, code, _ in sentences:
        codes.append(keys.decode_codes([code])[0][0] if code is not None else None)
        floats.append(keys.decode_sentence_keys([(vec, None)], None)[0] if code is None else None)
    return ParkedKeys(
        np.fromiter((r[0] for r in chunks), np.int64, len(chunks)),
        keys.decode_chunk_keys([(r[1], r[2]) for r in chunks], store.chunk_projection()),
        np.fromiter((r[3] for r in chunks), np.float32, len(chunks)),
        np.fromiter((r[0] for r in sentences), np.int64, len(sentences)), codes, floats,
        np.fromiter((r[3] for r in sentences), np.float32, len(sentences)))
