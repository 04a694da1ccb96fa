"""What a person reads: the answer line and the citations of `memex ask`, end to end.

Why: recall can find the passage and the answer still fail at the last step (the wrong
sentence quoted, a number invented). Each question has a short known answer; we score the
answer line `ask` opens with, beside today's baseline in the same run:
- `line_right`: the answer line holds the answer (one of the fact's `answers`), over the
  questions whose fact reached the packed evidence; the baseline is the model's free
  synthesis (what the reader saw first before the answer line existed);
- `line_unsupported`: the line states something that is not in the evidence it cites (the
  baseline: the synthesis was flagged by the check);
- `cites_fact@5`: `ask` cites the passage holding the fact, over the questions whose fact
  `search` ranks in its top 5; `first_quote_in_top`: the first quote lies in the passage
  `search` ranks first, over the questions where that passage holds the fact; the baseline
  is the quote chosen the old way (raw cosine + shared words over all evidence);
- `not_said`: questions the library cannot answer get "The library does not say."; and
  answerable ones wrongly get it;
- `line_s`: seconds from the question to the answer line, beside the old first token
  (recall and packing, then the model reading the whole evidence to its first token);
- two-part questions (bench/conversation.py's generated survey): `ask` cites both facts,
  over those whose facts `search` holds in its top 10.

Libraries: the bundled sample (with the sample question), the long book with 56 planted
facts (bench/facts.py) and, with `--needle`, the million-token needle haystack. Facts with
an even index were used to calibrate (CLEARLY_BETTER, QUOTES, the span rules); the figures
are printed for the odd (held-out) half and for all.

    python bench/answers.py [--cache DIR] [--needle] [--limit N] [--max-tokens N] [--model PATH]

The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit, percentile, stderr_progress  # noqa: E402
from bench.corpus import CACHE, FACTS, build_book, normalize  # noqa: E402
from engine.answer.answer import working_memory  # noqa: E402
from engine.answer.answer_line import NOT_SAID  # noqa: E402
from engine.answer.check import claims  # noqa: E402
from engine.answer.quote import split_sentences  # noqa: E402
from engine.library import Library  # noqa: E402
from engine.recall.keyword import query_terms  # noqa: E402
from tests.books import make_twohop_book, planted  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "alice.pdf"


@dataclass(frozen=True)
class Question:
    text: str
    answers: tuple[str, ...]      # empty: the library cannot answer it
    fact: str = ""                # the sentence that holds the answer
    held_out: bool = True


# About the sample book: answers on one page each (resources/samples/README.md).
SAMPLE_QUESTIONS = (
    Question("What was written on the little cake in the glass box?", ("EAT ME",),
             "on which the words `EAT ME' were beautifully marked in currants"),
    Question("How tall was Alice after she drank from the bottle?", ("ten inches",),
             "she was now only ten inches high"),
)

# Nothing in any of the libraries answers these; written for this bench, never tuned on.
UNANSWERABLE = tuple(Question(q, ()) for q in (
    "What is the boiling point of liquid nitrogen?",
    "Which company built the first smartphone?",
    "How many gigabytes of memory does the server need?",
    "What programming language was the compiler written in?",
    "Who won the football world cup in 1998?",
    "What was the password of the wireless network?",
    "How much did the electric car cost?",
    "Which rocket carried the telescope into orbit?",
    "What is the half-life of the radioactive isotope?",
    "Which vaccine did the clinic give the children?",
    "How fast can the helicopter fly?",
    "What app did she download onto her phone?",
))


def fact_questions(limit: int | None) -> list[Question]:
    return [Question(f.question, f.answers, f.fact, held_out=i % 2 == 1)
            for i, f in enumerate(FACTS)][:limit]


def holds(text: str, fact: str) -> bool:
    return bool(fact) and normalize(fact) in normalize(text)


def right(line: str, answers: tuple[str, ...]) -> bool:
    return any(normalize(a) in normalize(line) for a in answers)


def supported(line: str, cited: str) -> bool:
    """The line is words of the evidence it cites, or every name and number in it is."""
    if normalize(line) in normalize(cited):
        return True
    plain = normalize(cited).replace(",", "")
    return all(normalize(c).replace(",", "") in plain for c in claims(line))


def legacy_quote(question: str, evidence, encoder):
    """Today's quote before this change: raw cosine + 0.15 × shared question words, over
    every evidence sentence, whatever recall ranked first."""
    pieces = [(i, s) for i, h in enumerate(evidence) for s in split_sentences(h.text) if len(s) <= 600]
    if not pieces:
        return None
    cos = encoder.encode([s for _, s in pieces]) @ encoder.encode_query(question)
    terms = set(query_terms(question))
    overlap = np.array([len(terms & set(query_terms(s))) / max(1, len(terms)) for _, s in pieces])
    return pieces[int(np.argmax(cos + 0.15 * overlap))]


def ask_all(lib: Library, questions: list[Question], max_tokens: int, label: str) -> list[dict]:
    rows = []
    for n, q in enumerate(questions, 1):
        hits = lib.search(q.text, k=10, record=False)
        rank = next((i + 1 for i, h in enumerate(hits) if holds(h.text, q.fact)), None)
        start = time.perf_counter()
        wm = working_memory(q.text, lib.searcher, n_ctx=lib.llm.n_ctx, count=lib.llm.count)
        wm_s = time.perf_counter() - start
        old = legacy_quote(q.text, wm.packed.evidence, lib.encoder) if wm.packed else None
        ans = lib.ask(q.text, max_tokens=max_tokens, kv=False)
        line = ans.line.text if ans.line else ""
        cited_line = ans.evidence[ans.line.tag - 1].text if ans.line and ans.line.tag else ""
        cited = [h.text for _, h in ans.citations]
        row = {
            "question": q.text, "held_out": q.held_out, "answerable": bool(q.answers),
            "rank": rank,
            "in_evidence": any(holds(h.text, q.fact) for h in ans.evidence),
            "cites_fact": any(holds(t, q.fact) for t in cited),
            "first_quote_fact": bool(ans.quotes) and holds(ans.quotes[0].text, q.fact),
            "first_quote_in_top": bool(ans.quotes) and bool(hits) and
            ans.evidence[ans.quotes[0].tag - 1].chunk_id == hits[0].chunk_id,
            "top_holds": bool(hits) and holds(hits[0].text, q.fact),
            "old_quote_fact": old is not None and holds(old[1], q.fact),
            "line": line, "line_right": right(line, q.answers),
            "line_not_said": line == NOT_SAID,
            "line_unsupported": line != NOT_SAID and not supported(line, cited_line),
            "synthesis_right": right(ans.synthesis, q.answers),
            "synthesis_flagged": bool(ans.flags),
            "line_s": ans.line_s,
            "old_first_token_s": wm_s + (ans.first_token_s or 0.0),
            "total_s": time.perf_counter() - start,
        }
        rows.append(row)
        mark = "ok " if row["line_right"] or (not q.answers and row["line_not_said"]) else "MISS"
        print(f"  [{label} {n}/{len(questions)}] {mark} {line!r:40.40} ← {q.text}",
              file=sys.stderr, flush=True)
    return rows


def share(rows: list[dict], key: str, where: str | None = None) -> float | None:
    pool = [r for r in rows if where is None or r[where]]
    return round(sum(bool(r[key]) for r in pool) / len(pool), 4) if pool else None


def summary(rows: list[dict]) -> dict:
    facts = [r for r in rows if r["answerable"]]
    top5 = [r for r in facts if r["rank"] is not None and r["rank"] <= 5]
    unanswerable = [r for r in rows if not r["answerable"]]
    line_s = [r["line_s"] for r in facts if r["line_s"] is not None]
    old_s = [r["old_first_token_s"] for r in facts]
    out = {
        "questions": len(facts),
        "in_top5": len(top5),
        "cites_fact@5": share(top5, "cites_fact"),
        "first_quote_fact@5": share(top5, "first_quote_fact"),
        "old_quote_fact@5": share(top5, "old_quote_fact"),
        "first_quote_in_top": share(facts, "first_quote_in_top", "top_holds"),
        "line_right": share(facts, "line_right", "in_evidence"),
        "synthesis_right": share(facts, "synthesis_right", "in_evidence"),
        "line_unsupported": share(facts, "line_unsupported"),
        "synthesis_flagged": share(facts, "synthesis_flagged"),
        "wrongly_not_said": share(facts, "line_not_said"),
        "not_said": share(unanswerable, "line_not_said"),
        "line_s_p50": round(statistics.median(line_s), 3) if line_s else None,
        "line_s_p95": round(percentile(line_s, 95), 3) if line_s else None,
        "old_first_token_s_p50": round(statistics.median(old_s), 3) if old_s else None,
        "total_s_p50": round(statistics.median(r["total_s"] for r in facts), 3) if facts else None,
    }
    if line_s and old_s:
        out["line_vs_old_first_token"] = round(statistics.median(line_s) / statistics.median(old_s), 3)
    return out


def two_part(model: str | None, max_tokens: int, n_facts: int = 12) -> dict:
    """bench/conversation.py's survey: each question needs a section and a later chapter."""
    tmp = Path(tempfile.mkdtemp(prefix="memex-answers-"))
    try:
        facts = planted(n_facts, 12)
        book = make_twohop_book(tmp / "survey.md", facts, chapters=12, paras_per_section=3)
        with Library(tmp / "lib", model=model) as lib:
            lib.ingest([book])
            both = eligible = 0
            for f in facts:
                hits = [h.text for h in lib.search(f.question, k=10, record=False)]
                found = any(f.definition in t for t in hits) and any(f.validation in t for t in hits)
                ans = lib.ask(f.question, max_tokens=max_tokens, kv=False)
                cited = [h.text for _, h in ans.citations]
                ok = any(f.definition in t for t in cited) and any(f.validation in t for t in cited)
                eligible += found
                both += ok and found
                print(f"  [two-part] {'ok ' if ok else 'MISS'} top10 both={found}: {f.question}",
                      file=sys.stderr, flush=True)
        return {"two_part_questions": len(facts), "two_part_in_top10": eligible,
                "cites_both@10": round(both / eligible, 4) if eligible else None}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(name: str, rows: list[dict]) -> dict:
    held = [r for r in rows if r["held_out"] or not r["answerable"]]
    out = {"all": summary(rows), "held_out": summary(held)}
    for part, s in out.items():
        print(f"{name} ({part}): " + ", ".join(f"{k} {v}" for k, v in s.items()))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="The answer line and citations of ask, end to end.")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--needle", action="store_true", help="also the million-token haystack")
    ap.add_argument("--limit", type=int, help="ask only the first N planted facts")
    ap.add_argument("--max-tokens", type=int, default=160, help="the synthesis's length")
    ap.add_argument("--model", help="a GGUF model (default: bundled SmolLM2-135M)")
    ap.add_argument("--book-library", type=Path, help="the long book's library folder "
                    "(default: CACHE/answers-book-library; reused when it holds the book)")
    args = ap.parse_args(argv)

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="memex-sample-") as tmp:
        with Library(Path(tmp) / "lib", model=args.model) as lib:
            lib.ingest([SAMPLE])
            rows = ask_all(lib, list(SAMPLE_QUESTIONS + UNANSWERABLE), args.max_tokens, "sample")
        results["sample"] = report("sample", rows)
        sample_line = rows[0]["line"]
    book = build_book(args.cache, facts=FACTS)
    with Library(args.book_library or args.cache / "answers-book-library", model=args.model) as lib:
        lib.ingest([book.pdf], report=stderr_progress(60))
        rows = ask_all(lib, fact_questions(args.limit) + list(UNANSWERABLE), args.max_tokens, "book")
    results["long_book"] = report("long book", rows)
    if args.needle:
        from bench.haystack import build_haystack
        hay = build_haystack(args.cache)
        with Library(args.cache / f"needle-library-{hay.folder.name.split('-', 1)[1]}",
                     model=args.model) as lib:
            lib.ingest(list(hay.files), report=stderr_progress(60))
            rows = ask_all(lib, fact_questions(args.limit) + list(UNANSWERABLE), args.max_tokens,
                           "needle")
        results["needle"] = report("needle", rows)
    results["two_part"] = two_part(args.model, args.max_tokens)
    print("two-part: " + ", ".join(f"{k} {v}" for k, v in results["two_part"].items()))
    emit({"bench": "answers", "model": args.model or "bundled", "sample_line": sample_line,
          **results})


if __name__ == "__main__":
    main()
