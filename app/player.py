"""Playing a video from a moment in the system's player, when Qt has no QtMultimedia.

Engine-free: a path and a start time go in, a command line (or the desktop's default
handler, which cannot seek) comes out. `player_command` only builds; `play_external` runs.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from app.viewer.place import SUBTITLES, VIDEO, clock

__all__ = ["PLAYERS", "player_command", "play_external", "video_beside", "seconds_arg"]


def seconds_arg(s: float) -> str:
    """'22.2' for 22.2 s: milliseconds at most, no trailing zeros."""
    return f"{max(0.0, s):.3f}".rstrip("0").rstrip(".") or "0"


# (program, how it is told to start at S seconds), in order of preference
PLAYERS: tuple[tuple[str, Callable[[str, str, str], list[str]]], ...] = (
    ("mpv", lambda exe, path, s: [exe, f"--start={s}", path]),
    ("vlc", lambda exe, path, s: [exe, f"--start-time={s}", path]),
    ("ffplay", lambda exe, path, s: [exe, "-ss", s, "-autoexit", path]),
)


def player_command(path: str, start_s: float, *, search_path: str | None = None) -> list[str] | None:
    """The command that plays `path` from `start_s` with the first player on PATH
    (`search_path` stands in for $PATH), or None when there is none."""
    for name, build in PLAYERS:
        exe = shutil.which(name, path=search_path)
        if exe:
            return build(exe, path, seconds_arg(start_s))
    return None


def start_detached(cmd: list[str]) -> bool:
    ok, _pid = QProcess.startDetached(cmd[0], cmd[1:])
    return bool(ok)


def open_url(path: str) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def play_external(path: str, start_s: float, *, search_path: str | None = None) -> str:
    """Start the system player at `start_s`; returns a note for the person (never raises)."""
    cmd = player_command(path, start_s, search_path=search_path)
    if cmd is not None and start_detached(cmd):
        return f"Playing in {Path(cmd[0]).stem} from {clock(start_s)}."
    if open_url(path):
        return (f"Opened in the default player, which cannot be told where to start: "
                f"skip to {clock(start_s)}. (mpv, VLC or ffplay on PATH would start there.)")
    return f"No player could open {Path(path).name}."


def video_beside(path: str) -> str | None:
    """The video a citation plays: the file itself, or for a subtitle file a video with the
    same base name beside it ('talk.en.srt' → 'talk.mp4' or 'talk.en.mp4'); else None."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in VIDEO:
        return path
    if suffix not in SUBTITLES:
        return None
    stems = [p.stem]
    if "." in p.stem:                       # a language suffix: talk.en.srt
        stems.append(p.stem.rsplit(".", 1)[0])
    for stem in stems:
        for ext in sorted(VIDEO):
            for cand in (p.with_name(stem + ext), p.with_name(stem + ext.upper())):
                if cand.is_file():
                    return str(cand)
    return None
