"""What a person reads, per route: the answer line and citations of `memex ask`, end to end,
for today's pipeline (an earlier commit) and the new one, on the same libraries in one run.

Why per route: one fact path answered every question, and questions of other forms failed
at the step from question to tool ("which chapters mention Kiyo?" got chapters that merely
resembled the question, "which function does X?" a line repeating the question). Each
set below is built from public material fetched from PyPI (bench/route_sets.py), with
truth computed apart from Memex, and split into a calibration half (constants were fitted
on it) and a reported half (never tuned on); both are printed, the reported half is the
figure. Sets:

- `mentions` — "which chapters/books/scenes mention X", "where is X first mentioned",
  "how often does X come up" on Botchan, As You Like It and Paradise Lost; truth: the
  term's whole-word occurrences per unit in the raw text. Right: the units the line
  names (parsed from what the person reads) are exactly the truth; precision of them.
- `code` — on networkx (no tests): "which function or class does <its docstring's first
  line>" (quoted or reworded): `ask` cites the unit, the line names it; "who calls f":
  the call sites `trace` finds that the answer lists, and those `ast` finds.
- `two_part` — 24 invented pairs planted far apart in the novels ("How deep did the parish
  decide to dig its well, and how did that turn out?"): both facts cited, both answers in
  the line, over the questions whose two facts `search` holds in its top 10.
- `facts` — paraphrased questions: the long book's 56 planted facts (odd ones held out)
  and 37 questions in a stranger's words about the real texts (bench/real_facts.py):
  the line holds the answer, a wrong span is shown, the fact is cited, over the questions
  whose fact `search` ranks in its top 5; the span threshold's sweep on the calibration half.
- `facts_needle` (asked for by name) — the 56 planted facts in the million-token haystack.
- `sample` — the bundled sample's question and 12 questions no library answers.
- `fresh`, `fresh2` — more sets of each kind, written by someone who did not show them,
  all held out: bench/fresh_sets.py (36 mention, 30 code, 15 chained, 20 fact questions)
  after the routes' first tuning — its failures were then read and the question forms
  rewritten, so it is seen now — and bench/fresh2_sets.py (36, 30, 13, 16) after that,
  unseen: the figure least flattered by tuning.

For every question: the route taken, the line, time to the line. `--baseline REV` (default
the commit before routing) is checked out as a git worktree and asked the reported half's
questions over a copy of each library, by `bench/ask_each.py` in its own process, as the
new pipeline is.

    python bench/answers.py [--sets mentions,code,two_part,facts_real,facts_book,sample,fresh,
                                    fresh2,facts_needle]
                            [--baseline REV|none]
                            [--limit N] [--max-tokens N] [--model PATH] [--cache DIR]

The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit, percentile, stderr_progress  # noqa: E402
from bench.corpus import CACHE, FACTS, build_book, fetch_texts, normalize  # noqa: E402
from bench.route_sets import (CHAINED, REAL_FACTS, code_package, code_questions,  # noqa: E402
                              mention_questions, novels, units_in)
from engine.answer.answer_line import MARGIN_SURE, NOT_SAID, SPAN_SURE  # noqa: E402
from engine.answer.check import claims  # noqa: E402
from engine.library import Library  # noqa: E402
from engine.store import symbols  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "alice.pdf"
BASELINE = "bc7c419"      # the last commit before questions were routed
SETS = ("mentions", "code", "two_part", "facts_real", "facts_book", "sample", "fresh", "fresh2")


@dataclass(frozen=True)
class Q:
    """One question of a set, with what judging it needs."""
    text: str
    held_out: bool
    kind: str                            # 'which' | 'first' | 'count' | 'describe' | 'callers' |
                                         # 'two_part' | 'fact' | 'unanswerable' | 'sample'
    answers: tuple[tuple[str, ...], ...] = ()   # per part: any one of these answers it
    facts: tuple[str, ...] = ()          # sentences holding the answer (per part)
    truth: tuple = ()                    # mention units / the unit (path, qualname, lines)
    count: int = 0                       # occurrences (count questions)
    name: str = ""                       # callers: the function
    calls: tuple = ()                    # callers: ast's call sites


UNANSWERABLE = (
    "What is the boiling point of liquid nitrogen?", "Which company built the first smartphone?",
    "How many gigabytes of memory does the server need?",
    "What programming language was the compiler written in?",
    "Who won the football world cup in 1998?", "What was the password of the wireless network?",
    "How much did the electric car cost?", "Which rocket carried the telescope into orbit?",
    "What is the half-life of the radioactive isotope?",
    "Which vaccine did the clinic give the children?", "How fast can the helicopter fly?",
    "What app did she download onto her phone?",
)
SAMPLE_QUESTIONS = (("What was written on the little cake in the glass box?", "EAT ME",
                     "on which the words `EAT ME' were beautifully marked in currants"),
                    ("How tall was Alice after she drank from the bottle?", "ten inches",
                     "she was now only ten inches high"))


# --- libraries ----------------------------------------------------------------------------

def _library(folder: Path, files: list[Path], model: str | None) -> Path:
    """A library of `files`, read once and cached (re-reading unchanged files is a no-op)."""
    with Library(folder, model=model) as lib:
        lib.ingest(files, report=stderr_progress(30))
    return folder


def _novels_library(cache: Path, lib, model: str | None) -> Path:
    """A library of a novels folder (bench/route_sets.py) and the LoC report beside it."""
    loc = lib.folder / "loc_workshop.txt"
    if not loc.exists():
        loc.write_text(fetch_texts(cache)["loc_workshop"], encoding="utf-8")
    return _library(cache / f"answers-{lib.folder.name}-library", [*lib.files, loc], model)


def novels_library(cache: Path, model: str | None) -> Path:
    return _novels_library(cache, novels(cache), model)


def fresh_library(cache: Path, model: str | None, which: str = "fresh") -> Path:
    """The novels with the fresh sets' chained facts planted beside the first ones."""
    if which == "fresh":
        from bench.fresh_sets import fresh_novels as planted
    else:
        from bench.fresh2_sets import fresh2_novels as planted
    return _novels_library(cache, planted(cache), model)


