"""Is a question asking where a name or word occurs — and which name, grouped by what?

"Which chapters mention Kiyo?", "pharaoh shows up in which of the twelve books?", "As You
Like It - count the occurrences of the word wit", "The narrator seems obsessed with
noodles. Which chapters actually have them?": people ask it in every syntax, so this is
read from cues, not from one sentence pattern. A question is a mention question when it
says so — a mention cue (mention, appear, come up, the word X, references to), a count cue
(how often, how many times, count the occurrences), or a unit it wants listed (which
chapters, list the scenes) — and it offers readings of the name it asks about, best
first: a quoted phrase, "the word X", what follows a mention verb, what a passive or
"shows up" says is mentioned, "is there a X", a topic set before the question, a
capitalised name, the last words of a sentence before the question. The planner takes the
first reading the library holds literally (engine/plan/planner.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Mentions", "mentions_form", "clean_term", "UNITS"]

# what a mention question groups by, in the words a reader uses → the unit
UNITS = {"chapter": "chapter", "book": "book", "part": "part", "section": "section",
         "scene": "scene", "act": "act", "canto": "canto", "volume": "volume",
         "file": "file", "document": "file", "page": "page", "episode": "scene",
         "video": "file", "story": "chapter", "letter": "chapter", "poem": "chapter"}
# finest last: "acts and scenes" groups by scene
_FINENESS = ("volume", "part", "book", "act", "chapter", "canto", "section", "scene", "page", "file")
_UNIT_WORDS = (r"chapters?|books?|parts?|sections?|scenes?|acts?|cantos?|volumes?|files?|"
               r"documents?|pages?|episodes?|videos?|stories|story|letters?|poems?")
_UNIT = re.compile(rf"\b(?P<unit>{_UNIT_WORDS})\b", re.I)
_ARTICLES = frozenset("a an the this that its his her their whole entire".split())

_MENTION = (r"mention(?:s|ed|ing)?|name(?:s|d)?(?:-check(?:s|ed)?)?(?!\s+after)|refer(?:s|red|ring)?\s+to|"
            r"references?|appear(?:s|ed|ing|ances?)?|occur(?:s|red|ring|rences?)?|"
            r"(?:come|comes|came|coming|crop|crops|cropped|show|shows|showed|turn|turns|turned|"
            r"pop|pops|popped)\s+up|feature(?:s|d)?|figure(?:s|d)?|(?:brought|bring|brings|"
            r"bringing)\s+(?:\w+\s+)?up|talk(?:s|ed|ing)?\s+about|spoken\s+of|speak(?:s)?\s+of|"
            r"invoke(?:s|d)?|cite(?:s|d)?|(?:use|uses|used|using)\s+(?:of\s+)?the\s+(?:word|name|term)|"
            r"the\s+(?:word|name|term|nickname|phrase)\s+\S|contain(?:s|ing)?|include(?:s|d|ing)?|"
            r"addressed\s+as|called|said|heard")
_THEME = (r"discuss(?:es|ed|ing)?|deal(?:s|t)?\s+with|(?:are|is)\s+about|cover(?:s|ed)?|"
          r"describe(?:s|d)?|concern(?:s|ed)?|explore(?:s|d)?|treat(?:s)?\s+of|touch(?:es)?\s+on")
_MENTIONING = re.compile(rf"\b(?:{_MENTION}|{_THEME})\b|\bis\s+there\s+an?\b|\bare\s+there\b|"
                         r"\b(?:have|has|had)\s+(?:it|them|one|any|him|her)\b|"
                         r"\b(?:have|has|had)\b.+\bin\s+(?:it|them)\b", re.I)
_THEMED = re.compile(rf"\b(?:{_THEME})\b", re.I)
_COUNT = re.compile(r"\bhow\s+(?:often|many\s+times|frequently)\b|\bhow\s+many\s+(?:mentions|"
                    r"references|occurrences|appearances|uses)\b|\bnumber\s+of\s+(?:times|"
                    r"mentions|occurrences|appearances)\b|\bcount\s+(?:the\s+|all\s+)?(?:times|"
                    r"mentions|occurrences|appearances|uses)\b|\bfrequency\s+of\b|\btally\b", re.I)
_FIRST = re.compile(r"\bfirst\b|\bearliest\b|\binitially\b|\bintroduced\b|\bdebut", re.I)
_LISTING = re.compile(r"\b(?:which|what|list|tell|show|give|name|point|find|identify|locate|"
                      r"where|each|every|all)\b|\bin\s+what\b|\bi(?:'d|\s+would)\s+like\b|"
                      r"\bi\s+(?:need|want)\b", re.I)
# a unit asked for with no mention verb: "which chapters actually have them", "list the scenes"
_ASKS_UNITS = re.compile(rf"\b(?:which|what|each|every|all|list|name|tell|show|give|point|count)\b"
                         rf"[^?.!]{{0,30}}?\b(?:{_UNIT_WORDS})\b", re.I)
_WHERE = re.compile(r"\b(?:where|when|at\s+what\s+point|whereabouts|locate|point\s+me)\b", re.I)

# words around a name that are the question's, never the name
_ASKING = frozenset("""what which where when who how why is are was were do does did can could
would will shall should may might tell show give list name find point identify locate count
please i i'd id me my we us you your in on at of to for from the a an and or but that this
these those there here it its they them their one ones any some all every each also exactly
actually just really ever anywhere somewhere else first earliest time times occurrence
occurrences mention mentions mentioned reference references appearance appearances
word words name names term terms like know need want see number total tally count often
frequently many much times get gets got across throughout within with about into onto upon
by as after before during i'm im place places spot spots passage passages bit bits""".split())
_TITLE_WORDS = frozenset("""act scene chapter book part section canto volume page file i novel
play poem story text epic comedy tragedy work""".split())
_TRAILING = frozenset("""in on at of to for from with by about into as than somewhere anywhere
internally exactly actually please too again here there""".split())

