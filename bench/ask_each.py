"""Ask a library a list of questions with whichever Memex `$MEMEX_ROOT` holds; JSON lines out.

Why a separate process: bench/answers.py measures today's pipeline (an earlier commit,
checked out as a git worktree) beside the new one in the same run, and an engine can only
be imported once per process. The questions arrive as a JSON list on stdin; each answer
is one JSON line on stdout: the question, `Answer.to_json()` and the seconds it took.

    MEMEX_ROOT=DIR python bench/ask_each.py --library LIB [--max-tokens N] [--model PATH] < q.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("MEMEX_ROOT") or str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--library", required=True)
    ap.add_argument("--max-tokens", type=int, default=8)
    ap.add_argument("--model")
    args = ap.parse_args()
    from engine.library import Library

    questions = json.load(sys.stdin)
    with Library(args.library, model=args.model) as lib:
        for q in questions:
            start = time.perf_counter()
            ans = lib.ask(q, max_tokens=args.max_tokens, kv=False)
            print(json.dumps({"question": q, "answer": ans.to_json(),
                              "total_s": time.perf_counter() - start}, ensure_ascii=False),
                  flush=True)


if __name__ == "__main__":
    main()