def code_library(cache: Path, model: str | None) -> tuple[Path, Path]:
    root = code_package(cache)
    return root, _library(cache / f"answers-{root.name}-library", [root / "networkx"], model)


# --- asking ---------------------------------------------------------------------------------

def ask_all(root: Path, library: Path, questions: list[Q], *, max_tokens: int, model: str | None,
            label: str) -> list[dict]:
    """Each question asked by the Memex at `root` in its own process (bench/ask_each.py)."""
    env = dict(os.environ, MEMEX_ROOT=str(root), PYTHONPATH=str(root))
    cmd = [sys.executable, str(ROOT / "bench" / "ask_each.py"), "--library", str(library),
           "--max-tokens", str(max_tokens)] + (["--model", model] if model else [])
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=env, cwd=root)
    proc.stdin.write(json.dumps([q.text for q in questions]))
    proc.stdin.close()
    out = []
    for n, line in enumerate(proc.stdout, 1):
        row = json.loads(line)
        out.append(row)
        shown = (row["answer"].get("answer_line") or {}).get("text", "")
        print(f"  [{label} {n}/{len(questions)}] {row['answer'].get('route', '-'):9} "
              f"{shown[:70]!r} ← {row['question'][:60]}", file=sys.stderr, flush=True)
    if proc.wait() != 0 or len(out) != len(questions):
        raise RuntimeError(f"{label}: bench/ask_each.py failed after {len(out)} answers")
    return out


def baseline_root(rev: str, cache: Path) -> Path:
    """Today's pipeline: commit `rev` checked out beside this one (once)."""
    where = cache / f"baseline-{rev}"
    if not (where / "engine").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force",
                        str(where), rev], check=True, capture_output=True)
    return where


# --- judging --------------------------------------------------------------------------------