_STOPS = (r"(?=\s*(?:[?!.;:,…]|\s-\s|\s[–—]\s|$|\s(?:in|at|throughout|across|within|from|that|"
          r"which|where|when|and|or|for|exactly|please|somewhere|anywhere|at\s+all|first|again|"
          r"ever|is|are|was|were|get|gets|come|comes|appear|appears|occur|occurs|show|shows|"
          r"turn|turns|crop|crops|pop|pops|by|during)\b))")
_NP = rf"(?P<t>(?:[\w'’-]+\s+){{0,4}}?[\w'’-]+){_STOPS}"
_READINGS = [
    re.compile(r"[\"“‘`](?P<t>[^\"”’`]{1,60})[\"”’`']|(?<!\w)'(?P<t2>[^']{1,60})'(?!\w)"),
    re.compile(rf"\bthe\s+(?:word|name|term|nickname|phrase|title)s?\s+{_NP}", re.I),
    re.compile(rf"(?<!'s\s)(?<!’s\s)\b(?:mentions?|mentioning|names?|naming|refers?\s+to|references?\s+to|mentions\s+of|"
               rf"occurrences?\s+of|appearances?\s+of|uses\s+of|talks?\s+about|talking\s+about|"
               rf"brings?\s+up|bringing\s+up|speaks?\s+of|invokes?|features?|contains?|containing|"
               rf"includes?|including|name-checks?|addressed\s+as|called|discuss(?:es)?|deals?\s+with|"
               rf"(?:is|are)\s+about|describes?|concerns?|covers?)\s+{_NP}", re.I),
    re.compile(r"\b(?:is|are|was|were|does|do|did|gets?|got)\s+(?P<t>(?:[\w'’-]+\s+){0,4}?[\w'’-]+)"
               r"(?:'s|’s)?(?:\s+name)?\s+(?:(?:first|initially|ever|anywhere|actually|even|"
               r"really)\s+)?(?:mentioned|named|referred\s+to|used|introduced|cited|spoken\s+of|"
               r"talked\s+about|brought\s+up|featured|found|seen|heard|called|said|invoked|"
               r"addressed|appear|occur|come\s+up|show\s+up|turn\s+up|crop\s+up|pop\s+up|figure|"
               r"discussed|described)\b", re.I),
    re.compile(r"(?P<t>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)(?:'s|’s)?\s+(?:is\s+|are\s+|"
               r"gets?\s+|was\s+|were\s+)?(?:(?:first|ever)\s+)?(?:mentioned|named|name-checked|"
               r"referred\s+to|invoked|cited|shows?\s+up|turns?\s+up|crops?\s+up|pops?\s+up|"
               r"comes?\s+up|appears?|occurs?|figures?)\b", re.I),
    re.compile(r"(?P<t>(?:[\w'’-]+\s+){0,2}[\w'’-]+)\s+(?:is|are|was|were|gets?|got)\s+"
               r"(?:(?:first|ever|actually|even|really)\s+)?(?:mentioned|named|name-checked|"
               r"referred\s+to|invoked|cited|brought\s+up|talked\s+about|spoken\s+of|used)\b", re.I),
    re.compile(rf"\b(?:is|are)\s+there\s+(?:an?\s+|any\s+)?{_NP}", re.I),
    re.compile(r"\b(?:have|has|had)\s+(?P<t>.+?)\s+in\s+(?:it|them)\b", re.I),
    re.compile(r"^\W*(?P<t>[^?.,;:–—-]{1,40}?)\s*(?:[-–—:]|\.\.\.|…|,)\s+(?=\S)"),
    re.compile(r"(?P<t>\b[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)*)"),
    re.compile(r"(?P<t>(?:[\w'’-]+\s+){0,1}[\w'’-]+)\s*[.!]\s+\S"),
]
_TAIL = re.compile(r"\s+(?:at\s+all|anywhere|ever|again|first|in\s+(?:it|them|this|the\s+\w+|"
                   r"[\w.-]+\.\w+|(?:[A-Z][\w'-]*\s*)+)|(?:of|in|from)\s+the\s+(?:book|novel|story|"
                   r"poem|play|text|library|code(?:base)?|project))\s*$")
