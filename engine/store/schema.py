"""The library's SQLite schema as an ordered list of named migrations.

Each feature appends its own named step to `MIGRATIONS`; the names applied to a file are
recorded in `migrations`, so `migrate` brings an older file up to date in one transaction
and refuses a file written by a newer Memex (a step it does not know) instead of damaging it.
"""
from __future__ import annotations

import sqlite_utils

from engine.errors import StoreError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "INDEXED_TABLES", "KEYWORD_TOKENIZER", "migrate", "up_to_date"]

# How the keyword index splits and stems words; engine/store/text_match.py matches a few
# texts outside the library the same way.
KEYWORD_TOKENIZER = "porter unicode61 remove_diacritics 2"

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

# Finer keys beside each chunk key: a question usually matches one sentence, and a
# chunk's single key dilutes it among its neighbours (DESIGN section 3, step 3).
assert KEYWORD_TOKENIZER in _CORE

_SENTENCE_KEYS = """
CREATE TABLE sentence_keys (
    id INTEGER PRIMARY KEY,
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    char_start INTEGER NOT NULL,    -- span within the chunk's text
    char_end INTEGER NOT NULL,
    vec BLOB NOT NULL               -- float16, L2-normalised
);
CREATE INDEX sentence_keys_chunk ON sentence_keys(chunk_id);
"""

# The desktop app's state that must survive a restart: folders it watches, ingests that a
# quit interrupted (resumed at the next start), and each library's chat history.
_APP_STATE = """
CREATE TABLE watched_folders (path TEXT PRIMARY KEY, added_at REAL);
CREATE TABLE pending_ingest (path TEXT PRIMARY KEY, queued_at REAL);
CREATE TABLE chat_turns (
    id INTEGER PRIMARY KEY,
    asked_at REAL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT                  -- JSON list of Hit.to_json() with the tag `n`
);
"""

# Subtitles and video: cue numbers on chunks, the cues inside each scene chunk (so a
# quoted line narrows to the moment it is said), keyframe thumbnails, and which
# keyframes each scene chunk spans.
_MEDIA = """
ALTER TABLE chunks ADD COLUMN cue_start INTEGER;
ALTER TABLE chunks ADD COLUMN cue_end INTEGER;
CREATE TABLE cues (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,             -- 1-based cue number in the track
    start_s REAL NOT NULL, end_s REAL NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,  -- span in the chunk's text
    PRIMARY KEY (chunk_id, n)
);
CREATE TABLE keyframes (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,       -- 0-based among the video's keyframes
    time_s REAL NOT NULL,
    width INTEGER, height INTEGER,
    score REAL,                     -- cut strength; 1.0 for the opening frame
    jpeg BLOB NOT NULL              -- downscaled thumbnail
);
CREATE INDEX keyframes_doc ON keyframes(doc_id, time_s);
CREATE TABLE chunk_keyframes (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    keyframe_id INTEGER NOT NULL REFERENCES keyframes(id) ON DELETE CASCADE,
    PRIMARY KEY (chunk_id, keyframe_id)
);
"""

