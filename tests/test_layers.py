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
