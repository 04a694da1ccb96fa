"""Fresh, held-out question sets for each route of `ask`, written apart from the tuned ones.

Why: the question router was tuned on the sets of bench/route_sets.py (mention, chained,
real-fact and code questions), so its figures there flatter it. These sets were written
independently, by someone who did not see the router, with other terms, other code units,
other invented pairs and other facts, and phrased the way different strangers would ask
(long and short, polite and terse, lowercase, naming the work or not). Every item is held
out: none is to be tuned on. The truth rules are route_sets' own, reused from it:

- Mention questions: the terms' units and counts come from route_sets' split of each file
  and its whole-word pattern, counted in the colleague's `novels()` folder (the library
  the bench builds). No term is one of route_sets' terms; none occurs in a heading line or
  after the work's end; a 'count' term occurs nowhere before the first heading; a term that
  occurs in another file of the library comes with the work's title in its question; no
  term occurs in any planted sentence, so the truth is the same in `fresh_novels()`.
- Code questions on networkx (route_sets' `code_package()`): 'describe' units obey
  route_sets' uniqueness rules (public, defined once, a unique one-line docstring summary
  of 5-30 words not naming the unit) and 'callers' units its rules (public function defined
  once, a name no outside library or local binding can mean, 2-8 call sites by `ast`);
  none is a unit, or a name, of route_sets' code questions.
- Chained facts (bench/fresh_chained.py): planted by `fresh_novels()` into a separate
  folder that also holds the colleague's pairs where `novels()` puts them.
- Real facts: a clause of the text verbatim (whitespace collapsed), short answers verbatim
  inside it, none covered by bench/real_facts.py.

    python bench/fresh_sets.py        # checks every set, prints counts only
"""
from __future__ import annotations

import hashlib
import re
import shutil
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.chained_facts import ChainedFact  # noqa: E402
from bench.corpus import CACHE, fetch_texts, normalize  # noqa: E402
from bench.facts import content_words  # noqa: E402
from bench.fresh_chained import FRESH_PAIRS  # noqa: E402
from bench.real_facts import FactQuestion  # noqa: E402
from bench.route_sets import (  # noqa: E402
    CHAINED, REAL_FACTS, CodeQuestion, MentionQuestion, Novels, _LAYOUTS, _MENTIONS,
    _plant, _planted_texts, _public, _rare_names, _read_package, _SOURCE, _split, _term_re,
    _unit_counts, code_package, code_questions, novels)

__all__ = ["fresh_mention_questions", "fresh_code_questions", "FRESH_CHAINED", "fresh_novels",
           "fresh_planted_at", "FRESH_FACTS", "check_fresh"]

_BOT, _PLAY, _POEM = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt"
_WORK = "loc_workshop.txt"


# --- mention questions --------------------------------------------------------------------

