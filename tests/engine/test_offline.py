"""Offline by construction: `memex ingest`, `search` and `ask` open no network socket.

Each command runs for real under `strace -f`, which logs every socket, connect and send of
the process and its threads; any AF_INET/AF_INET6 socket, or a send to port 53 (a DNS
query), fails the test. Unix sockets are fine. onnxruntime's telemetry (loaded through
PyMuPDF's add-ons) used to send four DNS queries a few seconds into every run; each
traced command here runs past that point (the encoder alone loads for longer), and a
second, timing-free test checks that the dependency is not loaded at all.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.engine.cli import MEMEX, ROOT, env
from tests.makers import make_pdf

TRACED = "socket,connect,sendto,sendmsg,sendmmsg"
NETWORK = re.compile(r"\bAF_INET6?\b|htons\(53\)")
STRACE = shutil.which("strace") or "/usr/bin/strace"


def _strace_works() -> str | None:
    """Why strace cannot trace here, or None when it can."""
    if not shutil.which(STRACE):
        return "strace is not installed (apt-get install strace)"
    probe = subprocess.run([STRACE, "-f", "-e", "trace=socket", "-o", "/dev/null", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:   # e.g. ptrace forbidden in this container
        return f"strace cannot trace here: {probe.stderr.strip()[:200]}"
    return None


def network_calls(log: str) -> list[str]:
    """The traced calls that reach for the network (IPv4/IPv6 sockets, DNS sends)."""
    return [line for line in log.splitlines() if NETWORK.search(line)]


def traced_memex(tmp_path, name: str, *args) -> tuple[subprocess.CompletedProcess, list[str]]:
    log = tmp_path / f"{name}.strace"
    # --seccomp-bpf stops the process only at the traced calls, so llama.cpp's threads
    # run at full speed; the log is the same.
    cmd = [STRACE, "-f", "--seccomp-bpf", "-e", f"trace={TRACED}", "-o", str(log),
           *MEMEX, *map(str, args)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"memex {name} exited {proc.returncode}\n{proc.stderr[-2000:]}"
    return proc, network_calls(log.read_text(errors="replace"))


def test_the_tracer_sees_a_dns_query(tmp_path):
    """The check itself: a lookup of an unknown name is caught (so a pass means something)."""
    if (why := _strace_works()):
        pytest.skip(why)
    log = tmp_path / "probe.strace"
    code = ("import socket\ntry: socket.getaddrinfo('memex-offline-probe.invalid', 80)\n"
            "except OSError: pass\n")
    subprocess.run([STRACE, "-f", "-e", f"trace={TRACED}", "-o", str(log), sys.executable,
                    "-c", code], check=True, timeout=60)
    assert network_calls(log.read_text())


def test_ingest_search_and_ask_open_no_network_socket(tmp_path):
    if (why := _strace_works()):
        pytest.skip(why)
    lib = tmp_path / "lib"
    pdf = make_pdf(tmp_path / "moths.pdf",
                   [[("The luna moth was pinned beside a green lantern in the attic.", 11)]])
    note = tmp_path / "note.txt"
    note.write_text("The keeper of the attic collection was Agnes Holloway.\n")
    found = {}
    proc, found["ingest"] = traced_memex(tmp_path, "ingest", "ingest", pdf, note,
                                         "--library", lib)
    assert "2 stored" in proc.stderr
    proc, found["search"] = traced_memex(tmp_path, "search", "search", "luna moth lantern",
                                         "--json", "--library", lib)
    assert "luna moth" in proc.stdout
    proc, found["ask"] = traced_memex(tmp_path, "ask", "ask", "What was beside the lantern?",
                                      "--max-tokens", "8", "--ctx", "2048", "--library", lib)
    assert "Sources" in proc.stdout
    assert found == {"ingest": [], "search": [], "ask": []}


def test_pymupdf_loads_without_onnxruntime(tmp_path):
    """Timing-free: reading a PDF through the command line's imports never loads
    onnxruntime (whose telemetry fires seconds after it starts), and any later loader
    finds its telemetry switched off."""
    pdf = make_pdf(tmp_path / "a.pdf", [[("A single line of text.", 11)]])
    code = ("import os, sys\n"
            "import engine.cli.main, engine.answer.sources, pymupdf, ingest\n"
            f"doc = ingest.open_document({str(pdf)!r}); list(doc.chunks)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'onnxruntime'))\n"
            "print(os.environ.get('ORT_DISABLE_TELEMETRY'))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env(), check=True,
                         capture_output=True, text=True, timeout=120).stdout.split("\n")
    assert out[:2] == ["[]", "1"]