def holds(text: str, fact: str) -> bool:
    return bool(fact) and normalize(fact) in normalize(text)


def right(line: str, answers: tuple[str, ...]) -> bool:
    return any(normalize(a) in normalize(line) for a in answers)


def supported(line: str, cited: str) -> bool:
    if normalize(line) in normalize(cited):
        return True
    plain = normalize(cited).replace(",", "")
    return all(normalize(c).replace(",", "") in plain for c in claims(line))


def _line(ans: dict) -> dict:
    return ans.get("answer_line") or {}


def _cited(ans: dict) -> list[dict]:
    return ans.get("citations") or []


def judge(q: Q, row: dict, lib: Library | None) -> dict:
    """What the person reads, judged against the truth; `lib` (the new engine, in this
    process) finds search ranks and trace's call sites where a judgement needs them."""
    ans = row["answer"]
    line = _line(ans)
    text = line.get("text", "")
    out = {"question": q.text, "kind": q.kind, "held_out": q.held_out, "route": ans.get("route", "-"),
           "line": text, "how": line.get("how"), "line_s": ans.get("line_s"),
           "total_s": row["total_s"]}
    cited = [c.get("text", "") for c in _cited(ans)]
    if q.kind in ("which", "first", "count"):
        named = units_in(text)
        truth = list(q.truth)
        if q.kind == "first":
            ok = bool(named) and named[0] == truth[0]
            precision = 1.0 if ok else 0.0
        else:
            ok = set(named) == set(truth)
            precision = len(set(named) & set(truth)) / len(set(named)) if named else 0.0
            if q.kind == "count":        # the answer is the number; any grouping will do
                ok = str(q.count) in re.findall(r"\d+", text)
        out.update(right=ok, precision=precision, named=named)
    elif q.kind == "describe":
        path, qualname, (a, b) = q.truth
        cites = any((c.get("path") or "").endswith(path) and c.get("line_start") is not None
                    and c["line_start"] <= b and (c.get("line_end") or c["line_start"]) >= a
                    for c in _cited(ans))
        names = re.search(rf"(?<![\w.]){re.escape(qualname)}(?!\w)", text) is not None
        out.update(cites=cites, right=names)
    elif q.kind == "callers":
        # trace lists a name's calls, imports and bases from the symbol graph: its calls
        sites = {(u.path, u.line) for u in symbols.uses(lib.store, q.name) if u.kind == "call"}
        listed = {((c.get("path") or ""), c.get("line_start")) for c in _cited(ans)}
        said = ans.get("text", "")
        found = {s for s in sites if s in listed or f"{Path(s[0]).name}:{s[1]}" in said
                 or f"{'/'.join(Path(s[0]).parts[-3:])}:{s[1]}" in said}
        ast_sites = {(p, n) for p, n in q.calls}
        ast_found = {s for s in ast_sites
                     if any(p.endswith(s[0]) and n == s[1] for p, n in sites | listed)
                     and any((p.endswith(s[0]) and n == s[1]) for p, n in listed)}
        out.update(right=bool(sites) and found == sites, trace_sites=len(sites),
                   listed=len(found), ast_sites=len(ast_sites), ast_listed=len(ast_found))
    elif q.kind == "two_part":
        hits = [h.text for h in lib.search(q.text, k=10, record=False)]
        out.update(eligible=all(any(holds(h, f) for h in hits) for f in q.facts),
                   cites_both=all(any(holds(c, f) for c in cited) for f in q.facts),
                   right=all(right(text, a) for a in q.answers),
                   parts=[right(text, a) for a in q.answers])
    elif q.kind in ("fact", "sample"):
        hits = lib.search(q.text, k=10, record=False)
        rank = next((i + 1 for i, h in enumerate(hits) if holds(h.text, q.facts[0])), None)
        n = line.get("n")
        home = next((c.get("text", "") for c in _cited(ans) if c.get("n") == n), "") if n else ""
        ok = right(text, q.answers[0])
        quotes = ans.get("quotes", [])
        out.update(quotes_right=[right(qt["text"], q.answers[0]) for qt in quotes],
                   span_quote=next((i for i, qt in enumerate(quotes) if qt.get("n") == n), None))
        out.update(rank=rank, right=ok, wrong_span=line.get("how") == "span" and not ok,
                   right_span=line.get("how") == "span" and ok,
                   cites=any(holds(c, q.facts[0]) for c in cited),
                   not_said=text == NOT_SAID,
                   unsupported=text != NOT_SAID and bool(home) and not supported(text, home),
                   span=line.get("span", ""), score=line.get("score"), margin=line.get("margin"),
                   span_right=right(line.get("span", ""), q.answers[0]),
                   sentence_right=bool(quotes) and right(quotes[0]["text"], q.answers[0]))
    else:   # unanswerable
        out.update(right=text == NOT_SAID)
    return out


