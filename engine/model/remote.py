"""The answering model on a server: any OpenAI-compatible endpoint (llama.cpp server, Ollama,
vLLM) answers instead of the in-process llama.cpp — the path beyond one machine.

`RemoteLLM` offers what the answer pipeline uses of `LLM` (`n_ctx`, `count`, `stream`,
`complete`, `last`, `model_id`, `path`). The server keeps its own prompt cache, so our KV
cache has nothing to do here: `stable`, `kv`, `documents` and `reuse` are accepted and
ignored, and `last.kv` is always "off".

Only the standard library speaks HTTP: `http.client` gives separate connect and read
timeouts and a socket we can shut ourselves when a person stops an answer — also while the
server is still reading the prompt and no event arrives to check the token between.
"""
from __future__ import annotations

import http.client
import json
import math
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Iterator, Sequence
from urllib.parse import urlsplit

from engine.errors import ModelError
from engine.jobs import CancelToken
from engine.model.kv_cache import KVCache
from engine.model.llm import StreamStats

__all__ = ["RemoteLLM", "Timeouts", "check_endpoint", "default_endpoint", "normalise_endpoint",
           "estimate_tokens"]

CHARS_PER_TOKEN = 3.5      # used only when the server cannot tokenize for us
_COUNT_CACHE = 4096        # texts whose token count is remembered (pack() asks repeatedly)
_HINT = "Start it, or clear the endpoint to use the local model."


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection, and for each next piece of a reply (a server that
    reads a long prompt on a slow machine is silent for a while: be patient, not forever)."""
    connect: float = 10.0
    read: float = 120.0


def default_endpoint() -> str | None:
    """`MEMEX_ENDPOINT`: a model server to answer instead of the in-process model."""
    return os.environ.get("MEMEX_ENDPOINT") or None


def estimate_tokens(text: str) -> int:
    """A token count without a tokenizer; errs high for English, so packing never overflows."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def normalise_endpoint(url: str) -> str:
    """`host:port`, `http://host:port/` or `…/v1` all name the same server: its base URL."""
    text = url.strip()
    if not text:
        raise ModelError("The model server address is empty.")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelError(f"{url.strip()} is not a model server address "
                         "(expected something like http://127.0.0.1:8080).")
    try:
        parts.port
    except ValueError:
        raise ModelError(f"{url.strip()} has an invalid port number.") from None
    path = parts.path.rstrip("/")
    if path.endswith("/v1"):
        path = path[:-3]
    return f"{parts.scheme}://{parts.netloc}{path}"


class _NotOffered(Exception):
    """The server answered, but does not offer this (optional) route."""


class _Hangup:
    """Shuts the connection's socket from a watcher thread once `cancel` fires, so a blocked
    read returns at once instead of after the server's next piece (or the read timeout)."""

    def __init__(self, conn: http.client.HTTPConnection, cancel: CancelToken | None):
        self._done = threading.Event()
        if cancel is not None:
            threading.Thread(target=self._watch, args=(conn, cancel), daemon=True,
                             name="memex-remote-hangup").start()

    def _watch(self, conn: http.client.HTTPConnection, cancel: CancelToken) -> None:
        while not self._done.wait(0.05):
            if cancel.cancelled:
                sock = conn.sock
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                return

    def stop(self) -> None:
        self._done.set()


