"""Working memory: follow-up first-token time with and without KV reuse, and two-hop
questions on a generated long book with planted two-hop facts.

Why: reading the evidence is what costs on a laptop CPU, so a follow-up over the same
evidence should reach its first token much faster than the first question when the
evidence's KV state is kept (target ≥ 3×). And a question that needs two places (a
parameter set in one chapter, its validation reported in another) should cite both; the
baseline is one recall of the whole question, in the same run.

Correctness first: every planted sentence lands in the section or chapter it names, the
follow-up keeps exactly the first question's evidence, and the answers open with a quote.
The last line printed is one JSON object.

    python bench/conversation.py [--model PATH] [--ctx N] [--facts N] [--chapters N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit  # noqa: E402
from engine.answer import describe  # noqa: E402
from engine.answer.answer import working_memory  # noqa: E402
from engine.answer.quote import best_quotes  # noqa: E402
from engine.library import Library  # noqa: E402
from tests.books import make_twohop_book, planted  # noqa: E402

K = 6


def check_book(lib: Library, facts) -> None:
    """Each planted sentence is stored once, under the chapter (and section) it names."""
    for f in facts:
        for sentence, chapter, section in ((f.definition, f.defined[0], f"{f.defined[0]}.{f.defined[1]}"),
                                           (f.validation, f.validated, None)):
            rows = [c for c in lib.store.db.execute(
                "SELECT section FROM chunks WHERE instr(text, ?) > 0", [sentence]).fetchall()]
            assert len(rows) == 1, (sentence, rows)
            assert f"Chapter {chapter}:" in rows[0][0], (sentence, rows)
            if section:
                assert f'"{section} ' in rows[0][0], (sentence, rows)


def two_hop(lib: Library, facts, n_ctx: int) -> dict:
    both = single_both = single_recall = 0
    for f in facts:
        wm = working_memory(f.question, lib.searcher, n_ctx=n_ctx, count=lib.llm.count, k=K)
        quoted = [wm.packed.evidence[q.tag - 1].text for q in wm.quotes] if wm.packed else []
        ok = any(f.definition in t for t in quoted) and any(f.validation in t for t in quoted)
        both += ok
        hits = lib.search(f.question, k=K)            # the baseline: one recall, same k
        texts = [h.text for h in hits]
        single_recall += any(f.definition in t for t in texts) and any(f.validation in t for t in texts)
        q1 = [hits[q.tag - 1].text for q in best_quotes(lib.searcher.query(f.question), hits,
                                                        lib.searcher, limit=2)]
        single_both += any(f.definition in t for t in q1) and any(f.validation in t for t in q1)
        print(f"  {'ok ' if ok else 'MISS'} hops={wm.hops} place={wm.place!r}: {f.question}",
              file=sys.stderr)
    n = len(facts)
    return {"two_hop_cite_both": both / n, "single_hop_cite_both": single_both / n,
            "single_hop_evidence_has_both": single_recall / n, "two_hop_questions": n}


def timed_ask(lib: Library, question: str, conv: int | None, *, kv: bool = True):
    start = time.perf_counter()
    ans = lib.ask(question, conversation=conv, max_tokens=16, kv=kv)
    return ans, time.perf_counter() - start


def first_tokens(folder: Path, model: str | None, n_ctx: int, question: str) -> dict:
    out: dict = {}
    with Library(folder, model=model, n_ctx=n_ctx, synthesis=True) as lib:   # KV is its read
        lib.kv.clear()
        # warm up (weights paged in, buffers allocated) on another question, so the first
        # question is timed as warm as the follow-ups
        lib.ask("Who kept the tide tables?", max_tokens=2, kv=False)
        conv = lib.conversations.new()
        first, wall = timed_ask(lib, question, conv)
        assert first.kv == "miss" and "\n\n“" in first.text, first.text
        print(f"  first question: {first.prompt_tokens} prompt tokens, first token "
              f"{first.first_token_s:.2f} s (ask {wall:.2f} s)", file=sys.stderr)
        out.update(prompt_tokens=first.prompt_tokens, first_s=first.first_token_s, first_ask_s=wall)
        follow, wall = timed_ask(lib, "Why?", conv)
        assert follow.same_evidence and follow.kv == "context", (follow.same_evidence, follow.kv)
        out.update(follow_context_s=follow.first_token_s, follow_context_ask_s=wall,
                   reused_tokens=follow.reused_tokens)
        lib.llm._llm.reset()                  # the context forgot it: the RAM tier restores
        follow_ram, wall = timed_ask(lib, "And why exactly?", conv)
        assert follow_ram.same_evidence and follow_ram.kv == "ram", follow_ram.kv
        out.update(follow_ram_s=follow_ram.first_token_s, follow_ram_ask_s=wall)
        off, wall = timed_ask(lib, "Why so?", conv, kv=False)
        assert off.same_evidence and off.kv == "off"
        out.update(follow_no_kv_s=off.first_token_s, follow_no_kv_ask_s=wall)
        out["kv_disk_bytes"] = lib.kv.disk_usage()
    with Library(folder, model=model, n_ctx=n_ctx, synthesis=True) as lib:   # a restart: disk
        follow_disk, wall = timed_ask(lib, "Why was that?", conv)
        assert follow_disk.same_evidence and follow_disk.kv == "disk", follow_disk.kv
        out.update(follow_disk_s=follow_disk.first_token_s, follow_disk_ask_s=wall)
    base = out["follow_no_kv_s"]
    for tier in ("context", "ram", "disk"):
        out[f"speedup_{tier}"] = base / out[f"follow_{tier}_s"]
    out["speedup_context_vs_first"] = out["first_s"] / out["follow_context_s"]
    return out


def blocks(folder: Path, model: str | None, questions: list[str], ratios=(0.0, 0.1, 0.25)) -> dict:
    """Block KV states assembled at new positions vs a full read of the same tokens:
    first-token time, first-token KL, top-1 and 16-token greedy answer agreement."""
    from engine.model.block_kv import BlockContext, kl

    out: dict = {}
    with Library(folder, model=model, n_ctx=4096) as lib:
        llm = lib.llm
        bc = BlockContext(llm, n_ctx=4096)
        stop = {llm._llm.token_eos()}
        rows = {r: {"kl": [], "top1": [], "agree": [], "s": []} for r in ratios}
        full_s = []
        for q in questions:
            wm = working_memory(q, lib.searcher, n_ctx=4096, count=llm.count, k=K)
            packed = wm.packed
            prompt = llm._formatter(messages=packed.messages).prompt
            texts = [f"[{i + 1}] ({describe(h)})\n{h.text}\n\n" for i, h in enumerate(packed.evidence)]
            assert "Evidence:\n\n" + "".join(texts) == packed.stable, "blocks must tile the evidence"
            at = prompt.find(packed.stable) + len("Evidence:\n\n")
            cuts = []
            for t in texts:
                cuts.append((at, at + len(t)))
                at += len(t)
            head = llm.tokenize(prompt[:cuts[0][0]], first=True)
            pieces = [llm.tokenize(prompt[a:b], first=False) for a, b in cuts]
            tail = llm.tokenize(prompt[cuts[-1][1]:], first=False)
            tokens = head + sum(pieces, []) + tail
            states = [(p, bc.block_state(p)) for p in pieces]       # kept ahead of time
            t = time.perf_counter()
            ref = bc.full_read(tokens)
            full_s.append(time.perf_counter() - t)
            ref_answer = bc.greedy(ref, len(tokens), 16, stop)
            for r in ratios:
                t = time.perf_counter()
                got = bc.assembled(head, states, tail, recompute=r)
                rows[r]["s"].append(time.perf_counter() - t)
                rows[r]["kl"].append(kl(ref, got))
                rows[r]["top1"].append(int(got.argmax()) == int(ref.argmax()))
                rows[r]["agree"].append(bc.greedy(got, len(tokens), 16, stop) == ref_answer)
            print(f"  blocks: {len(tokens)} tokens in {len(pieces)} blocks, full read "
                  f"{full_s[-1]:.2f} s; " + "; ".join(
                      f"r={r}: {rows[r]['s'][-1]:.2f} s KL {rows[r]['kl'][-1]:.3f}" for r in ratios),
                  file=sys.stderr)
        full = statistics.mean(full_s)
        out["blocks_full_read_s"] = full
        for r in ratios:
            row = rows[r]
            out[f"blocks_r{r}_s"] = statistics.mean(row["s"])
            out[f"blocks_r{r}_speedup"] = full / statistics.mean(row["s"])
            out[f"blocks_r{r}_kl"] = statistics.mean(row["kl"])
            out[f"blocks_r{r}_top1"] = sum(row["top1"]) / len(row["top1"])
            out[f"blocks_r{r}_answer_agree"] = sum(row["agree"]) / len(row["agree"])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="a GGUF model (default: bundled SmolLM2-135M)")
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--facts", type=int, default=12)
    ap.add_argument("--chapters", type=int, default=12)
    ap.add_argument("--blocks", action="store_true",
                    help="also measure block KV states assembled at new positions (cold tier)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="memex-conv-"))
    try:
        facts = planted(args.facts, args.chapters)
        book = make_twohop_book(tmp / "survey.md", facts, chapters=args.chapters,
                                paras_per_section=3)
        with Library(tmp / "lib", model=args.model, n_ctx=args.ctx) as lib:
            summary = lib.ingest([book])
            print(f"book: {summary.chunks} chunks, {summary.tokens:,} tokens, "
                  f"{len(facts)} two-hop facts", file=sys.stderr)
            check_book(lib, facts)
            hops = two_hop(lib, facts, args.ctx)
        print(f"two-hop: answer quotes cite both places {hops['two_hop_cite_both']:.0%}; "
              f"single-hop baseline {hops['single_hop_cite_both']:.0%} "
              f"(its evidence holds both in {hops['single_hop_evidence_has_both']:.0%})")
        times = first_tokens(tmp / "lib", args.model, args.ctx,
                             f"What does the {facts[0].model} fix, and at what value?")
        print(f"first token, {times['prompt_tokens']} prompt tokens: first question "
              f"{times['first_s']:.2f} s; follow-up over the same evidence without KV reuse "
              f"{times['follow_no_kv_s']:.2f} s; with reuse: in context "
              f"{times['follow_context_s']:.2f} s ({times['speedup_context']:.1f}×), RAM "
              f"{times['follow_ram_s']:.2f} s ({times['speedup_ram']:.1f}×), disk after restart "
              f"{times['follow_disk_s']:.2f} s ({times['speedup_disk']:.1f}×); "
              f"disk tier {times['kv_disk_bytes'] / 1e6:.1f} MB")
        extra = {}
        if args.blocks:
            extra = blocks(tmp / "lib", args.model, [f"What does the {f.model} fix?" for f in facts[:4]])
            ratios = sorted({k.split("_")[1] for k in extra if k.startswith("blocks_r")})
            print(f"block states at new positions (full read {extra['blocks_full_read_s']:.2f} s): " +
                  "; ".join(f"recompute {r[1:]}: {extra[f'blocks_{r}_speedup']:.1f}× faster, "
                            f"KL {extra[f'blocks_{r}_kl']:.3f}, top-1 {extra[f'blocks_{r}_top1']:.0%}, "
                            f"16-token answer same {extra[f'blocks_{r}_answer_agree']:.0%}"
                            for r in ratios))
        emit({"bench": "conversation", "model": args.model or "bundled", "ctx": args.ctx,
              **hops, **{k: round(v, 4) if isinstance(v, float) else v
                         for k, v in {**times, **extra}.items()}})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