# (document, term, form, question): terms chosen by hand, truth computed.
_FRESH_MENTIONS: tuple[tuple[str, str, str, str], ...] = (
    (_BOT, "Echigo", "which", "echigo - what chapters is that province brought up in"),
    (_BOT, "Kanda", "which",
     "I'm trying to track down every place Kanda gets talked about. Could you give me the "
     "chapter numbers?"),
    (_BOT, "noodle", "which",
     "The narrator seems obsessed with noodles. Which chapters actually have them?"),
    (_BOT, "police", "which",
     "Do the police figure in Botchan at all? List the chapters where they're mentioned."),
    (_BOT, "samurai", "which", "Tell me each chapter of Botchan that uses the word samurai."),
    (_BOT, "red towel", "which",
     "that red towel he takes to the baths... which chapters bring it up"),
    (_BOT, "bamboo", "which", "Chapters containing a reference to bamboo?"),
    (_BOT, "sweet potato", "which",
     "Could you tell me in what parts of the novel sweet potatoes are mentioned? I need "
     "the chapter numbers."),
    (_BOT, "Porcupine", "first",
     "At what point in Botchan do we first hear the nickname Porcupine - which chapter is "
     "that?"),
    (_BOT, "hot springs", "first", "what's the earliest chapter that talks about the hot springs"),
    (_BOT, "Yedo", "count", "What is the total number of times Yedo is named in Botchan?"),
    (_BOT, "Masuya", "count", "how many occurrences of masuya are there in the book"),

    (_PLAY, "Diana", "which",
     "Diana gets name-checked in the comedy about the forest exiles. In what scenes, "
     "exactly?"),
    (_PLAY, "verse", "which",
     "Orlando hangs poems on the trees. Where in As You Like It is verse talked about? "
     "Give me the act and scene."),
    (_PLAY, "motley", "which", "in as you like it, which scenes use the word motley"),
    (_PLAY, "Monsieur", "which",
     "Could you point me to the scenes where somebody is addressed as Monsieur?"),
    (_PLAY, "cottage", "which", "Scenes in the Arden play that mention a cottage?"),
    (_PLAY, "swoon", "which",
     "Someone faints at the sight of a bloody cloth. Across As You Like It, in which acts "
     "and scenes does the word swoon turn up?"),
    (_PLAY, "wedding", "which",
     "List every act and scene of As You Like It that includes the word wedding."),
    (_PLAY, "Juno", "which",
     "Juno is invoked a couple of times in As You Like It - I'd like to know the scenes."),
    (_PLAY, "Celia", "first", "Which scene is the very first one to name Celia?"),
    (_PLAY, "shepherd", "first",
     "In As You Like It, when does the word shepherd appear for the first time? Act and "
     "scene please."),
    (_PLAY, "horn", "count",
     "Give me a tally: how many times does horn occur in As You Like It?"),
    (_PLAY, "wit", "count", "As You Like It - count the occurrences of the word wit."),

    (_POEM, "Olympus", "which", "Mount Olympus: which books of Milton's epic refer to it?"),
    (_POEM, "Pharaoh", "which", "pharaoh shows up in which of the twelve books?"),
    (_POEM, "Hermes", "which", "Could you tell me in which books Hermes is named?"),
    (_POEM, "Seraphim", "which", "seraphim in paradise lost, what books"),
    (_POEM, "harp", "which",
     "The angels are always playing harps. Which books of the poem actually mention a "
     "harp?"),
    (_POEM, "Leviathan", "which",
     "Milton brings up Leviathan somewhere. I want every book where that beast is "
     "mentioned."),
    (_POEM, "Tree of Life", "which",
     "I'd like the list of books in Paradise Lost that refer to the Tree of Life."),
    (_POEM, "comet", "which", "Is there a comet in Paradise Lost? Which books have one?"),
    (_POEM, "Cherubim", "first",
     "What's the earliest book of the poem that uses the word Cherubim?"),
    (_POEM, "Tree of Knowledge", "first",
     "In which book is the Tree of Knowledge named for the first time?"),
    (_POEM, "chariot", "count",
     "How frequently are chariots mentioned across Paradise Lost? I just want a number."),
    (_POEM, "Canaan", "count", "Number of times Canaan is named in the poem?"),
)


def fresh_mention_questions(lib: Novels) -> list[MentionQuestion]:
    """The fresh mention questions, truth counted in `lib`'s files (pass `novels()`)."""
    texts = {doc: (lib.folder / doc).read_text(encoding="utf-8")
             for doc in {d for d, *_ in _FRESH_MENTIONS}}
    out = []
    for doc, term, form, question in _FRESH_MENTIONS:
        counts = _unit_counts(doc, texts[doc], term)
        holding = tuple(key for key, n in counts if n)
        out.append(MentionQuestion(
            question, term, form, _LAYOUTS[doc].unit, doc,
            holding[:1] if form == "first" else holding,
            len(_term_re(term).findall(texts[doc])), held_out=True))
    return out


# --- code questions on networkx -----------------------------------------------------------

