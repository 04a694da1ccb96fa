"""The person's own models: found where other apps keep them, described from their headers,
refused when they cannot fit, chosen per library or globally, and answering for real."""
from __future__ import annotations

import pytest

from engine.config import resolve_model, set_global_model
from engine.errors import ModelError
from engine.model.bundled import bundled_gguf
from engine.model.catalog import check_memory, discover, find_model, memory_needed
from engine.model.gguf_meta import read_gguf_info
from tests.engine.cli import memex, memex_json
from tests.models_home import ENV_CLEARED, make_models_home


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    return make_models_home(tmp_path_factory.mktemp("models"))


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ENV_CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEMEX_CONFIG_DIR", str(tmp_path / "config"))


def _cli_env(fake, tmp_path) -> dict[str, str]:
    env = {name: "" for name in ENV_CLEARED}
    env.update(HOME=str(fake.home), MEMEX_CONFIG_DIR=str(tmp_path / "config"))
    return env


def test_bundled_header_as_llama_cpp_reads_it():
    info = read_gguf_info(bundled_gguf())
    assert (info.architecture, info.context_length, info.quantization) == ("llama", 8192, "Q4_1")
    assert info.kv_bytes_per_token() == 30 * 3 * (64 + 64) * 2   # layers, KV heads, head dims


def test_discovers_every_layout_once_and_skips_the_rest(fake):
    found = discover(home=fake.home, env={}, folders=[fake.folder])
    by_path = {m.path: m for m in found}
    expected = {fake.gpt4all: "gpt4all", fake.gpt4all_mac: "gpt4all", fake.lmstudio: "lmstudio",
                fake.lmstudio_old: "lmstudio", fake.ollama_blob: "ollama",
                fake.hf_snapshot: "huggingface", fake.own: "folder",
                bundled_gguf(): "bundled"}
    assert {p: by_path[p].source for p in expected if p in by_path} == expected
    assert len(found) == len(expected)                 # second HF revision: the same blob
    assert not set(fake.skipped) & set(by_path)        # damaged, not GGUF, hidden folder
    for m in found:
        assert (m.size_bytes, m.quantization, m.context_length, m.architecture) == (
            fake.size, "Q4_1", 8192, "llama"), m
    assert by_path[fake.ollama_blob].name == "smollm2:latest"
    assert by_path[fake.hf_snapshot].name == "smollm2-135m-instruct-q4_1.gguf"
    assert found[0].source == "bundled"
    assert "98.4 MB, Q4_1, 8k context" in found[0].label()


def test_windows_roots_and_environment_overrides(fake, tmp_path):
    found = discover(home=tmp_path / "empty", bundled=False,
                     env={"LOCALAPPDATA": str(fake.home / "Library/Application Support"),
                          "OLLAMA_MODELS": str(fake.home / ".ollama/models"),
                          "HF_HUB_CACHE": str(fake.home / ".cache/huggingface/hub"),
                          "MEMEX_MODEL_DIRS": str(fake.folder)})
    assert sorted(m.source for m in found) == ["folder", "gpt4all", "huggingface", "ollama"]


def test_find_model_by_name_path_or_fragment(fake):
    found = discover(home=fake.home, env={}, bundled=False)
    assert find_model("smollm2:latest", found).path == fake.ollama_blob
    assert find_model(str(fake.lmstudio), found).source == "lmstudio"
    assert find_model("old-style", found).path == fake.lmstudio_old
    with pytest.raises(ModelError, match="several models"):
        find_model("smollm2", found)
    with pytest.raises(ModelError, match="No model file"):
        find_model("llama3-70b", found)


