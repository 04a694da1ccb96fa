"""`memex`: the window for no arguments or `memex gui`, the command line for the rest.

The engine never imports the app, so the console script points here; `python -m
engine.cli` keeps working without Qt.
"""
from __future__ import annotations

import argparse
import sys

__all__ = ["main", "run_gui"]


def _gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="memex gui", description="Open the Memex window.")
    p.add_argument("--library", metavar="PATH", help="open this library folder (remembered)")
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
    settings = Settings()
    if args.library:
        settings.library = args.library
    window = MainWindow(settings)
    window.show()
    print(window.windowTitle(), flush=True)
    if args.quit_after:
        QTimer.singleShot(args.quit_after, window.close)
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui":
        return run_gui(args[1:])
    from engine.cli import main as cli_main
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
