"""The symbol graph in the store: writing a document's definitions and references, and
resolving references to definitions.

A reference is resolved only when the answer is unambiguous: a `self.` call to a method of
the enclosing class, a name its import says comes from a module the library holds, the
only definition of that name in the same file, or the only one in the library. Otherwise
it stays a name match (`resolution = 'none'`), which `trace` still lists.

Resolution is incremental: new references start pending, and every name whose definitions
were added or removed is marked dirty in the same transaction as the document write, so
the pass after a batch revisits only those — and a crash between the two loses nothing.
"""
from __future__ import annotations

import os
from typing import Iterable, Sequence

import sqlite_utils

from engine.jobs import CancelToken, Report, no_report
from ingest.records import Definition, Reference

__all__ = ["write_symbols", "mark_dirty", "resolve_graph", "module_matches"]

_BATCH = 50_000


def mark_dirty(db: sqlite_utils.Database, doc_id: int) -> None:
    """Before a document's symbols go: their names need their references revisited."""
    db.execute("INSERT OR IGNORE INTO graph_dirty(name) SELECT DISTINCT name FROM symbols"
               " WHERE doc_id = ?", [doc_id])


def write_symbols(db: sqlite_utils.Database, doc_id: int, definitions: Sequence[Definition],
                  references: Sequence[Reference]) -> None:
    db.conn.executemany(
        "INSERT INTO symbols (doc_id, name, qualname, kind, line_start, line_end, signature,"
        " doc) VALUES (?,?,?,?,?,?,?,?)",
        ((doc_id, d.name, d.qualname, d.kind, d.line_start, d.line_end, d.signature, d.doc)
         for d in definitions))
    db.conn.executemany(
        "INSERT INTO refs (doc_id, name, kind, line, scope, module, receiver, text)"
        " VALUES (?,?,?,?,?,?,?,?)",
        ((doc_id, r.name, r.kind, r.line, r.scope, r.module, r.receiver, r.text)
         for r in references))
    db.conn.executemany("INSERT OR IGNORE INTO graph_dirty(name) VALUES (?)",
                        ((n,) for n in {d.name for d in definitions}))


def module_matches(doc_path: str, module: str, from_path: str) -> bool:
    """Is `doc_path` the file (or in the package folder) of `module` as imported from
    `from_path`? Python dotted names ('json.decoder', '.decoder' relative to the importer),
    path-style imports ('./api.js', 'net/http') and package folders (Go, Java) all count."""
    stem = os.path.splitext(doc_path)[0]
    if stem.endswith(os.sep + "__init__") or stem.endswith(os.sep + "index"):
        stem = os.path.dirname(stem)
    folder = os.path.dirname(doc_path)
    if module.startswith((".", "/")) and "/" in module:        # './api.js', '../lib/x'
        target = os.path.normpath(os.path.join(os.path.dirname(from_path), module))
        return stem in (target, os.path.splitext(target)[0])
    if module.startswith("."):                                  # Python relative import
        dots = len(module) - len(module.lstrip("."))
        base = os.path.dirname(from_path)
        for _ in range(dots - 1):
            base = os.path.dirname(base)
        rest = module[dots:]
        target = os.path.join(base, *rest.split(".")) if rest else base
        return stem == target or folder == target
    tail = os.sep + module.replace("::", ".").replace(".", os.sep).strip(os.sep) \
        if "/" not in module else os.sep + module.strip("/")
    return stem.endswith(tail) or folder.endswith(tail)


class _Modules:
    """Which documents a module name points at, cached per (module, importing folder):
    a name defined in hundreds of files (`__init__`) must not test every path per call."""

    def __init__(self, paths: dict[int, str]):
        self.paths = paths
        self.by_last: dict[str, list[int]] = {}       # last path component -> doc ids
        for doc_id, path in paths.items():
            stem = os.path.splitext(path)[0]
            for key in {os.path.basename(stem), os.path.basename(os.path.dirname(path))}:
                self.by_last.setdefault(key, []).append(doc_id)
        self._cache: dict[tuple[str, str], frozenset[int]] = {}

    def docs(self, module: str, from_path: str) -> frozenset[int]:
        key = (module, os.path.dirname(from_path))
        if key not in self._cache:
            last = module.replace("::", ".").rstrip("/").split("/")[-1]
            last = os.path.splitext(last)[0] if "/" in module else last.split(".")[-1]
            pool = self.by_last.get(last, []) if last else list(self.paths)
            if not last or last in ("__init__", "index"):
                pool = list(self.paths)
            self._cache[key] = frozenset(
                d for d in pool if module_matches(self.paths[d], module, from_path))
        return self._cache[key]


