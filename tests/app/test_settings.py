"""Settings: the GGUF picker validates, and settings and geometry persist across a restart."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from engine.model.bundled import bundled_gguf
from tests.app.conftest import HeldRead, open_window, writes_paused


def test_settings_persist_across_restart(qtbot, settings, encoder, tmp_path):
    window = open_window(qtbot, settings, encoder)
    dialog = window.settings_dialog()
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    not_a_model = tmp_path / "model.gguf"
    not_a_model.write_bytes(b"this is not a model at all")
    dialog.model.setText(str(not_a_model))
    assert not ok.isEnabled() and "not a GGUF" in dialog.model_note.text()
    dialog.model.setText(str(tmp_path / "missing.gguf"))
    assert not ok.isEnabled() and "does not exist" in dialog.model_note.text()
    dialog.model.setText(str(bundled_gguf()))
    assert ok.isEnabled()
    dialog.threads.setValue(3)
    dialog.n_ctx.setValue(2048)
    ok.click()
    assert window.session.library._n_ctx == 2048              # applied to the open library
    window.resize(720, 520)           # fits the offscreen 800x600 screen
    window.trace_dock.show()
    qtbot.wait(50)
    geometry = window.size()
    window.close()

    again = open_window(qtbot, settings.__class__(settings.qs.__class__(
        settings.qs.fileName(), settings.qs.format())), encoder)
    assert again.size() == geometry
    assert again.trace_dock.isVisible()
    d2 = again.settings_dialog()
    assert d2.model.text() == str(bundled_gguf())
    assert (d2.threads.value(), d2.n_ctx.value()) == (3, 2048)
    assert d2.library.text() == settings.library
    assert settings.library in again.settings.recent
    d2.reject()
    again.close()


def test_first_run_offers_the_sample_library(qtbot, window):
    from app.main_window import SAMPLE
    qtbot.waitUntil(lambda: not window.library_pane.sample.isHidden(), timeout=10_000)
    with writes_paused():
        window.library_pane.sample.click()
        assert list(window.library_pane.rows) == [str(SAMPLE)] and SAMPLE.is_file()
        held = HeldRead(window.session, str(SAMPLE))
    qtbot.waitUntil(held.reached.is_set, timeout=60_000)            # it is being read
    assert window.library_pane.sample.isHidden() and window.settings.sample_offered
    # reading the sample fully is what test_chat's library does; stop here to stay fast
    with qtbot.waitSignal(window.session.ingest_finished, timeout=60_000):
        window.library_pane.rows[str(SAMPLE)].cancel.click()


def test_settings_lists_the_models_found_on_this_computer(qtbot, settings, encoder, tmp_path,
                                                          monkeypatch):
    from tests.models_home import ENV_CLEARED, make_models_home

    fake = make_models_home(tmp_path / "models")
    for name in ENV_CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(fake.home))        # GPT4All, LM Studio, Ollama, HF live here
    settings.model_dirs = [str(fake.folder)]
    window = open_window(qtbot, settings, encoder)
    dialog = window.settings_dialog()
    assert dialog.model_dirs.text() == str(fake.folder)
    qtbot.waitUntil(lambda: dialog.found.count() > 1, timeout=20_000)   # found off the GUI thread
    labels = {dialog.found.itemData(i): dialog.found.itemText(i) for i in range(1, dialog.found.count())}
    assert labels[str(fake.ollama_blob)] == "smollm2:latest — 98.4 MB, Q4_1, 8k context · ollama"
    assert {str(fake.own), str(fake.lmstudio), str(fake.gpt4all), str(bundled_gguf())} <= set(labels)
    index = dialog.found.findData(str(fake.ollama_blob))
    dialog.found.setCurrentIndex(index)
    dialog.found.activated.emit(index)                # as a person picking it
    assert dialog.model.text() == str(fake.ollama_blob)
    assert dialog.model_note.text() == "A valid GGUF file."
    dialog.buttons.button(QDialogButtonBox.Ok).click()
    assert settings.model_path == str(fake.ollama_blob)
    assert settings.model_dirs == [str(fake.folder)]
    assert window.session.library._model_path == fake.ollama_blob
    window.close()