# Block memory, so keys stay small and recall quick as a library grows: keys become int8
# with a per-row scale (`keys.scale`; rows with a NULL scale are older float32 keys,
# converted by `Store` on open), chunks get the compressive reader's surprise, documents its
# final state, and blocks of chunks the router scores. Blocks name their representative
# chunks, so they add no key bytes but a centroid.
_MEMORY = """
ALTER TABLE keys ADD COLUMN scale REAL;
ALTER TABLE chunks ADD COLUMN surprise REAL;
CREATE TABLE blocks (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    first_chunk INTEGER NOT NULL,   -- chunk ids, inclusive; a block is a run within one doc
    last_chunk INTEGER NOT NULL,
    cut TEXT NOT NULL,              -- why it starts: 'start' | 'section' | 'surprise' | 'size'
    surprise REAL,                  -- surprise of its first chunk
    centroid BLOB NOT NULL,         -- int8 mean key, L2-normalised before quantising
    centroid_scale REAL NOT NULL,
    reps TEXT NOT NULL              -- JSON list of representative chunk ids
);
CREATE INDEX blocks_doc ON blocks(doc_id);
CREATE TABLE doc_memory (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    dk INTEGER NOT NULL, dv INTEGER NOT NULL,
    m BLOB NOT NULL,                -- float16 [dk, dv] final compressive memory
    z BLOB NOT NULL,                -- float16 [dk] final normaliser
    steps INTEGER NOT NULL
);
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

# The query adapter fitted to this library (engine/recall/adapter.py), one per encoder:
# questions are adapted only by the encoder whose keys it was fitted against.
_QUERY_ADAPTER = """
CREATE TABLE query_adapters (
    encoder TEXT PRIMARY KEY,
    weights BLOB,                   -- QueryAdapter.to_bytes(); NULL when the fit did not help
    bank BLOB,                      -- pseudo-query keys (int8 + scale rows) that hubs are measured against
    report TEXT NOT NULL,           -- FitReport as JSON
    sentences INTEGER NOT NULL,     -- sentence keys in the library when fitted
    fitted_at REAL NOT NULL
);
"""

# Sentence keys outnumber chunk keys several to one, so once a library has enough of them it
# learns a projection (engine/store/projection.py) and keeps each sentence key as 128 int8
# codes and a scale (`code`, with `vec` emptied) instead of 768 bytes of float16. `hub`
# is how close a key sits to questions in general (engine/recall/hubness.py): subtracted
# from its score so keys that match everything a little stop crowding out the answer.
_SENTENCE_CODES = """
ALTER TABLE sentence_keys ADD COLUMN code BLOB;
ALTER TABLE sentence_keys ADD COLUMN hub REAL;
ALTER TABLE keys ADD COLUMN hub REAL;
CREATE TABLE key_projection (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    projection BLOB NOT NULL,       -- Projection.to_bytes()
    trained_on INTEGER NOT NULL,    -- sentence keys it was learnt from
    trained_at REAL NOT NULL
);
"""

# Memory that lasts and lets go: usage events with the clock's time, each block's
# tier, value and pin, and the keys each tier holds. Hot blocks keep a float16 copy of their
# chunk keys beside the int8 ones; cold blocks' keys (chunk and sentence) move out of `keys`
# and `sentence_keys` into the `cold_*` tables, so the dense index never loads them while
# the chunks' text, locations and FTS rows stay where they are. The value scorer's weights
# and optimiser state, and what each consolidation changed, live here too.
_VALUE_TIERS = """
CREATE TABLE usage_events (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,               -- seconds since the epoch, from the library's clock
    kind TEXT NOT NULL,             -- see engine.value.events.EventKind
    doc_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    chunk_id INTEGER REFERENCES chunks(id) ON DELETE CASCADE
);
CREATE INDEX usage_events_chunk ON usage_events(chunk_id, at);
CREATE INDEX usage_events_doc ON usage_events(doc_id, at);
CREATE TABLE block_tiers (
    block_id INTEGER PRIMARY KEY REFERENCES blocks(id) ON DELETE CASCADE,
    tier TEXT NOT NULL DEFAULT 'warm',   -- 'hot' | 'warm' | 'cold'
    value REAL,                     -- the scorer's last value in [0, 1]
    pinned INTEGER NOT NULL DEFAULT 0,
    scored_at REAL,
    tier_since REAL
);
CREATE TABLE hot_keys (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    vec BLOB NOT NULL               -- float16, L2-normalised
);
CREATE TABLE cold_keys (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    vec BLOB NOT NULL,
    scale REAL,
    hub REAL
);
CREATE TABLE cold_sentence_keys (
    id INTEGER PRIMARY KEY,
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    vec BLOB NOT NULL,
    code BLOB,
    hub REAL
);
CREATE INDEX cold_sentence_keys_chunk ON cold_sentence_keys(chunk_id);
CREATE TABLE model_state (
    name TEXT PRIMARY KEY,
    weights BLOB NOT NULL,          -- torch.save of the state dict
    optimizer BLOB,                 -- torch.save of the optimiser's state dict
    steps INTEGER NOT NULL DEFAULT 0,
    updated_at REAL
);
CREATE TABLE consolidations (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    report TEXT NOT NULL            -- JSON: what changed (see engine.value.consolidate)
);
"""

# Conversations: the working memory of a chat survives a restart. A turn keeps the
# question, the recall query it was resolved to, the evidence it used (chunk ids in tag
# order), the quotes and citations it gave; the conversation keeps a fixed-size compressed
# memory (float32 vector) that follow-up questions are mixed with.
_CONVERSATIONS = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    title TEXT,
    created_at REAL,
    updated_at REAL,
    memory BLOB                     -- float32 [dim], L2-normalised; NULL before the first turn
);
CREATE TABLE conversation_turns (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    asked_at REAL,
    question TEXT NOT NULL,
    query TEXT,                     -- the recall query the question was resolved to
    beta REAL,                      -- how much of the conversation memory the recall mixed in
    place TEXT,                     -- a place the question restricted recall to, if any
    answer TEXT NOT NULL,           -- the model's synthesis
    quotes TEXT,                    -- JSON list of {text, n}
    evidence TEXT,                  -- JSON list of chunk ids, evidence[i] is tag i + 1
    cited TEXT                      -- JSON list of {n, chunk_id, path, ...}
);
CREATE INDEX conversation_turns_conv ON conversation_turns(conversation_id, id);
"""

