"""Reading the long book in two phases, the fast encoder path against today's, and the
distance to this machine's matrix-multiply peak.

Why: reading has two phases (engine/reading): phase 1 makes a book keyword-searchable and
traceable, phase 2 encodes it for meaning. A person waits for phase 1 before anything
works and for phase 2 before answers use meaning, so each is timed apart, in pages/s and
source tokens/s. The fast encoder path (engine/model/encoder.py) is only worth its keep
against the reference path (`Encoder(fast=False)`: float32, batches in the order given)
measured in the same run on the same file; each path ingests in its own process, so its
peak memory is its own. A speed-up says nothing about how much is left, so the run also
measures this machine's peak matrix-multiply throughput (torch fp32, bf16 and int8) and
prints the encoder's achieved FLOP/s as a share of it (`useful_flops` gives the formula).
PyMuPDF text extraction of the same file stays as the floor every PDF ingest pays.
Last, `memex ingest --no-wait` on the book's first 300 pages, as a person runs it: the
time until it returns, until a keyword search in a new process finds a line from page
250, and, with the background reader left to start, until every page is understood.

Correctness first: both paths must store every page and key the same texts; keyword
search must find sample lines back on their pages, also through the CLI after
`--no-wait`; the new path's keys of a thousand of the book's texts are compared with the
reference's (cosine). Then the figures; the last line printed is one JSON object.

    python bench/ingest.py [--cache DIR] [--pages N] [--no-wait-pages 300]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import engine  # noqa: E402,F401  (first: telemetry off, OpenMP threads set before torch loads)
import pymupdf  # noqa: E402
from bench.common import emit, stderr_progress  # noqa: E402
from bench.corpus import CACHE, build_book, count_tokens, normalize  # noqa: E402

SPOT_CHECKS = 8
MEMEX = [sys.executable, "-m", "engine.cli"]


# --- the book and its checks ------------------------------------------------------------

def extract_all(pdf: Path) -> tuple[float, int]:
    """The baseline: `page.get_text()` on every page; returns (seconds, characters)."""
    start = time.perf_counter()
    with pymupdf.open(pdf) as doc:
        chars = sum(len(page.get_text()) for page in doc)
    return time.perf_counter() - start, chars


def first_pages(pdf: Path, pages: int, out: Path) -> Path:
    """The first `pages` pages of `pdf` as their own file, page labels kept."""
    with pymupdf.open(pdf) as src, pymupdf.open() as doc:
        doc.insert_pdf(src, from_page=0, to_page=pages - 1)
        doc.set_page_labels(src.get_page_labels())
        doc.save(out)
    return out


def _long_line(doc, i: int) -> tuple[int, str]:
    """(1-based page, its longest line of 8 words or more), from page index `i` or the
    nearest page before it that has one (a part title has none)."""
    while not (lines := [ln for ln in doc[i].get_text().splitlines() if len(ln.split()) >= 8]):
        i -= 1
    return i + 1, max(lines, key=len)


def spot_lines(pdf: Path, n: int) -> list[tuple[int, str]]:
    """(page, line) pairs: the longest line of n body pages spread over the book."""
    with pymupdf.open(pdf) as doc:
        first = next((i for i in range(doc.page_count) if doc[i].get_label() == "1"), 0)
        return [_long_line(doc, first + 1 + k * (doc.page_count - first - 2) // (n - 1))
                for k in range(n)]


def found_on_page(hits: list[dict], pdf: Path, page: int, line: str) -> bool:
    """Whether hits (as `Hit.to_json()`) on `page` of `pdf` (or the page before: a line
    may open a chunk that starts there) hold `line`: whole in one hit, or, where a chunk
    ends inside the line, each of its sentence pieces in one."""
    texts = [normalize(h["text"]) for h in hits if h["page"] in (page - 1, page)
             and Path(h["path"]).resolve() == pdf.resolve()]
    pieces = re.split(r"(?<=[.!?])\s+", normalize(line))
    return any(normalize(line) in t for t in texts) or \
        all(any(piece in t for t in texts) for piece in pieces)


def rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else float("inf")


# --- the encoder's work and the machine's limit -----------------------------------------

def keyed_texts(store) -> list[str]:
    """Every chunk and every sentence `sentences_of` picks: what engine/reading/understand.py
    encodes, in its order."""
    from engine.reading.understand import sentences_of

    texts: list[str] = []
    for doc in store.documents():
        chunks = store.document_chunks(doc.id)
        texts += [c.text for c in chunks]
        texts += [chunks[i].text[a:b] for i, a, b in sentences_of(chunks)]
    return texts


def key_fidelity(texts: list[str], encoder, sample: int = 1000) -> dict:
    """Cosine of `encoder`'s keys to the float32 reference path's on `sample` texts spread
    over the book (chunks and sentences): what the fast path's speed costs in the keys
    themselves, beside what bench/recall.py and bench/needle.py measure in rankings."""
    import numpy as np

    from engine.model.encoder import Encoder

    picked = texts[::max(1, len(texts) // sample)][:sample]
    cosine = np.sum(encoder.encode(picked) * Encoder(fast=False).encode(picked), axis=1)
    return {"key_cosine_min": round(float(cosine.min()), 6),
            "key_cosine_mean": round(float(cosine.mean()), 7), "key_cosine_texts": len(picked)}


def useful_flops(texts: list[str], encoder) -> dict:
    """The multiply-add work phase 2 cannot avoid, counted from the texts it keys.

    `texts` are every chunk and every sentence `sentences_of` picks (`keyed_texts`: what
    engine/reading/understand.py encodes), each distinct text once (a path may skip
    duplicates), tokenized as the model sees them: [CLS] ... [SEP], cut at its 256-token
    limit, no padding. For a text of n tokens through L layers of width d and feed-forward
    width f, counting a multiply-add as 2 FLOPs:
        linear layers  L · n · 2·(4·d² + 2·d·f)   (Q, K, V, output; the two FFN matrices)
        attention      L · n · 4·n·d              (Q·Kᵀ and softmax·V: n·d MACs a token each)
    Embeddings, layer norms, softmax, GELU and pooling are left out (under 1% here).
    Padding is not useful work, so a path that pads pays for it in its share."""
    distinct = list(dict.fromkeys(texts))
    config = encoder._model[0].auto_model.config
    d, f, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    tok = encoder._model.tokenizer
    lengths: list[int] = []
    for start in range(0, len(distinct), 1024):
        ids = tok(distinct[start:start + 1024], truncation=True, max_length=encoder.max_tokens,
                  verbose=False)["input_ids"]
        lengths += [len(x) for x in ids]
    flops = sum(layers * (n * 2 * (4 * d * d + 2 * d * f) + 4 * n * n * d) for n in lengths)
    return {"texts": len(texts), "distinct_texts": len(distinct),
            "encoder_tokens": sum(lengths), "useful_flops": flops}


def peak_matmul(size: int, reps: int = 5) -> dict:
    """Best-of-`reps` throughput of one [size, size] @ [size, size] product, in FLOP/s
    (2·size³ per product), with torch's default threads (the encoder's): float32,
    bfloat16, and int8 → int32 through `torch._int_mm` where this torch has it."""
    import torch

    def best(fn) -> float:
        fn()                                                 # warm-up: packing, dispatch
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return 2 * size ** 3 / min(times)

    gen = torch.Generator().manual_seed(0)
    a, b = (torch.randn(size, size, generator=gen) for _ in range(2))
    out = {"fp32": best(lambda: a @ b)}
    a16, b16 = a.bfloat16(), b.bfloat16()
    out["bf16"] = best(lambda: a16 @ b16)
    out["int8"], out["int8_note"] = None, "torch._int_mm is missing from this torch"
    if hasattr(torch, "_int_mm"):
        a8, b8 = (torch.randint(-128, 128, (size, size), dtype=torch.int8, generator=gen)
                  for _ in range(2))
        try:
            out["int8"], out["int8_note"] = best(lambda: torch._int_mm(a8, b8)), None
        except RuntimeError as exc:
            out["int8_note"] = f"torch._int_mm failed: {exc}"
    out["threads"] = torch.get_num_threads()
    return out


# --- one path in its own process -------------------------------------------------------

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024    # KiB on Linux


def run_one(which: str, pdf: Path, library: Path, pages: int) -> dict:
    """Both phases of reading `pdf` into a fresh `library` with one encoder path; the
    encoder loads outside the timings. Runs in a child process (`--one`)."""
    from engine.library import Library
    from engine.model.encoder import Encoder

    start = time.perf_counter()
    encoder = Encoder(fast=which == "new")
    out = {"encoder_load_s": time.perf_counter() - start, "rss_after_load_mb": _peak_rss_mb(),
           "autocast": str(encoder.autocast).removeprefix("torch.")}
    lib = Library(library, encoder=encoder)
    try:
        # what Library.ingest does, phase by phase, so each phase keeps its own store_s
        start = time.perf_counter()
        read = lib.read([pdf], report=stderr_progress())
        out["read_s"] = time.perf_counter() - start
        if read.failed:
            raise SystemExit(f"{which}: ingest failed: {read.failed}")
        if not read.stored:
            raise SystemExit(f"{which}: nothing was stored; the library was not fresh")
        if read.pages != pages:
            raise SystemExit(f"{which}: ingest read {read.pages} pages of {pages}")
        start = time.perf_counter()
        done = lib.understand(report=stderr_progress())
        out["understand_s"] = time.perf_counter() - start
        if lib.readable() or done.documents != read.stored:
            raise SystemExit(f"{which}: phase 2 left {len(lib.readable())} documents readable")
        out["peak_rss_mb"] = _peak_rss_mb()
        out.update({f"read_{k}": v for k, v in read.timings.items()})
        out.update({f"understand_{k}": v for k, v in done.timings.items()})
        out.update(engine_tokens=read.tokens, chunks=done.chunks, sentences=done.sentences)
        texts = keyed_texts(lib.store)
        out.update(useful_flops(texts, encoder))
        if which == "new":
            out.update(key_fidelity(list(dict.fromkeys(texts)), encoder))
            out["problems"] = []
            for page, line in spot_lines(pdf, SPOT_CHECKS):
                hits = [h.to_json() for h in lib.search_keywords(line, k=5)]
                if not found_on_page(hits, pdf, page, line):
                    out["problems"].append(f"line from page {page} not found (top pages "
                                           f"{[h['page'] for h in hits]}): {line!r}")
    finally:
        lib.close()
    return out


def in_child(which: str, pdf: Path, library: Path, pages: int) -> dict:
    """`run_one` in a fresh interpreter; its progress goes to our stderr."""
    proc = subprocess.run([sys.executable, __file__, "--one", which, "--pdf", str(pdf),
                           "--library", str(library), "--expect-pages", str(pages)],
                          cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the {which} path's ingest exited {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- `memex ingest --no-wait`, as a person runs it --------------------------------------

def _memex(*args: str, **env: str) -> tuple[float, subprocess.CompletedProcess]:
    """Run the CLI in a new process; (seconds, process start included; the result)."""
    start = time.perf_counter()
    proc = subprocess.run([*MEMEX, *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1", **env))
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"memex {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return seconds, proc


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")          # a zombie has finished its work
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False


def no_wait(pdf: Path, tmp: Path, timeout_s: float) -> dict:
    """`memex ingest --no-wait` on `pdf` twice, into fresh libraries: with the background
    reader held back (MEMEX_NO_BACKGROUND=1), then a keyword search in a new process for
    a line from page 250 of 300 (as far into a shorter file); then with the background
    reader started as usual, until it has understood every page (its process exits)."""
    with pymupdf.open(pdf) as doc:
        page, line = _long_line(doc, max(0, round(doc.page_count * 250 / 300) - 1))
    out = {}
    library = tmp / "no-wait"
    out["no_wait_return_s"], _ = _memex("ingest", "--no-wait", str(pdf), "--library",
                                        str(library), MEMEX_NO_BACKGROUND="1")
    out["keyword_search_s"], proc = _memex("search", "--keyword", line, "--library",
                                           str(library), "--json")
    hits = json.loads(proc.stdout)["results"]
    if not found_on_page(hits, pdf, page, line):
        raise SystemExit(f"memex search --keyword after --no-wait did not find the line of "
                         f"page {page} (top pages {[h['page'] for h in hits]}): {line!r}")
    out["searchable_after_drop_s"] = out["no_wait_return_s"] + out["keyword_search_s"]

    library = tmp / "background"
    start = time.perf_counter()
    out["background_return_s"], proc = _memex("ingest", "--no-wait", str(pdf), "--library",
                                              str(library))
    match = re.search(r"in the background \(process (\d+)", proc.stderr)
    if not match:
        raise SystemExit(f"memex ingest --no-wait started no background reader:\n{proc.stderr}")
    pid = int(match[1])
    try:
        while _alive(pid) and time.perf_counter() - start < timeout_s:
            time.sleep(0.2)
        out["understood_after_drop_s"] = time.perf_counter() - start
        if _alive(pid):
            raise SystemExit(f"the background reader ran past {timeout_s:.0f} s")
    finally:
        if _alive(pid):
            os.killpg(pid, signal.SIGTERM)      # its own session: pid is the group id
    _, proc = _memex("list", "--library", str(library), "--json")
    phases = [d["phase"] for d in json.loads(proc.stdout)["documents"]]
    if phases != ["understood"]:
        log = (library / "understand.log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"after the background reader: phases {phases}; its log:\n{log}")
    return out


# --- the run ----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Two-phase ingest of the long book.")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--pages", type=int, help="only the book's first N pages (a quick check)")
    parser.add_argument("--no-wait-pages", type=int, default=300,
                        help="pages of the file `memex ingest --no-wait` reads (default 300)")
    parser.add_argument("--matmul-size", type=int, default=2048)
    parser.add_argument("--background-timeout", type=float, default=7200)
    # the child's side: one path's ingest, its figures as one JSON line
    parser.add_argument("--one", choices=("new", "reference"), help=argparse.SUPPRESS)
    parser.add_argument("--pdf", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--library", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--expect-pages", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.pdf, args.library, args.expect_pages)))
        return

    book = build_book(args.cache)
    with tempfile.TemporaryDirectory(prefix="memex-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pdf, pages, tokens = book.pdf, book.pages, book.tokens
        if args.pages and args.pages < book.pages:
            pdf, pages = first_pages(book.pdf, args.pages, tmp / "book.pdf"), args.pages
            with pymupdf.open(pdf) as doc:      # the source text is the whole book's
                tokens = count_tokens("\n\n".join(p.get_text() for p in doc))
        print(f"book: {pdf.name}, {pages} pages, {tokens} MiniLM tokens")

        new = in_child("new", pdf, tmp / "new", pages)
        for problem in new["problems"]:
            print(f"CHECK FAILED: {problem}")
        if new["problems"]:
            raise SystemExit(f"{len(new['problems'])} of {SPOT_CHECKS} spot checks failed")
        ref = in_child("reference", pdf, tmp / "reference", pages)
        runs = {"new": new, "reference": ref}
        same = ("chunks", "sentences", "texts", "distinct_texts", "encoder_tokens")
        if any(new[k] != ref[k] for k in same):
            raise SystemExit(f"the paths keyed different texts: "
                             f"{ {k: (new[k], ref[k]) for k in same} }")
        drop_pdf = first_pages(book.pdf, min(args.no_wait_pages, book.pages),
                               tmp / "no-wait.pdf")
        drop = no_wait(drop_pdf, tmp, args.background_timeout)
        extract_s, chars = extract_all(pdf)
    print(f"checks: both paths stored {pages} pages and keyed the same {new['texts']} texts; "
          f"{SPOT_CHECKS}/{SPOT_CHECKS} lines found; the --no-wait library found its line")

    peak = peak_matmul(args.matmul_size)
    result = {"bench": "ingest", "pages": pages, "tokens": tokens,
              "engine_tokens": new["engine_tokens"], "chunks": new["chunks"],
              "sentences": new["sentences"], "texts": new["texts"],
              "distinct_texts": new["distinct_texts"], "encoder_tokens": new["encoder_tokens"],
              "useful_flops": new["useful_flops"],
              "extract_s": round(extract_s, 3),
              "extract_pages_per_s": round(rate(pages, extract_s), 2),
              "extract_tokens_per_s": round(rate(tokens, extract_s), 1),
              "matmul_size": args.matmul_size, "torch_threads": peak["threads"],
              "peak_fp32_flops": round(peak["fp32"]), "peak_bf16_flops": round(peak["bf16"]),
              "peak_int8_ops": peak["int8"] and round(peak["int8"])}
    print(f"\n{'path':<11}{'phase':<12}{'seconds':>9}{'pages/s':>10}{'tokens/s':>11}"
          f"{'x extract':>11}")
    print(f"{'pymupdf':<11}{'extract':<12}{extract_s:>9.2f}{rate(pages, extract_s):>10.1f}"
          f"{rate(tokens, extract_s):>11.0f}{1.0:>11.2f}")
    for name, run in runs.items():
        run["total_s"] = run["read_s"] + run["understand_s"]
        stages = {"read": run["read_s"], " parse": run["read_parse_s"],
                  " store": run["read_store_s"], " graph": run["read_graph_s"],
                  "understand": run["understand_s"], " encode": run["understand_encode_s"],
                  " memory": run["understand_memory_s"], " store ": run["understand_store_s"],
                  "total": run["total_s"]}
        for stage, s in stages.items():
            print(f"{name:<11}{stage:<12}{s:>9.2f}{rate(pages, s):>10.1f}"
                  f"{rate(tokens, s):>11.0f}{rate(s, extract_s):>11.2f}")
        flops = rate(run["useful_flops"], run["understand_encode_s"])
        shares = {kind: flops / peak[kind] for kind in ("fp32", "bf16", "int8") if peak[kind]}
        print(f"{'':<11}encoder {flops / 1e9:.1f} GFLOP/s useful (matmuls in "
              f"{run['autocast'] if run['autocast'] != 'None' else 'float32'}): "
              + ", ".join(f"{v:.1%} of the {k} peak" for k, v in shares.items())
              + f"; peak RSS {run['peak_rss_mb']:.0f} MB ({run['rss_after_load_mb']:.0f} MB "
              f"after the encoder loaded in {run['encoder_load_s']:.1f} s)")
        result.update({
            f"{name}_read_s": round(run["read_s"], 3),
            f"{name}_parse_s": round(run["read_parse_s"], 3),
            f"{name}_store_s": round(run["read_store_s"], 3),
            f"{name}_graph_s": round(run["read_graph_s"], 3),
            f"{name}_understand_s": round(run["understand_s"], 3),
            f"{name}_encode_s": round(run["understand_encode_s"], 3),
            f"{name}_memory_s": round(run["understand_memory_s"], 3),
            f"{name}_understand_store_s": round(run["understand_store_s"], 3),
            f"{name}_total_s": round(run["total_s"], 3),
            **{f"{name}_{p}_pages_per_s": round(rate(pages, run[f"{p}_s"]), 2)
               for p in ("read", "understand", "total")},
            **{f"{name}_{p}_tokens_per_s": round(rate(tokens, run[f"{p}_s"]), 1)
               for p in ("read", "understand", "total")},
            f"{name}_encode_tokens_per_s": round(rate(tokens, run["understand_encode_s"]), 1),
            f"{name}_encoder_flops_per_s": round(flops),
            **{f"{name}_share_of_{k}_peak": round(v, 4) for k, v in shares.items()},
            f"{name}_autocast": run["autocast"],
            f"{name}_encoder_load_s": round(run["encoder_load_s"], 3),
            f"{name}_rss_after_load_mb": round(run["rss_after_load_mb"], 1),
            f"{name}_peak_rss_mb": round(run["peak_rss_mb"], 1),
        })
    speedups = {f"speedup_{p}": rate(ref[f"{p}_s"], new[f"{p}_s"])
                for p in ("read", "understand", "total")}
    speedups["speedup_encode"] = rate(ref["understand_encode_s"], new["understand_encode_s"])
    speedups["speedup_full"] = speedups.pop("speedup_total")
    result.update({k: round(v, 3) for k, v in speedups.items()})
    result.update({"parse_vs_extract": round(rate(new["read_parse_s"], extract_s), 3),
                   "total_vs_extract": round(rate(new["total_s"], extract_s), 3)})
    print(f"reference / new: phase 1 {speedups['speedup_read']:.2f}x, phase 2 "
          f"{speedups['speedup_understand']:.2f}x (encode {speedups['speedup_encode']:.2f}x), "
          f"whole ingest {speedups['speedup_full']:.2f}x")
    print(f"peak matmul ({args.matmul_size}², {peak['threads']} threads): fp32 "
          f"{peak['fp32'] / 1e9:.0f} GFLOP/s, bf16 {peak['bf16'] / 1e9:.0f} GFLOP/s, int8 "
          + (f"{peak['int8'] / 1e9:.0f} GOP/s" if peak["int8"]
             else f"skipped ({peak['int8_note']})"))
    print(f"--no-wait on {min(args.no_wait_pages, book.pages)} pages: returns in "
          f"{drop['no_wait_return_s']:.2f} s, keyword search {drop['keyword_search_s']:.2f} s "
          f"(searchable {drop['searchable_after_drop_s']:.2f} s after the drop); with the "
          f"background reader, understood {drop['understood_after_drop_s']:.1f} s after the drop")
    print(f"keys of the new path against the float32 reference on {new['key_cosine_texts']} "
          f"of the book's texts: cosine min {new['key_cosine_min']:.6f}, "
          f"mean {new['key_cosine_mean']:.7f}")
    result.update({k: new[k] for k in ("key_cosine_min", "key_cosine_mean", "key_cosine_texts")})
    print(f"(engine counted {new['engine_tokens']} tokens in {new['chunks']} chunks; "
          f"{new['texts']} texts keyed, {new['distinct_texts']} distinct, "
          f"{new['encoder_tokens']} encoder tokens; extraction read {chars} characters)")
    result.update({"no_wait_pages": min(args.no_wait_pages, book.pages),
                   **{k: round(v, 3) for k, v in drop.items()}})
    emit(result)


if __name__ == "__main__":
    main()
