"""`walk`: expand the paths a person picked into the files Memex can read.

Folders are walked depth-first in sorted order, so a library ingests in the same order
every time, one directory listing in memory at a time. Hidden entries (".git",
".DS_Store") are skipped. A symlink inside a folder is never followed: one that points
outside the folder would pull in files the person did not pick, and one that points
inside reaches files the walk visits anyway. Paths given explicitly are reported when
they cannot be read; unsupported files found inside folders are skipped silently, and so
are subtitle files beside a video of the same name (the video's document reads them).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .errors import IngestError
from .formats import SUPPORTED_SUFFIXES, kind_of
from .subtitles.sidecar import sidecar_base

__all__ = ["walk"]


def _supported_list() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def walk(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    """Yield readable files as absolute resolved Paths, and an IngestError for each
    explicitly given path that does not exist or is not a supported file.

    A path inside a folder given earlier in `paths` is not yielded twice."""
    roots: list[Path] = []
    for given in paths:
        p = Path(given).expanduser()
        try:
            real = p.resolve(strict=True)
        except (OSError, RuntimeError):   # missing, dangling link, or a link loop
            yield IngestError(str(p.absolute()), "the file or folder does not exist")
            continue
        if any(real == r or r in real.parents for r in roots):
            continue
        if real.is_dir():
            roots.append(real)
            yield from _walk_dir(real)
        elif not real.is_file():
            yield IngestError(str(real), "this is not a regular file")
        elif kind_of(real) is None:
            what = f"'{real.suffix}' files" if real.suffix else "files without an extension"
            yield IngestError(str(real), f"{what} are not supported "
                                         f"(Memex reads {_supported_list()})")
        else:
            yield real


def _walk_dir(root: Path) -> Iterator[Path | IngestError]:
    try:
        with os.scandir(root) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")),
                             key=lambda e: e.name)
    except OSError as exc:
        yield IngestError(str(root), f"the folder cannot be read ({exc.strerror or exc})")
        return
    videos = {Path(e.name).stem for e in entries if kind_of(Path(e.name)) == "video"}
    for e in entries:
        if (pair := sidecar_base(e.name)) is not None and pair[0] in videos:
            continue
        try:
            if e.is_symlink():
                continue
            if e.is_dir(follow_symlinks=False):
                yield from _walk_dir(Path(e.path))
            elif e.is_file(follow_symlinks=False) and kind_of(Path(e.name)) is not None:
                yield Path(e.path)
        except OSError:
            continue   # vanished or unreadable while walking: nothing to ingest
