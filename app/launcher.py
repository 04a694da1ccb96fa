"""`memex`: the window for no arguments, `memex gui` or `memex FILE...` (a desktop's
"Open with Memex"), the command line for the rest.

The engine never imports the app, so the console script points here; `python -m
engine.cli` keeps working without Qt.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main", "run_gui", "open_when_read"]


def _gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="memex gui", description="Open the Memex window.")
    p.add_argument("--library", metavar="PATH", help="open this library folder (remembered)")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="read these files into the library, then show them (Open with Memex)")
    p.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)  # smoke tests
    return p


def run_gui(argv: list[str] | None = None) -> int:
    args = _gui_parser().parse_args(argv or [])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Memex")
    app.setOrganizationName("Memex")
    app.setDesktopFileName("memex")          # Wayland: the window's icon and entry
    icon = Path(__file__).resolve().parents[1] / "resources" / "icons" / "memex.svg"
    if icon.exists():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(icon)))
    settings = Settings()
    if args.library:
        settings.library = args.library
    window = MainWindow(settings)
    window.show()
    if args.files:
        open_when_read(window, args.files)
    # printed once the event loop runs the shown window: what a start-up timing waits for
    QTimer.singleShot(0, lambda: print(window.windowTitle(), flush=True))
    if args.quit_after:
        QTimer.singleShot(args.quit_after, window.close)
    return app.exec()


def open_when_read(window, files: list[str]) -> None:
    """Read `files` into the window's library (unchanged ones are skipped at once), then
    show each in the source viewer as soon as the library lists it."""
    waiting = {Path(f).expanduser().resolve() for f in files}

    def listed(docs: list) -> None:
        for doc in docs:
            path = Path(doc.path).resolve()
            if path in waiting and doc.status == "ready":
                waiting.discard(path)
                window.open_document(doc)

    window.session.documents_changed.connect(listed)
    window.add_paths([str(Path(f).expanduser()) for f in files])


def _is_file_to_open(arg: str) -> bool:
    if arg.startswith("-") or not Path(arg).exists():
        return False
    from engine.cli.main import COMMANDS
    return arg not in COMMANDS


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui":
        return run_gui(args[1:])
    if _is_file_to_open(args[0]):
        return run_gui(args)
    from engine.cli import main as cli_main
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
