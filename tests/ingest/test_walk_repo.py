"""Walking a repository: .gitignore, VCS/vendor/build folders, minified bundles, scripts
found by shebang, symlinks out of the root, and a large tree streamed lazily."""
from __future__ import annotations

import itertools
import os

from ingest import IngestError, walk
from ingest.errors import Skipped


def _tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def _split(items, root):
    files = [p.relative_to(root).as_posix() for p in items if not isinstance(p, IngestError)]
    skipped = {os.path.relpath(e.path, root): e.reason for e in items if isinstance(e, Skipped)}
    return files, skipped


def test_repository_walk_honours_ignores_and_skips_with_reasons(tmp_path):
    root = tmp_path / "repo"
    _tree(root, {
        ".gitignore": "*.log\ngenerated/\n/secret.py\n",
        "app/main.py": "print(1)\n",
        "app/.gitignore": "local_*.py\n",
        "app/local_conf.py": "x = 1\n",
        "app/secret.py": "y = 1\n",          # '/secret.py' is anchored at the root only
        "secret.py": "z = 1\n",
        "generated/out.py": "a = 1\n",
        "debug.log": "noise\n",
        ".git/HEAD": "ref\n",
        ".git/hooks/pre-commit.py": "hook\n",
        "node_modules/left-pad/index.js": "module.exports = 1\n",
        "vendor/lib.go": "package lib\n",
        "build/gen.c": "int x;\n",
        "env/pyvenv.cfg": "home = /usr\n",
        "env/lib/site.py": "import os\n",
        "web/app.min.js": "var a=1;\n",
        "web/app.js": "let a = 1;\n",
        "bin/tool": "#!/usr/bin/env python3\nprint('hi')\n",
        "bin/data": "no shebang here\n",
        "README.md": "# Repo\n",
    })
    outside = tmp_path / "outside"
    _tree(outside, {"leak.py": "stolen = 1\n"})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "app" / "leak.py").symlink_to(outside / "leak.py")
    files, skipped = _split(list(walk([root])), root)
    assert files == ["README.md", "app/main.py", "app/secret.py", "bin/tool", "web/app.js"]
    assert skipped == {
        "build": "skipped folder: build output (build)",
        "env": "skipped folder: a Python virtual environment",
        "node_modules": "skipped folder: installed JavaScript packages (node_modules)",
        "vendor": "skipped folder: vendored third-party code (vendor)",
        "web/app.min.js": "skipped: a minified bundle (by its name)",
    }


def test_a_large_tree_streams(tmp_path):
    root = tmp_path / "big"
    for d in range(40):
        folder = root / f"pkg{d:02d}"
        folder.mkdir(parents=True)
        for f in range(50):
            (folder / f"m{f:02d}.py").write_text("x = 1\n")
    it = walk([root])
    first = list(itertools.islice(it, 3))
    assert [p.name for p in first] == ["m00.py", "m01.py", "m02.py"]
    assert sum(1 for _ in it) == 40 * 50 - 3