_REFERENCE = re.compile(r"^(?:an?\s+|the\s+)?(?:references?|mentions?|allusions?)\s+(?:to|of)\s+",
                        re.I)
_APPOSITION = re.compile(r"^(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s+the\s+[a-z][\w\s'’-]*$")
_POINTER = re.compile(r"(?:that|this|these|those|it|they|them|she|he|her|him)", re.I)
_LEAD = re.compile(r"^(?:the\s+(?:word|name|term|phrase|nickname|character|person|figure)s?\s+|"
                   r"(?:the|a|an|any|some|that|this|those|these|his|her|their|its)\s+)", re.I)


@dataclass(frozen=True)
class Mentions:
    """Where a name or word occurs: every unit holding it ('which'), the first place
    ('first'), how often ('count'), or every place ('every'). `term` is the best reading
    of the name asked about, `candidates` every reading, best first; `units` every unit
    word the question uses, finest last ("acts and scenes")."""
    form: str          # 'which' | 'first' | 'count' | 'every'
    term: str
    unit: str = ""     # the finest unit the question asks for ('' any place)
    theme: bool = False    # asked with a theme verb ("discuss", "deal with"): meaning counts
    candidates: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


def clean_term(raw: str) -> str:
    """The name or word itself: quotes, leading words of the asking ("how frequently are",
    "a reference to", "with"), an article or "the word", a possessive and trailing words
    that only place it ("in the book") dropped."""
    term = " ".join(raw.split()).strip(" ?.!,;:")
    for _ in range(3):
        term = _TAIL.sub("", term).strip(" ?.!,;:")
        term = term.strip("\"'`“”‘’«»").strip()
        term = _REFERENCE.sub("", term)
        words = term.split()
        while len(words) > 1 and (words[0].lower().strip("'’") in _ASKING | _ARTICLES
                                  or _UNIT.fullmatch(words[0])):
            words = words[1:]
        while len(words) > 1 and words[-1].lower() in _TRAILING:
            words = words[:-1]
        term = _LEAD.sub("", " ".join(words)).strip("\"'`“”‘’«»").strip()
    term = re.sub(r"(?:'s|’s)(?:\s+name)?$", "", term)
    if m := _APPOSITION.match(term):
        term = m.group("name")
    return term