# Chunk keys at scale: once a library has enough chunk keys it learns a second
# projection (engine/store/projection.py, `CHUNK_DIM` directions) and keeps each chunk key
# as that many int8 codes and a scale instead of the encoder's full width. A `keys` or
# `cold_keys` row's length tells which form it holds; the router scores codes directly.
_CHUNK_CODES = """
CREATE TABLE chunk_key_projection (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    projection BLOB NOT NULL,       -- Projection.to_bytes()
    trained_on INTEGER NOT NULL,    -- chunk keys it was learnt from
    trained_at REAL NOT NULL
);
"""

# Scores became centred cosines (engine/store/projection.py): hubs measured on raw cosines
# no longer match, so they are measured again (the flag makes the next search do it).
_CENTRED_HUBS = """
UPDATE keys SET hub = NULL;
UPDATE cold_keys SET hub = NULL;
UPDATE sentence_keys SET hub = NULL;
UPDATE cold_sentence_keys SET hub = NULL;
INSERT OR REPLACE INTO meta (key, value) VALUES ('hubs_pending', '1');
"""

# Sentence keys at scale: a flat scan of every sentence code grows with the library, so a
# large library groups its codes into cells around learnt centroids
# (engine/store/sentence_cells.py) and a question scans only the cells nearest it. `cell`
# is NULL until a row is assigned; the centroids live in the sentence projection's code
# space.
_SENTENCE_CELLS = """
CREATE TABLE sentence_cells (
    id INTEGER PRIMARY KEY,         -- the cell's number, from 0
    centroid BLOB NOT NULL          -- float32 unit vector in the sentence codes' space
);
ALTER TABLE sentence_keys ADD COLUMN cell INTEGER;
ALTER TABLE cold_sentence_keys ADD COLUMN cell INTEGER;
-- the rows still to assign, found after every ingest without reading the whole table
CREATE INDEX sentence_keys_no_cell ON sentence_keys(id) WHERE cell IS NULL;
CREATE INDEX cold_sentence_keys_no_cell ON cold_sentence_keys(id) WHERE cell IS NULL;
"""

# Search caches what it loads from these tables and reloads when the library's generation
# changes. Triggers count every row written to them, so no writer can forget to say so.
INDEXED_TABLES = ("chunks", "keys", "cold_keys", "hot_keys", "sentence_keys",
                  "cold_sentence_keys", "blocks", "key_projection", "chunk_key_projection",
                  "sentence_cells", "query_adapters")
_GENERATION_TRIGGERS = "INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);\n" + "".join(
    f"CREATE TRIGGER {table}_{op.lower()}_generation AFTER {op} ON {table} BEGIN\n"
    f"    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation';\nEND;\n"
    for table in INDEXED_TABLES for op in ("INSERT", "UPDATE", "DELETE"))

