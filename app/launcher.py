"""`memex`: the window for no arguments or `memex gui`, the command line for the rest.

The engine never imports the app, so the console script points here; `python -m
engine.cli` keeps working without Qt.
"""
from __future__ import annotations

import sys

__all__ = ["main", "run_gui"]


def run_gui(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1] + list(argv or []))
    app.setApplicationName("Memex")
    app.setOrganizationName("Memex")
    window = MainWindow()
    window.show()
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui":
        return run_gui(args[1:])
    from engine.cli import main as cli_main
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