# (path, qualname, question)
_FRESH_DESCRIBE: tuple[tuple[str, str, str], ...] = (
    ("networkx/classes/digraph.py", "DiGraph.predecessors",
     "On a directed graph object, which method hands back an iterator over the nodes that "
     "have an edge pointing into n?"),
    ("networkx/classes/graph.py", "Graph.size",
     "what's the method on Graph that gives me the edge count, or the sum of all edge "
     "weights if I pass a weight key?"),
    ("networkx/classes/multigraph.py", "MultiGraph.new_edge_key",
     "In a multigraph, how do I get a key that isn't already taken for another edge "
     "between u and v?"),
    ("networkx/classes/function.py", "degree_histogram",
     "I need something that tells me how many nodes have degree 0, 1, 2 and so on, as a "
     "list indexed by degree. What is it called?"),
    ("networkx/algorithms/components/biconnected.py", "articulation_points",
     "what's the networkx routine to find the cut vertices of a graph, i.e. the nodes "
     "whose removal disconnects it?"),
    ("networkx/generators/small.py", "sedgewick_maze_graph",
     "Which generator's docstring reads \"Return a small maze with a cycle.\"?"),
    ("networkx/algorithms/isolate.py", "is_isolate",
     "how can i test whether one particular node has no neighbours at all"),
    ("networkx/generators/small.py", "heawood_graph",
     "Where in networkx can I get the (3,6) cage - the one named after Heawood?"),
    ("networkx/algorithms/dominance.py", "immediate_dominators",
     "For a control-flow style digraph, which function works out each node's immediate "
     "dominator?"),
    ("networkx/generators/social.py", "davis_southern_women_graph",
     "Is the classic Southern Women social network data set bundled with networkx? "
     "Which function loads it?"),
    ("networkx/generators/classic.py", "trivial_graph",
     "I want the graph with a single node labelled 0 and no edges whatsoever. What "
     "builds it?"),
    ("networkx/algorithms/dag.py", "v_structures",
     "Which function yields the colliders of a DAG, the three-node v-structures?"),
    ("networkx/utils/misc.py", "create_py_random_state",
     "Looking for the helper described as \"Returns a random.Random instance depending on "
     "input.\" - which one is it?"),
    ("networkx/algorithms/link_prediction.py", "jaccard_coefficient",
     "For link prediction, which function scores node pairs by their shared neighbours "
     "divided by the union of their neighbourhoods?"),
    ("networkx/drawing/nx_pylab.py", "draw_spectral",
     "Could you tell me which drawing function plots G using a spectral 2D layout?"),
    ("networkx/readwrite/pajek.py", "write_pajek",
     "Which function saves a graph to a file in the format used by the Pajek program?"),
    ("networkx/classes/function.py", "is_frozen",
     "How do I find out whether a graph has been frozen so it can no longer be modified?"),
    ("networkx/exception.py", "ExceededMaxIterations",
     "There's an exception documented as \"Raised if a loop iterates too many times "
     "without breaking.\" What's its name?"),
    ("networkx/drawing/layout.py", "planar_layout",
     "I need a layout that places the nodes so that no two edges cross. Which one?"),
    ("networkx/algorithms/reciprocity.py", "overall_reciprocity",
     "what gives a single reciprocity figure for an entire directed graph, rather than "
     "one per node?"),
)

# (name, question)
_FRESH_CALLERS: tuple[tuple[str, str], ...] = (
    ("has_eulerian_path", "what depends on has_eulerian_path?"),
    ("path_graph", "Find the call sites of path_graph in the library code."),
    ("volume", "who invokes volume()?"),
    ("from_numpy_array",
     "Show me every place in the networkx source where from_numpy_array gets called."),
    ("cycle_graph", "which functions call into cycle_graph"),
    ("modularity", "Could you tell me what code relies on modularity()?"),
    ("is_eulerian", "is_eulerian - where is it used internally?"),
    ("minimum_spanning_edges", "list the callers of minimum_spanning_edges please"),
    ("single_source_shortest_path",
     "If I changed the signature of single_source_shortest_path, which places in networkx "
     "would I have to update?"),
    ("maximum_branching", "Which routines make a call to maximum_branching?"),
)


