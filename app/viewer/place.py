"""Where the viewer should open: built from a citation, a trace occurrence or a document."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Place", "kind_of_path", "clock", "SUBTITLES", "VIDEO"]

_CODE = {".py", ".js", ".ts", ".tsx", ".jsx", ".c", ".h", ".cc", ".cpp", ".hpp", ".rs", ".go",
         ".java", ".kt", ".rb", ".php", ".cs", ".swift", ".scala", ".sh", ".lua", ".sql",
         ".toml", ".yaml", ".yml", ".json", ".html", ".css"}
SUBTITLES = {".srt", ".vtt", ".ass", ".ssa"}
VIDEO = {".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi"}


def kind_of_path(path: str) -> str:
    """Which viewer opens a file: 'pdf', 'code', 'text', 'video', 'subtitles', or the
    suffix for other kinds."""
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in VIDEO:
        return "video"
    if suffix in SUBTITLES:
        return "subtitles"
    if suffix in _CODE:
        return "code"
    if suffix in {".txt", ".text", ".md", ".markdown", ".rst", ""}:
        return "text"
    return suffix.lstrip(".")


def clock(seconds: float) -> str:
    """'01:02:03' for 3723.4 s, floored to whole seconds as the engine's citations show it."""
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


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
    # subtitled media: the cited moment, its scene chunk and the keyframes (id, time_s) it spans
    start_s: float | None = None
    end_s: float | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    chunk_id: int | None = None
    keyframes: tuple[tuple[int, float], ...] = ()

    @property
    def kind(self) -> str:
        return kind_of_path(self.path)

    @classmethod
    def of(cls, d: dict) -> "Place":
        """From a citation dict (Hit.to_json() plus char span) or any object's fields."""
        return cls(path=d["path"], page=d.get("page"), line_start=d.get("line_start"),
                   line_end=d.get("line_end"), char_start=d.get("char_start"),
                   char_end=d.get("char_end"), text=d.get("text") or "",
                   label=d.get("label") or "", start_s=d.get("start_s"), end_s=d.get("end_s"),
                   cue_start=d.get("cue_start"), cue_end=d.get("cue_end"),
                   chunk_id=d.get("chunk_id"),
                   keyframes=tuple((k["id"], k["time_s"]) for k in d.get("keyframes") or ()))

    @classmethod
    def of_object(cls, o) -> "Place":
        return cls(path=o.path, page=getattr(o, "page", None),
                   line_start=getattr(o, "line_start", None), line_end=getattr(o, "line_end", None),
                   text=getattr(o, "text", "") or "", start_s=getattr(o, "start_s", None),
                   end_s=getattr(o, "end_s", None))

    @property
    def when(self) -> str:
        """'00:00:22–00:00:23' for a media place, '' otherwise."""
        if self.start_s is None:
            return ""
        a = clock(self.start_s)
        b = clock(self.end_s) if self.end_s is not None else a
        return a if a == b else f"{a}–{b}"