class _Named:
    """The definitions sharing one name, indexed by document."""

    def __init__(self) -> None:
        self.count = 0
        self.by_doc: dict[int, list[tuple[int, str]]] = {}      # doc -> [(id, qualname)]

    def add(self, sid: int, doc_id: int, qualname: str) -> None:
        self.count += 1
        self.by_doc.setdefault(doc_id, []).append((sid, qualname))


_NONE = _Named()


def _choose(ref: tuple, named: _Named, modules: _Modules) -> tuple[int | None, str]:
    """(symbol id, how) for one reference; (None, 'none') when ambiguous."""
    _, doc_id, name, kind, scope, module, receiver = ref
    if not named.count:
        return None, "none"
    here = named.by_doc.get(doc_id, ())
    if receiver == "self" and scope and here:
        parts = scope.split(".")
        for n in range(len(parts) - 1, 0, -1):
            want = ".".join(parts[:n]) + "." + name
            hit = [sid for sid, q in here if q == want]
            if len(hit) == 1:
                return hit[0], "self"
    if module:
        docs = modules.docs(module, modules.paths.get(doc_id, ""))
        hit = [d for doc in docs & named.by_doc.keys() for d in named.by_doc[doc]]
        if len(hit) == 1:
            return hit[0][0], "import"
    if receiver is None and here:
        hit = here if len(here) == 1 else [d for d in here if d[1] == name]  # top level wins
        if len(hit) == 1:
            return hit[0][0], "same-file"
    if named.count == 1:
        return next(iter(named.by_doc.values()))[0][0], "unique"
    return None, "none"


def _candidates(db: sqlite_utils.Database, names: Iterable[str]) -> dict[str, _Named]:
    db.execute("CREATE TEMP TABLE IF NOT EXISTS want_names (name TEXT PRIMARY KEY)")
    db.execute("DELETE FROM want_names")
    db.conn.executemany("INSERT OR IGNORE INTO want_names VALUES (?)", ((n,) for n in names))
    out: dict[str, _Named] = {}
    for sid, doc_id, name, qualname in db.execute(
            "SELECT s.id, s.doc_id, s.name, s.qualname FROM symbols s"
            " JOIN want_names w ON w.name = s.name"):
        if name not in out:
            out[name] = _Named()
        out[name].add(sid, doc_id, qualname)
    db.execute("DELETE FROM want_names")
    return out


def resolve_graph(db: sqlite_utils.Database, *, cancel: CancelToken | None = None,
                  report: Report = no_report) -> int:
    """Resolve pending references and those of dirty names; returns how many were looked at.
    Call inside one transaction: it reads and rewrites `refs`."""
    # A definition added or removed elsewhere can change a reference that pointed at a
    # now-deleted one, or one decided by counting ('unique', 'none'); 'self',
    # 'same-file' and 'import' answers depend only on files that did not change.
    todo = [r[0] for r in db.execute(
        "SELECT id FROM refs WHERE resolution IS NULL UNION SELECT r.id FROM refs r"
        " JOIN graph_dirty g ON g.name = r.name WHERE r.target_id IS NULL"
        " OR r.resolution IN ('unique', 'none')")]
    todo.sort()
    modules = _Modules(dict(db.execute(
        "SELECT id, path FROM documents WHERE modality = 'code'").fetchall()))
    db.execute("CREATE TEMP TABLE IF NOT EXISTS batch_refs (id INTEGER PRIMARY KEY)")
    for start in range(0, len(todo), _BATCH):
        if cancel is not None:
            cancel.check()
        report(start, len(todo), "resolving references")
        db.execute("DELETE FROM batch_refs")
        db.conn.executemany("INSERT INTO batch_refs VALUES (?)",
                            ((i,) for i in todo[start:start + _BATCH]))
        refs = db.execute(
            "SELECT r.id, r.doc_id, r.name, r.kind, r.scope, r.module, r.receiver FROM refs r"
            " JOIN batch_refs b ON b.id = r.id").fetchall()
        cands = _candidates(db, {r[2] for r in refs})
        db.conn.executemany(
            "UPDATE refs SET target_id = ?, resolution = ? WHERE id = ?",
            ((*_choose(r, cands.get(r[2], _NONE), modules), r[0]) for r in refs))
    db.execute("DELETE FROM batch_refs")
    db.execute("DELETE FROM graph_dirty")
    report(len(todo), len(todo), "resolving references")
    return len(todo)
