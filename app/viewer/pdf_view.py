"""A PDF page rendered by the engine (PyMuPDF) at screen resolution, evidence highlighted,
with page navigation and zoom. Rendering runs as a read job; the widget only paints."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from engine.answer.sources import RenderedPage, render_page

from app.viewer.place import Place

__all__ = ["PdfView"]

_ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


class PdfView(QWidget):
    rendered = Signal(object)            # RenderedPage, after it is shown

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.place: Place | None = None
        self.page_shown: RenderedPage | None = None
        self.zoom = 1.0
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.prev = QPushButton("◀")
        self.prev.setAccessibleName("Previous page")
        self.prev.clicked.connect(lambda: self.go(self.page.value() - 1))
        self.page = QSpinBox()
        self.page.setAccessibleName("Page")
        self.page.setMinimum(1)
        self.page.editingFinished.connect(lambda: self.go(self.page.value()))
        self.of = QLabel()
        self.next = QPushButton("▶")
        self.next.setAccessibleName("Next page")
        self.next.clicked.connect(lambda: self.go(self.page.value() + 1))
        self.zoom_out = QPushButton("−")
        self.zoom_out.setAccessibleName("Zoom out")
        self.zoom_out.clicked.connect(lambda: self.set_zoom(-1))
        self.zoom_in = QPushButton("+")
        self.zoom_in.setAccessibleName("Zoom in")
        self.zoom_in.clicked.connect(lambda: self.set_zoom(+1))
        self.zoom_label = QLabel("100%")
        for w in (self.prev, self.page, self.of, self.next, self.zoom_out, self.zoom_label, self.zoom_in):
            bar.addWidget(w)
        bar.addStretch(1)
        col.addLayout(bar)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.image.setAccessibleName("Page image")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        col.addWidget(self.scroll, 1)

    def open(self, place: Place) -> None:
        self.place = place
        self.go(place.page or 1)

    def go(self, page: int) -> None:
        if self.place is None:
            return
        if self.page_shown is not None:
            page = max(1, min(page, self.page_shown.pages))
        p = self.place
        # the evidence is highlighted only on its own page
        span = (p.char_start, p.char_end) if page == p.page and p.char_start is not None else None
        text = p.text if page == p.page else None
        scale = self.zoom * self.logicalDpiX() / 72
        self.session.read(lambda c, r: render_page(p.path, page, scale=scale, char_span=span, text=text),
                          self._show)

    def set_zoom(self, step: int) -> None:
        i = min(range(len(_ZOOMS)), key=lambda k: abs(_ZOOMS[k] - self.zoom))
        self.zoom = _ZOOMS[max(0, min(len(_ZOOMS) - 1, i + step))]
        self.zoom_label.setText(f"{self.zoom:.0%}")
        if self.page_shown is not None:
            self.go(self.page_shown.page)

    def _show(self, rp: RenderedPage) -> None:
        image = QImage.fromData(rp.png, "PNG")
        painter = QPainter(image)
        painter.setPen(QColor(230, 140, 0))
        painter.setBrush(QColor(255, 220, 0, 90))
        for x0, y0, x1, y1 in rp.highlights:
            painter.drawRect(QRectF(x0 - 2, y0 - 1, x1 - x0 + 4, y1 - y0 + 2))
        painter.end()
        self.image.setPixmap(QPixmap.fromImage(image))
        self.page.blockSignals(True)
        self.page.setMaximum(rp.pages)
        self.page.setValue(rp.page)
        self.page.blockSignals(False)
        self.of.setText(f"of {rp.pages}")
        self.page_shown = rp
        if rp.highlights:
            top = min(b[1] for b in rp.highlights)
            bar = self.scroll.verticalScrollBar()
            QTimer.singleShot(0, lambda: bar.setValue(max(0, int(top) - 60)))
        self.rendered.emit(rp)