class RemoteLLM:
    def __init__(self, endpoint: str, *, model: str | None = None, key: str | None = None,
                 n_ctx: int = 4096, timeouts: Timeouts = Timeouts()):
        """Ask the server which model it serves and how long its context is; `n_ctx` is
        what is assumed when it does not say (then it must not exceed the server's own).

        `model` (else `MEMEX_ENDPOINT_MODEL`, else the first the server lists) names the
        model for servers that hold several; `key` (else `MEMEX_ENDPOINT_KEY`) is sent as a
        Bearer token and is never stored."""
        self.endpoint = normalise_endpoint(endpoint)
        self.path = self.endpoint          # where answers come from (a file path for `LLM`)
        self._parts = urlsplit(self.endpoint)
        self._key = key or os.environ.get("MEMEX_ENDPOINT_KEY") or None
        self._timeouts = timeouts
        model = model or os.environ.get("MEMEX_ENDPOINT_MODEL") or None
        listed = self._listed_models()
        self.model = model or (listed[0].get("id") if listed else None)
        told = self._server_n_ctx(listed)
        self.n_ctx, self.n_ctx_told = told or n_ctx, told is not None
        self.model_id = f"{self.endpoint}|{self.model or ''}|ctx={self.n_ctx}"
        self.last = StreamStats()
        self._counter: str | None = None    # the tokenize route that worked, or "estimate"
        self._counts: dict[str, int] = {}

    # -- what the server says about itself --------------------------------------------

    def _listed_models(self) -> list[dict]:
        try:
            found = self._json("GET", "/v1/models", optional=True)
        except _NotOffered:
            return []
        data = found.get("data") if isinstance(found, dict) else None
        return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []

    def _server_n_ctx(self, listed: list[dict]) -> int | None:
        """llama.cpp server: /props; vLLM: `max_model_len` in the model list."""
        for m in listed:
            if m.get("id") == self.model and isinstance(m.get("max_model_len"), int):
                return m["max_model_len"]
        try:
            props = self._json("GET", "/props", optional=True)
        except (_NotOffered, ModelError):
            return None
        if not isinstance(props, dict):
            return None
        settings = props.get("default_generation_settings")
        n = settings.get("n_ctx") if isinstance(settings, dict) else None
        n = n if isinstance(n, int) else props.get("n_ctx")
        return n if isinstance(n, int) and n > 0 else None

    def describe(self) -> str:
        """One sentence for the settings dialog: what answers, with how much context."""
        name = f"model “{self.model.rsplit('/', 1)[-1]}”" if self.model else "its default model"
        ctx = "" if self.n_ctx_told else " (assumed: the server does not say)"
        return f"{self.endpoint} answers with {name}, {self.n_ctx}-token context{ctx}."

    # -- tokens -----------------------------------------------------------------------

    def count(self, text: str) -> int:
        """Tokens of `text` by the server's own tokenizer when it offers one (llama.cpp's
        and vLLM's /tokenize, llama-cpp-python's /extras/tokenize/count), else an estimate;
        the route that worked is remembered."""
        if (n := self._counts.get(text)) is not None:
            return n
        n = self._count(text)
        if len(self._counts) >= _COUNT_CACHE:
            self._counts.clear()
        self._counts[text] = n
        return n

    def _count(self, text: str) -> int:
        routes = [self._counter] if self._counter else ["/tokenize", "/extras/tokenize/count"]
        for route in routes:
            if route == "estimate":
                break
            # llama.cpp reads `content`, vLLM `prompt`, llama-cpp-python `input`
            body = {"content": text, "prompt": text} if route == "/tokenize" else {"input": text}
            if self.model:
                body["model"] = self.model
            try:
                got = self._json("POST", route, body, optional=True)
            except _NotOffered:
                continue
            n = (len(got["tokens"]) if isinstance(got, dict) and isinstance(got.get("tokens"), list)
                 else got.get("count") if isinstance(got, dict) else None)
            if isinstance(n, int):
                self._counter = route
                return n
        self._counter = "estimate"
        return estimate_tokens(text)

    # -- answers ----------------------------------------------------------------------

    def stream(self, messages: list[dict], *, max_tokens: int = 256,
               cancel: CancelToken | None = None, stable: str | None = None,
               kv: KVCache | None = None, documents: Sequence[tuple[str, str]] = (),
               reuse: bool = True, stop: Sequence[str] | None = None) -> Iterator[str]:
        """Yield pieces of the reply as the server sends them; a fired `cancel` closes the
        connection (the server stops generating when it sees the client gone)."""
        start = time.perf_counter()
        stats = StreamStats(prompt_tokens=sum(self.count(str(m.get("content") or "")) + 4
                                              for m in messages))
        self.last = stats
        body: dict = {"messages": messages, "stream": True, "max_tokens": max_tokens,
                      "temperature": 0.0, "repeat_penalty": 1.1}
        if self.model:
            body["model"] = self.model
        if stop:
            body["stop"] = list(stop)
        conn = self._connect()
        hangup = _Hangup(conn, cancel)
        finished = answering = False
        try:
            resp = self._send(conn, "POST", "/v1/chat/completions", body)
            answering = True
            if "text/event-stream" not in (resp.getheader("Content-Type") or ""):
                finished = True       # a server that ignored stream=true: one whole reply
                piece = self._whole_reply(self._read_json(resp))
                if piece:
                    stats.first_token_s = time.perf_counter() - start
                    yield piece
                return
            for data in _sse_data(resp):
                if cancel is not None and cancel.cancelled:
                    return
                if data.strip() == "[DONE]":
                    finished = True
                    return
                event = self._parse(data)
                self._take_usage(event, stats)
                choices = event.get("choices") or [{}]
                choice = choices[0] if isinstance(choices[0], dict) else {}
                if choice.get("finish_reason"):
                    finished = True
                delta = choice.get("delta") or {}
                piece = delta.get("content") if isinstance(delta, dict) else None
                if stats.first_token_s is None and piece is not None:
                    stats.first_token_s = time.perf_counter() - start
                if piece:
                    yield piece
        except (OSError, http.client.HTTPException) as exc:
            if cancel is not None and cancel.cancelled:
                return
            if isinstance(exc, TimeoutError):
                raise ModelError(f"The model server at {self.endpoint} stopped answering: "
                                 f"nothing came for {self._timeouts.read:g} s.") from exc
            if not answering:
                raise self._down(f"{type(exc).__name__}: {exc}") from exc
            raise ModelError(f"The model server at {self.endpoint} closed the connection in "
                             "the middle of an answer.") from exc
        finally:
            hangup.stop()
            conn.close()
            stats.total_s = time.perf_counter() - start
        if not finished and not (cancel is not None and cancel.cancelled):
            raise ModelError(f"The model server at {self.endpoint} closed the connection in "
                             "the middle of an answer.")

    def complete(self, messages: list[dict], *, max_tokens: int = 256,
                 stop: Sequence[str] | None = None, cancel: CancelToken | None = None) -> str:
        """The whole reply at once, for short internal prompts; ends before the first
        `stop` string (also cut here, for servers that ignore `stop`)."""
        text = ""
        for piece in self.stream(messages, max_tokens=max_tokens, cancel=cancel, stop=stop):
            text += piece
            cuts = [i for s in stop or () if s and (i := text.find(s)) >= 0]
            if cuts:
                return text[:min(cuts)]
        return text

    # -- HTTP -------------------------------------------------------------------------

    def _connect(self) -> http.client.HTTPConnection:
        p = self._parts
        kind = http.client.HTTPSConnection if p.scheme == "https" else http.client.HTTPConnection
        conn = kind(p.hostname, p.port, timeout=self._timeouts.connect)
        try:
            conn.connect()
        except ConnectionRefusedError as exc:
            raise self._down("connection refused") from exc
        except TimeoutError as exc:
            raise self._down(f"no connection within {self._timeouts.connect:g} s") from exc
        except socket.gaierror as exc:
            raise self._down("unknown host name") from exc
        except ssl.SSLError as exc:
            raise self._down(f"TLS failed: {exc.reason or exc}") from exc
        except OSError as exc:
            raise self._down(exc.strerror or str(exc)) from exc
        conn.sock.settimeout(self._timeouts.read)
        return conn

    def _down(self, why: str) -> ModelError:
        return ModelError(f"The model server at {self.endpoint} is not answering ({why}). {_HINT}")

    def _send(self, conn: http.client.HTTPConnection, method: str, route: str,
              body: dict | None = None, *, optional: bool = False) -> http.client.HTTPResponse:
        """Send one request and return the response once its status is OK; an HTTP error
        becomes a ModelError quoting the server, or `_NotOffered` for an optional route."""
        headers = {"Accept": "application/json, text/event-stream"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        conn.request(method, self._parts.path + route, body=data, headers=headers)
        resp = conn.getresponse()
        if resp.status < 400:
            return resp
        detail = _error_detail(resp.read(4096))
        if optional and resp.status not in (401, 403):
            raise _NotOffered(route)
        hint = ""
        if resp.status in (401, 403):
            hint = " Set MEMEX_ENDPOINT_KEY to its API key."
        elif resp.status == 404 and route.startswith("/v1/"):
            hint = " Is it an OpenAI-compatible server, and is the model name right?"
        raise ModelError(f"The model server at {self.endpoint} refused the request "
                         f"(HTTP {resp.status}{': ' + detail if detail else ''}).{hint}")

    def _json(self, method: str, route: str, body: dict | None = None, *,
              optional: bool = False):
        conn = self._connect()
        try:
            resp = self._send(conn, method, route, body, optional=optional)
            return self._read_json(resp, optional=optional)
        except TimeoutError as exc:
            raise ModelError(f"The model server at {self.endpoint} stopped answering: "
                             f"nothing came for {self._timeouts.read:g} s.") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise self._down(f"{type(exc).__name__}: {exc}") from exc
        finally:
            conn.close()

    def _read_json(self, resp: http.client.HTTPResponse, *, optional: bool = False):
        raw = resp.read()
        try:
            return json.loads(raw)
        except ValueError:
            if optional:
                raise _NotOffered("not JSON") from None
            raise self._garbage(raw) from None

    def _parse(self, data: str) -> dict:
        try:
            event = json.loads(data)
        except ValueError:
            raise self._garbage(data.encode("utf-8", "replace")) from None
        if not isinstance(event, dict):
            raise self._garbage(data.encode("utf-8", "replace"))
        if event.get("error"):
            raise ModelError(f"The model server at {self.endpoint} failed while answering: "
                             f"{_error_detail(json.dumps(event).encode())}.")
        return event

    def _whole_reply(self, reply) -> str:
        try:
            return reply["choices"][0]["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError):
            raise self._garbage(json.dumps(reply).encode()) from None

    def _garbage(self, raw: bytes) -> ModelError:
        sample = " ".join(raw[:80].decode("utf-8", "replace").split())
        return ModelError(f"The model server at {self.endpoint} answered with something that "
                          f"is not an OpenAI-compatible reply (“{sample}”).")

    @staticmethod
    def _take_usage(event: dict, stats: StreamStats) -> None:
        """Servers that report usage or timings (llama.cpp) replace our estimate."""
        usage = event.get("usage")
        if isinstance(usage, dict) and isinstance(usage.get("prompt_tokens"), int):
            stats.prompt_tokens = usage["prompt_tokens"]
        timings = event.get("timings")
        if isinstance(timings, dict) and isinstance(timings.get("cache_n"), int):
            stats.reused_tokens = timings["cache_n"]


def _sse_data(resp: http.client.HTTPResponse) -> Iterator[str]:
    """The `data` of each Server-Sent Event (multi-line data joined; comments and keep-alive
    pings skipped), until the server closes the stream."""
    data: list[str] = []
    while True:
        raw = resp.readline()
        if not raw:
            if data:
                yield "\n".join(data)
            return
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)


def _error_detail(raw: bytes) -> str:
    """The server's own words for an error, from the JSON shapes servers use, else its text."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        err = json.loads(text)
    except ValueError:
        err = text
    if isinstance(err, dict):
        err = err.get("error") or err.get("detail") or err.get("message") or err
    if isinstance(err, dict):
        err = err.get("message") or err
    words = " ".join(str(err).split())
    return words if len(words) <= 200 else words[:199] + "…"


def check_endpoint(endpoint: str, *, model: str | None = None, key: str | None = None,
                   cancel: CancelToken | None = None, timeouts: Timeouts = Timeouts()) -> str:
    """Connect, ask for one token, and say what answers — for the settings dialog's Test."""
    llm = RemoteLLM(endpoint, model=model, key=key, timeouts=timeouts)
    llm.complete([{"role": "user", "content": "Say OK."}], max_tokens=1, cancel=cancel)
    return llm.describe()
