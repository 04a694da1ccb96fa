"""The library's SQLite schema as an ordered list of named migrations.

Each feature appends its own named step to `MIGRATIONS`; the names applied to a file are
recorded in `migrations`, so `migrate` brings an older file up to date in one transaction
and refuses a file written by a newer Memex (a step it does not know) instead of damaging it.
"""
from __future__ import annotations

import sqlite_utils

from engine.errors import StoreError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

_CORE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    hash TEXT,                      -- sha256 of the file's bytes; decides re-ingest
    modality TEXT,
    title TEXT,
    units INTEGER,                  -- pages or lines
    unit_name TEXT,
    size INTEGER,
    chunks INTEGER NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,           -- 'ready' | 'failed'
    error TEXT,
    added_at REAL,
    updated_at REAL
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER, page_label TEXT,
    line_start INTEGER, line_end INTEGER,
    section TEXT,                   -- JSON array, outermost heading first
    char_start INTEGER, char_end INTEGER,
    start_s REAL, end_s REAL,
    symbol TEXT
);
CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
CREATE TABLE keys (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    vec BLOB NOT NULL               -- float32, L2-normalised encoder output
);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, content='chunks', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""

# The symbol graph of code documents. `target_id` is the definition a reference resolves
# to (NULL when ambiguous); `resolution` says how ('self', 'same-file', 'import', 'unique'),
# 'none' when looked up without a unique answer, NULL while pending. `graph_dirty` holds
# names whose definitions changed, so the next resolve pass revisits their references.
_CODE_GRAPH = """
CREATE TABLE symbols (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    qualname TEXT NOT NULL,
    kind TEXT NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    signature TEXT,
    doc TEXT
);
CREATE INDEX symbols_name ON symbols(name);
CREATE INDEX symbols_qualname ON symbols(qualname);
CREATE INDEX symbols_doc ON symbols(doc_id, line_start);
CREATE TABLE refs (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    line INTEGER NOT NULL,
    scope TEXT,
    module TEXT,
    receiver TEXT,
    text TEXT,
    target_id INTEGER REFERENCES symbols(id) ON DELETE SET NULL,
    resolution TEXT
);
CREATE INDEX refs_name ON refs(name);
CREATE INDEX refs_doc ON refs(doc_id, line);
CREATE INDEX refs_target ON refs(target_id);
CREATE INDEX refs_pending ON refs(id) WHERE resolution IS NULL;
CREATE TABLE graph_dirty (name TEXT PRIMARY KEY);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("core", _CORE),
    ("code_graph", _CODE_GRAPH),
]
SCHEMA_VERSION = len(MIGRATIONS)


def _applied(db: sqlite_utils.Database) -> list[str]:
    if "migrations" not in db.table_names():
        return []
    return [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY id").fetchall()]


def migrate(db: sqlite_utils.Database, *, path: str) -> None:
    applied = _applied(db)
    known = [name for name, _ in MIGRATIONS]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise StoreError(
            f"The library {path} was written by a newer Memex (it has schema steps "
            f"{', '.join(unknown)} that this version does not know)."
        )
    todo = [(name, sql) for name, sql in MIGRATIONS if name not in applied]
    if not todo:
        return
    with db.atomic():
        db.execute("CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT UNIQUE, applied_at TEXT DEFAULT CURRENT_TIMESTAMP)")
        for name, sql in todo:
            for statement in _split(sql):
                db.execute(statement)
            db.execute("INSERT INTO migrations (name) VALUES (?)", [name])
        db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )


def _split(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and (not joined.upper().startswith("CREATE TRIGGER") or joined.upper().endswith("END;")):
            out.append(joined)
            buf = []
    return out
