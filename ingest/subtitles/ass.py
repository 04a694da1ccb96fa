"""Advanced SubStation (.ass) and SubStation Alpha (.ssa): the [Events] section.

The `Format:` line says where Start, End and Text sit (SSA puts "Marked" first), and
Text is always last, so it may contain commas. `Comment:` lines are not shown on screen
and are skipped.
"""
from __future__ import annotations

from .markup import strip_ass
from .srt import report_broken
from .timecode import parse_time
from .track import RawCue

__all__ = ["parse_ass", "ass_title"]

_DEFAULT_FORMAT = ["layer", "start", "end", "style", "name", "marginl", "marginr", "marginv",
                   "effect", "text"]


def parse_ass(text: str, warnings: list[str]) -> list[RawCue]:
    cues: list[RawCue] = []
    broken: list[str] = []
    section = ""
    fields = _DEFAULT_FORMAT
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if line.startswith("[") and line.endswith("]"):
            section = line.lower()
            continue
        if section != "[events]" or ":" not in line:
            continue
        kind, _, rest = line.partition(":")
        kind = kind.strip().lower()
        if kind == "format":
            fields = [f.strip().lower() for f in rest.split(",")]
            continue
        if kind != "dialogue":
            continue
        values = [v.strip() for v in rest.split(",", len(fields) - 1)]
        if len(values) < len(fields) or not {"start", "end", "text"} <= set(fields):
            broken.append(f"the dialogue on line {number} has too few fields")
            continue
        row = dict(zip(fields, values))
        start, end = parse_time(row["start"]), parse_time(row["end"])
        if start is None or end is None:
            broken.append(f"the dialogue on line {number} has an invalid time "
                          f"({row['start']} / {row['end']})")
            continue
        cues.append(RawCue(start, end, strip_ass(rest.split(",", len(fields) - 1)[-1]), number))
    report_broken(broken, warnings)
    return cues


def ass_title(text: str) -> str | None:
    for line in text.splitlines()[:50]:
        if line.lower().startswith("title:"):
            title = line.split(":", 1)[1].strip()
            return title or None
    return None
