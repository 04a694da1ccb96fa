"""Where the viewer should open: built from a citation, a trace occurrence or a document."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Place", "kind_of_path"]

_CODE = {".py", ".js", ".ts", ".tsx", ".jsx", ".c", ".h", ".cc", ".cpp", ".hpp", ".rs", ".go",
         ".java", ".kt", ".rb", ".php", ".cs", ".swift", ".scala", ".sh", ".lua", ".sql",
         ".toml", ".yaml", ".yml", ".json", ".html", ".css"}


def kind_of_path(path: str) -> str:
    """Which viewer opens a file: 'pdf', 'code', 'text', or the suffix for other kinds."""
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in _CODE:
        return "code"
    if suffix in {".txt", ".text", ".md", ".markdown", ".rst", ""}:
        return "text"
    return suffix.lstrip(".")


@dataclass(frozen=True)
class Place:
    path: str
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    text: str = ""               # the evidence itself (fallback highlight, other kinds)
    label: str = ""

    @property
    def kind(self) -> str:
        return kind_of_path(self.path)

    @classmethod
    def of(cls, d: dict) -> "Place":
        """From a citation dict (Hit.to_json() plus char span) or any object's fields."""
        return cls(path=d["path"], page=d.get("page"), line_start=d.get("line_start"),
                   line_end=d.get("line_end"), char_start=d.get("char_start"),
                   char_end=d.get("char_end"), text=d.get("text") or "",
                   label=d.get("label") or "")

    @classmethod
    def of_object(cls, o) -> "Place":
        return cls(path=o.path, page=getattr(o, "page", None),
                   line_start=getattr(o, "line_start", None), line_end=getattr(o, "line_end", None),
                   text=getattr(o, "text", "") or "")
