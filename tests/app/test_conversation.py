"""The window's chat keeps a conversation: a follow-up resolves against the earlier
question, the conversation survives a restart, and "New conversation" starts afresh."""
from __future__ import annotations

import pytest

from tests.app.conftest import make_settings, open_window
from tests.books import PERSON, TWO_HOP, make_twohop_book


@pytest.fixture(scope="module")
def survey_library(tmp_path_factory, encoder):
    from engine.library import Library
    folder = tmp_path_factory.mktemp("survey-lib")
    book = make_twohop_book(tmp_path_factory.mktemp("survey") / "survey.md", TWO_HOP)
    with Library(folder, encoder=encoder) as lib:
        assert lib.ingest([book]).stored
    return folder


def ask(qtbot, window, question: str):
    chat = window.chat
    chat.box.setPlainText(question)
    chat.ask_button.click()
    qtbot.waitUntil(lambda: not chat.busy, timeout=180_000)
    return chat.turns[-1]


def test_chat_follow_up_uses_the_conversation_and_survives_restart(qtbot, tmp_path, encoder,
                                                                   survey_library):
    settings = make_settings(tmp_path / "memex.ini", survey_library)
    settings.n_ctx = 768
    window = open_window(qtbot, settings, encoder)
    qtbot.waitUntil(lambda: window.session.conversation is not None, timeout=10_000)
    conv = window.session.conversation
    ask(qtbot, window, PERSON["question"])
    follow = ask(qtbot, window, PERSON["followup"])
    assert any(PERSON["second"][0] in c["text"] for c in follow.citations), follow.answer
    lib = window.session.library
    qtbot.waitUntil(lambda: len(lib.conversations.load(conv).turns) == 2, timeout=10_000)
    window.close()

    again = open_window(qtbot, make_settings(tmp_path / "memex.ini", survey_library), encoder)
    qtbot.waitUntil(lambda: again.session.conversation is not None, timeout=10_000)
    assert again.session.conversation == conv                 # the same conversation goes on
    again.chat.new_button.click()
    qtbot.waitUntil(lambda: again.session.conversation not in (None, conv), timeout=10_000)
    assert again.chat.turns == []
    again.close()


def test_history_loading_when_a_new_conversation_starts_is_not_shown(qtbot, tmp_path, encoder,
                                                                     survey_library):
    """The history read and the new conversation run on different pools; whichever ends
    last, the chat of a new conversation starts empty."""
    window = open_window(qtbot, make_settings(tmp_path / "memex.ini", survey_library), encoder)
    s = window.session
    qtbot.waitUntil(lambda: s.conversation is not None, timeout=10_000)
    shown: list = []
    s.chat_history(shown.append)                  # requested before "New conversation"
    before = s.conversation
    s.start_conversation(new=True)
    qtbot.waitUntil(lambda: s.conversation != before, timeout=10_000)
    late: list = []
    s.chat_history(late.append)                   # requested after it: still delivered
    qtbot.waitUntil(lambda: bool(late), timeout=10_000)
    assert shown == []
    window.close()