def test_memory_check_refuses_before_loading(fake):
    with pytest.raises(ModelError) as refused:
        check_memory(fake.own, n_ctx=4096, free_bytes=120_000_000)
    assert "my-smollm.gguf needs about 0.4 GB but only 0.1 GB of memory is free" in refused.value.reason
    need = check_memory(fake.own, n_ctx=4096, free_bytes=64 * 1000**3)
    info = read_gguf_info(fake.own)
    assert need == memory_needed(fake.size, info, 4096) > fake.size + info.kv_bytes_per_token() * 4096
    assert check_memory(fake.own, n_ctx=512, free_bytes=64 * 1000**3) < need   # a smaller KV cache


def test_choice_order_flag_env_library_global_bundled(fake, clean_env, monkeypatch, tmp_path):
    from engine.library import Library

    assert resolve_model().origin == "bundled"
    set_global_model(fake.lmstudio)
    lib = Library(tmp_path / "lib")
    assert (lib.model_choice().origin, lib.model_choice().path) == ("global", fake.lmstudio)
    lib.choose_model(fake.ollama_blob)
    assert (lib.model_choice().origin, lib._model_path) == ("library", fake.ollama_blob)
    lib.close()
    again = Library(tmp_path / "lib")                  # kept in the library's file
    assert again._model_path == fake.ollama_blob
    again.close()
    monkeypatch.setenv("MEMEX_MODEL", str(fake.own))
    assert resolve_model(library_choice=str(fake.ollama_blob)).path == fake.own
    assert resolve_model(fake.gpt4all, library_choice=str(fake.ollama_blob)).origin == "flag"


def test_answers_with_a_discovered_ollama_model(fake, clean_env, encoder, tmp_path):
    from engine.library import Library

    ollama = next(m for m in discover(home=fake.home, env={}) if m.source == "ollama")
    note = tmp_path / "note.txt"
    note.write_text("The lighthouse keeper Osric hid the brass key inside a loaf of rye bread.\n")
    with Library(tmp_path / "lib", model=ollama.path, encoder=encoder) as lib:
        assert lib.ingest([note]).stored
        ans = lib.ask("Where did Osric hide the brass key?", max_tokens=12)
        assert lib.llm.path == fake.ollama_blob.resolve()
        meta = lib.llm._llm.metadata                 # what llama.cpp itself read
        assert int(meta["llama.context_length"]) == ollama.context_length
        assert int(meta["general.file_type"]) == 3 and ollama.quantization == "Q4_1"
    assert ans.citations and "rye bread" in ans.text


def test_cli_lists_and_chooses(fake, tmp_path):
    env = _cli_env(fake, tmp_path)
    lib, other = tmp_path / "lib", tmp_path / "other"
    out = memex_json("models", "--json", "--dir", fake.folder, "--library", lib, **env)
    assert not lib.exists()                            # listing creates no library
    models = {m["path"]: m for m in out["models"]}
    assert set(out["models"][0]) == {"path", "name", "source", "size_bytes", "quantization",
                                     "context_length", "architecture"}
    assert models[str(fake.ollama_blob)]["name"] == "smollm2:latest"
    assert models[str(fake.own)]["source"] == "folder"
    assert out["current"] == str(bundled_gguf())

    memex("models", "--use", "smollm2:latest", "--library", lib, **env)
    memex("models", "--use", str(fake.lmstudio), "--global", "--library", lib, **env)
    current = lambda library, **extra: memex_json(  # noqa: E731
        "models", "--json", "--library", library, **{**env, **extra})["current"]
    assert current(lib) == str(fake.ollama_blob)       # the library's choice beats the global one
    assert current(other) == str(fake.lmstudio)
    assert current(lib, MEMEX_MODEL=str(fake.own)) == str(fake.own)
    text = memex("models", "--library", lib, **env).stdout
    assert "* smollm2:latest" in text and "this library's choice" in text
    memex("models", "--clear", "--library", lib, **env)
    assert current(lib) == str(fake.lmstudio)
    proc = memex("models", "--use", "no-such-model", "--library", lib, check=False, **env)
    assert proc.returncode == 2 and "No model file" in proc.stderr