# --- sets -------------------------------------------------------------------------------------

def mention_set(cache: Path) -> list[Q]:
    return [Q(m.text, m.held_out, m.form, truth=m.truth, count=m.count)
            for m in mention_questions(novels(cache))]


def code_set(root: Path) -> list[Q]:
    out = []
    for c in code_questions(root):
        if c.form == "describe":
            out.append(Q(c.text, c.held_out, "describe", truth=(c.path, c.qualname, c.lines)))
        else:
            out.append(Q(c.text, c.held_out, "callers", name=c.name, calls=c.calls))
    return out


def two_part_set() -> list[Q]:
    return [Q(p.question, p.held_out, "two_part", answers=p.answers, facts=(p.first, p.second))
            for p in CHAINED]


def real_fact_set() -> list[Q]:
    return [Q(f.text, f.held_out, "fact", answers=(f.answers,), facts=(f.fact,)) for f in REAL_FACTS]


def book_fact_set() -> list[Q]:
    return [Q(f.question, i % 2 == 1, "fact", answers=(f.answers,), facts=(f.fact,))
            for i, f in enumerate(FACTS)]


def fresh_sets(cache: Path, root: Path, which: str = "fresh") -> dict[str, list[Q]]:
    """Questions written by someone who never showed them, every one held out:
    bench/fresh_sets.py after the routes' first tuning (its failures were then read and
    tuned on, so it is no longer unseen), bench/fresh2_sets.py after that (unseen)."""
    if which == "fresh":
        from bench.fresh_sets import (FRESH_CHAINED as chained_set, FRESH_FACTS as fact_set,
                                      fresh_code_questions as code_qs,
                                      fresh_mention_questions as mention_qs)
    else:
        from bench.fresh2_sets import (FRESH2_CHAINED as chained_set, FRESH2_FACTS as fact_set,
                                       fresh2_code_questions as code_qs,
                                       fresh2_mention_questions as mention_qs)
    mentions = [Q(m.text, True, m.form, truth=m.truth, count=m.count)
                for m in mention_qs(novels(cache))]
    code = [Q(c.text, True, "describe", truth=(c.path, c.qualname, c.lines)) if c.form == "describe"
            else Q(c.text, True, "callers", name=c.name, calls=c.calls)
            for c in code_qs(root)]
    chained = [Q(p.question, True, "two_part", answers=p.answers, facts=(p.first, p.second))
               for p in chained_set]
    facts = [Q(f.text, True, "fact", answers=(f.answers,), facts=(f.fact,)) for f in fact_set]
    return {"mentions": mentions, "code": code, "two_part": chained, "facts": facts}


def unanswerable_set() -> list[Q]:
    return [Q(t, True, "unanswerable") for t in UNANSWERABLE]


# --- figures ----------------------------------------------------------------------------------

def share(rows: list[dict], key: str, where=lambda r: True) -> float | None:
    pool = [r for r in rows if where(r)]
    return round(sum(bool(r.get(key)) for r in pool) / len(pool), 4) if pool else None


def timing(rows: list[dict]) -> dict:
    times = [r["line_s"] for r in rows if r.get("line_s") is not None]
    return {"line_s_p50": round(statistics.median(times), 3) if times else None,
            "line_s_p95": round(percentile(times, 95), 3) if times else None}