def fresh_code_questions(root: Path) -> list[CodeQuestion]:
    """The fresh 'describe' and 'callers' questions on `root` (pass `code_package()`)."""
    pkg = _read_package(root)
    by_qualname = {(d.path, d.qualname): d for d in pkg.defs}
    by_name = {}
    for d in pkg.defs:
        if d.kind == "function":
            by_name.setdefault(d.name, []).append(d)
    out: list[CodeQuestion] = []
    for path, qualname, text in _FRESH_DESCRIBE:
        d = by_qualname[(path, qualname)]
        out.append(CodeQuestion(text, "describe", d.name, d.qualname, d.path, d.lines, (),
                                held_out=True))
    for name, text in _FRESH_CALLERS:
        (d,) = by_name[name]
        out.append(CodeQuestion(text, "callers", d.name, d.qualname, d.path, d.lines,
                                tuple(sorted(pkg.calls.get(d.name, []))), held_out=True))
    return out


# --- chained facts: a separate library holding the colleague's pairs and the fresh ones ---

FRESH_CHAINED: tuple[ChainedFact, ...] = FRESH_PAIRS


def _block_lines(lines: list[str], sentence: str) -> range:
    """The lines of `lines` holding `sentence` as _plant wrapped it."""
    block = textwrap.wrap(sentence, 70)
    hits = [i for i in range(len(lines) - len(block) + 1) if lines[i:i + len(block)] == block]
    if len(hits) != 1:
        raise AssertionError(f"{sentence!r} is planted {len(hits)} times.")
    return range(hits[0], hits[0] + len(block))


def _plant_fresh(document: str, text: str, pairs: list[ChainedFact],
                 taken: list[str]) -> str:
    """route_sets' planting, on a text that already holds the sentences `taken`: early
    units step through the file half a step off the colleague's, gaps stay more than three
    lines away from any planted line, and the generator has its own seed."""
    lines = text.split("\n")
    return _plant(document, text, pairs, seed="fresh_sets", half_step=True,
                  taken=[i for s in taken for i in _block_lines(lines, s)])


def _fresh_texts(cache: Path) -> dict[str, str]:
    base = _planted_texts(cache)
    return {doc: _plant_fresh(doc, text, [p for p in FRESH_CHAINED if p.document == doc],
                              [s for p in CHAINED if p.document == doc
                               for s in (p.first, p.second)])
            for doc, text in base.items()}


def fresh_novels(cache: Path = CACHE) -> Novels:
    """Write (once) and return the folder of the three texts with the colleague's pairs and
    the fresh pairs planted, cached by content hash ('fresh-novels-…')."""
    planted = _fresh_texts(cache)
    key = hashlib.sha256("\0".join(f"{d}\0{t}" for d, t in planted.items()).encode()).hexdigest()
    folder = cache / f"fresh-novels-{key[:16]}"
    if not folder.exists():
        tmp = cache / f"fresh-novels-{key[:16]}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for doc, text in planted.items():
            (tmp / doc).write_text(text, encoding="utf-8")
        tmp.rename(folder)
    return Novels(folder, tuple(folder / doc for doc in planted))


def fresh_planted_at(lib: Novels) -> dict[str, tuple[str, str]]:
    """Each planted sentence (colleague's and fresh) -> (file name, unit key) in `lib`."""
    out: dict[str, tuple[str, str]] = {}
    for pair in (*CHAINED, *FRESH_CHAINED):
        lines = (lib.folder / pair.document).read_text(encoding="utf-8").split("\n")
        for sentence in (pair.first, pair.second):
            keys = [u.key for u in _split(pair.document, lines).units
                    if normalize(sentence) in normalize("\n".join(lines[u.start:u.end]))]
            if len(keys) != 1:
                raise AssertionError(f"{sentence!r} is in units {keys} of {pair.document}.")
            out[sentence] = (pair.document, keys[0])
    return out


# --- real facts, asked afresh -------------------------------------------------------------

def _fact(text: str, answers: tuple[str, ...], fact: str, document: str) -> FactQuestion:
    return FactQuestion(text, answers, fact, document, held_out=True)


