"""walk(): folder expansion, hidden entries, symlinks, explicit bad paths."""
from __future__ import annotations

import types

import pytest

from ingest import IngestError, walk


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "lib"
    outside = tmp_path / "outside"
    for rel in ["a.txt", "b.md", "Z.TXT", "notes.docx", ".hidden.txt", "sub/c.pdf",
                "sub/deeper/d.epub", "sub/deeper/e.markdown", "sub/x.text", ".git/f.txt",
                "sub/.cache/g.md"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (outside / "secret").mkdir(parents=True)
    (outside / "secret.txt").write_text("x")
    (outside / "secret" / "s.md").write_text("x")
    (root / "link_dir_out").symlink_to(outside / "secret", target_is_directory=True)
    (root / "link_out.txt").symlink_to(outside / "secret.txt")
    (root / "sub" / "link_in.md").symlink_to(root / "b.md")
    return root


def rel(items, root):
    return [p.relative_to(root).as_posix() if not isinstance(p, IngestError) else p.reason
            for p in items]


def test_folder_is_walked_sorted_and_filtered(tree):
    got = list(walk([tree]))
    assert all(p.is_absolute() and p == p.resolve() for p in got)
    assert rel(got, tree) == ["Z.TXT", "a.txt", "b.md", "sub/c.pdf", "sub/deeper/d.epub",
                              "sub/deeper/e.markdown", "sub/x.text"]


def test_walk_is_lazy(tree):
    it = walk([tree])
    assert isinstance(it, types.GeneratorType)
    assert next(it) == tree / "Z.TXT"


def test_explicit_paths(tree, tmp_path):
    missing = tmp_path / "missing.pdf"
    got = list(walk([tree / "a.txt", missing, tree / "notes.docx", str(tree / "sub" / "deeper")]))
    assert got[0] == tree / "a.txt"
    assert isinstance(got[1], IngestError) and got[1].path == str(missing)
    assert got[1].reason == "the file or folder does not exist"
    assert isinstance(got[2], IngestError) and "'.docx' files are not supported" in got[2].reason
    assert got[3:] == [tree / "sub/deeper/d.epub", tree / "sub/deeper/e.markdown"]


def test_explicit_hidden_and_symlinked_files_are_honoured(tree):
    got = list(walk([tree / ".hidden.txt", tree / "link_out.txt"]))
    assert got == [tree / ".hidden.txt", (tree / "link_out.txt").resolve()]


def test_nested_roots_are_not_repeated(tree):
    got = list(walk([tree, tree / "sub", tree / "a.txt"]))
    assert len(got) == len(set(got)) == 7
