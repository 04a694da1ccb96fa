"""app/ touches no SQL and no tensors: it reaches the engine only through its API."""
from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
FORBIDDEN = re.compile(r"^\s*(import|from)\s+(sqlite3|sqlite_utils|torch|numpy|pymupdf|fitz|llama_cpp)\b", re.M)


def test_app_imports_no_sql_tensors_or_parsers():
    offenders = [f"{p.name}: {m.group(0).strip()}" for p in APP.rglob("*.py")
                 for m in FORBIDDEN.finditer(p.read_text())]
    assert offenders == []


def test_app_has_public_names():
    import app
    import app.viewer
    assert app.__all__ and app.viewer.__all__
