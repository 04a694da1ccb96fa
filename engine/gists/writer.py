"""Writing one gist with the local model: a block from its text, a section, chapter or
document from its children's gists.

The prompt asks for what a reader needs to find the place again: who and what it is about,
in the words the text uses. What the model writes is kept only where its names and numbers
occur in the covered text (engine/gists/faithful.py); when nothing checkable is left, the
gist is the text's own first sentences, so a gist is never an invention.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from engine.answer.quote import split_sentences
from engine.gists.faithful import faithful_sentences
from engine.gists.terms import without_key_words
from engine.jobs import CancelToken

__all__ = ["Written", "write_leaf", "write_parent", "first_sentences", "excerpt",
           "SOURCE_TOKENS"]

SOURCE_TOKENS = 700      # of a block's text the model reads (its opening, then a cut)
PARTS_TOKENS = 900       # of the children's gists a parent gist reads
LEAF_WORDS, PARENT_WORDS = 50, 70   # tokens the model may write
SYSTEM = "You write short, factual summaries. Use only what the text says."


class Model(Protocol):
    def stream(self, messages: list[dict], *, max_tokens: int = ...,
               cancel: CancelToken | None = ...): ...

    def count(self, text: str) -> int: ...


@dataclass(frozen=True)
class Written:
    text: str
    source: str              # 'model' | 'extract'
    prompt_s: float          # reading the prompt (to the first token)
    generate_s: float        # writing the rest
    raw: str = ""            # what the model wrote, before the check


def first_sentences(text: str, limit: int = 2, words: int = 60) -> str:
    """The opening sentences of `text`, at most `words` words: the baseline gist, and what
    a gist falls back to when the model's sentences name things the text does not."""
    out: list[str] = []
    for s in split_sentences(text):
        if out and len(" ".join(out + [s]).split()) > words:
            break
        out.append(s)
        if len(out) >= limit:
            break
    if not out:
        out = [" ".join(text.split()[:words])]
    joined = " ".join(out)
    return " ".join(joined.split()[:words])


def _cut(text: str, budget: int, count: Callable[[str], int]) -> str:
    """`text` cut at a sentence end to about `budget` model tokens."""
    if count(text) <= budget:
        return text
    words = text.split()
    keep = max(1, int(len(words) * budget / max(1, count(text))))
    return " ".join(words[:keep])


def _ask(model: Model, prompt: str, max_tokens: int,
         cancel: CancelToken | None) -> tuple[str, float, float]:
    start = time.perf_counter()
    first, text = None, ""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
    for piece in model.stream(messages, max_tokens=max_tokens, cancel=cancel):
        if first is None:
            first = time.perf_counter()
        text += piece
    if cancel is not None:
        cancel.check()
    end = time.perf_counter()
    first = first or end
    return text.strip(), first - start, end - first


def _finished(text: str) -> str:
    """The model's text without a last sentence cut short by the token limit."""
    text = text.strip()
    if not text or text[-1] in ".!?\"”')":
        return text
    end = max(text.rfind(p) for p in ".!?")
    return text[:end + 1] if end > 0 else text + "…"


def _echoes(sentence: str, asked: str) -> bool:
    """Whether a sentence mostly repeats the instruction ("In one or two sentences, say
    what happens…"): a small model echoes it, and it names nothing, so no check drops it."""
    words = set(re.findall(r"[a-z]+", sentence.lower()))
    return len(words) > 0 and len(words & set(re.findall(r"[a-z]+", asked.lower()))) >= 0.6 * len(words)


# what a small model says about its own answer instead of the text: "In two or three
# sentences, I'll say: - …", "This is a short summary of …", "… is told in two sentences."
_META_OPENING = re.compile(r"^\s*in (?:one|two|three)(?: or (?:two|three))? sentences?,?\s*"
                           r"(?:i(?:'ll| will|'ve| have) (?:say|describe|described|summari[sz]ed?)\w*:?)?"
                           r"\s*-?\s*", re.I)
_META = re.compile(r"\b(?:is|are) (?:a|an) (?:short|brief)[\w ,]* summary\b|"
                   r"\b(?:is|are) (?:told|summari[sz]ed|described) in (?:one|two|three)\b", re.I)


def _plain(sentences: list[str]) -> list[str]:
    out = []
    for s in sentences:
        s = _META_OPENING.sub("", s)
        if s and not _META.search(s) and len(s.split()) >= 4:
            out.append(s[0].upper() + s[1:])
    return out


def _kept(text: str, covered: str, fallback: str, prompt_s: float, generate_s: float,
          asked: str = "") -> Written:
    said = without_key_words(_finished(text))     # key words are added from the text itself
    kept = _plain([s for s in faithful_sentences(said, covered) if not _echoes(s, asked)])
    if kept:
        return Written(" ".join(kept), "model", prompt_s, generate_s, text)
    return Written(fallback, "extract", prompt_s, generate_s, text)


def excerpt(chunks: Sequence[str], distinct: Sequence[float], count: Callable[[str], int],
            budget: int = SOURCE_TOKENS) -> str:
    """What the model reads of a block longer than `budget`: its most distinctive chunks
    (`distinct`: higher is further from what the document is mostly about), in their
    order. A block's opening is often more of what the whole book is about; what is
    particular to the place is where its keys stand apart."""
    costs = [count(c) for c in chunks]
    if sum(costs) <= budget:
        return "\n\n".join(chunks)
    chosen, spent = [], 0
    for i in sorted(range(len(chunks)), key=lambda i: -distinct[i]):
        if spent + costs[i] <= budget or not chosen:
            chosen.append(i)
            spent += costs[i]
    return _cut("\n\n".join(chunks[i] for i in sorted(chosen)), budget, count)


def write_leaf(model: Model, text: str, *, where: str, shown: str | None = None,
               cancel: CancelToken | None = None) -> Written:
    """The gist of one block of `text` (found at `where`: 'alice.pdf, CHAPTER III'); the
    model reads `shown` (an `excerpt` of it), else its opening."""
    shown = shown or _cut(text, SOURCE_TOKENS, model.count)
    asked = ("In one or two sentences, say what happens or what is explained in this text. "
             "Name the people, places and things it is about.")
    prompt = f"Text from {where}:\n\n{shown}\n\n{asked}"
    said, prompt_s, generate_s = _ask(model, prompt, LEAF_WORDS, cancel)
    return _kept(said, text, first_sentences(text), prompt_s, generate_s, asked)


def write_parent(model: Model, parts: Sequence[str], covered: str, *, what: str,
                 cancel: CancelToken | None = None) -> Written:
    """The gist of `what` ('CHAPTER III', 'the whole of alice.pdf') from its parts' gists
    in order; `covered` is the source text the parts cover (for the check)."""
    parts = [without_key_words(p) for p in parts]     # the parts' own words, not their tags
    lines = [f"- {p}" for p in parts]
    listing = "\n".join(lines)
    if model.count(listing) > PARTS_TOKENS:     # too many parts: each by its first sentence
        lines = [f"- {first_sentences(p, limit=1, words=30)}" for p in parts]
        listing = _cut("\n".join(lines), PARTS_TOKENS, model.count)
    asked = f"In two or three sentences, say what {what} is about as a whole."
    prompt = f"Summaries of the parts of {what}, in order:\n{listing}\n\n{asked}"
    said, prompt_s, generate_s = _ask(model, prompt, PARENT_WORDS, cancel)
    fallback = " ".join(first_sentences(p, limit=1, words=30) for p in parts[:3])
    return _kept(said, covered, fallback, prompt_s, generate_s, asked)
