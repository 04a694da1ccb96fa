"""Pairing a video with the subtitle files beside it ("talk.mp4" + "talk.en.srt").

Players accept the video's own name with a subtitle suffix, optionally with a language
tag between ("talk.en.srt", "talk.pt-BR.vtt", "talk.eng.ass"). Memex reads one track
per video: the untagged file first, then English, then the first in name order.
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["sidecars", "sidecar_base", "SUBTITLE_SUFFIXES"]

SUBTITLE_SUFFIXES = (".srt", ".vtt", ".ass", ".ssa")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def sidecar_base(name: str) -> tuple[str, str | None] | None:
    """("talk", "en") for "talk.en.srt", ("talk", None) for "talk.srt", None when `name`
    is not a subtitle file."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix.lower() not in SUBTITLE_SUFFIXES or not stem:
        return None
    base, dot, tag = stem.rpartition(".")
    if dot and base and _LANG.match(tag):
        return base, tag
    return stem, None


def sidecars(video: Path) -> list[Path]:
    """Subtitle files beside `video`, best first."""
    try:
        names = sorted(p.name for p in video.parent.iterdir() if p.is_file())
    except OSError:
        return []
    found: list[tuple[int, str]] = []
    for name in names:
        pair = sidecar_base(name)
        if pair is None:
            continue
        base, tag = pair
        if tag is None and name.rpartition(".")[0] == video.stem:
            found.append((0, name))
        elif tag is not None and base == video.stem:
            found.append((1 if tag.lower().split("-")[0].split("_")[0] in ("en", "eng") else 2,
                          name))
    return [video.parent / name for _, name in sorted(found)]
