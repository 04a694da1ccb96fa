"""Reading in two phases in the window: a dropped file is listed as readable (keyword
search works) without waiting for phase 2, which runs on its own pool, changes the status
in place when it ends, and, cancelled, resumes when the library is opened again.

To keep phase 2 from finishing before the test looks, the test holds the library's
'understand' lock, as another Memex process understanding the library would
(engine/store/writer.py `exclusive_job`); the window's pass waits for it."""
from __future__ import annotations

from engine.library import Library

from app.library_pane import STOPPED_TIP, UNDERSTANDING_TIP
from tests.app.conftest import drop, open_window

TEXT = ("The Dormouse fell asleep in the teapot while the Hatter argued about riddles "
        "that had no answers at all.\n")


def _status(window) -> str:
    tree = window.library_pane.tree
    return tree.topLevelItem(0).text(3) if tree.topLevelItemCount() == 1 else ""


def _note(tmp_path):
    path = tmp_path / "tea.txt"
    path.write_text(TEXT)
    return str(path)


def test_drop_is_listed_readable_before_phase_2_then_understood(qtbot, window, tmp_path):
    path = _note(tmp_path)
    session, pane = window.session, window.library_pane
    lib = session.library
    phases: list[list[str]] = []
    session.documents_changed.connect(lambda docs: phases.append([d.phase for d in docs]))
    understood = []
    session.document_understood.connect(lambda d: understood.append(d.path))
    with lib.store.exclusive("understand"):              # phase 2 cannot finish meanwhile
        with qtbot.waitSignal(session.understand_started, timeout=60_000):
            drop(window, [path])
        qtbot.waitUntil(lambda: "readable — understanding…" in _status(window), timeout=10_000)
        assert pane.tree.topLevelItem(0).toolTip(3) == UNDERSTANDING_TIP
        qtbot.waitUntil(lambda: pane.understanding is not None
                        and pane.understanding.name.text() == "Understanding 1 document…",
                        timeout=10_000)
        assert [h.location.path for h in lib.search("Dormouse teapot", mode="bm25")] == [path]
        assert lib.search("Dormouse teapot", mode="dense") == []   # no keys yet
        assert session.understanding is not None and understood == []   # waiting for the lock
    qtbot.waitUntil(lambda: session.understanding is None and _status(window)
                    and "readable" not in _status(window), timeout=60_000)
    assert understood == [path]
    assert pane.understanding is None                               # the row is gone
    assert ["readable"] in phases and phases[-1] == ["understood"]
    assert phases.index(["readable"]) < phases.index(["understood"])


def test_understood_document_is_found_by_keyword_and_meaning(qtbot, window, tmp_path):
    path = _note(tmp_path)
    session = window.session
    finished = []
    session.understand_finished.connect(finished.append)
    drop(window, [path])
    qtbot.waitUntil(lambda: any(s is not None and s.documents == [path] for s in finished),
                    timeout=60_000)
    lib = session.library
    assert lib.readable() == []
    assert [d.phase for d in lib.documents()] == ["understood"]
    assert [h.location.path for h in lib.search("Dormouse teapot", mode="bm25")] == [path]
    assert [h.location.path for h in lib.search("a sleepy rodent in a pot", k=1,
                                                mode="dense")] == [path]


def test_cancelled_understanding_stays_readable_and_resumes_next_start(
        qtbot, settings, encoder, tmp_path):
    path = _note(tmp_path)
    window = open_window(qtbot, settings, encoder)
    session, pane = window.session, window.library_pane
    lib = session.library
    finished = []
    session.understand_finished.connect(finished.append)
    with lib.store.exclusive("understand"):
        with qtbot.waitSignal(session.understand_started, timeout=60_000):
            drop(window, [path])
        qtbot.waitUntil(lambda: pane.understanding is not None, timeout=10_000)
        pane.understanding.cancel.click()                           # heard while it waits
        qtbot.waitUntil(lambda: session.understanding is None and bool(finished), timeout=30_000)
    assert finished[-1] is None                                     # stopped: no summary
    assert [d.path for d in lib.readable()] == [path]
    qtbot.waitUntil(lambda: pane.understanding is None, timeout=10_000)
    qtbot.waitUntil(lambda: "readable — stopped" in _status(window), timeout=10_000)
    assert pane.tree.topLevelItem(0).toolTip(3) == STOPPED_TIP
    window.close()

    again = open_window(qtbot, settings, encoder)                   # the same library folder
    lib = again.session.library
    qtbot.waitUntil(lambda: again.session.understanding is None and lib.readable() == []
                    and _status(again) and "readable" not in _status(again), timeout=60_000)
    assert [d.phase for d in lib.documents()] == ["understood"]
    assert [h.location.path for h in lib.search("a sleepy rodent in a pot", k=1,
                                                mode="dense")] == [path]
    again.close()


def test_closing_while_another_process_understands_does_not_wait_for_it(
        qtbot, settings, encoder, tmp_path):
    path = _note(tmp_path)
    window = open_window(qtbot, settings, encoder)
    lib = window.session.library
    with lib.store.exclusive("understand"):                         # held until after the close
        with qtbot.waitSignal(window.session.understand_started, timeout=60_000):
            drop(window, [path])
        window.close()                                              # returns: the pass is cancelled
        assert window.session.closing and window.session.understanding is None
    with Library(settings.library, encoder=encoder) as again:
        assert [d.path for d in again.readable()] == [path]
