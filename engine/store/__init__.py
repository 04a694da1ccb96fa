"""The library's SQLite store."""
from engine.store.media import KeyframeRef, StoredCue
from engine.store.store import DB_NAME, DocumentRow, Store, StoredChunk, sqlite_version

__all__ = ["Store", "DocumentRow", "StoredChunk", "DB_NAME", "KeyframeRef", "StoredCue",
           "sqlite_version"]
