"""Subtitled video and subtitle files: the cited moment's keyframe, the scene's cue lines
with the cited cue(s) highlighted, and Play from that moment — in a QMediaPlayer when Qt
has QtMultimedia, else in the system's player. Cues and the thumbnail come from the engine
in one read job; the widget only shows them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from app import player as system_player
from app.viewer.place import Place, clock

__all__ = ["MediaView", "multimedia", "nearest_keyframe"]

_HOT = QColor(255, 230, 120)


def multimedia():
    """(QMediaPlayer, QAudioOutput, QVideoWidget) when Qt has QtMultimedia, else None."""
    try:
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        from PySide6.QtMultimediaWidgets import QVideoWidget
    except ImportError:
        return None
    return QMediaPlayer, QAudioOutput, QVideoWidget


MULTIMEDIA = multimedia()


def nearest_keyframe(keyframes: tuple[tuple[int, float], ...], start_s: float | None) -> int | None:
    """The keyframe on screen at `start_s` (the last at or before it; else the nearest)."""
    if not keyframes:
        return None
    if start_s is None:
        return keyframes[0][0]
    before = [k for k in keyframes if k[1] <= start_s + 1e-6]
    if before:
        return max(before, key=lambda k: k[1])[0]
    return min(keyframes, key=lambda k: abs(k[1] - start_s))[0]


class MediaView(QWidget):
    shown = Signal(object)               # the Place, once cues and thumbnail are on screen

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.place: Place | None = None
        self.video: str | None = None     # what Play plays
        self.keyframe_id: int | None = None
        self.cues: list = []              # StoredCue of the cited scene
        self.cited: list[int] = []        # rows of self.cue_list that the citation names
        self.player = None                # QMediaPlayer, made on the first Play
        self.audio = None
        self._pending_seek: int | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setAccessibleName("Cited moment")
        self.heading.setTextInteractionFlags(Qt.TextSelectableByMouse)
        col.addWidget(self.heading)
        self.thumbnail = QLabel("No keyframe")
        self.thumbnail.setAccessibleName("Keyframe at the cited moment")
        self.thumbnail.setAlignment(Qt.AlignCenter)
        self.thumbnail.setMinimumHeight(120)
        col.addWidget(self.thumbnail)
        self.video_widget = None          # QVideoWidget, made on the first Play
        row = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.setAccessibleName("Play the video from the cited moment")
        self.play_button.clicked.connect(self.play)
        row.addWidget(self.play_button)
        row.addStretch(1)
        col.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Player note")
        col.addWidget(self.note)
        self.cue_list = QListWidget()
        self.cue_list.setAccessibleName("Subtitle cues")
        self.cue_list.setWordWrap(True)
        col.addWidget(self.cue_list, 1)

    # -- opening -------------------------------------------------------------------------

    def open(self, place: Place) -> None:
        self.place = place
        if self.player is not None:
            self.player.stop()
            self.video_widget.hide()
            self.thumbnail.show()
        name = Path(place.path).name
        self.heading.setText(f"<b>{name}</b> {place.when}")
        self.heading.setToolTip(place.path)
        self.note.clear()
        self.video = system_player.video_beside(place.path)
        start = clock(self.start_s)
        self.play_button.setText(f"Play from {start}")
        self.play_button.setAccessibleName(f"Play the video from {start}")
        self.play_button.setEnabled(self.video is not None)
        self.play_button.setToolTip(
            f"Play {Path(self.video).name} from {start}" if self.video else
            f"{name} is a subtitle file with no video of the same name beside it, so there "
            f"is nothing to play.")
        self.keyframe_id = nearest_keyframe(place.keyframes, place.start_s)
        self.thumbnail.clear()
        self.thumbnail.setText("Loading…" if self.keyframe_id is not None else "No keyframe")
        self.cue_list.clear()
        lib = self.session.library
        chunk_id, kf = place.chunk_id, self.keyframe_id
        self.session.read(
            lambda c, r: (lib.cues(chunk_id) if chunk_id is not None else [],
                          lib.thumbnail(kf) if kf is not None else None),
            lambda got: self._show(place, *got))

    @property
    def start_s(self) -> float:
        """Where Play starts: the cited moment, or the beginning."""
        return float(self.place.start_s) if self.place and self.place.start_s is not None else 0.0

    def _show(self, place: Place, cues: list, jpeg: bytes | None) -> None:
        if place is not self.place:       # a later citation was opened meanwhile
            return
        pixmap = QPixmap()
        if jpeg and pixmap.loadFromData(jpeg, "JPEG"):
            self.thumbnail.setPixmap(pixmap.scaled(480, 270, Qt.KeepAspectRatio,
                                                   Qt.SmoothTransformation))
        else:
            self.thumbnail.setText("No keyframe")
        self.cues = cues
        self.cited = []
        text = place.text
        if cues:
            for row, cue in enumerate(cues):
                line = " ".join(text[cue.char_start:cue.char_end].split())
                item = QListWidgetItem(f"{clock(cue.start_s)}  {line}")
                item.setData(Qt.UserRole, cue.start_s)
                self.cue_list.addItem(item)
                if self._is_cited(cue):
                    self.cited.append(row)
        else:                             # no stored cues (an old turn): the evidence lines
            for line in filter(None, (l.strip() for l in text.splitlines())):
                self.cue_list.addItem(QListWidgetItem(line))
        bold = QFont(self.cue_list.font())
        bold.setBold(True)
        for row in self.cited:
            item = self.cue_list.item(row)
            item.setBackground(QBrush(_HOT))
            item.setFont(bold)
        if self.cited:
            self.cue_list.setCurrentRow(self.cited[0])
            self.cue_list.scrollToItem(self.cue_list.item(self.cited[0]),
                                       QListWidget.PositionAtCenter)
        self.shown.emit(place)

    def _is_cited(self, cue) -> bool:
        p = self.place
        if p.cue_start is not None:
            return p.cue_start <= cue.n <= (p.cue_end if p.cue_end is not None else p.cue_start)
        if p.start_s is None:
            return False
        end = p.end_s if p.end_s is not None else p.start_s
        return cue.start_s < end + 1e-6 and cue.end_s > p.start_s - 1e-6

    def cited_text(self) -> list[str]:
        return [self.cue_list.item(r).text() for r in self.cited]

    # -- playing -------------------------------------------------------------------------

    def play(self) -> None:
        if self.video is None:
            return
        if MULTIMEDIA is not None:
            self._play_inside()
        else:
            self.note.setText(system_player.play_external(self.video, self.start_s))

    def _play_inside(self) -> None:
        QMediaPlayer, QAudioOutput, QVideoWidget = MULTIMEDIA
        if self.player is None:
            self.video_widget = QVideoWidget()
            self.video_widget.setAccessibleName("Video")
            self.video_widget.setMinimumHeight(180)
            self.layout().insertWidget(2, self.video_widget, 2)
            self.player = QMediaPlayer(self)
            self.audio = QAudioOutput(self)
            self.player.setAudioOutput(self.audio)
            self.player.setVideoOutput(self.video_widget)
            self.player.mediaStatusChanged.connect(self._media_status)
            self.player.errorOccurred.connect(lambda _e, msg: self.note.setText(msg))
        self.thumbnail.hide()
        self.video_widget.show()
        ms = int(self.start_s * 1000)
        url = QUrl.fromLocalFile(self.video)
        if self.player.source() != url:
            self._pending_seek = ms           # seek once the file is loaded
            self.player.setSource(url)
        else:
            self.player.setPosition(ms)
        self.player.play()
        self.note.setText(f"Playing from {clock(self.start_s)}.")

    def _media_status(self, status) -> None:
        QMediaPlayer = MULTIMEDIA[0]
        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if self._pending_seek is not None and status in loaded:
            ms, self._pending_seek = self._pending_seek, None
            self.player.setPosition(ms)
