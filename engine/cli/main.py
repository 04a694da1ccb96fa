"""`memex` — the command line: the contract that scripts, tests and benchmarks rely on.

    memex ingest PATH...      read files and folders into the library; --no-wait returns
                              once they are readable (keyword search, trace) and leaves
                              understanding them (keys, memory) to a background process
    memex understand          finish reading pending documents for meaning (what
                              --no-wait leaves to the background; waits if one runs)
    memex digest [PATH...]    write gists of understood documents (blocks, chapters, the
                              whole) with the local model; resumes where it stopped
    memex outline PATH        a digested document's map: its gists, chapter by chapter
    memex search QUERY        evidence only, no model (--exact: flat exact dense search;
                              --keyword: BM25 on the text alone, no encoder)
    memex ask QUESTION        a streamed answer with citations (--exact likewise);
                              --new starts a conversation, --session ID continues one;
                              --endpoint URL: a model server answers (also for chat)
    memex chat                an interactive conversation (/new, /sources, /quit)
    memex list                documents in the library
    memex forget PATH         remove a document and all its rows
    memex trace NAME          a code name's definitions and references, or a term's mentions
    memex consolidate         rescore every memory block; move blocks between hot/warm/cold
    memex memory              blocks and bytes per tier, most/least valuable, last changes
    memex models              GGUF models found on this computer; --use NAME picks one
    memex --selftest          read the sample book offline, answer its question, print versions

Every subcommand takes --library PATH (else $MEMEX_LIBRARY, else the user data dir).
`memex` with no arguments, or `memex gui`, opens the desktop window (app/launcher.py).
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import asdict
from pathlib import Path

from engine.cli.output import guarded_output
from engine.errors import Cancelled, MemexError

__all__ = ["main", "COMMANDS"]


def _endpoint_args(s: argparse.ArgumentParser) -> None:
    s.add_argument("--endpoint", metavar="URL",
                   help="an OpenAI-compatible model server (llama.cpp server, Ollama, vLLM) "
                        "answers instead of the in-process model (default: $MEMEX_ENDPOINT; "
                        "API key: $MEMEX_ENDPOINT_KEY)")
    s.add_argument("--endpoint-model", metavar="NAME",
                   help="the server's model to use (default: $MEMEX_ENDPOINT_MODEL, else the "
                        "first it lists)")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--library", metavar="PATH",
                        help="library folder (default: $MEMEX_LIBRARY or the user data dir)")
    p = argparse.ArgumentParser(prog="memex", description="Read long material, remember it, answer with citations.",
                                epilog="`memex` with no arguments, or `memex gui [--library PATH] [FILE...]`, "
                                       "opens the desktop window; `memex --selftest` checks the install.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", parents=[common], help="read files and folders into the library")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--no-wait", action="store_true",
                   help="return once the files are readable (keyword search, trace, viewer); "
                        "a background process understands them (log: understand.log in the library)")

    sub.add_parser("understand", parents=[common],
                   help="add keys and memory to documents read with --no-wait (waits for a "
                        "background run)")

    s = sub.add_parser("digest", parents=[common],
                       help="write gists of understood documents with the local model "
                            "(for whole-book questions); resumes where it stopped")
    s.add_argument("paths", nargs="*", metavar="PATH", help="only these documents or folders")
    s.add_argument("--model", metavar="PATH", help="a GGUF model file (default as for ask)")
    s.add_argument("--ctx", type=int, default=4096, help="model context size in tokens")
    _endpoint_args(s)
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("outline", parents=[common], help="a digested document's gists as a map")
    s.add_argument("path", metavar="PATH")
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("search", parents=[common], help="show the evidence for a query (no model)")
    s.add_argument("query")
    s.add_argument("--k", type=int, default=5, help="how many results (default 5)")
    s.add_argument("--mode", choices=["fused", "bm25", "dense", "rrf", "exact"], default="fused",
                   help=argparse.SUPPRESS)
    s.add_argument("--exact", action="store_true",
                   help="flat exact dense search instead of the block router (the reference)")
    s.add_argument("--keyword", action="store_true",
                   help="BM25 on the text alone: no encoder, so it starts fast and finds "
                        "documents not yet understood")
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    s.add_argument("question")
    s.add_argument("--model", metavar="PATH", help="a GGUF model file (default: $MEMEX_MODEL, else the one chosen "
                        "with `memex models --use`, else bundled SmolLM2)")
    s.add_argument("--max-tokens", type=int, default=160)
    s.add_argument("--ctx", type=int, default=4096, help="model context size in tokens")
    _endpoint_args(s)
    s.add_argument("--exact", action="store_true",
                   help="recall with flat exact dense search instead of the block router")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--session", "--conversation", dest="session", type=int, metavar="ID",
                   help="continue conversation ID: follow-up questions resolve against it")
    s.add_argument("--new", action="store_true",
                   help="start a new conversation with this question (its id is printed)")
    s.add_argument("--no-kv", action="store_true",
                   help="read the whole prompt again instead of reusing the evidence's KV state")
    s.add_argument("--synthesis", action="store_true",
                   help="have the model write its own synthesis under the quotes even when it is "
                        "small (by default only a model of about 1B parameters or more, or a "
                        "server, writes one)")

    s = sub.add_parser("chat", parents=[common], help="an interactive conversation with the library")
    s.add_argument("--model", metavar="PATH", help="a GGUF model file")
    s.add_argument("--max-tokens", type=int, default=160)
    s.add_argument("--ctx", type=int, default=4096, help="model context size in tokens")
    _endpoint_args(s)
    s.add_argument("--session", "--conversation", dest="session", type=int, metavar="ID",
                   help="continue conversation ID (default: a new one)")
    s.add_argument("--synthesis", action="store_true",
                   help="have even a small model write a synthesis under the quotes")

    s = sub.add_parser("list", parents=[common], help="list documents")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("forget", parents=[common], help="remove a document and all its rows")
    s.add_argument("path")

    s = sub.add_parser("trace", parents=[common],
                       help="where a code name is defined and used, or where a term is mentioned")
    s.add_argument("term", metavar="NAME")
    s.add_argument("--limit", type=int, default=None, help="show at most this many occurrences")
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("consolidate", parents=[common],
                       help="rescore memory blocks by use; demote unused ones, promote used ones")
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("memory", parents=[common],
                       help="blocks and bytes per tier, the most and least valuable blocks")
    s.add_argument("--top", type=int, default=5, help="how many most/least valuable blocks")
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("models", parents=[common],
                       help="GGUF models found on this computer (GPT4All, LM Studio, Ollama, "
                            "Hugging Face); choose the one to use")
    pick = s.add_mutually_exclusive_group()
    pick.add_argument("--use", metavar="PATH_OR_NAME",
                      help="answer with this model from now on (this library; --global: every library)")
    pick.add_argument("--clear", action="store_true",
                      help="forget the chosen model (this library's, or --global's)")
    s.add_argument("--global", dest="global_", action="store_true",
                   help="with --use/--clear: the choice for every library")
    s.add_argument("--dir", action="append", default=[], metavar="FOLDER",
                   help="also search this folder (repeatable; also $MEMEX_MODEL_DIRS)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status is the work's, never the terminal's (a closed
    stdout or stderr silences the output only: engine/cli/output.py)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--selftest"]:
        from engine.cli.selftest import run
        return run(argv[1:])
    args = _parser().parse_args(argv)
    with guarded_output():
        try:
            return _COMMANDS[args.command](args)
        except MemexError as exc:
            print(f"memex: {exc.reason}", file=sys.stderr)
            return 2
        except (KeyboardInterrupt, Cancelled):
            print("\nmemex: interrupted; the library keeps every document finished before it.", file=sys.stderr)
            return 130


def _library(args, **kw):
    from engine.library import Library
    return Library(args.library, on_wait=_say_once(), **kw)


def _catalog(args):
    """The library without its models, for commands that need only its file."""
    from engine.catalog import Catalog
    return Catalog(args.library, on_wait=_say_once())


def _say_once():
    """Says, the first time a write waits for another Memex process, that it is waiting."""
    said = False

    def say(message: str) -> None:
        nonlocal said
        if not said:
            said = True
            below_bar = "\n" if sys.stderr.isatty() else ""   # a progress bar may hold the line
            print(f"{below_bar}memex: {message}", file=sys.stderr)
    return say


def _ingest(args) -> int:
    from engine.cli.progress import IngestBar

    # phase 1 alone never loads torch or the encoder
    lib = _catalog(args) if args.no_wait else _library(args)
    bar = IngestBar(sys.stderr)   # looked up now: the guarded stream, not the import-time one
    failed = 0

    def on_file(result) -> None:
        nonlocal failed
        bar.on_file(result)
        if result.status == "failed":
            failed += 1
            bar.close()
            print(f"failed: {result.path}: {result.reason}", file=sys.stderr)
        for warning in result.warnings:
            bar.close()
            print(f"warning: {result.path}: {warning}", file=sys.stderr)

    def waiting() -> None:
        bar.close()
        print("memex: waiting for the background reader of this library to finish…",
              file=sys.stderr)

    try:
        if args.no_wait:
            summary = lib.read(args.paths, report=bar.report, on_file=on_file)
            pending = len(lib.store.readable_documents())
        else:
            summary = lib.ingest(args.paths, report=bar.report, on_file=on_file,
                                 on_wait=waiting)
            pending = 0
    finally:
        bar.close()
        lib.close()
    for path, reason in summary.ignored:
        print(f"skipped: {path}: {reason.removeprefix('skipped: ')}", file=sys.stderr)
    removed = f", {len(summary.removed)} removed" if summary.removed else ""
    print(f"{len(summary.stored)} stored, {len(summary.skipped)} unchanged, "
          f"{len(summary.ignored)} skipped, {len(summary.failed)} failed{removed}; "
          f"{summary.chunks:,} chunks, {summary.tokens:,} tokens → {lib.path}", file=sys.stderr)
    if pending:
        from engine.cli.background import LOG_NAME, start_understanding

        pid = start_understanding(lib.path)
        where = (f"continues in the background (process {pid}; log: {lib.path / LOG_NAME})"
                 if pid else "waits for `memex understand`")
        print(f"readable now (keyword search, trace); understanding {pending} "
              f"document{'s' if pending != 1 else ''} {where}", file=sys.stderr)
    return 1 if failed else 0


def _understand(args) -> int:
    from engine.cli.progress import IngestBar

    bar = IngestBar(sys.stderr)

    def waiting() -> None:
        bar.close()
        print("memex: waiting for the background reader of this library to finish…",
              file=sys.stderr)

    with _library(args) as lib:
        try:
            done = lib.understand(report=bar.report, on_wait=waiting)
        finally:
            bar.close()
    print(f"{len(done.documents)} understood; {done.chunks:,} chunks, "
          f"{done.sentences:,} sentences → {lib.path}", file=sys.stderr)
    return 0


def _digest(args) -> int:
    from engine.cli.progress import IngestBar

    bar = IngestBar(sys.stderr, unit="gists")

    def waiting() -> None:
        bar.close()
        print("memex: waiting for another digest of this library to finish…", file=sys.stderr)

    with _library(args, model=args.model, n_ctx=args.ctx, endpoint=args.endpoint,
                  endpoint_model=args.endpoint_model) as lib:
        try:
            done = lib.digest(args.paths or None, report=bar.report, on_wait=waiting)
        finally:
            bar.close()
    if args.json:
        print(json.dumps(asdict(done), ensure_ascii=False))
    print(f"{len(done.documents)} digested; {done.gists} gists written ({done.model} by the model, "
          f"{done.extract} from the text's own sentences, {done.copies} copied), "
          f"{done.kept} kept from before, in {done.seconds:.1f} s → {lib.path}", file=sys.stderr)
    return 0


def _outline(args) -> int:
    with _library(args) as lib:
        doc = lib.store.document(str(Path(args.path).expanduser().resolve()))
        if doc is None:
            print(f"memex: {args.path} is not in the library.", file=sys.stderr)
            return 2
        entry = lib.outline(doc.path)
    if entry is None:
        print(f"memex: {args.path} has no gists yet; run `memex digest`.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(entry.to_json(), ensure_ascii=False))
        return 0

    def show(e, depth: int) -> None:
        print(f"{'  ' * depth}{e.title} — {e.where}")
        print(f"{'  ' * depth}  {e.text}")
        for c in e.children:
            show(c, depth + 1)
    show(entry, 0)
    return 0


def _search(args) -> int:
    from engine.recall.hit import describe

    if args.keyword or args.mode == "bm25":       # the text alone: no encoder to load
        with _catalog(args) as cat:
            hits = cat.search_keywords(args.query, k=args.k)
    else:
        with _library(args) as lib:
            hits = lib.search(args.query, k=args.k, mode="exact" if args.exact else args.mode)
    if args.json:
        print(json.dumps({"results": [h.to_json() for h in hits]}, ensure_ascii=False))
        return 0
    if not hits:
        print("No matches.")
    for i, h in enumerate(hits, 1):
        snippet = " ".join(h.text.split())
        print(f"{i}. {describe(h)}  (score {h.score:.3f})\n   {h.location.path}\n   {snippet[:240]}"
              f"{'…' if len(snippet) > 240 else ''}\n")
    return 0


def _ask(args) -> int:
    from engine.recall.hit import describe
    from engine.jobs import CancelToken

    token = CancelToken()

    def stop(signum, frame) -> None:  # first Ctrl-C stops generation; a second one quits
        token.cancel()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, stop)
    out = sys.stdout

    def show(piece: str) -> None:
        if not args.json:
            out.write(piece)
            out.flush()

    try:
        with _library(args, model=args.model, n_ctx=args.ctx, endpoint=args.endpoint,
                      endpoint_model=args.endpoint_model,
                      synthesis=True if args.synthesis else None) as lib:
            conv = lib.conversations.new() if args.new else args.session
            ans = lib.ask(args.question, on_text=show, cancel=token, max_tokens=args.max_tokens,
                          exact=args.exact, conversation=conv, kv=not args.no_kv)
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json:
        print(json.dumps(ans.to_json(), ensure_ascii=False))
        return 0
    if ans.stopped:
        out.write(" [stopped]")
    out.write("\n")
    if ans.reading_note:
        out.write(f"({ans.reading_note})\n")
    _sources(ans, out)
    if ans.how:
        out.write(f"  (how it was found: {ans.how})\n")
    if conv is not None:
        out.write(f"\n(conversation {conv}: continue with --session {conv})\n")
    return 0


def _sources(ans, out) -> None:
    from engine.recall.hit import describe

    if ans.citations:
        out.write("\nSources:\n")
        for n, hit in ans.citations:
            out.write(f"  [{n}] {describe(hit)} — {hit.location.path}\n")
    if ans.omitted:
        read, left = len(ans.evidence), len(ans.omitted)
        out.write(f"  ({read} passage{'s' if read != 1 else ''} read; {left} more "
                  f"{'was' if left == 1 else 'were'} recalled but did not fit the model's context)\n")


def _chat(args) -> int:
    """A read-eval loop over one conversation: each question is a follow-up of the last."""
    from engine.jobs import CancelToken

    out = sys.stdout
    with _library(args, model=args.model, n_ctx=args.ctx, endpoint=args.endpoint,
                  endpoint_model=args.endpoint_model,
                  synthesis=True if args.synthesis else None) as lib:
        conv = args.session or lib.conversations.new()
        last = None
        out.write(f"conversation {conv} — /new starts another, /sources lists the last "
                  "answer's sources, /quit leaves\n")
        while True:
            try:
                line = input("? ").strip()
            except EOFError:
                out.write("\n")
                return 0
            if not line:
                continue
            if line in ("/quit", "/exit"):
                return 0
            if line == "/new":
                conv, last = lib.conversations.new(), None
                out.write(f"conversation {conv}\n")
                continue
            if line == "/sources":
                if last is not None:
                    _sources(last, out)
                continue
            token = CancelToken()
            previous = signal.signal(signal.SIGINT, lambda *_: token.cancel())
            try:
                last = lib.ask(line, on_text=lambda p: (out.write(p), out.flush()), cancel=token,
                               max_tokens=args.max_tokens, conversation=conv)
            finally:
                signal.signal(signal.SIGINT, previous)
            out.write(" [stopped]\n" if last.stopped else "\n")


def _list(args) -> int:
    with _catalog(args) as lib:
        docs = lib.documents()
        gists = lib.store.gist_counts()
        mapped = {d.id for d in docs if gists.get(d.id)} - set(lib.store.documents_to_digest())
    if args.json:
        print(json.dumps({"documents": [d.__dict__ | {"gists": gists.get(d.id, 0)} for d in docs]},
                         ensure_ascii=False))
        return 0
    for d in docs:
        what = f"{d.units} {d.unit_name}s, {d.chunks} chunks" if d.status == "ready" else f"failed: {d.error}"
        if d.status == "ready" and d.phase == "readable":
            what += " · readable (being understood)"
        elif d.id in mapped:
            what += f" · {gists[d.id]} gists (memex outline)"
        print(f"{d.path}  [{d.modality or '?'}] {what}")
    if not docs:
        print("The library is empty. Add material with: memex ingest PATH")
    return 0


def _forget(args) -> int:
    with _catalog(args) as lib:
        if lib.forget(args.path):
            print(f"forgot {args.path}")
            return 0
    print(f"memex: {args.path} is not in the library", file=sys.stderr)
    return 1


def _trace(args) -> int:
    from engine.cli.tracing import print_trace

    with _catalog(args) as lib:
        found = lib.trace(args.term, limit=args.limit)
    if args.json:
        print(json.dumps({"term": args.term, "occurrences": [o.to_json() for o in found]},
                         ensure_ascii=False))
        return 0
    print_trace(args.term, found, sys.stdout)
    return 0 if found else 1


def _consolidate(args) -> int:
    from engine.cli.memory import print_consolidation

    with _library(args) as lib:
        result = lib.consolidate()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    print_consolidation(result, sys.stdout)
    return 0


def _memory(args) -> int:
    from engine.cli.memory import print_memory

    with _library(args) as lib:
        report = lib.memory(top=args.top)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0
    print_memory(report, sys.stdout)
    return 0


def _models(args) -> int:
    from engine.cli.models import run_models
    return run_models(args)


_COMMANDS = {"ingest": _ingest, "understand": _understand, "digest": _digest,
             "outline": _outline, "search": _search, "ask": _ask, "chat": _chat, "list": _list,
             "forget": _forget, "trace": _trace, "consolidate": _consolidate,
             "memory": _memory, "models": _models}
COMMANDS = frozenset(_COMMANDS)   # the launcher tells a command from a file to open

if __name__ == "__main__":
    sys.exit(main())
