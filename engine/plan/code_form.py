"""Is a question about code — which name, and what about it?

"Who calls path_graph?", "is_eulerian - where is it used internally?", "If I changed the
signature of single_source_shortest_path, which places would I have to update?": a
question naming something the code defines asks about that name, and its cue words say
what — its callers, its definition, what it does. One naming nothing but asking for a
function, a method, a class or how to do something ("which method hands back the nodes
that point into n?", "how can i test whether a node has no neighbours?") describes a unit;
the planner sends it to the units only where the library holds code
(engine/plan/planner.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CodeAsk", "code_form", "names_in", "asks_for_unit"]

# a name as code writes it: snake_case, a dotted path, camelCase inside, `quoted`, or f()
_IDENT = re.compile(r"`(?P<q>[A-Za-z_][\w.]*)(?:\(\))?`|(?P<c>\b[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)"
                    r"(?P<call>\(\))?")
_CALLERS = re.compile(
    r"\b(?:calls?|called|calling|callers?|call[\s-]sites?|invok(?:e|es|ed|ing)|uses?|used|using|"
    r"usages?|rel(?:y|ies|ied|ying)\s+on|depend(?:s|ed|ing)?\s+on|make[s]?\s+(?:a\s+)?calls?|"
    r"references?\s+(?:to\s+)?it|caller)\b|\b(?:would|will|must|have\s+to|need\s+to)\s+(?:\w+\s+)?"
    r"(?:update|change|fix|edit)\b|\bchange[sd]?\s+(?:the\s+|its\s+)?signature\b", re.I)
_DEFINED = re.compile(r"\b(?:defin(?:e|es|ed|ing|itions?)|declared?|declaration|implement(?:ed|ation|s)?|"
                      r"source(?:\s+code)?|lives?|located|which\s+(?:file|module)|where\s+is)\b", re.I)
_EXPLAIN = re.compile(r"\bwhat\s+(?:does|do|did)\b.*\bdo\b|\bwhat\s+is\b.*\bfor\b|\bexplain\b|"
                      r"\bpurpose\b|\bhow\s+does\b.*\bwork\b|\bwhat\s+does\b|\btell\s+me\s+about\b|"
                      r"\bdocstring\s+of\b|\bdescribe\b", re.I)
# a question that asks for a unit without naming it
_UNIT_NOUN = re.compile(r"\b(?:functions?|methods?|routines?|helpers?|classes|class|apis?|"
                        r"generators?|exceptions?|decorators?|procedures?|utilit(?:y|ies)|"
                        r"constructors?|subclass(?:es)?|callables?|modules?|algorithms?|layouts?|"
                        r"builders?|readers?|writers?|parsers?)\b", re.I)
# asking for a unit by what it does: "which function …", "what class …", "is there a method"
_ASKS_FOR_UNIT = re.compile(r"\b(?:which|what(?:'s)?|is\s+there\s+an?|any)\s+(?:\w+\s+){0,2}?"
                            r"(?:functions?|methods?|routines?|helpers?|class(?:es)?|generators?|"
                            r"exceptions?|decorators?|layouts?|one)\b|\bwhich\s+one\b", re.I)
_HOW_TO = re.compile(r"\bhow\s+(?:do|can|could|would|should)\s+(?:i|you|we|one)\b|"
                     r"\bwhere\s+(?:in\s+\S+\s+)?(?:can|could|do|would)\s+(?:i|you|we|one)\s+"
                     r"(?:get|find|make|build)\b|"
                     r"\b(?:i\s+(?:need|want)|looking\s+for|is\s+there)\s+(?:something|a\s+way|"
                     r"anything|an?\s+\w+)\b|\bwhat\s+(?:gives|returns|builds|makes|creates|computes|"
                     r"tells|checks|finds)\b|\bwhat\s+builds\b|\bwhich\s+one\b", re.I)
_QUOTED = re.compile(r"[\"“](?P<t>[^\"”]{8,200})[\"”]")
# words of the asking, not of what the unit does (they would match every docstring)
_FRAME = re.compile(r"\b(?:which|what(?:'s)?|is\s+there|i\s+need|i\s+want|i'm\s+looking\s+for|"
                    r"looking\s+for|could\s+you\s+tell\s+me|tell\s+me|do\s+you\s+know|please|"
                    r"exactly|the\s+(?:networkx\s+)?(?:function|method|class|routine|helper|one)|"
                    r"(?:python\s+)?(?:function|method|class|routine|helper)s?(?:\s+or\s+(?:class|"
                    r"function|method)s?)?|does\s+this|that|which\s+one|is\s+it\s+called|"
                    r"what\s+is\s+it\s+called|called|in\s+networkx|networkx)\b[:,]?", re.I)


@dataclass(frozen=True)
class CodeAsk:
    """A question about code: who calls a name ('callers'), where it is defined
    ('definition'), what it does ('explain'), or which unit does what a description says
    ('describe': `name` is the description; `kind` 'class' or 'function' when the
    question asks for one; `named` the other names it gives, for the planner to try)."""
    form: str
    name: str
    kind: str = ""
    named: tuple[str, ...] = ()
    description: str = ""     # what the unit does, should none of the names be known


# a plain word in a place only a name stands: "who calls neighbours", "where is Cart
# defined", "what does total do", "the callers of vat"
_PLAIN = re.compile(
    r"\b(?:calls?|invokes?|callers\s+of|call\s+sites\s+of|definition\s+of|explain|uses\s+of|"
    r"usages\s+of)\s+(?:the\s+)?(?:function\s+|method\s+|class\s+)?(?P<a>[A-Za-z_]\w*)\b"
    r"|\b(?:where|which\s+file)\s+(?:is|are|was)\s+(?:the\s+)?(?:function\s+|method\s+|class\s+)?"
    r"(?P<b>[A-Za-z_]\w*)\s+(?:defined|declared|implemented|called|used|invoked)\b"
    r"|\bwhat\s+does\s+(?:the\s+)?(?:function\s+|method\s+|class\s+)?(?P<c>[A-Za-z_]\w*)\s+do\b",
    re.I)
_NOT_NAMES = frozenset("the a an it this that what which who into to".split())


def names_in(question: str) -> list[str]:
    """The words of a question written as code names, most code-like first: quoted with
    backticks or called (f()), then with an underscore or a dot or a capital inside. Words
    inside a quoted docstring are what it says, not names asked about; "i.e." is no name."""
    strong, weak = [], []
    for m in _IDENT.finditer(_QUOTED.sub(" ", question)):
        if m.group("q"):
            strong.append(m.group("q"))
            continue
        word = m.group("c")
        if m.group("call"):
            strong.append(word)
        elif "_" in word.strip("_") or re.search(r"[a-z][A-Z]", word) or (
                "." in word.strip(".") and all(len(p) >= 2 for p in word.strip(".").split("."))):
            weak.append(word.rstrip("."))
    plain = [v for m in _PLAIN.finditer(question) for v in m.groupdict().values()
             if v and v.lower() not in _NOT_NAMES]
    return list(dict.fromkeys(strong + weak + plain))


def asks_for_unit(question: str) -> bool:
    """Whether the question asks for a function, method or class by what it does."""
    return bool(_ASKS_FOR_UNIT.search(question))


def _kind(question: str) -> str:
    q = question.lower()
    asks_class = re.search(r"\b(?:class|classes|exception|type|subclass)\b", q)
    asks_function = re.search(r"\b(?:functions?|methods?|routines?|helpers?|generators?)\b", q)
    if asks_class and not asks_function:
        return "class"
    if asks_function and not asks_class:
        return "function"
    return ""


def _description(question: str) -> str:
    """What the unit should do, in the question's own words: a quoted docstring when the
    question quotes one, else the question without its asking words."""
    if m := _QUOTED.search(question):
        return m.group("t").strip(" .")
    said = _FRAME.sub(" ", question)
    return " ".join(said.replace("?", " ").split()).strip(" ,.:-")


def code_form(question: str) -> CodeAsk | None:
    """The code question this may be, or None. Whether its names exist and whether the
    library holds code are the planner's to check: a question naming nothing the library
    knows falls back to its `description`, where it has one."""
    q = " ".join(question.split())
    named = names_in(q)
    describes = bool(_ASKS_FOR_UNIT.search(q) or _HOW_TO.search(q) or _QUOTED.search(q)
                     or (_UNIT_NOUN.search(q) and not named))
    what = _description(q) if describes else ""
    if len(what.split()) < 2:
        what = ""
    if named:
        if _CALLERS.search(q):
            form = "callers"
        elif _DEFINED.search(q) or re.match(r"^\W*where\b", q, re.I):
            form = "definition"
        elif what:       # "which function returns graph number `i`?": a parameter, not the unit
            return CodeAsk("describe", what, _kind(q), tuple(named))
        else:
            form = "explain"
        return CodeAsk(form, named[0], _kind(q), tuple(named), what)
    if what:
        return CodeAsk("describe", what, _kind(q))
    return None
