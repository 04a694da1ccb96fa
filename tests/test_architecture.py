"""The code's shape: `engine/store` alone speaks SQL and owns every stored format, nothing
reaches into the store's private members, and no modules import each other in a circle.

Why tests: these rules keep a change to the schema inside one folder. Each checker is also
run on a planted violation, so a checker that silently stopped finding anything fails.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "ingest", "app")
STORE = "engine.store"
RECALL = "engine.recall"

# SQL as Memex writes it: keywords in capitals (prose like "Select a file from" is not)
_SQL_WORDS = re.compile(r"\b(SELECT\b[\s\S]+\bFROM|INSERT\s+(OR\s+[A-Z]+\s+)?INTO|UPDATE\s+\w+\s+SET"
                        r"|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER|VIRTUAL|TEMP)|PRAGMA\s+\w+)\b")


def modules() -> dict[str, Path]:
    """Every module of the product, by dotted name."""
    out = {}
    for pkg in PACKAGES:
        for f in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = f
    return out


def sql_uses(source: str) -> list[str]:
    """What in a module's source talks to SQLite: imports of sqlite3 / sqlite_utils, calls
    of execute*, a store's connection (`.db`, `.conn`), and SQL statements in strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names
                      if a.name.split(".")[0] in ("sqlite3", "sqlite_utils", "apsw")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                "sqlite3", "sqlite_utils", "apsw"):
            found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Attribute) and node.attr in (
                "execute", "executemany", "executescript", "db", "conn"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, (ast.Constant, ast.JoinedStr)):
            text = node.value if isinstance(node, ast.Constant) else ast.unparse(node)
            if isinstance(text, str) and _SQL_WORDS.search(text):
                found.append(f"line {node.lineno}: SQL {text.strip()[:40]!r}")
    return found


def private_store_uses(source: str) -> list[str]:
    """Private members of the store used from outside it: `from engine.store… import _x`
    and `<…store…>._x`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(STORE):
            found += [f"import {a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and "store" in ast.unparse(node.value).lower():
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def private_searcher_uses(source: str) -> list[str]:
    """Private members of recall's searcher used from outside engine/recall: `<…searcher…>._x`
    (a second ranking rule grows wherever a step reaches into the searcher's insides)."""
    return [f"line {node.lineno}: {ast.unparse(node)}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr.startswith("_")
            and not node.attr.startswith("__") and "searcher" in ast.unparse(node.value).lower()]


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the product that `name` imports anywhere in its file (top level, inside
    functions, under TYPE_CHECKING: each is a dependency of the code)."""
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[:len(pkg) - (node.level - 1)]
                base = ".".join(pkg + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def outside_store() -> dict[str, Path]:
    return {n: p for n, p in modules().items() if not (n == STORE or n.startswith(STORE + "."))}


def test_only_the_store_speaks_sql():
    bad = {n: uses for n, p in outside_store().items() if (uses := sql_uses(p.read_text()))}
    assert not bad, f"SQL outside engine/store: {bad}"


def test_no_private_store_member_is_used_outside_it():
    bad = {n: uses for n, p in outside_store().items()
           if (uses := private_store_uses(p.read_text()))}
    assert not bad, f"private store members used outside engine/store: {bad}"


def test_no_private_searcher_member_is_used_outside_recall():
    """Every step ranks through `Searcher.search(Query)`: none reaches into its privates."""
    bad = {n: uses for n, p in modules().items()
           if not n.startswith(RECALL) and (uses := private_searcher_uses(p.read_text()))}
    bad |= {f"bench/{p.name}": uses for p in sorted((ROOT / "bench").glob("*.py"))
            if (uses := private_searcher_uses(p.read_text()))}
    assert not bad, f"private Searcher members used outside engine/recall: {bad}"


def test_no_import_cycles():
    mods = modules()
    graph = {n: imports(n, p, set(mods)) for n, p in mods.items()}
    assert len(graph) > 100 and sum(map(len, graph.values())) > 300    # the scan saw the code
    assert cycles(graph) == []


def test_the_checkers_find_what_they_look_for():
    assert sql_uses("import sqlite3")
    assert sql_uses("from sqlite_utils import Database")
    assert sql_uses("rows = store.db.execute('SELECT 1')")
    assert sql_uses("q = \"SELECT id FROM chunks WHERE doc_id = ?\"")
    assert sql_uses("q = 'UPDATE keys SET hub = NULL'")
    assert sql_uses("q = 'INSERT OR IGNORE INTO meta (key) VALUES (?)'")
    assert sql_uses("q = f'SELECT {column} FROM {table} WHERE id > ?'")
    assert not sql_uses("msg = 'Select a folder from the list'")
    assert not sql_uses("msg = 'Update the model'")
    assert private_store_uses("store._bump(db)")
    assert private_store_uses("self.store._conns.clear()")
    assert private_store_uses("from engine.store.keys import _unit")
    assert not private_store_uses("self._store = store")
    assert private_searcher_uses("searcher._dense(qkey, 50, exact=False)")
    assert private_searcher_uses("lib.searcher._matches(text, ids)")
    assert not private_searcher_uses("searcher.search(query, k=5)")
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
