"""The package boundary: public names, and ingest importing nothing above it."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ingest

ROOT = Path(ingest.__file__).parent
FORBIDDEN = {"engine", "app", "PySide6", "PyQt5", "PyQt6", "torch", "sqlite3", "sqlite_utils"}


def test_public_names():
    assert set(ingest.__all__) >= {"open_document", "walk", "SUPPORTED_SUFFIXES", "Document",
                                   "Chunk", "Location", "IngestError"}
    for name in ingest.__all__:
        assert hasattr(ingest, name), name


def test_every_module_declares_all_and_imports_nothing_above_ingest():
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        names = {n.id for node in tree.body if isinstance(node, ast.Assign)
                 for n in node.targets if isinstance(n, ast.Name)}
        assert "__all__" in names, f"{path} has no __all__"
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                    else [])
            for mod in mods:
                assert mod.split(".")[0] not in FORBIDDEN, f"{path} imports {mod}"


def test_imports_with_qt_unimportable():
    code = ("import sys; sys.modules['PySide6'] = None; import ingest, ingest.prose; "
            "bad = {'torch', 'PySide6', 'sqlite3', 'engine'} & set(sys.modules) - {'PySide6'}; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT.parent)
