"""The form of a question, read from its words alone: what kind of answer it asks for.

Why: "which chapters mention Kiyo?" asks for every place a name occurs, "who calls
parse_args?" for the call sites the symbol graph holds, "which function returns the
shortest path?" for a unit of code; sent down the one path for facts, each got a passage
that merely resembled it. The form says which tool could answer; the planner
(engine/plan/planner.py) then checks the library holds what that tool needs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Mentions", "CodeAsk", "mentions_form", "code_form", "clean_term", "UNITS"]

# what a "which … mention X" question groups by, in the words a reader uses
UNITS = {"chapter": "chapter", "book": "book", "part": "part", "section": "section",
         "scene": "scene", "act": "act", "canto": "canto", "volume": "volume",
         "file": "file", "document": "file", "page": "page", "episode": "scene",
         "video": "file", "story": "chapter", "letter": "chapter", "poem": "chapter"}
_UNIT = re.compile(r"\b(?P<unit>chapters?|books?|parts?|sections?|scenes?|acts?|cantos?|volumes?|"
                   r"files?|documents?|pages?|episodes?|videos?|stories|story|letters?|poems?)\b", re.I)
_ASKS_WHERE = re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:chapters?|books?|parts?|sections?|scenes?|"
                         r"acts?|cantos?|volumes?|files?|documents?|pages?|episodes?|videos?|"
                         r"stories|story|letters?|poems?)\b", re.I)
# a verb that says a name or word is there
_ACTIVE = (r"mentions?(?!\s+(?:of|to)\b)|names|name(?!\s+(?:of|to)\b)|refers?\s+to|features?|contains?|includes?|tells?\s+of|"
           r"speaks?\s+of|talks?\s+about|brings?\s+up|cites?|uses?\s+the\s+(?:name|word|term)|"
           r"mentioning|naming|featuring|containing")
_THEME = (r"discuss(?:es)?|deals?\s+with|(?:are|is)\s+about|covers?|describes?|concerns?|"
          r"explores?|treats?\s+of|discussing|dealing\s+with|describing|covering")
_PASSIVE = (r"mentioned|named|referred\s+to|used|introduced|cited|spoken\s+of|talked\s+about|"
            r"brought\s+up|featured|found|seen|heard|called|said|appear(?:s|ed)?|occur(?:s|red)?|"
            r"comes?\s+up|came\s+up|shows?\s+up|turns?\s+up|in\s+(?:it|them)|discussed|described")
_WITH_TERM = [
    # "which chapters mention Kiyo", "where does Milton mention the Nile"
    re.compile(rf"\b(?:{_THEME}|{_ACTIVE})\s+(?P<t>[^?!;]+)", re.I),
    # "in which chapters is tempura mentioned", "does the lioness come up", "is the name X used"
    re.compile(rf"\b(?:is|are|was|were|does|do|did|gets?|got)\s+(?P<t>.+?)(?:(?:'s|’s)\s+name)?"
               rf"\s+(?:(?:first|initially|ever|anywhere|actually|even)\s+)?(?:{_PASSIVE})\b", re.I),
    # "which chapters have the grasshoppers in them"
    re.compile(r"\b(?:have|has|had)\s+(?P<t>.+?)\s+in\s+(?:it|them)\b", re.I),
    # "the first mention of X", "every appearance of X"
    re.compile(r"\b(?:mentions?|appearances?|occurrences?|references?|uses)\s+(?:of|to)\s+"
               r"(?P<t>[^?!;,]+)", re.I),
]
_COUNT_FORM = re.compile(r"\bhow\s+(?:often|many\s+times|frequently)\b|\bhow\s+many\s+(?:mentions|"
                         r"references|occurrences)\b|\bnumber\s+of\s+(?:times|mentions)\b", re.I)
_FIRST_FORM = re.compile(r"\bfirst\b|\binitially\b|\bearliest\b", re.I)
_EVERY_FORM = re.compile(r"\b(?:every|all(?:\s+the)?)\s+(?:places?|passages?|mentions?|occurrences?|"
                         r"references?|times?|lines?)\b|\beverywhere\b|\bwhere\s+(?:all|else)\b", re.I)
_FIRST_OF = re.compile(r"\bfirst\s+(?:mention|appearance|occurrence|reference|use)s?\s+(?:of|to)\b",
                       re.I)
_WHERE = re.compile(r"^\W*(?:where|when|at\s+what\s+point)\b", re.I)
_MENTIONING = re.compile(rf"\b(?:{_ACTIVE}|{_PASSIVE}|{_THEME})\b|\b(?:have|has)\b.+\bin\s+(?:it|them)\b"
                         r"|\b(?:mentions?|appearances?|occurrences?|references?)\s+(?:of|to)\b", re.I)
_THEMED = re.compile(rf"\b(?:{_THEME})\b", re.I)
_QUOTED = re.compile(r"[\"“‘`](?P<t>[^\"”’`]{1,60})[\"”’`']|(?<!\w)'(?P<t2>[^']{1,60})'(?!\w)")
_NAMES = re.compile(r"(?<![.?!]\s)(?<!^)\b(?P<t>[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)*)")
# what follows the term and is not part of it: "in the book", "in botchan.txt", "at all"
_TAIL = re.compile(r"\s+(?:at\s+all|anywhere|ever|again|first|in\s+(?:it|them|this|the\s+\w+|"
                   r"[\w.-]+\.\w+|(?:[A-Z][\w'-]*\s*)+)|(?:of|in|from)\s+the\s+(?:book|novel|story|"
                   r"poem|play|text|library|code(?:base)?|project))\s*$")
_CUT = re.compile(r"\s+(?:in|of|from|within|throughout|across|by)\s+(?:which|what|the\s+\w+|"
                  r"[A-Z])|\s+(?:come|comes|came|appear|appears|occur|occurs|first|initially)\b",
                  re.I)
# "Charles the wrestler", "Touchstone the clown": the name is the first part
_APPOSITION = re.compile(r"^(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s+the\s+[a-z][\w\s'’-]*$")
_LEAD = re.compile(r"^(?:the\s+(?:word|name|term|phrase|character|person|figure)s?\s+|"
                   r"(?:the|a|an|any|some)\s+)", re.I)


@dataclass(frozen=True)
class Mentions:
    """Where a name or word occurs: every unit holding it ('which'), the first place
    ('first'), how often ('count'), or every place ('every'). `term` is the best reading
    of the name asked about; `candidates` the other readings, best first (the planner
    takes the first the library holds literally)."""
    form: str          # 'which' | 'first' | 'count' | 'every'
    term: str
    unit: str = ""     # 'chapter', 'scene', 'file', … as the question says it; '' any place
    theme: bool = False    # asked with a theme verb ("discuss", "deal with"): meaning counts
    scope: str = ""    # kept for callers that name the work themselves
    candidates: tuple[str, ...] = ()


def clean_term(raw: str) -> str:
    """The name or word itself: quotes, a leading article or "the word", a possessive and
    trailing words that only place it ("in the book") dropped."""
    term = " ".join(raw.split()).strip(" ?.!,;:")
    if m := _CUT.search(term):
        term = term[:m.start()]
    for _ in range(2):
        term = _TAIL.sub("", term).strip(" ?.!,;:")
        term = term.strip("\"'`“”‘’«»").strip()
        term = _LEAD.sub("", term).strip("\"'`“”‘’«»").strip()
    term = re.sub(r"(?:'s|’s)(?:\s+name)?$", "", term)
    if m := _APPOSITION.match(term):
        term = m.group("name")
    return term


def _unit_word(word: str | None) -> str:
    if not word:
        return ""
    w = word.lower()
    w = "story" if w == "stories" else w[:-1] if w.endswith("s") and w[:-1] in UNITS else w
    return UNITS.get(w, w)


def mentions_form(question: str) -> Mentions | None:
    """The mention question this is, or None: its form (how often, where first, every
    place, which units), the unit it groups by, and the readings of the name asked about."""
    q = " ".join(question.split())
    if not _MENTIONING.search(q):
        return None
    where_units = _ASKS_WHERE.search(q)
    if _COUNT_FORM.search(q):
        form = "count"
    elif _FIRST_FORM.search(q) and (where_units or _WHERE.search(q) or _FIRST_OF.search(q)):
        form = "first"
    elif where_units:
        form = "which"
    elif _EVERY_FORM.search(q) or _WHERE.search(q):
        form = "every"
    else:
        return None
    named = _UNIT.search(where_units.group(0)) if where_units else None
    unit = _unit_word(named["unit"]) if named else ""
    found: list[str] = []
    for m in _QUOTED.finditer(q):
        found.append(m.group("t") or m.group("t2"))
    for pattern in _WITH_TERM:
        for m in pattern.finditer(q):
            found.append(m.group("t"))
    found += [m.group("t") for m in _NAMES.finditer(q)]
    candidates = []
    for raw in found:
        term = clean_term(raw)
        if term and not _UNIT.fullmatch(term) and term.lower() not in map(str.lower, candidates) \
                and not re.fullmatch(r"(?:which|what|where|when|how|is|in|it|them)\b.*", term, re.I):
            candidates.append(term)
    if not candidates:
        return None
    return Mentions(form, candidates[0], unit, bool(_THEMED.search(q)), "", tuple(candidates))


# --- code ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeAsk:
    """A question about code: where a name is defined ('definition'), who calls it
    ('callers'), what it does ('explain'), or which unit does what a description says
    ('describe': `name` is the description; `kind` the kind of unit asked for, if one:
    'class' or 'function', a method being a function)."""
    form: str
    name: str
    kind: str = ""


_IDENT = r"`?(?P<name>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)(?:\(\))?`?"
_DEFINED = re.compile(
    rf"^\W*(?:where(?:'s|\s+is|\s+are|\s+was)|in\s+which\s+file\s+is|which\s+file\s+(?:has|holds))\s+"
    rf"(?:the\s+)?(?:function\s+|class\s+|method\s+)?{_IDENT}\s+(?:defined|declared|implemented|"
    rf"written)\b"
    rf"|^\W*(?:where\s+is|find|show(?:\s+me)?)\s+the\s+(?:definition|implementation|source)\s+of\s+"
    rf"(?:the\s+)?(?:function\s+|class\s+|method\s+)?{_IDENT.replace('name', 'name2')}"
    rf"|^\W*which\s+(?:file|module)\s+defines\s+{_IDENT.replace('name', 'name3')}", re.I)
_CALLERS = re.compile(
    rf"^\W*(?:who|what|which)(?:\s+(?:\w+\s+){{0,3}}?(?:functions?|methods?|code|files?|places?|"
    rf"modules?|classes?|parts?|callers?)(?:\s+(?:of|in)\s+\S+)?)?\s+(?:calls?|uses?|invokes?|"
    rf"relies\s+on|depends\s+on)\s+(?:the\s+)?(?:function\s+|method\s+|class\s+)?{_IDENT}\s*(?:\?|$)"
    rf"|^\W*where\s+(?:in\s+(?:the\s+)?\S+\s+)?(?:is|are|was|were|does|do)\s+(?:the\s+)?(?:function\s+|"
    rf"method\s+|class\s+)?{_IDENT.replace('name', 'name2')}\s+(?:get\s+)?(?:called|used|invoked)\b"
    rf"|^\W*(?:(?:list|show|find)(?:\s+me)?\s+)?(?:all\s+(?:the\s+)?)?(?:callers|calls|uses|usages|"
    rf"call\s+sites)\s+(?:of|to)\s+(?:the\s+)?(?:function\s+|method\s+)?"
    rf"{_IDENT.replace('name', 'name3')}\s*(?:\?|$)", re.I)
_EXPLAIN = re.compile(
    rf"^\W*(?:what\s+(?:does|do)\s+(?:the\s+)?(?:function\s+|method\s+|class\s+)?{_IDENT}"
    rf"(?:\s+(?:function|method|class))?\s+do\b|what\s+is\s+(?:the\s+)?(?:function\s+|method\s+|"
    rf"class\s+)?{_IDENT.replace('name', 'name2')}(?:\s+(?:function|method|class))?\s+"
    rf"(?:for|used\s+for)\b|explain\s+(?:the\s+)?(?:function\s+|method\s+|class\s+)?"
    rf"{_IDENT.replace('name', 'name3')}\s*(?:\?|$)|how\s+does\s+(?:the\s+)?(?:function\s+|method\s+)?"
    rf"{_IDENT.replace('name', 'name4')}\s+work\b)", re.I)
_DESCRIBE = re.compile(
    r"^\W*(?:which|what)\s+(?P<noun>(?:python\s+)?(?:function|class|method|routine|helper|type|unit|"
    r"code)s?(?:\s+or\s+(?:function|class|method)s?)?)\s+"
    r"(?:(?:does|do)\s+(?:this|the\s+following)\s*[:,-]?\s*|(?:is\s+)?(?:responsible\s+for|in\s+"
    r"charge\s+of|used\s+to|used\s+for)\s+|(?:does|do|can|will|would|should)\s+|"
    r"(?:that|which)\s+)?(?P<what>.+)$"
    r"|^\W*is\s+there\s+an?\s+(?:function|class|method|helper)\s+(?:that|which|to|for)\s+(?P<what2>.+)$",
    re.I)
# words a description starts with that are the question's, not the description's
_ASKING = re.compile(r"^(?:this|the\s+following)\s*[:,-]\s*", re.I)


def code_form(question: str) -> CodeAsk | None:
    """The code question this is, or None. Which names exist is the planner's to check."""
    q = " ".join(question.split())
    for form, pattern in (("definition", _DEFINED), ("callers", _CALLERS), ("explain", _EXPLAIN)):
        if m := pattern.search(q):
            name = next(v for k, v in m.groupdict().items() if k.startswith("name") and v)
            return CodeAsk(form, name)
    if m := _DESCRIBE.search(q):
        what = _ASKING.sub("", (m.group("what") or m.group("what2") or "").strip()).strip(" ?")
        noun = (m.group("noun") or "").lower()
        kind = "" if " or " in noun else "class" if re.search(r"class|type", noun) else \
            "function" if re.search(r"function|method|routine", noun) else ""
        if len(what.split()) >= 2:
            return CodeAsk("describe", what, kind)
    return None
