"""The memory view and the usage the window reports: consolidation runs by itself shortly
after start-up, the view shows blocks per document and tier, pin/unpin reach the library,
and opening a citation or copying an answer is recorded as use."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.conftest import open_window

NOTES = ("# Garden\n\nThe hedgehog rolled across the croquet lawn while the flamingo "
         "sulked beside the rose bushes.\n\n# Kitchen\n\nThe duchess sneezed over a cauldron "
         "of peppery soup, and the cook threw saucepans at the baby.\n")


def _events(lib, kind: str) -> int:
    return lib.store.db.execute("SELECT count(*) FROM usage_events WHERE kind = ?",
                                [kind]).fetchone()[0]


def test_memory_view_pin_and_usage(qtbot, settings, encoder, tmp_path):
    from engine.library import Library
    from app.chat_pane import turn_of
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES)
    with Library(settings.library, encoder=encoder) as lib:
        assert lib.ingest([notes]).stored
    window = open_window(qtbot, settings, encoder)
    session = window.session
    lib = session.library
    with qtbot.waitSignal(session.consolidated, timeout=60_000) as done:   # start-up run
        pass
    assert done.args[0].blocks >= 1

    qtbot.keyClick(window, Qt.Key_M, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.memory_dock.isVisible()
    panel = window.memory
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=30_000)
    doc = panel.tree.topLevelItem(0)
    assert doc.toolTip(0) == str(notes.resolve()) and doc.childCount() >= 1
    assert "Last consolidation" in panel.summary.text()
    block = doc.child(0)
    assert block.text(1) == "warm"
    block.setSelected(True)
    with qtbot.waitSignal(session.memory_changed, timeout=30_000):
        qtbot.mouseClick(panel.pin_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1
                    and panel.tree.topLevelItem(0).child(0).text(6) == "pinned", timeout=10_000)
    block_id = panel.tree.topLevelItem(0).child(0).data(0, Qt.UserRole)
    assert lib.store.db.execute("SELECT pinned FROM block_tiers WHERE block_id = ?",
                                [block_id]).fetchone()[0] == 1
    panel.tree.topLevelItem(0).child(0).setSelected(True)
    with qtbot.waitSignal(session.memory_changed, timeout=30_000):
        qtbot.mouseClick(panel.unpin_button, Qt.LeftButton)
    assert lib.store.db.execute("SELECT pinned FROM block_tiers WHERE block_id = ?",
                                [block_id]).fetchone()[0] == 0

    # a citation opened and an answer copied are recorded where they happen
    hits = lib.search("Who sneezed over the soup?", k=1, record=False)
    from engine.answer import Answer
    ans = Answer("Who sneezed?", "The duchess [1].", None, hits)
    window.chat.finish(turn_of(ans))
    window.open_citation(window.chat.turns[-1].citations[0])
    qtbot.mouseClick(window.chat.copy_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: _events(lib, "citation_opened") == 1
                    and _events(lib, "answer_copied") == 1, timeout=10_000)
    window.close()
