"""The layer rules: ingest and engine work with Qt made unimportable."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ingest_and_engine_import_without_qt():
    code = (
        "import sys\n"
        "for name in ('PySide6', 'PyQt6', 'PyQt5', 'shiboken6'): sys.modules[name] = None\n"
        "import ingest, engine.library, engine.cli.main, engine.reading.documents\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_ingest_imports_no_sql_and_no_torch():
    code = (
        "import sys\n"
        "for name in ('sqlite3', 'sqlite_utils', 'torch'): sys.modules[name] = None\n"
        "import ingest\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_package_names_load_on_first_use_and_stay_what_they_were():
    """`ingest` and `engine.recall` load their names lazily (so `memex trace` imports no
    parser or torch); a name shared with a submodule (`ingest.walk`) is still the function."""
    code = ("import sys, ingest, engine.recall.trace\n"
            "assert 'pymupdf' not in sys.modules and 'torch' not in sys.modules\n"
            "from ingest import walk, open_document, Chunk\n"
            "module = sys.modules['ingest.walk']\n"
            "assert callable(ingest.walk) and ingest.walk is walk and module is not walk\n"
            "from engine.recall import Hit, Searcher, MemoryIndex\n"
            "assert 'torch' in sys.modules\n")
    import subprocess
    import sys
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_commands_that_need_no_model_never_load_torch(tmp_path):
    """Reading to readable, keyword search, trace and list answer from the parsers and the
    SQLite file: scripts call them in loops, and torch alone costs about a second to load."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[1]
    code = ("import os, sys\n"
            "os.environ['MEMEX_NO_BACKGROUND'] = '1'\n"
            "from engine.cli.main import main\n"
            "lib, doc = sys.argv[1], sys.argv[2]\n"
            "for argv in (['ingest', '--no-wait', doc, '--library', lib],\n"
            "             ['search', '--keyword', 'white rabbit', '--library', lib],\n"
            "             ['trace', 'Caterpillar', '--library', lib], ['list', '--library', lib]):\n"
            "    assert main(argv) == 0, argv\n"
            "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "lib"),
                          str(root / "resources" / "samples" / "alice.txt")],
                         cwd=root, check=True, capture_output=True, text=True)
    assert "readable (being understood)" in out.stdout