def figures(kind: str, rows: list[dict]) -> dict:
    routes = {}
    for r in rows:
        routes[r["route"]] = routes.get(r["route"], 0) + 1
    out = {"questions": len(rows), "routes": routes, **timing(rows)}
    if kind == "mentions":
        which = [r for r in rows if r["kind"] == "which"]
        out.update(which_exact=share(which, "right"),
                   which_precision=round(float(np.mean([r["precision"] for r in which])), 4)
                   if which else None,
                   first_right=share(rows, "right", lambda r: r["kind"] == "first"),
                   count_right=share(rows, "right", lambda r: r["kind"] == "count"))
    elif kind == "code":
        out.update(describe_cites=share(rows, "cites", lambda r: r["kind"] == "describe"),
                   describe_line_names=share(rows, "right", lambda r: r["kind"] == "describe"),
                   callers_all_trace_sites=share(rows, "right", lambda r: r["kind"] == "callers"))
        callers = [r for r in rows if r["kind"] == "callers"]
        if callers:
            out["callers_trace_sites_listed"] = round(
                sum(r["listed"] for r in callers) / max(1, sum(r["trace_sites"] for r in callers)), 4)
            out["callers_ast_sites_listed"] = round(
                sum(r["ast_listed"] for r in callers) / max(1, sum(r["ast_sites"] for r in callers)), 4)
    elif kind == "two_part":
        out.update(eligible=sum(r["eligible"] for r in rows),
                   cites_both=share(rows, "cites_both", lambda r: r["eligible"]),
                   both_in_line=share(rows, "right", lambda r: r["eligible"]),
                   cites_both_all=share(rows, "cites_both"), both_in_line_all=share(rows, "right"))
    elif kind == "facts":
        facts = [r for r in rows if r["kind"] == "fact"]
        top5 = [r for r in facts if r["rank"] is not None and r["rank"] <= 5]
        out.update(in_top5=len(top5), line_right=share(top5, "right"),
                   right_span=share(top5, "right_span"), wrong_span=share(top5, "wrong_span"),
                   cites_fact=share(top5, "cites"),
                   line_right_all=share(facts, "right"), wrong_span_all=share(facts, "wrong_span"),
                   unsupported=share(facts, "unsupported"),
                   wrongly_not_said=share(facts, "not_said"),
                   not_said=share(rows, "right", lambda r: r["kind"] == "unanswerable"))
    elif kind == "sample":
        out.update(line_right=share(rows, "right", lambda r: r["kind"] == "sample"),
                   not_said=share(rows, "right", lambda r: r["kind"] == "unanswerable"))
    return out


def span_sweep(rows: list[dict]) -> dict:
    """Line right and wrong spans shown over the facts whose fact search ranks in its top 5,
    for each pair of (least score, least margin) a span of recall's best sentence needs to
    be shown; the rest show that sentence. The pair kept has the most lines right with at
    most 5 % wrong spans."""
    pool = [r for r in rows if r["kind"] == "fact" and r["rank"] is not None and r["rank"] <= 5
            and r.get("span") and r.get("score") is not None]
    if not pool:
        return {}
    table = []
    for s in (-1e9, -4.0, -2.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0):
        for m in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0):
            shown = [r["score"] >= s and r["margin"] >= m and r.get("span_quote") == 0
                     for r in pool]
            right_ = [(r["span_right"] if sh else r["sentence_right"]) for r, sh in zip(pool, shown)]
            wrong = [sh and not r["span_right"] for r, sh in zip(pool, shown)]
            table.append({"score": s, "margin": m, "line_right": round(float(np.mean(right_)), 4),
                          "wrong_span": round(float(np.mean(wrong)), 4),
                          "spans_shown": round(float(np.mean(shown)), 4)})
    ok = [t for t in table if t["wrong_span"] <= 0.05] or table
    best = max(ok, key=lambda t: (t["line_right"], t["spans_shown"], -t["score"], -t["margin"]))
    return {"questions": len(pool), "best": best, "table": table}


