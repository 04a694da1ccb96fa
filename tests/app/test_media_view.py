"""A timestamp citation in the window: the keyframe on screen, the scene's cue lines with
the cited cue highlighted, and Play from the cited moment (the system player's command is
built against a PATH of stub programs; nothing is launched)."""
from __future__ import annotations

import os
import stat
from dataclasses import replace

import pytest
from PySide6.QtCore import QUrl

from app import player
from app.chat_pane import turn_of
from app.viewer import Place, kind_of_path
from app.viewer import media_view
from tests.app.conftest import open_window
from tests.engine.test_media import FPS, PLANTED, QUESTION, SCENES, lecture_cues
from tests.media import make_video, srt_text


@pytest.fixture
def lecture(tmp_path):
    (tmp_path / "media").mkdir()
    video = make_video(tmp_path / "media" / "lecture.mp4", SCENES, fps=FPS)
    cues, planted = lecture_cues()
    (tmp_path / "media" / "lecture.en.srt").write_text(srt_text(cues), encoding="utf-8")
    return video, planted


def stub_players(folder, names) -> str:
    """Executable stand-ins for players, so `shutil.which` finds them; never run."""
    folder.mkdir(exist_ok=True)
    for name in names:
        exe = folder / name
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(folder)


def test_kinds_of_media_paths():
    assert [kind_of_path(p) for p in ("a.srt", "b.VTT", "c.ass", "d.ssa")] == ["subtitles"] * 4
    assert {kind_of_path(p) for p in ("a.mp4", "a.m4v", "a.mkv", "a.webm", "a.mov", "a.avi")} == {"video"}


def test_player_command_picks_first_player_on_path(tmp_path):
    bin_ = tmp_path / "bin"
    assert player.player_command("/v/talk.mp4", 22.2, search_path=stub_players(bin_, [])) is None
    stub_players(bin_, ["ffplay"])
    assert player.player_command("/v/talk.mp4", 22.2, search_path=str(bin_)) == \
        [str(bin_ / "ffplay"), "-ss", "22.2", "-autoexit", "/v/talk.mp4"]
    stub_players(bin_, ["vlc"])
    assert player.player_command("/v/talk.mp4", 3723.25, search_path=str(bin_)) == \
        [str(bin_ / "vlc"), "--start-time=3723.25", "/v/talk.mp4"]
    stub_players(bin_, ["mpv"])
    assert player.player_command("/v/talk.mp4", 0, search_path=str(bin_)) == \
        [str(bin_ / "mpv"), "--start=0", "/v/talk.mp4"]


