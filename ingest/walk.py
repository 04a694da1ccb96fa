"""`walk`: expand the paths a person picked into the files Memex can read.

Folders are walked depth-first in sorted order, so a library ingests in the same order
every time, one directory listing in memory at a time. Hidden entries (".git",
".DS_Store") are skipped. A symlink inside a folder is never followed: one that points
outside the folder would pull in files the person did not pick, and one that points
inside reaches files the walk visits anyway. Paths given explicitly are reported when
they cannot be read; unsupported files found inside folders are skipped silently, and so
are subtitle files beside a video of the same name (the video's document reads them).
Inside folders, `.gitignore` rules are honoured, and dependency/build folders and
minified bundles are reported as `Skipped` with their reason (see `ingest.ignore`).
Only one directory listing per level is held, so a 100k-file tree streams.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .code import shebang_language
from .errors import IngestError, Skipped
from .formats import SUPPORTED_SUFFIXES, kind_of
from .subtitles.sidecar import sidecar_base
from .ignore import Rules, file_reason, folder_reason

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
        elif kind_of(real) is None and not _has_shebang(real.name, str(real)):
            what = f"'{real.suffix}' files" if real.suffix else "files without an extension"
            yield IngestError(str(real), f"{what} are not supported "
                                         f"(Memex reads {_supported_list()})")
        else:
            yield real


def _walk_dir(root: Path, rules: Rules = Rules()) -> Iterator[Path | IngestError]:
    rules = rules.inside(str(root))
    try:
        with os.scandir(root) as it:
            entries = sorted(((e.name, e.path, e.is_symlink(), e.is_dir(follow_symlinks=False),
                               e.is_file(follow_symlinks=False))
                              for e in it if not e.name.startswith(".")))
    except OSError as exc:
        yield IngestError(str(root), f"the folder cannot be read ({exc.strerror or exc})")
        return
    videos = {Path(name).stem for name, *_ in entries if kind_of(Path(name)) == "video"}
    for name, path, is_link, is_dir, is_file in entries:
        if is_link or rules.ignores(path, is_dir):
            continue
        if (pair := sidecar_base(name)) is not None and pair[0] in videos:
            continue   # a video's sidecar subtitles: the video's document reads them
        if is_dir:
            reason = folder_reason(path, name)
            if reason:
                yield Skipped(path, reason)
            else:
                yield from _walk_dir(Path(path), rules)
        elif is_file and (kind_of(Path(name)) is not None or _has_shebang(name, path)):
            reason = file_reason(name)
            yield Skipped(path, reason) if reason else Path(path)


def _has_shebang(name: str, path: str) -> bool:
    """Extensionless scripts (`bin/deploy`) are code when their first line says so."""
    if "." in name:
        return False
    try:
        with open(path, "rb") as f:
            return shebang_language(f.read(128)) is not None
    except OSError:
        return False