def unit_sweep(lib: Library, questions: list[Q]) -> dict:
    """Top-1 of the describe questions (calibration half) for each weight of the encoder's
    cosine beside the shared words (engine/recall/units.py DENSE_WEIGHT)."""
    from engine.plan.code_form import code_form
    from engine.recall.units import DENSE_WEIGHT
    pool = []
    for q in questions:
        asked = code_form(q.text)
        if q.kind != "describe" or q.held_out or asked is None or asked.form != "describe":
            continue
        query = lib.searcher.query(asked.name)
        also = [(h.location.path, h.location.symbol) for h in lib.searcher.search(query, k=20)
                if h.location.symbol]
        found = lib.searcher.units.match(asked.name, query.plain, lib.encoder.encode, also=also,
                                         kind=asked.kind, k=10 ** 6)
        path, qualname, _ = q.truth
        pool.append([(h.words, h.cosine, h.unit.path.endswith(path) and h.unit.qualname == qualname)
                     for h in found])
    table = {}
    for w in (0.0, 0.25, 0.5, 1.0, 2.0, 4.0):
        top = [max(c, key=lambda x: x[0] + w * x[1])[2] if c else False for c in pool]
        table[str(w)] = round(float(np.mean(top)), 4) if top else None
    print(f"code: describe top-1 by the cosine's weight (calibration): {table} "
          f"(in use: {DENSE_WEIGHT})")
    return {"questions": len(pool), "top1_by_weight": table}


def report(name: str, kind: str, rows: list[dict]) -> dict:
    out = {"reported": figures(kind, [r for r in rows if r["held_out"]])}
    if any(not r["held_out"] for r in rows):
        out["calibration"] = figures(kind, [r for r in rows if not r["held_out"]])
    for part, f in out.items():
        print(f"{name} ({part}): " + ", ".join(f"{k} {v}" for k, v in f.items()))
    return out


# --- main -------------------------------------------------------------------------------------

@dataclass
class Run:
    sets: list[str]
    cache: Path
    roots: dict[str, Path] = field(default_factory=dict)     # pipeline → Memex checkout


