"""Settings: model file (validated GGUF), threads, context size and library location."""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QWidget)

from engine.errors import ModelError
from engine.model.llm import check_gguf

from app.settings import Settings

__all__ = ["SettingsDialog"]


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Memex settings")
        self.setAccessibleName("Settings")
        self.setMinimumWidth(620)
        form = QFormLayout(self)

        self.model = QLineEdit(settings.model_path)
        self.model.setPlaceholderText("bundled SmolLM2-135M-Instruct")
        self.model.setAccessibleName("Model file")
        self.model.textChanged.connect(self._validate)
        form.addRow("Model (GGUF)", _with_button(self.model, "Choose…", self._pick_model))
        self.model_note = QLabel()
        self.model_note.setWordWrap(True)
        form.addRow("", self.model_note)

        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText("one per core")
        self.threads.setValue(settings.threads)
        self.threads.setAccessibleName("Threads")
        form.addRow("Threads", self.threads)

        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(512, 131072)
        self.n_ctx.setSingleStep(512)
        self.n_ctx.setSuffix(" tokens")
        self.n_ctx.setValue(settings.n_ctx)
        self.n_ctx.setAccessibleName("Context size")
        form.addRow("Context size", self.n_ctx)

        self.library = QLineEdit(settings.library)
        self.library.setAccessibleName("Library folder")
        form.addRow("Library folder", _with_button(self.library, "Choose…", self._pick_library))

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._validate()

    def _pick_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a GGUF model", "", "GGUF models (*.gguf)")
        if path:
            self.model.setText(path)

    def _pick_library(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the library folder", self.library.text())
        if path:
            self.library.setText(path)

    def _validate(self) -> bool:
        """A model file is checked before it is saved, so a typo never reaches llama.cpp."""
        path = self.model.text().strip()
        ok, note = True, "The bundled model is used." if not path else ""
        if path:
            try:
                check_gguf(path)
                note = "A valid GGUF file."
            except ModelError as exc:
                ok, note = False, exc.reason
        self.model_note.setText(note)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        if not self._validate():
            return
        s = self.settings
        s.model_path = self.model.text().strip()
        s.threads = self.threads.value()
        s.n_ctx = self.n_ctx.value()
        if self.library.text().strip() and self.library.text().strip() != s.library:
            s.library = self.library.text().strip()
        s.sync()
        super().accept()


def _with_button(edit: QLineEdit, text: str, slot) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit)
    button = QPushButton(text)
    button.setAccessibleName(f"{text} {edit.accessibleName()}")
    button.clicked.connect(slot)
    row.addWidget(button)
    return box