def test_timestamp_citation_shows_keyframe_cues_and_plays_from_moment(
        qtbot, tmp_path, settings, encoder, lecture, monkeypatch):
    video, (cue_start, cue_end) = lecture
    window = open_window(qtbot, settings, encoder)
    with qtbot.waitSignal(window.session.ingest_finished, timeout=60_000) as done:
        window.add_paths([str(video.parent)])
    assert done.args[1] is not None and done.args[1].stored == [str(video)], done.args
    # the real answer path: ask, keep the citations as the chat keeps them
    got = []
    lib = window.session.library
    window.session.read(lambda c, r: lib.ask(QUESTION, max_tokens=8, cancel=c), got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=60_000)
    turn = turn_of(got[0])
    cite = next(c for c in turn.citations if PLANTED in c["text"])
    assert cue_start <= cite["start_s"] <= cue_end and cite["chunk_id"] is not None
    window.chat.set_history([turn])

    view = window.viewer.view_for("video")
    with qtbot.waitSignal(view.shown, timeout=20_000):
        window.chat.transcript.anchorClicked.emit(QUrl(f"cite:0-{cite['n']}"))
    assert window.viewer.stack.currentWidget() is view
    assert "00:00:22" in window.viewer.title.text() and "lecture.mp4" in view.heading.text()
    # the keyframe on screen at the moment: the last cut at or before it
    pix = view.thumbnail.pixmap()
    assert pix is not None and not pix.isNull()
    shown_at = dict((k["id"], k["time_s"]) for k in cite["keyframes"])[view.keyframe_id]
    assert shown_at == max(k["time_s"] for k in cite["keyframes"] if k["time_s"] <= cite["start_s"])
    # the scene's cue lines, the cited one highlighted
    lines = [view.cue_list.item(i).text() for i in range(view.cue_list.count())]
    assert len(lines) > 1 and any(PLANTED in line for line in lines)
    assert len(view.cited) == 1 and PLANTED in view.cited_text()[0]
    hot = view.cue_list.item(view.cited[0])
    assert hot.data(0x0100) == cite["start_s"]                   # Qt.UserRole: the cue's start
    assert view.cue_list.currentRow() == view.cited[0]
    assert hot.background().color().isValid() and hot.font().bold()

    # Play: the system player (stubs on PATH) from the cited moment; nothing is launched
    assert view.play_button.isEnabled() and view.play_button.text() == "Play from 00:00:22"
    assert view.play_button.accessibleName() == "Play the video from 00:00:22"
    launched = []
    monkeypatch.setattr(media_view, "MULTIMEDIA", None)
    monkeypatch.setattr(player, "start_detached", lambda cmd: launched.append(cmd) or True)
    monkeypatch.setenv("PATH", stub_players(tmp_path / "bin", ["vlc", "ffplay"]))
    view.play_button.click()
    assert launched == [[str(tmp_path / "bin" / "vlc"), f"--start-time={cite['start_s']:g}", str(video)]]
    assert "from 00:00:22" in view.note.text()
    # no player on PATH: the default player opens the file and the note says it cannot seek
    opened = []
    monkeypatch.setattr(player, "open_url", lambda path: opened.append(path) or True)
    monkeypatch.setenv("PATH", stub_players(tmp_path / "empty", []))
    view.play_button.click()
    assert opened == [str(video)] and len(launched) == 1
    assert "cannot be told where to start" in view.note.text() and "00:00:22" in view.note.text()

    # the same moment cited from the subtitle file: plays the video beside it
    srt = str(video.parent / "lecture.en.srt")
    with qtbot.waitSignal(view.shown, timeout=20_000):
        window.open_place(replace(Place.of(cite), path=srt))
    assert window.viewer.view_for("subtitles") is view
    assert view.play_button.isEnabled() and view.video == str(video)
    # a subtitle file alone: Play is off and its tooltip says why
    os.remove(video)
    with qtbot.waitSignal(view.shown, timeout=20_000):
        window.open_place(Place(srt, start_s=cite["start_s"], end_s=cite["end_s"],
                                text=cite["text"]))
    assert not view.play_button.isEnabled()
    assert "no video" in view.play_button.toolTip()
    assert any(PLANTED in view.cue_list.item(i).text() for i in range(view.cue_list.count()))
    window.close()


def test_inside_player_seeks_once_loaded(qtbot, monkeypatch, tmp_path):
    """With QtMultimedia (absent here, so stood in for by a recorder with its API): the
    video widget replaces the thumbnail and the player seeks to the moment once loaded."""
    from enum import Enum

    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QWidget

    class Status(Enum):
        LoadingMedia, LoadedMedia, BufferedMedia = 1, 2, 3

    calls = []

    class FakePlayer(QObject):
        MediaStatus = Status
        mediaStatusChanged = Signal(object)
        errorOccurred = Signal(object, str)

        def __init__(self, parent=None):
            super().__init__(parent)
            self._src = QUrl()

        def __getattr__(self, name):            # setAudioOutput, setVideoOutput, play, stop…
            return lambda *a: calls.append((name, *a))

        def setSource(self, url):
            self._src = url
            calls.append(("setSource", url.toLocalFile()))

        def source(self):
            return self._src

    class FakeSession:
        library = None

        def read(self, fn, then):
            pass

    video = tmp_path / "talk.mp4"
    video.write_bytes(b"")
    monkeypatch.setattr(media_view, "MULTIMEDIA", (FakePlayer, lambda parent: QObject(parent), QWidget))
    view = media_view.MediaView(FakeSession())
    qtbot.addWidget(view)
    view.open(Place(str(video), start_s=83.5, end_s=90.0))
    view.play_button.click()
    assert ("setSource", str(video)) in calls and not any(c[0] == "setPosition" for c in calls)
    view.player.mediaStatusChanged.emit(Status.LoadedMedia)
    assert ("setPosition", 83_500) in calls and ("play",) in calls
    assert view.video_widget is not None and view.thumbnail.isHidden()
    view.play_button.click()                    # same file again: seek at once
    assert calls.count(("setPosition", 83_500)) == 2