def _unit_words(question: str) -> list[str]:
    """The units the question asks for, in order of fineness: plural ("books", "the twelve
    books") or singular but not after an article ("which book", "every act and scene";
    not "the book", the work, nor "to a file", a thing)."""
    found = set()
    for m in _UNIT.finditer(question):
        word = m.group("unit")
        before = question[:m.start()].split()[-1:] or [""]
        if _singular(word) == word.lower() and before[0].lower() in _ARTICLES:
            continue
        found.add(UNITS.get(_singular(word), _singular(word)))
    return sorted(found, key=lambda u: _FINENESS.index(u) if u in _FINENESS else -1)


def _singular(word: str) -> str:
    w = word.lower()
    return "story" if w == "stories" else w[:-1] if w.endswith("s") and w[:-1] in UNITS else w


def _reading_ok(term: str) -> bool:
    words = [w.lower().strip("'’") for w in term.split()]
    if not words or all(w in _ASKING or w in _TITLE_WORDS or _UNIT.fullmatch(w) for w in words):
        return False
    return not (len(words) == 1 and (words[0] in _ASKING or len(words[0]) < 2))


def _readings(raw: str) -> list[str]:
    """A phrase and its shorter parts, longest first ("novel sweet potatoes" → "sweet
    potatoes"; "red towel he takes to the baths" → "red towel"): the library decides
    how much of it is the name."""
    term = clean_term(raw)
    words = term.split()
    # a name's last words say most ("Mount Olympus" → "Olympus"); a described thing's
    # first ("red towel he takes to the baths" → "red towel")
    named = all(w[:1].isupper() or w.lower() in ("of", "de", "the") for w in words)
    parts = [(1 if named else 0, " ".join(words[:n])) for n in range(1, min(4, len(words)))]
    parts += [(0 if named else 1, " ".join(words[-n:])) for n in range(1, min(4, len(words)))]
    cleaned = [(len(p.split()), order, p) for order, p in ((o, clean_term(p)) for o, p in parts)]
    out = []
    for reading in [term] + [p for _, _, p in sorted(cleaned, key=lambda x: (-x[0], x[1]))]:
        if reading and _reading_ok(reading) and reading.lower() not in map(str.lower, out):
            out.append(reading)
    return out


def mentions_form(question: str) -> Mentions | None:
    """The mention question this is, or None: its form, the units it asks for, and the
    readings of the name it asks about (the library decides which it holds)."""
    q = " ".join(question.split())
    units = _unit_words(q)
    counting = bool(_COUNT.search(q))
    cued = bool(_MENTIONING.search(q))
    if not (counting or cued or (units and _ASKS_UNITS.search(q))):
        return None
    if counting:
        form = "count"
    elif _FIRST.search(q) and (units or _WHERE.search(q) or cued):
        form = "first"
    elif units:
        form = "which"
    elif _WHERE.search(q) or re.search(r"\b(?:every|all|each)\b", q, re.I):
        form = "every"
    else:
        return None
    candidates: list[str] = []
    pointing: list[str] = []
    for pattern in _READINGS:
        for m in pattern.finditer(q):
            raw = next((v for k, v in m.groupdict().items() if k.startswith("t") and v), "")
            # "is that province brought up": the topic said before it names it better
            points = any(_POINTER.fullmatch(w) for w in raw.split()[:2])
            (pointing if points else candidates).extend(_readings(raw))
    for reading in pointing:
        candidates.append(reading)
    seen: set[str] = set()
    candidates = [c for c in candidates if not (c.lower() in seen or seen.add(c.lower()))]
    if not candidates:
        return None
    return Mentions(form, candidates[0], units[-1] if units else "", bool(_THEMED.search(q)),
                    tuple(candidates), tuple(units))