FRESH_FACTS: tuple[FactQuestion, ...] = (
    # Botchan
    _fact("When the new teacher arrives and takes that tiny toy-like train for a few "
          "minutes, what does the ticket cost him?", ("three sen",),
          "No wonder the fare was cheap; it cost only three sen.", _BOT),
    _fact("how much did the hero leave as a tip at the inn that stuck him in a poky little "
          "room", ("five yen",),
          "Tipped the hotel five yen as tea money.", _BOT),
    _fact("What price did the antique-pushing landlord ask for that big stone slab for "
          "grinding ink?", ("thirty yen",),
          "that I could have it for thirty yen", _BOT),
    _fact("Could you tell me what the head teacher pays each month for his smart place in "
          "town?", ("nine yen and fifty sen",),
          "The house rent, I understood, was nine yen and fifty sen.", _BOT),
    _fact("What cold drink did his fellow maths teacher stand him when he was new in town?",
          ("ice water",),
          "When I came here, Porcupine was the first to treat me to ice water.", _BOT),
    _fact("During their stakeout at the inn, how much had his colleague spent on the room "
          "so far?", ("five yen and sixty sen",),
          "I've paid five yen and sixty sen up to to-day for eight days.", _BOT),
    # As You Like It
    _fact("How old does the country lad who wants to marry the goat-girl say he is?",
          ("Five and twenty",), "Five and twenty, sir.", _PLAY),
    _fact("In her teasing about men perishing for love, how long does the disguised heroine "
          "claim the earth has existed?", ("six thousand years",),
          "The poor world is almost six thousand years old", _PLAY),
    _fact("Of the jester's graded ways to quarrel, which one is the worst, that can only "
          "be dodged with an 'if'?", ("the Lie Direct", "Lie Direct"),
          "these you may avoid but the Lie Direct; and you may avoid that too, with an "
          "If.", _PLAY),
    _fact("Which famous English outlaw does the champion wrestler liken the exiled ruler "
          "and his band to?", ("Robin Hood",),
          "there they live like the old Robin Hood of England", _PLAY),
    _fact("how far from the palace must the banished niece keep, on pain of death?",
          ("twenty miles",), "So near our public court as twenty miles, Thou diest for it.",
          _PLAY),
    # Paradise Lost
    _fact("Once the fiend had slipped into the garden, what seabird did he resemble perched "
          "up in the highest branches?", ("cormorant",),
          "Thence up he flew, and on the tree of life, The middle tree and highest there "
          "that grew, Sat like a cormorant", _POEM),
    _fact("What animal is the intruder compared to when the guardian angels catch him "
          "whispering to the sleeping woman?", ("toad",),
          "Him there they found Squat like a toad, close at the ear of Eve", _POEM),
    _fact("According to the old pagan story, how long did the smith-god take to tumble "
          "down from the sky?", ("A summer's day",),
          "from morn To noon he fell, from noon to dewy eve, A summer's day", _POEM),
    _fact("For how long did the defeated rebels keep plunging through the abyss after they "
          "were driven out of heaven?", ("Nine days",),
          "Nine days they fell: Confounded Chaos roared", _POEM),
    _fact("What drawing instrument does the Son use to mark out the bounds of the universe "
          "at creation?", ("golden compasses", "compasses"),
          "He took the golden compasses, prepared In God's eternal store, to circumscribe "
          "This universe", _POEM),
    # The Library of Congress workshop on electronic texts
    _fact("How much disc space did the digitised recordings of the First World War "
          "oratory take up?", ("150 megabytes",),
          "These constituted approximately three hours of audio, as AM has digitized it, "
          "which occupy 150 megabytes on a CD.", _WORK),
    _fact("Roughly how long did it take to image a typical three-hundred-leaf volume in the "
          "time study?", ("an hour and forty minutes",),
          "the average 300-page book would take about an hour and forty minutes to scan",
          _WORK),
    _fact("What was the throughput of the machine the phone company's research lab used "
          "in-house on the chemistry journals' paper copies?", ("twenty pages per minute",),
          "the paper is scanned inhouse on an Improvision scanner, twenty pages per minute "
          "at 300 dpi", _WORK),
    _fact("What did the OCLC speaker reckon a thousand gigabytes of disk would cost in "
          "hardware alone?", ("$1 million",),
          "If a gigabyte costs approximately $1,000, then a terabyte costs approximately "
          "$1 million to buy in terms of hardware.", _WORK),
)


# --- checks -------------------------------------------------------------------------------

