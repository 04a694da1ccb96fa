"""Screenshots of the real app under Xvfb: the book listed as readable while it is being
understood (phase 2 of reading), the main window with an answer and its cited page open,
the trace panel, and the settings dialog, saved to docs/screenshots/.

    python bench/screenshots.py [--out docs/screenshots] [--keep-library PATH]

It starts Xvfb itself (when $DISPLAY is unset), reads the bundled sample book into a fresh
library through a real drop, asks the sample question, clicks the first citation, traces a
term and opens the settings. Ends by printing one line of JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUESTION_LINE = "SAMPLE_QUESTION: "
SIZE = (1360, 820)


def start_xvfb() -> subprocess.Popen | None:
    if os.environ.get("DISPLAY"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("screenshots: Xvfb is not installed (Debian: apt-get install xvfb)")
    for n in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    proc = subprocess.Popen([xvfb, f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{n}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def wait(app, until, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    xvfb = start_xvfb()
    try:
        return shoot(Path(args.out))
    finally:
        if xvfb is not None:
            xvfb.terminate()


def shoot(out: Path) -> int:
    from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QApplication

    from app.main_window import SAMPLE, MainWindow
    from app.settings import Settings

    app = QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="memex-shots-"))
    settings = Settings(QSettings(str(tmp / "memex.ini"), QSettings.IniFormat))
    settings.qs.setValue("library/path", str(tmp / "library"))
    question = next(line[len(QUESTION_LINE):].strip()
                    for line in (ROOT / "resources/samples/README.md").read_text().splitlines()
                    if line.startswith(QUESTION_LINE))
    window = MainWindow(settings)
    window.resize(*SIZE)
    window.show()
    figures = {"platform": app.platformName()}

    t0 = time.perf_counter()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLE))])
    done = []
    window.session.ingest_finished.connect(lambda e, s: done.append(s))
    window.dropEvent(QDropEvent(QPointF(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    wait(app, lambda: done, 600, "the sample book to be read")
    figures["readable_s"] = round(time.perf_counter() - t0, 1)
    pane = window.library_pane

    def rows() -> list[str]:
        return [pane.tree.topLevelItem(i).text(3) for i in range(pane.tree.topLevelItemCount())]
    shots = {}
    wait(app, lambda: any("readable" in r for r in rows()) or window.session.understanding is None,
         60, "the book listed as readable")
    if any("readable" in r for r in rows()):       # phase 2 still running: show it
        for _ in range(10):
            app.processEvents()
            time.sleep(0.02)
        shots["reading.png"] = window.grab()
    wait(app, lambda: window.session.understanding is None and rows()
         and not any("readable" in r for r in rows()), 600, "the book to be understood")
    figures["understood_s"] = round(time.perf_counter() - t0, 1)

    t0 = time.perf_counter()
    window.chat.box.setPlainText(question)
    window.ask(question)
    wait(app, lambda: not window.chat.busy, 600, "the answer")
    figures["answer_s"] = round(time.perf_counter() - t0, 1)
    turn = window.chat.turns[-1]
    if turn.citations:
        cite = turn.citations[0]
        view = window.viewer.view_for("pdf")
        window.chat.transcript.anchorClicked.emit(QUrl(f"cite:0-{cite['n']}"))
        wait(app, lambda: view.page_shown is not None, 60, "the cited page")
        figures["cited_page"] = view.page_shown.page
        figures["highlights"] = len(view.page_shown.highlights)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    shots["main-window.png"] = window.grab()

    window.show_trace()
    window.trace.term.setText("Cheshire")
    window.trace.button.click()
    wait(app, lambda: window.trace.tree.topLevelItemCount() or "needs" in window.trace.summary.text()
         or "occurrences" in window.trace.summary.text(), 120, "the trace")
    figures["trace"] = window.trace.summary.text()
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    shots["trace-panel.png"] = window.grab()

    dialog = window.settings_dialog()
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    shots["settings-dialog.png"] = dialog.grab()
    dialog.reject()

    for name, pixmap in shots.items():
        pixmap.save(str(out / name), "PNG")
    window.close()
    shutil.rmtree(tmp, ignore_errors=True)
    figures["screenshots"] = {n: (out / n).stat().st_size for n in shots}
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
