"""Asking in the window: the answer streams, citations open the source at the cited place,
and the conversation survives a restart."""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from engine.store.app_state import ChatTurn
from tests.app.conftest import make_settings, open_window

QUESTION = "What was written on the little cake in the glass box?"


def test_question_streams_answer_and_citation_opens_page(qtbot, tmp_path, encoder, alice_library):
    settings = make_settings(tmp_path / "memex.ini", alice_library)
    window = open_window(qtbot, settings, encoder)
    chat = window.chat
    pieces = []
    chat_renders = []
    orig = chat.append
    chat.append = lambda p: (pieces.append(p), orig(p))[-1]  # count what arrives, still render
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)       # Ctrl+L focuses the question box
    qtbot.waitUntil(lambda: QApplication.focusWidget() is chat.box, timeout=5_000)
    qtbot.keyClicks(chat.box, QUESTION)
    qtbot.keyClick(chat.box, Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Enter: a new line, no ask
    assert not chat.busy and chat.box.toPlainText().endswith("\n")
    chat.box.setPlainText(QUESTION)
    chat.transcript.textChanged.connect(lambda: chat_renders.append(1))
    qtbot.keyClick(chat.box, Qt.Key_Return)                    # Enter asks
    assert chat.busy and chat.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not chat.busy, timeout=180_000)
    assert len(pieces) > 3, pieces                              # streamed, not one block
    assert len(chat_renders) > 2                                # the transcript grew while streaming
    turn = chat.turns[-1]
    assert turn.question == QUESTION and "EAT ME" in turn.answer
    assert turn.citations, turn.answer
    assert "cite:0-" in chat.markdown()                         # [n] became a clickable chip
    chat.copy_button.click()
    assert QApplication.clipboard().text() == turn.answer
    cite = turn.citations[0]
    view = window.viewer.view_for("pdf")
    with qtbot.waitSignal(view.rendered, timeout=30_000) as rendered:
        chat.transcript.anchorClicked.emit(QUrl(f"cite:0-{cite['n']}"))
    page = rendered.args[0]
    assert page.page == cite["page"] and page.pages == 84
    assert page.highlights, "the evidence is highlighted on the page"
    assert window.viewer.stack.currentWidget() is view
    # page navigation and zoom re-render the page
    with qtbot.waitSignal(view.rendered, timeout=30_000) as nxt:
        view.next.click()
    assert nxt.args[0].page == cite["page"] + 1 and not nxt.args[0].highlights
    with qtbot.waitSignal(view.rendered, timeout=30_000) as zoomed:
        view.zoom_in.click()
    assert zoomed.args[0].width > nxt.args[0].width
    # Esc stops a streaming answer; what came so far is kept and marked (the bundled model
    # writes a synthesis only when asked to: it is what streams long enough to stop)
    window.session.library.synthesis = True
    n = len(pieces)
    chat.box.setPlainText("What did the Caterpillar ask Alice?")
    qtbot.keyClick(chat.box, Qt.Key_Return)
    qtbot.waitUntil(lambda: len(pieces) > n + 1, timeout=120_000)
    qtbot.keyClick(window, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not chat.busy, timeout=60_000)
    assert "*[stopped]*" in chat.turns[-1].answer
    window.close()

    # a restart on the same library shows the conversation again
    again = open_window(qtbot, make_settings(tmp_path / "memex.ini", alice_library), encoder)
    qtbot.waitUntil(lambda: bool(again.chat.turns), timeout=10_000)
    assert [t.question for t in again.chat.turns[-2:]] == [QUESTION, "What did the Caterpillar ask Alice?"]
    assert again.chat.turns[-2].citations[0]["page"] == cite["page"]
    again.close()


def test_citation_to_text_opens_cited_lines_highlighted(qtbot, window, tmp_path):
    lines = [f"Line {i}: the Queen's croquet ground was busy with hedgehogs." for i in range(1, 400)]
    lines[299] = "The Gryphon taught Laughing and Grief in the old days, said the Mock Turtle."
    book = tmp_path / "notes.txt"
    book.write_text("\n\n".join(lines) + "\n")
    with qtbot.waitSignal(window.session.ingest_finished, timeout=60_000):
        window.add_paths([str(book)])
    hit = window.session.library.search("Gryphon taught Laughing and Grief", k=1)[0]
    loc = hit.location
    assert loc.line_start is not None
    cite = {"n": 1, **hit.to_json(), "char_start": loc.char_start, "char_end": loc.char_end}
    window.chat.set_history([ChatTurn("Who taught Laughing?", "He did [1].", [cite])])
    view = window.viewer.view_for("text")
    window.chat.transcript.anchorClicked.emit(QUrl("cite:0-1"))
    qtbot.waitUntil(lambda: view.lines == (loc.line_start, loc.line_end), timeout=20_000)
    assert view.blockCount() > 700
    assert "Gryphon" in "\n".join(view.document().findBlockByNumber(n - 1).text()
                                 for n in range(loc.line_start, loc.line_end + 1))
    top, bottom = view.visible_lines()
    assert top <= loc.line_start <= bottom, (top, bottom, loc.line_start)
    assert len(view.extraSelections()) == 1                     # the highlight


def test_code_is_coloured_with_line_numbers(qtbot, window, tmp_path):
    from app.viewer import Place
    code = tmp_path / "walk.py"
    code.write_text("import os\n\n\ndef walk(root):\n    # depth first\n    return sorted(os.listdir(root))\n")
    window.open_place(Place(str(code), line_start=4, line_end=6))
    view = window.viewer.view_for("code")
    qtbot.waitUntil(lambda: view.lines == (4, 6), timeout=20_000)
    assert view._highlighter is not None
    block = view.document().findBlockByNumber(3)                # "def walk(root):"
    formats = block.layout().formats()
    assert any(f.start == 0 and f.length == 3 for f in formats), [(f.start, f.length) for f in formats]
    assert view.gutter_width() > 0


def test_each_quote_of_an_answer_is_shown_on_its_own_line_as_written(qtbot):
    from app.chat_pane import ChatPane

    chat = ChatPane()
    qtbot.addWidget(chat)
    answer = ("Answer: Chapter VI [1]; Chapter VIII [2]\n\n"
              "“`It's a Cheshire cat,' said the Duchess, `and *that's* why.'” [1] (alice.pdf, page 36)\n"
              "“It's the Cheshire Cat: now I shall have somebody to talk to.” [2] (alice.pdf, page 54)\n\n"
              "The Cat grins.")
    cites = [{"n": 1, "path": "alice.pdf", "page": 36}, {"n": 2, "path": "alice.pdf", "page": 54}]
    chat.set_history([ChatTurn("Which chapters mention the Cheshire Cat?", answer, cites)])
    shown = chat.transcript.toPlainText().splitlines()
    # the source's backticks and stars are shown as written, not read as Markdown
    assert any(line.startswith("“`It's a Cheshire cat,' said the Duchess, `and *that's* why.'” [1]")
               for line in shown), shown
    assert any(line.startswith("“It's the Cheshire Cat") for line in shown), shown
    assert any(line.startswith("Answer: Chapter VI") for line in shown), shown
