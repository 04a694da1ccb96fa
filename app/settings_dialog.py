"""Settings: model file (validated GGUF, or one of the models found on this computer),
model folders, a model server (app/endpoint_field.py), threads, context size, library
location and whether documents' maps are written when idle.

Finding models reads a few folders and file headers, which a slow or network disk can
make take a while, so it runs as a `Job` and fills the list when done.
"""
from __future__ import annotations

import os

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget)

from engine.errors import ModelError
from engine.jobs import CancelToken
from engine.model.catalog import FoundModel, check_memory, discover
from engine.model.llm import check_gguf

from app.endpoint_field import EndpointField
from app.jobs import POOLS, Job
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
        self.model.setPlaceholderText("the default: the library's chosen model, else bundled SmolLM2")
        self.model.setAccessibleName("Model file")
        self.model.textChanged.connect(self._validate)
        form.addRow("Model (GGUF)", _with_button(self.model, "Choose…", self._pick_model))
        self.model_note = QLabel()
        self.model_note.setWordWrap(True)
        form.addRow("", self.model_note)
        self.endpoint = EndpointField(settings.endpoint)
        form.addRow("Model server (OpenAI-compatible URL)", self.endpoint)

        self.found = QComboBox()
        self.found.setAccessibleName("Found models")
        self.found.view().setAccessibleName("Found models list")
        self.found.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.found.activated.connect(self._pick_found)
        form.addRow("Found models", self.found)
        self.model_dirs = QLineEdit(os.pathsep.join(settings.model_dirs))
        self.model_dirs.setAccessibleName("Model folders")
        self.model_dirs.setPlaceholderText(f"more folders to search, separated by {os.pathsep}")
        self.model_dirs.editingFinished.connect(self.scan_models)
        form.addRow("Model folders", _with_button(self.model_dirs, "Add…", self._add_model_dir))
        self.found_models: list[FoundModel] = []
        self._scan: CancelToken | None = None
        self._scanned: list[str] | None = None

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
        self.digest = QCheckBox("Write each document's map (summaries of its parts) when idle")
        self.digest.setAccessibleName("Write maps when idle")
        self.digest.setToolTip("Uses the model in the background while Memex is otherwise idle; "
                               "maps also answer questions about whole books")
        self.digest.setChecked(settings.digest_when_idle)
        form.addRow("Maps", self.digest)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._validate()
        self.finished.connect(self._stop_scan)
        self.finished.connect(self.endpoint.stop)
        self.scan_models()

    def _pick_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a GGUF model", "", "GGUF models (*.gguf)")
        if path:
            self.model.setText(path)

    def folders(self) -> list[str]:
        return [p.strip() for p in self.model_dirs.text().split(os.pathsep) if p.strip()]

    def scan_models(self) -> None:
        """Look for models (again, when the folders changed) without blocking the window."""
        folders = self.folders()
        if folders == self._scanned:
            return
        self._stop_scan()
        self._scanned = folders
        self.found.clear()
        self.found.addItem("Looking for models on this computer…")
        job = Job(lambda cancel, report: discover(folders=folders, cancel=cancel, report=report))
        token = job.token
        self._scan = job.success(lambda models: self._fill(models, token)).run(POOLS.read)

    def _stop_scan(self, *_) -> None:
        if self._scan is not None:
            self._scan.cancel()
            self._scan = None

    def _fill(self, models: list[FoundModel], token: CancelToken) -> None:
        if token is not self._scan or not shiboken6.isValid(self.found):
            return                             # an older scan, or the dialog is gone
        self._scan = None
        self.found_models = models
        self.found.clear()
        self.found.addItem(f"{len(models)} found: choose one…" if models
                           else "No models found; add a folder below")
        for m in models:
            self.found.addItem(f"{m.label()} · {m.source}", str(m.path))
            self.found.setItemData(self.found.count() - 1, str(m.path), Qt.ToolTipRole)
        self._select_found()

    def _pick_found(self, index: int) -> None:
        path = self.found.itemData(index)
        if path:
            self.model.setText(path)

    def _select_found(self) -> None:
        """Show the typed model in the list when it is one of the found ones."""
        text = self.model.text().strip()
        index = self.found.findData(text) if text else -1
        self.found.setCurrentIndex(max(index, 0))

    def _add_model_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a folder of GGUF models")
        if path and path not in self.folders():
            self.model_dirs.setText(os.pathsep.join([*self.folders(), path]))
            self.scan_models()

    def _pick_library(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the library folder", self.library.text())
        if path:
            self.library.setText(path)

    def _validate(self) -> bool:
        """A model file is checked before it is saved, so a typo never reaches llama.cpp."""
        path = self.model.text().strip()
        ok, note = True, ("The default model is used: the one chosen with `memex models --use`, "
                          "else the bundled SmolLM2.") if not path else ""
        if path:
            try:
                check_gguf(path)
                note = "A valid GGUF file."
            except ModelError as exc:
                ok, note = False, exc.reason
            else:
                try:               # free memory changes: warn now, refuse only at load
                    check_memory(path, n_ctx=self.n_ctx.value())
                except ModelError as exc:
                    note = f"A valid GGUF file, but {exc.reason}"
        self._select_found()
        self.model_note.setText(note)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        if not self._validate() or not self.endpoint.valid():
            return
        s = self.settings
        s.model_path = self.model.text().strip()
        s.endpoint = self.endpoint.url()
        s.threads = self.threads.value()
        s.n_ctx = self.n_ctx.value()
        s.model_dirs = self.folders()
        s.digest_when_idle = self.digest.isChecked()
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