# Reading has two phases (engine/reading): 'readable' documents have text, locations, the
# keyword index and symbols; 'understood' ones also have keys, sentence keys and blocks.
# A library from before the phases holds understood documents, except those stored with
# their keys deferred: any chunk without a key (live or parked) marks its document readable.
_DOCUMENT_PHASE = """
ALTER TABLE documents ADD COLUMN phase TEXT NOT NULL DEFAULT 'understood';
UPDATE documents SET phase = 'readable' WHERE status = 'ready' AND EXISTS (
    SELECT 1 FROM chunks c WHERE c.doc_id = documents.id
    AND NOT EXISTS (SELECT 1 FROM keys k WHERE k.chunk_id = c.id)
    AND NOT EXISTS (SELECT 1 FROM cold_keys ck WHERE ck.chunk_id = c.id));
CREATE INDEX documents_readable ON documents(id) WHERE phase = 'readable';
"""

# Gists (engine/gists): short summaries of a document's blocks, sections, chapters and the
# whole document, written by the local model while the app is idle. A gist names the run
# of chunks it covers and the blocks in it, so an answer built on it cites places that
# open at a page; it dies with its document (a changed file is a new document row).
# `key` is the gist text's int8 key, for recall over levels.
_GISTS = """
CREATE TABLE gists (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    level TEXT NOT NULL,            -- 'block' | 'section' | 'chapter' | 'document'
    ordinal INTEGER NOT NULL,       -- position within its level, in document order
    first_chunk INTEGER NOT NULL,   -- chunk ids, inclusive
    last_chunk INTEGER NOT NULL,
    blocks TEXT NOT NULL,           -- JSON list of the block ids it covers
    section TEXT,                   -- JSON heading path it summarises ([] for the document)
    text TEXT NOT NULL,
    source TEXT NOT NULL,           -- 'model' | 'extract' (model said nothing checkable) | 'copy'
    key BLOB, key_scale REAL,
    prompt_s REAL, generate_s REAL, -- time the model spent reading and writing it
    made_at REAL,
    UNIQUE (doc_id, level, ordinal)
);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("core", _CORE),
    ("sentence_keys", _SENTENCE_KEYS),
    ("app_state", _APP_STATE),
    ("media", _MEDIA),
    ("memory_int8_keys_blocks", _MEMORY),
    ("code_graph", _CODE_GRAPH),
    ("query_adapters", _QUERY_ADAPTER),
    ("sentence_codes", _SENTENCE_CODES),
    ("value_tiers", _VALUE_TIERS),
    ("conversations", _CONVERSATIONS),
    ("chunk_codes", _CHUNK_CODES),
    ("centred_hubs", _CENTRED_HUBS),
    ("sentence_cells", _SENTENCE_CELLS),
    ("generation_triggers", _GENERATION_TRIGGERS),
    ("document_phase", _DOCUMENT_PHASE),
    ("gists", _GISTS),
]
SCHEMA_VERSION = len(MIGRATIONS)


def _applied(db: sqlite_utils.Database) -> list[str]:
    tables = db.table_names()
    if "migrations" not in tables:
        # the earliest libraries recorded only a version number for the core schema
        return ["core"] if "documents" in tables else []
    return [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY id").fetchall()]


def up_to_date(db: sqlite_utils.Database) -> bool:
    """Whether the library holds exactly the migrations this version knows (then opening
    writes nothing; one from a newer Memex is for `migrate` to refuse)."""
    return ("migrations" in db.table_names()
            and set(_applied(db)) == {name for name, _ in MIGRATIONS})


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
    if not todo and "migrations" in db.table_names():
        return
    with db.atomic():
        db.execute("CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY,"
                   " name TEXT UNIQUE, applied_at TEXT DEFAULT CURRENT_TIMESTAMP)")
        for name in applied:
            db.execute("INSERT OR IGNORE INTO migrations (name) VALUES (?)", [name])
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