def check_fresh(cache: Path = CACHE) -> None:
    """Raise AssertionError unless the fresh sets hold the invariants route_sets checks,
    and are disjoint from route_sets' sets."""
    texts = fetch_texts(cache)
    originals = list(texts.values())
    lib = novels(cache)
    base = {p.name: p.read_text(encoding="utf-8") for p in lib.files}
    fresh = fresh_novels(cache)
    planted = {p.name: p.read_text(encoding="utf-8") for p in fresh.files}
    all_pairs = (*CHAINED, *FRESH_CHAINED)

    # the fresh library is the colleague's plus the fresh pairs, nothing else
    for doc, text in planted.items():
        extra = [s for p in FRESH_CHAINED if p.document == doc for s in (p.first, p.second)]
        rest = normalize(text)
        for s in extra:
            assert rest.count(normalize(s)) == 1, s
            rest = rest.replace(normalize(s), "")
        assert " ".join(rest.split()) == normalize(base[doc]), doc
    at = fresh_planted_at(fresh)
    for p in CHAINED:                                   # the colleague's pairs did not move
        lines = base[p.document].split("\n")
        for s in (p.first, p.second):
            keys = [u.key for u in _split(p.document, lines).units
                    if normalize(s) in normalize("\n".join(lines[u.start:u.end]))]
            assert keys == [at[s][1]], (keys, at[s])
    for doc, text in planted.items():                   # no two planted blocks touch
        lines = text.split("\n")
        blocks = sorted((_block_lines(lines, s) for p in all_pairs if p.document == doc
                         for s in (p.first, p.second)), key=lambda r: r.start)
        for a, b in zip(blocks, blocks[1:]):
            assert b.start - a.stop >= 2, (doc, a, b)

    # chained facts
    sentences = [s for p in all_pairs for s in (p.first, p.second)]
    assert len(FRESH_CHAINED) >= 12 and len(set(sentences)) == len(sentences)
    colleague_text = " ".join(s for p in CHAINED for s in (p.first, p.second))
    for p in FRESH_CHAINED:
        assert p.held_out
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
        assert not any(re.search(rf"\b{w}\b", colleague_text, re.I) for w in rare), rare
        shared = content_words(p.first) & content_words(p.question)
        assert len(shared) <= 2, (p.question, shared)
        first, second = at[p.first][1], at[p.second][1]
        keys = [u.key for u in _split(p.document, planted[p.document].split("\n")).units]
        assert keys.index(first) < keys.index(second), (p.first, first, second)
    assert len({p.document for p in FRESH_CHAINED}) == 3

    # real facts
    assert len(FRESH_FACTS) >= 16
    old_answers = {normalize(a).lower() for q in REAL_FACTS for a in q.answers}
    for q in FRESH_FACTS:
        assert q.held_out
        source = texts[_SOURCE[q.document]]
        assert normalize(q.fact) in normalize(source), q.fact
        if q.document in planted:
            assert normalize(q.fact) in normalize(base[q.document]), q.fact
            assert normalize(q.fact) in normalize(planted[q.document]), q.fact
        assert q.answers and all(normalize(a) in normalize(q.fact) for a in q.answers), q.answers
        assert not any(a.lower() in q.text.lower() for a in q.answers), q.text
        shared = content_words(q.fact) & content_words(q.text)
        assert len(shared) <= 2, (q.text, shared)
        for old in REAL_FACTS:                          # not covered by bench/real_facts.py
            a, b = normalize(q.fact).lower(), normalize(old.fact).lower()
            assert a not in b and b not in a, (q.fact, old.fact)
        assert not any(normalize(a).lower() in old_answers for a in q.answers), q.answers
    assert {q.document for q in FRESH_FACTS} == set(_SOURCE)

    # mention questions
    mentions = fresh_mention_questions(lib)
    again = fresh_mention_questions(fresh)
    old_terms = [t for _, t, _, _ in _MENTIONS]
    assert len({q.text for q in mentions}) == len(mentions)
    assert len({q.term.lower() for q in mentions}) == len(mentions)
    for q, r in zip(mentions, again):
        assert q.held_out
        assert (q.truth, q.count) == (r.truth, r.count), q.term    # same in both libraries
        lines = base[q.document].split("\n")
        split = _split(q.document, lines)
        pattern = _term_re(q.term)
        assert q.truth, f"{q.term!r} is in no unit of {q.document}"
        assert q.count >= len(q.truth)
        assert not any(pattern.search(lines[h]) for h in split.headings), q.term
        assert not pattern.search("\n".join(lines[split.end:])), f"{q.term!r} after the end"
        if q.form == "count":
            assert not pattern.search("\n".join(lines[:split.first_heading])), q.term
            per_unit = _unit_counts(q.document, base[q.document], q.term)
            assert q.count == sum(n for _, n in per_unit), q.term
        assert not any(pattern.search(p.first + " " + p.second) for p in all_pairs), q.term
        elsewhere = [d for d in planted if d != q.document
                     and (pattern.search(planted[d]) or pattern.search(base[d]))]
        if elsewhere:
            assert _LAYOUTS[q.document].title.lower() in q.text.lower(), (q.text, elsewhere)
        for old in old_terms:                           # not one of route_sets' terms
            assert q.term.lower() != old.lower(), q.term
            assert not pattern.fullmatch(old) and not _term_re(old).fullmatch(q.term), q.term
    # every route_sets term is also absent from the fresh planted sentences
    for _, old, _, _ in _MENTIONS:
        assert not any(_term_re(old).search(p.first + " " + p.second) for p in FRESH_CHAINED), old
    which = [q for q in mentions if q.form == "which"]
    assert len(which) >= 24 and sum(q.form == "first" for q in mentions) >= 6
    assert sum(q.form == "count" for q in mentions) >= 6
    assert sum(2 <= len(q.truth) <= 6 for q in which) >= 2 * len(which) // 3

    # code questions
    root = code_package(cache)
    assert not list(root.rglob("tests")), "a tests folder was extracted"
    pkg = _read_package(root)
    code = fresh_code_questions(root)
    old = code_questions(root)
    old_units = {(q.path, q.qualname) for q in old}
    old_names = {q.name for q in old}
    describe = [q for q in code if q.form == "describe"]
    callers = [q for q in code if q.form == "callers"]
    assert len(describe) >= 20 and len(callers) >= 10, (len(describe), len(callers))
    assert len({(q.path, q.qualname) for q in code}) == len(code)
    defs = {(d.path, d.qualname): d for d in pkg.defs}
    for q in code:
        assert q.held_out
        assert (q.path, q.qualname) not in old_units and q.name not in old_names, q.qualname
        source = (root / q.path).read_text(encoding="utf-8").split("\n")
        start, end = q.lines
        assert 1 <= start <= end <= len(source)
        assert re.search(rf"\b(def|class)\s+{q.name}\b", "\n".join(source[start - 1:end])), q
        d = defs[(q.path, q.qualname)]
        assert _public(d) and pkg.defined[d.name] == 1, q.qualname
    for q in describe:
        s = defs[(q.path, q.qualname)].summary
        assert (s.endswith(".") and 5 <= len(s.split()) <= 30 and pkg.summaries[s] == 1
                and not re.search(rf"\b{re.escape(q.name)}\b", s)), (q.qualname, s)
        assert not re.search(rf"\b{re.escape(q.name)}\b", q.text), q.text
    for q in callers:
        d = defs[(q.path, q.qualname)]
        assert d.kind == "function" and d.name not in pkg.foreign, q.name
        assert 2 <= len(q.calls) <= 8 and all((root / p).exists() for p, _ in q.calls), q
        assert q.calls == tuple(sorted(pkg.calls[q.name])), q.name
        assert re.search(rf"\b{re.escape(q.name)}\b", q.text), q.text


def main() -> None:
    check_fresh()
    mentions = fresh_mention_questions(novels())
    code = fresh_code_questions(code_package())
    for form in ("which", "first", "count"):
        print(f"fresh mention questions, {form}: {sum(q.form == form for q in mentions)}")
    for form in ("describe", "callers"):
        print(f"fresh code questions, {form}: {sum(q.form == form for q in code)}")
    print(f"fresh chained pairs: {len(FRESH_CHAINED)} "
          f"(planted with the colleague's {len(CHAINED)})")
    print(f"fresh real facts: {len(FRESH_FACTS)}")
    print("check_fresh: ok")


if __name__ == "__main__":
    main()
