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
