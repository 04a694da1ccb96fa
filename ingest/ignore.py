"""What a folder walk leaves out of a repository: ignored, vendored and built files.

`.gitignore` files are honoured at every level (patterns relative to their own folder);
dependency and build folders are passed over with a reason the summary shows, because a
person who drags in a repository wants its own code, not the 40,000 files of
node_modules; version-control folders are hidden and skipped silently like every
dot-folder.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["SKIPPED_FOLDERS", "Rules", "folder_reason", "file_reason"]

SKIPPED_FOLDERS = {
    "node_modules": "installed JavaScript packages",
    "bower_components": "installed JavaScript packages",
    "site-packages": "installed Python packages",
    "vendor": "vendored third-party code",
    "build": "build output",
    "dist": "build output",
    "target": "build output",
    "__pycache__": "compiled Python caches",
    "CVS": "version-control data",
}
_MINIFIED_NAMES = (".min.js", ".min.mjs", ".bundle.js", "-min.js")


@dataclass(frozen=True)
class Rules:
    """The .gitignore specs in force for one folder: (folder they came from, spec)."""
    specs: tuple[tuple[str, object], ...] = ()

    def inside(self, folder: str) -> "Rules":
        """Rules for `folder`, adding its own .gitignore when it has one."""
        path = os.path.join(folder, ".gitignore")
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return self
        from pathspec import GitIgnoreSpec
        return Rules(self.specs + ((folder, GitIgnoreSpec.from_lines(lines)),))

    def ignores(self, path: str, is_dir: bool) -> bool:
        for base, spec in self.specs:
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            if spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False


def folder_reason(path: str, name: str) -> str | None:
    """Why a folder inside a walked tree is skipped, or None to walk it."""
    if name in SKIPPED_FOLDERS:
        return f"skipped folder: {SKIPPED_FOLDERS[name]} ({name})"
    if os.path.exists(os.path.join(path, "pyvenv.cfg")):
        return "skipped folder: a Python virtual environment"
    return None


def file_reason(name: str) -> str | None:
    """Why a file is skipped by its name alone, or None."""
    lower = name.lower()
    if lower.endswith(_MINIFIED_NAMES):
        return "skipped: a minified bundle (by its name)"
    return None