def run_set(run: Run, name: str, kind: str, library: Path, questions: list[Q], args) -> dict:
    results = {}
    with Library(library, model=args.model) as lib:
        for pipeline, root in run.roots.items():
            # today's pipeline is asked the reported half only: it is the comparison, and
            # its span scoring and synthesis over long quotes take up to a minute a question
            asked = questions if pipeline == "new" else [q for q in questions if q.held_out]
            if not asked:
                continue
            where = library
            if pipeline != "new":      # asking records usage: today's pipeline asks a copy
                where = Path(tempfile.mkdtemp(prefix="memex-baseline-")) / "lib"
                shutil.copytree(library, where, ignore=shutil.ignore_patterns("*.lock"))
            try:
                rows = ask_all(root, where, asked, max_tokens=args.max_tokens, model=args.model,
                               label=f"{name}/{pipeline}")
            finally:
                if where != library:
                    shutil.rmtree(where.parent, ignore_errors=True)
            judged = [judge(q, row, lib) for q, row in zip(asked, rows)]
            results[pipeline] = {"figures": report(f"{name} [{pipeline}]", kind, judged),
                                 "rows": judged}
            if kind == "code" and pipeline == "new":
                results["unit_sweep_calibration"] = unit_sweep(lib, questions)
            if kind == "facts" and pipeline == "new":
                sweep = span_sweep([r for r in judged if not r["held_out"]])
                results["span_sweep_calibration"] = sweep
                if sweep:
                    print(f"{name}: span threshold fitted on calibration: {sweep['best']} "
                          f"(in use: score {SPAN_SURE}, margin {MARGIN_SURE})")
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="The answer line and citations of ask, per route.")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--baseline", default=BASELINE, help="a commit for today's pipeline, or 'none'")
    ap.add_argument("--limit", type=int, help="ask at most N questions of each set")
    ap.add_argument("--max-tokens", type=int, default=8, help="the synthesis's length, where any")
    ap.add_argument("--model", help="a GGUF model (default: bundled SmolLM2-135M)")
    ap.add_argument("--rows", type=Path, help="write every judged row here (JSON)")
    args = ap.parse_args(argv)
    run = Run([s.strip() for s in args.sets.split(",") if s.strip()], args.cache)
    run.roots["new"] = ROOT
    if args.baseline != "none":
        run.roots["today"] = baseline_root(args.baseline, args.cache)
    cut = (lambda qs: qs[:args.limit]) if args.limit else (lambda qs: qs)
    results: dict = {}
    if "mentions" in run.sets:
        results["mentions"] = run_set(run, "mentions", "mentions",
                                      novels_library(args.cache, args.model),
                                      cut(mention_set(args.cache)), args)
    if "code" in run.sets:
        root, library = code_library(args.cache, args.model)
        results["code"] = run_set(run, "code", "code", library, cut(code_set(root)), args)
    if "two_part" in run.sets:
        results["two_part"] = run_set(run, "two-part", "two_part",
                                      novels_library(args.cache, args.model), cut(two_part_set()), args)
    if "facts_real" in run.sets:
        results["facts_real"] = run_set(run, "facts (real texts)", "facts",
                                        novels_library(args.cache, args.model),
                                        cut(real_fact_set()) + unanswerable_set(), args)
    if "facts_book" in run.sets:
        book = build_book(args.cache, facts=FACTS)
        results["facts_book"] = run_set(run, "facts (long book)", "facts",
                                        _library(args.cache / "answers-book-library", [book.pdf],
                                                 args.model),
                                        cut(book_fact_set()), args)
    if "facts_needle" in run.sets:            # the million-token haystack (not by default)
        from bench.haystack import build_haystack
        hay = build_haystack(args.cache)
        results["facts_needle"] = run_set(
            run, "facts (needle)", "facts",
            _library(args.cache / f"needle-library-{hay.folder.name.split('-', 1)[1]}",
                     list(hay.files), args.model), cut(book_fact_set()), args)
    for which in ("fresh", "fresh2"):
        if which not in run.sets:
            continue
        root, code = code_library(args.cache, args.model)
        fresh = fresh_sets(args.cache, root, which)
        results[f"{which}_mentions"] = run_set(run, f"{which} mentions", "mentions",
                                               novels_library(args.cache, args.model),
                                               cut(fresh["mentions"]), args)
        results[f"{which}_code"] = run_set(run, f"{which} code", "code", code,
                                           cut(fresh["code"]), args)
        library = fresh_library(args.cache, args.model, which)
        results[f"{which}_two_part"] = run_set(run, f"{which} two-part", "two_part", library,
                                               cut(fresh["two_part"]), args)
        results[f"{which}_facts"] = run_set(run, f"{which} facts", "facts", library,
                                            cut(fresh["facts"]), args)
    if "sample" in run.sets:
        with tempfile.TemporaryDirectory(prefix="memex-sample-") as tmp:
            qs = [Q(t, True, "sample", answers=((a,),), facts=(f,)) for t, a, f in SAMPLE_QUESTIONS]
            results["sample"] = run_set(run, "sample", "sample",
                                        _library(Path(tmp) / "lib", [SAMPLE], args.model),
                                        qs + unanswerable_set(), args)
    if args.rows:
        args.rows.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    figures_only = {k: {p: v["figures"] if isinstance(v, dict) and "figures" in v else v
                        for p, v in r.items() if p not in ("span_sweep_calibration",
                                                           "unit_sweep_calibration")}
                    | ({"span_sweep_best": r["span_sweep_calibration"].get("best")}
                       if r.get("span_sweep_calibration") else {})
                    for k, r in results.items()}
    emit({"bench": "answers", "model": args.model or "bundled", "baseline": args.baseline,
          **figures_only})


if __name__ == "__main__":
    main()
