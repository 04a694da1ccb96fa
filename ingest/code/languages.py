"""Which language a source file is in (extension, else shebang) and its tree-sitter grammar.

Grammars come from the individual PyPI wheels (tree-sitter-python, ...) and are loaded on
first use, so opening a Python file never pays for the C++ grammar. Parsers and compiled
queries are cached per thread: a tree-sitter Parser must not be shared across threads.
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from pathlib import Path

from .queries import DEFS, REFS

__all__ = ["LANGUAGE_BY_SUFFIX", "CODE_SUFFIXES", "Grammar", "language_of", "shebang_language",
           "grammar"]

LANGUAGE_BY_SUFFIX = {
    ".py": "python", ".pyw": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".c": "c", ".h": "c",
    ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
}
CODE_SUFFIXES: frozenset[str] = frozenset(LANGUAGE_BY_SUFFIX)

# (PyPI module, function returning the language pointer)
_GRAMMAR_MODULES = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "java": ("tree_sitter_java", "language"),
}
_INTERPRETERS = {b"python": "python", b"node": "javascript", b"nodejs": "javascript",
                 b"deno": "typescript", b"bun": "javascript"}


def language_of(path: Path) -> str | None:
    """The language by extension (any case), else None."""
    return LANGUAGE_BY_SUFFIX.get(path.suffix.lower())


def shebang_language(head: bytes) -> str | None:
    """'python' for '#!/usr/bin/env python3', 'javascript' for '#!/usr/bin/node', else None."""
    if not head.startswith(b"#!"):
        return None
    words = head[2:].split(b"\n", 1)[0].split()
    if words and words[0].rsplit(b"/", 1)[-1] == b"env":
        words = [w for w in words[1:] if not w.startswith(b"-")]
    if not words:
        return None
    program = words[0].rsplit(b"/", 1)[-1].rstrip(b"0123456789.").lower()
    return _INTERPRETERS.get(program)


@dataclass(frozen=True)
class Grammar:
    name: str
    parser: object         # tree_sitter.Parser
    defs: object           # tree_sitter.Query
    refs: object


_local = threading.local()


def grammar(name: str) -> Grammar:
    """The parser and compiled queries for `name`, built once per thread."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    if name not in cache:
        import tree_sitter as ts
        module, fn = _GRAMMAR_MODULES[name]
        lang = ts.Language(getattr(importlib.import_module(module), fn)())
        cache[name] = Grammar(name, ts.Parser(lang), ts.Query(lang, DEFS[name]),
                              ts.Query(lang, REFS[name]))
    return cache[name]
