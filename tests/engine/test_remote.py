"""A model server answers instead of the in-process model: a real llama-cpp-python server on
127.0.0.1 serving the bundled GGUF, streamed over Server-Sent Events; stops, a server that
is down, and the `memex ask --endpoint` path."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python[server] is not installed")

from engine.errors import ModelError  # noqa: E402
from engine.jobs import CancelToken  # noqa: E402
from engine.library import Library  # noqa: E402
from engine.model.bundled import bundled_gguf  # noqa: E402
from engine.model.remote import RemoteLLM, check_endpoint, estimate_tokens  # noqa: E402
from tests.engine.cli import memex_json  # noqa: E402
from tests.engine.conftest import alice_paragraphs  # noqa: E402

FACT = ("The lighthouse keeper Ambrose Quillfeather stored the brass spare key inside a "
        "hollow copy of a tide almanac on the third shelf.")
QUESTION = "Where did the lighthouse keeper keep the spare key?"
HELLO = [{"role": "user", "content": "Name three colours."}]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)


def start_server(folder: Path, *, wait_s: float = 60.0) -> Server:
    """`python -m llama_cpp.server` on a free port; returns once /v1/models answers."""
    port = _free_port()
    log = folder / f"server-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_gguf()),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"],
            stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + wait_s
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the model server exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/v1/models", timeout=2):
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"the model server did not answer within {wait_s:g} s:\n"
                        f"{log.read_text()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("server"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def note_library(tmp_path_factory, encoder) -> Path:
    """A library folder holding one short note with a planted fact among real prose."""
    folder = tmp_path_factory.mktemp("remote")
    note = folder / "keeper.md"
    prose = alice_paragraphs()
    note.write_text("# The keeper\n\n" + "\n\n".join([prose[0], FACT, prose[1], prose[2]]) + "\n",
                    encoding="utf-8")
    with Library(folder / "lib", encoder=encoder) as lib:
        assert lib.ingest([note]).stored
    return folder / "lib"


def test_stream_arrives_in_pieces(server):
    llm = RemoteLLM(server.url + "/v1/", n_ctx=1024)     # a trailing /v1/ names the same server
    assert llm.endpoint == server.url and llm.model     # the first listed model
    pieces = list(llm.stream(HELLO, max_tokens=16))
    assert len(pieces) > 1 and "".join(pieces).strip()
    assert llm.last.kv == "off" and llm.last.first_token_s is not None
    assert llm.last.prompt_tokens > 0 and llm.last.total_s >= llm.last.first_token_s
    assert llm.complete(HELLO, max_tokens=8).strip()
    said = check_endpoint(server.url)                   # the settings dialog's Test
    assert said.startswith(f"{server.url} answers with model “SmolLM2") and "assumed" in said


def test_count_uses_the_servers_tokenizer(server):
    llm = RemoteLLM(server.url)
    text = "hello " * 60
    n = llm.count(text)
    assert 55 <= n <= 65 < estimate_tokens(text)        # tokens, not the length estimate
    assert llm.count("hello") < n and llm.count(text) == n


def test_cancel_stops_the_stream(server):
    llm = RemoteLLM(server.url)
    token, got = CancelToken(), []
    for piece in llm.stream([{"role": "user", "content": "Tell a long story."}],
                            max_tokens=400, cancel=token):
        got.append(piece)
        if len(got) == 2:
            token.cancel()
    assert len(got) == 2
    # a stop while the server is still reading the prompt: no piece ever arrives to check
    # the token between, so the connection is shut under the waiting read
    token = CancelToken()
    threading.Timer(0.05, token.cancel).start()
    start = time.monotonic()
    got = list(llm.stream([{"role": "user", "content": "Tell a long story. " * 50}],
                          max_tokens=400, cancel=token))
    assert got == [] and time.monotonic() - start < 2.0
    assert llm.complete(HELLO, max_tokens=4)           # the server is still fine afterwards


def test_library_answers_with_citations_through_the_server(server, note_library, encoder):
    with Library(note_library, encoder=encoder, endpoint=server.url, n_ctx=2048) as lib:
        assert isinstance(lib.llm, RemoteLLM)
        streamed: list[str] = []
        ans = lib.ask(QUESTION, on_text=streamed.append, max_tokens=24)
    assert ans.citations and any(FACT in hit.text for _, hit in ans.citations)
    assert ans.synthesis and ans.kv == "off"
    assert "".join(streamed).strip() == ans.text.split("\n\n⚠")[0].strip()
    # the server writes its own answer line; what is kept is checked against the evidence
    line = ans.line
    assert line is not None and line.how in ("model", "span", "sentence", "none")
    if line.tag is not None:
        cited = " ".join(ans.evidence[line.tag - 1].text.split())
        assert line.how != "span" or line.text in cited


def test_cli_ask_with_endpoint(server, note_library):
    out = memex_json("ask", QUESTION, "--json", "--max-tokens", "16", "--ctx", "2048",
                     "--endpoint", server.url, "--library", note_library)
    assert out["answer"].strip() and out["kv"] == "off"
    assert any(FACT in c["text"] for c in out["citations"])


def test_nothing_listening_fails_fast_with_a_clear_error(note_library, encoder):
    url = f"http://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    with Library(note_library, encoder=encoder, endpoint=url) as lib:
        with pytest.raises(ModelError) as err:
            lib.ask(QUESTION, max_tokens=8)
    assert time.monotonic() - start < 5.0
    assert err.value.reason == (f"The model server at {url} is not answering (connection "
                                "refused). Start it, or clear the endpoint to use the local model.")
    proc = subprocess.run([sys.executable, "-m", "engine.cli", "ask", QUESTION, "--endpoint", url,
                           "--library", str(note_library)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert proc.returncode == 2 and url in proc.stderr and "Traceback" not in proc.stderr


def test_a_server_that_stops_gives_a_model_error(tmp_path, note_library, encoder):
    short = start_server(tmp_path)
    try:
        llm = RemoteLLM(short.url)
        pieces = llm.stream([{"role": "user", "content": "Tell a long story."}], max_tokens=400)
        assert next(pieces)
        short.stop()                                    # dies in the middle of an answer
        with pytest.raises(ModelError, match="closed the connection in the middle"):
            for _ in pieces:
                pass
        with Library(note_library, encoder=encoder, endpoint=short.url) as lib:
            with pytest.raises(ModelError) as err:
                lib.ask(QUESTION, max_tokens=8)
        assert short.url in err.value.reason and "not answering" in err.value.reason
    finally:
        short.stop()


def test_http_errors_and_garbage_name_the_server(server):
    llm = RemoteLLM(server.url)
    with pytest.raises(ModelError, match=f"{server.url} refused the request \\(HTTP [45]\\d\\d: "):
        list(llm.stream([{"role": "nobody", "content": 5}], max_tokens=4))
    with pytest.raises(ModelError, match="not a model server address"):
        RemoteLLM("ftp://127.0.0.1:1")


def test_a_server_that_is_not_openai_compatible(tmp_path):
    """A web server that answers every request with a page, not JSON."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def _page(self) -> None:
            body = b"<html><body>It works!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _page

        def log_message(self, *args) -> None:
            pass

    web = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{web.server_address[1]}"
        llm = RemoteLLM(url, n_ctx=1024)
        assert llm.n_ctx == 1024 and llm.model is None and llm.count("abcdefg") == 2
        with pytest.raises(ModelError, match=f"{url} answered with something that is not an "
                                             "OpenAI-compatible reply .*It works!"):
            llm.complete(HELLO, max_tokens=4)
    finally:
        web.shutdown()
        web.server_close()
