"""A second fresh, held-out question set for each route of `ask`, written apart from both
the tuned sets and the first fresh set.

Why: the question router is tuned on bench/route_sets.py and, from now on, on
bench/fresh_sets.py as well, so figures on either flatter it. These sets were written
independently, by someone who did not see the router or its tuning, with other terms,
other code units, other invented pairs and other facts, and phrased the way yet other
strangers would ask (long and short, polite and terse, casual lowercase, imperative
requests, indirect questions, context before the question, the key word late). Every item
is held out: none is to be tuned on, and none is to be shown to whoever tunes. The truth
rules are route_sets' own, reused from it:

- Mention questions: the terms' units and counts come from route_sets' split of each file
  and its whole-word pattern, counted in the colleague's `novels()` folder. No term is one
  of route_sets' or fresh_sets' terms; none occurs in a heading line or after the work's
  end; a 'count' term occurs nowhere before the first heading; a term that occurs in
  another file of the library comes with the work's title in its question; no term occurs
  in any planted sentence, so the truth is the same in `fresh_novels()` and
  `fresh2_novels()`.
- Code questions on networkx (route_sets' `code_package()`): 'describe' units obey
  route_sets' uniqueness rules and 'callers' units its rules; none is a unit, or a name, of
  route_sets' or fresh_sets' code questions.
- Chained facts (bench/fresh2_chained.py): planted by `fresh2_novels()` into a separate
  folder that also holds route_sets' and fresh_sets' pairs where `fresh_novels()` puts
  them; the new sentences stay more than three lines from every earlier planted line.
- Real facts: a clause of the text verbatim (whitespace collapsed), short answers verbatim
  inside it, none covered by bench/real_facts.py or bench/fresh_sets.py.

    python bench/fresh2_sets.py       # checks every set, prints counts only
"""
from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.chained_facts import ChainedFact  # noqa: E402
from bench.corpus import CACHE, fetch_texts, normalize  # noqa: E402
from bench.facts import content_words  # noqa: E402
from bench.fresh2_chained import FRESH2_PAIRS  # noqa: E402
from bench.fresh_sets import (  # noqa: E402
    FRESH_CHAINED, FRESH_FACTS, _FRESH_MENTIONS, _block_lines, _fresh_texts,
    fresh_code_questions, fresh_mention_questions, fresh_novels)
from bench.real_facts import FactQuestion  # noqa: E402
from bench.route_sets import (  # noqa: E402
    CHAINED, REAL_FACTS, CodeQuestion, MentionQuestion, Novels, _LAYOUTS, _MENTIONS,
    _plant, _public, _rare_names, _read_package, _SOURCE, _split, _term_re,
    _unit_counts, code_package, code_questions, mention_questions, novels)

__all__ = ["fresh2_mention_questions", "fresh2_code_questions", "FRESH2_CHAINED",
           "fresh2_novels", "fresh2_planted_at", "FRESH2_FACTS", "check_fresh2"]

_BOT, _PLAY, _POEM = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt"
_WORK = "loc_workshop.txt"


# --- mention questions --------------------------------------------------------------------

# (document, term, form, question): terms chosen by hand, truth computed.
_FRESH2_MENTIONS: tuple[tuple[str, str, str, str], ...] = (
    (_BOT, "Kyushu", "which",
     "I'm reading Botchan and keep noticing Kyushu. List the chapters where it's mentioned."),
    (_BOT, "Hakone", "which", "hakone shows up a couple of times in botchan doesn't it? what "
     "chapters"),
    (_BOT, "Sumida", "which",
     "Give me the chapter numbers in which the town of Sumida is referred to."),
    (_BOT, "Kawamura", "which",
     "I'd like to know where the clerk Kawamura comes up - which chapters?"),
    (_BOT, "Russian", "which", "Show me every chapter of Botchan that has the word Russian."),
    (_BOT, "umbrella", "which", "Where do umbrellas turn up in the novel, chapter-wise?"),
    (_BOT, "fishing", "which",
     "There's the famous boat outing, but fishing gets talked about elsewhere too, right? "
     "Name all the chapters that have it."),
    (_BOT, "Kagurazaka", "which",
     "Kagurazaka is a Tokyo neighbourhood. In which of the chapters is it named?"),
    (_BOT, "Clown", "first", "Tell me the chapter of Botchan where Clown makes his debut."),
    (_BOT, "Kantaro", "first",
     "The pawnbroker's boy Kantaro - where in the book is he introduced, chapter-wise?"),
    (_BOT, "bath", "count", "How many separate mentions of baths does Botchan contain?"),
    (_BOT, "drum", "count",
     "Drums in Botchan: give me a number. How many times does the word occur, all told?"),

    (_PLAY, "doublet", "which", "Show me the scenes where someone mentions a doublet."),
    (_PLAY, "niece", "which", "i'd like to see each scene in which the word niece is spoken"),
    (_PLAY, "knave", "which", "Which acts and scenes contain the insult knave?"),
    (_PLAY, "flock", "which",
     "I'm studying As You Like It for class. Where does the word flock appear? Act and "
     "scene for each, please."),
    (_PLAY, "Duke Senior", "which", "List the scenes featuring Duke Senior, the exiled ruler."),
    (_PLAY, "nurse", "which",
     "Across the comedy, where is a nurse mentioned? Give me act/scene references."),
    (_PLAY, "magician", "which",
     "Rosalind claims to know a magician. Which scenes mention one?"),
    (_PLAY, "Atalanta", "which",
     "atalanta gets compared to rosalind somewhere in the play - what scene is that"),
    (_PLAY, "snail", "first", "Where in As You Like It do we first run into a snail?"),
    (_PLAY, "Le Beau", "first",
     "The courtier Le Beau: at what point in the play is he first named? Act and scene."),
    (_PLAY, "uncle", "count",
     "Over the whole of As You Like It, what's the count for the word uncle?"),
    (_PLAY, "cousin", "count", "cousin appears a lot in As You Like It - exactly how many times?"),

    (_POEM, "Saturn", "which", "Saturn: list the books of Paradise Lost that mention him."),
    (_POEM, "Hesperus", "which",
     "I'm looking for the evening star, Hesperus, in Paradise Lost. In which books does it "
     "occur?"),
    (_POEM, "Jordan", "which", "the river jordan is referenced where in PL? give me book numbers"),
    (_POEM, "Pomona", "which",
     "Milton compares Eve to a Roman goddess of orchards. Which books bring Pomona in by "
     "name?"),
    (_POEM, "Adonis", "which", "Books of the epic where Adonis is named, please."),
    (_POEM, "Atlas", "which", "Show me the books where Mount Atlas comes into Paradise Lost."),
    (_POEM, "myrrh", "which", "Does myrrh feature in the poem? Tell me which books."),
    (_POEM, "scorpion", "which",
     "I'd like to know which books of Paradise Lost use the word scorpion."),
    (_POEM, "Ithuriel", "first",
     "Ithuriel, the angel whose spear touches the toad at Eve's ear - what book is he "
     "introduced in?"),
    (_POEM, "Urania", "first",
     "Milton calls on Urania as his muse at some point. Which book does her name first "
     "show up in?"),
    (_POEM, "seed", "count",
     "Total count of seed in Paradise Lost, singular and plural together?"),
    (_POEM, "Sion", "count", "Sion gets named how many times in Milton's poem?"),
)


def fresh2_mention_questions(lib: Novels) -> list[MentionQuestion]:
    """The second fresh mention questions, truth counted in `lib`'s files (pass
    `novels()`)."""
    texts = {doc: (lib.folder / doc).read_text(encoding="utf-8")
             for doc in {d for d, *_ in _FRESH2_MENTIONS}}
    out = []
    for doc, term, form, question in _FRESH2_MENTIONS:
        counts = _unit_counts(doc, texts[doc], term)
        holding = tuple(key for key, n in counts if n)
        out.append(MentionQuestion(
            question, term, form, _LAYOUTS[doc].unit, doc,
            holding[:1] if form == "first" else holding,
            len(_term_re(term).findall(texts[doc])), held_out=True))
    return out


# --- code questions on networkx -----------------------------------------------------------

# (path, qualname, question)
_FRESH2_DESCRIBE: tuple[tuple[str, str, str], ...] = (
    ("networkx/generators/social.py", "karate_club_graph",
     "Does networkx ship Zachary's famous karate club network? What do I call to get it?"),
    ("networkx/generators/small.py", "krackhardt_kite_graph",
     "I remember a tiny ten-node social network shaped like a kite, named after "
     "Krackhardt. Which generator gives it to me?"),
    ("networkx/algorithms/wiener.py", "wiener_index",
     "Show me the function that adds up the shortest-path distances over every pair of "
     "nodes (the index named after Harry Wiener)."),
    ("networkx/algorithms/tournament.py", "hamiltonian_path",
     "In a tournament graph, how do I get a path that passes through every node exactly "
     "once?"),
    ("networkx/algorithms/dag.py", "dag_longest_path",
     "need the longest path through a directed acyclic graph - what's the function"),
    ("networkx/algorithms/tree/coding.py", "to_prufer_sequence",
     "Which function encodes a labelled tree as its Prufer code?"),
    ("networkx/linalg/algebraicconnectivity.py", "fiedler_vector",
     "Give me the function for the eigenvector that belongs to the second-smallest "
     "eigenvalue of a connected graph's Laplacian."),
    ("networkx/algorithms/connectivity/stoerwagner.py", "stoer_wagner",
     "I'm after the Stoer-Wagner global min cut of a weighted undirected graph. Which "
     "function implements it?"),
    ("networkx/generators/sudoku.py", "sudoku_graph",
     "Is there a generator for the graph of a sudoku board, where two cells are joined "
     "when they share a row, column or box?"),
    ("networkx/algorithms/triads.py", "triadic_census",
     "For a directed network, which routine tallies how many of each of the sixteen "
     "possible three-node configurations occur?"),
    ("networkx/algorithms/richclub.py", "rich_club_coefficient",
     "Where's the rich-club coefficient computed?"),
    ("networkx/algorithms/cycles.py", "cycle_basis",
     "I'd like a list of cycles that together form a basis for the cycle space of an "
     "undirected graph (any basis, not the minimum-weight one). Which function?"),
    ("networkx/utils/union_find.py", "UnionFind.to_sets",
     "On the union-find helper in networkx.utils, which method lets me iterate over the "
     "disjoint sets it currently holds?"),
    ("networkx/algorithms/efficiency_measures.py", "global_efficiency",
     "what measures the average efficiency of a graph taken as a whole, i.e. the mean of "
     "inverse shortest path lengths over all pairs?"),
    ("networkx/generators/line.py", "inverse_line_graph",
     "Given a graph that is itself a line graph, how do I recover the graph it came "
     "from?"),
    ("networkx/algorithms/euler.py", "is_semieulerian",
     "Which check tells me a graph has an Eulerian path but no Eulerian circuit?"),
    ("networkx/generators/lattice.py", "hexagonal_lattice_graph",
     "I need a honeycomb lattice, m rows by n columns of hexagons. What builds that?"),
    ("networkx/classes/digraph.py", "DiGraph.has_successor",
     "On a DiGraph, which method tells me whether v is among the successors of u?"),
    ("networkx/algorithms/operators/binary.py", "symmetric_difference",
     "Which operator gives back a new graph holding the edges found in G or in H but not "
     "in both?"),
    ("networkx/algorithms/distance_measures.py", "kemeny_constant",
     "Where is the Kemeny constant of a graph computed?"),
)

# (name, question)
_FRESH2_CALLERS: tuple[tuple[str, str], ...] = (
    ("ego_graph", "I'm refactoring ego_graph. Which functions inside networkx would break?"),
    ("condensation", "condensation is called from a few places - which ones?"),
    ("is_perfect_matching",
     "I'd like to know which functions make use of is_perfect_matching."),
    ("eccentricity", "Where does the library call eccentricity? List the callers and files."),
    ("contracted_edge", "Trace the uses of contracted_edge across the codebase for me."),
    ("convert_node_labels_to_integers",
     "which modules call convert_node_labels_to_integers"),
    ("transitivity", "Is transitivity() used anywhere else in networkx? Where?"),
    ("non_edges", "What calls non_edges internally?"),
    ("dfs_tree", "Find me the functions whose bodies call dfs_tree."),
    ("circulant_graph",
     "Before I deprecate circulant_graph I need to know its callers. Who are they?"),
)


def fresh2_code_questions(root: Path) -> list[CodeQuestion]:
    """The second fresh 'describe' and 'callers' questions on `root` (pass
    `code_package()`)."""
    pkg = _read_package(root)
    by_qualname = {(d.path, d.qualname): d for d in pkg.defs}
    by_name: dict[str, list] = {}
    for d in pkg.defs:
        if d.kind == "function":
            by_name.setdefault(d.name, []).append(d)
    out: list[CodeQuestion] = []
    for path, qualname, text in _FRESH2_DESCRIBE:
        d = by_qualname[(path, qualname)]
        out.append(CodeQuestion(text, "describe", d.name, d.qualname, d.path, d.lines, (),
                                held_out=True))
    for name, text in _FRESH2_CALLERS:
        (d,) = by_name[name]
        out.append(CodeQuestion(text, "callers", d.name, d.qualname, d.path, d.lines,
                                tuple(sorted(pkg.calls.get(d.name, []))), held_out=True))
    return out


# --- chained facts: a separate library holding every earlier pair and the new ones -------

FRESH2_CHAINED: tuple[ChainedFact, ...] = FRESH2_PAIRS
_EARLIER_PAIRS: tuple[ChainedFact, ...] = (*CHAINED, *FRESH_CHAINED)


def _fresh2_texts(cache: Path) -> dict[str, str]:
    """fresh_sets' texts (route_sets' pairs and fresh_sets' pairs planted) with the new
    pairs planted by route_sets' `_plant`: its own seed, and gaps more than three lines
    away from every line an earlier planted sentence occupies."""
    base = _fresh_texts(cache)
    out = {}
    for doc, text in base.items():
        lines = text.split("\n")
        taken = [i for p in _EARLIER_PAIRS if p.document == doc
                 for s in (p.first, p.second) for i in _block_lines(lines, s)]
        out[doc] = _plant(doc, text, [p for p in FRESH2_CHAINED if p.document == doc],
                          seed="fresh2_sets", taken=taken)
    return out


def fresh2_novels(cache: Path = CACHE) -> Novels:
    """Write (once) and return the folder of the three texts with route_sets', fresh_sets'
    and the new pairs planted, cached by content hash ('fresh2-novels-…')."""
    planted = _fresh2_texts(cache)
    key = hashlib.sha256("\0".join(f"{d}\0{t}" for d, t in planted.items()).encode()).hexdigest()
    folder = cache / f"fresh2-novels-{key[:16]}"
    if not folder.exists():
        tmp = cache / f"fresh2-novels-{key[:16]}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for doc, text in planted.items():
            (tmp / doc).write_text(text, encoding="utf-8")
        tmp.rename(folder)
    return Novels(folder, tuple(folder / doc for doc in planted))


def fresh2_planted_at(lib: Novels) -> dict[str, tuple[str, str]]:
    """Each planted sentence (all three sets) -> (file name, unit key) in `lib`."""
    out: dict[str, tuple[str, str]] = {}
    for pair in (*_EARLIER_PAIRS, *FRESH2_CHAINED):
        lines = (lib.folder / pair.document).read_text(encoding="utf-8").split("\n")
        for sentence in (pair.first, pair.second):
            keys = [u.key for u in _split(pair.document, lines).units
                    if normalize(sentence) in normalize("\n".join(lines[u.start:u.end]))]
            if len(keys) != 1:
                raise AssertionError(f"{sentence!r} is in units {keys} of {pair.document}.")
            out[sentence] = (pair.document, keys[0])
    return out


# --- real facts, asked by yet other strangers ---------------------------------------------

def _fact(text: str, answers: tuple[str, ...], fact: str, document: str) -> FactQuestion:
    return FactQuestion(text, answers, fact, document, held_out=True)


FRESH2_FACTS: tuple[FactQuestion, ...] = (
    # Botchan
    _fact("I'm rereading the opening of Botchan: how much of a drop was there from the "
          "narrator's garden down into the pawnbroker's yard?", ("about six feet", "six feet"),
          "the ground belonging to Yamashiro-ya was about six feet lower than the vegetable "
          "yard", _BOT),
    _fact("Show me what the boy did to prove his new pocketknife could slice.",
          ("cut my thumb", "thumb"), "I cut my thumb slant-wise.", _BOT),
    _fact("the old servant's long letter came with some money in it - how much",
          ("ten yen",), "I'm sending you ten yen by postal money order.", _BOT),
    _fact("Which tree did the hero treasure above everything as a child?",
          ("chestnut",),
          "in the centre of which stood a chestnut tree which was dearer to me than life.",
          _BOT),
    # As You Like It
    _fact("Jaques says he can draw sadness out of a song the way some animal gets at eggs. "
          "Which animal?", ("weasel",),
          "I can suck melancholy out of a song, as a weasel sucks eggs.", _PLAY),
    _fact("By what hour does Orlando swear he'll be back after dining with the duke?",
          ("two o'clock",), "by two o'clock I will be with thee again.", _PLAY),
    _fact("Describe the colouring of the serpent coiled about the sleeping man's neck, as "
          "Oliver tells it.", ("green and gilded",),
          "A green and gilded snake had wreathed itself", _PLAY),
    _fact("On what sort of tree did Rosalind come across the poem written about her?",
          ("palm-tree", "palm"), "for look here what I found on a palm-tree.", _PLAY),
    # Paradise Lost
    _fact("In the first book, the fallen leader's lance dwarfs a ship's mast cut from what "
          "tree?", ("tallest pine", "pine"),
          "to equal which the tallest pine Hewn on Norwegian hills, to be the mast Of some "
          "great ammiral, were but a wand", _POEM),
    _fact("Which style of classical column holds up the hall the devils raise?",
          ("Doric",), "Were set, and Doric pillars overlaid With golden architrave", _POEM),
    _fact("When Satan clears the wall of Paradise in one leap, what animal that raids "
          "sheepfolds is he likened to?", ("prowling wolf", "wolf"),
          "As when a prowling wolf, Whom hunger drives to seek new haunt for prey", _POEM),
    _fact("How many wings does Raphael have once he lands in his own shape?",
          ("Six wings", "Six"), "Six wings he wore, to shade His lineaments divine", _POEM),
    # The Library of Congress workshop on electronic texts
    _fact("How big was the written material in the Greek classics project described at the "
          "workshop, in storage terms?", ("30 megabytes",),
          "Perseus contains approximately 30 megabytes of text", _WORK),
    _fact("How expensive was the Vermont two-disk acid rain set to produce, sheet by sheet "
          "and all in?",
          ("$6.70",), "cost $6.70 per page for everything", _WORK),
    _fact("NAL bought pricey scanning gear early on. Spread out over time, what was that "
          "costing the library monthly?", ("$2,000 per month", "$2,000"),
          "The costs of equipment are being amortized over five years but are still quite "
          "high, nearly $2,000 per month.", _WORK),
    _fact("What yearly running expense did Yale forecast for the machines and programs once "
          "its scanning project was over?", ("$60,000", "about $60,000"),
          "the annual operating costs estimated primarily for the software and hardware "
          "proposed come to about $60,000", _WORK),
)


# --- checks -------------------------------------------------------------------------------

def _library(lib: Novels) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in lib.files}


def check_fresh2(cache: Path = CACHE) -> None:
    """Raise AssertionError unless the second fresh sets hold the invariants route_sets
    checks, and are disjoint from route_sets' and fresh_sets' sets."""
    texts = fetch_texts(cache)
    originals = list(texts.values())
    base = _library(novels(cache))
    fresh = _library(fresh_novels(cache))
    lib2 = fresh2_novels(cache)
    planted = _library(lib2)
    assert lib2.folder.name.startswith("fresh2-novels-"), lib2.folder
    all_pairs = (*_EARLIER_PAIRS, *FRESH2_CHAINED)

    # the new library is fresh_sets' library plus the new pairs, nothing else
    for doc, text in planted.items():
        extra = [s for p in FRESH2_CHAINED if p.document == doc for s in (p.first, p.second)]
        rest = normalize(text)
        for s in extra:
            assert rest.count(normalize(s)) == 1, s
            rest = rest.replace(normalize(s), "")
        assert " ".join(rest.split()) == normalize(fresh[doc]), doc
    at = fresh2_planted_at(lib2)
    for p in _EARLIER_PAIRS:                            # the earlier pairs did not move
        lines = fresh[p.document].split("\n")
        for s in (p.first, p.second):
            keys = [u.key for u in _split(p.document, lines).units
                    if normalize(s) in normalize("\n".join(lines[u.start:u.end]))]
            assert keys == [at[s][1]], (keys, at[s])
    for doc, text in planted.items():                   # new blocks keep their distance
        lines = text.split("\n")
        old = [_block_lines(lines, s) for p in _EARLIER_PAIRS if p.document == doc
               for s in (p.first, p.second)]
        new = [_block_lines(lines, s) for p in FRESH2_CHAINED if p.document == doc
               for s in (p.first, p.second)]
        blocks = sorted(old + new, key=lambda r: r.start)
        for a, b in zip(blocks, blocks[1:]):
            assert b.start - a.stop >= 2, (doc, a, b)
        for n in new:
            for o in old:
                assert min(abs(i - j) for i in n for j in o) > 3, (doc, n, o)

    # chained facts
    sentences = [s for p in all_pairs for s in (p.first, p.second)]
    assert len(FRESH2_CHAINED) >= 12 and len(set(sentences)) == len(sentences)
    earlier_text = " ".join(s for p in _EARLIER_PAIRS for s in (p.first, p.second))
    earlier_questions = {p.question.lower() for p in _EARLIER_PAIRS}
    for p in FRESH2_CHAINED:
        assert p.held_out
        assert p.question.lower() not in earlier_questions, p.question
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
        assert not any(re.search(rf"\b{w}\b", earlier_text, re.I) for w in rare), rare
        shared = content_words(p.first) & content_words(p.question)
        assert len(shared) <= 2, (p.question, shared)
        first, second = at[p.first][1], at[p.second][1]
        keys = [u.key for u in _split(p.document, planted[p.document].split("\n")).units]
        assert keys.index(first) < keys.index(second), (p.first, first, second)
    assert len({p.document for p in FRESH2_CHAINED}) == 3

    # real facts
    assert len(FRESH2_FACTS) >= 16
    earlier_facts = (*REAL_FACTS, *FRESH_FACTS)
    old_answers = {normalize(a).lower() for q in earlier_facts for a in q.answers}
    assert len({q.text for q in FRESH2_FACTS}) == len(FRESH2_FACTS)
    for q in FRESH2_FACTS:
        assert q.held_out
        source = texts[_SOURCE[q.document]]
        assert normalize(q.fact) in normalize(source), q.fact
        if q.document in planted:
            for library in (base, fresh, planted):
                assert normalize(q.fact) in normalize(library[q.document]), q.fact
        assert q.answers and all(normalize(a) in normalize(q.fact) for a in q.answers), q.answers
        assert not any(a.lower() in q.text.lower() for a in q.answers), q.text
        shared = content_words(q.fact) & content_words(q.text)
        assert len(shared) <= 2, (q.text, shared)
        for old in earlier_facts:                       # not covered by either earlier set
            a, b = normalize(q.fact).lower(), normalize(old.fact).lower()
            assert a not in b and b not in a, (q.fact, old.fact)
        assert not any(normalize(a).lower() in old_answers for a in q.answers), q.answers
    assert {q.document for q in FRESH2_FACTS} == set(_SOURCE)

    # mention questions
    mentions = fresh2_mention_questions(novels(cache))
    libraries = [mentions, fresh2_mention_questions(fresh_novels(cache)),
                 fresh2_mention_questions(lib2)]
    old_terms = [t for _, t, _, _ in (*_MENTIONS, *_FRESH_MENTIONS)]
    old_texts = {t.lower() for _, _, _, t in (*_MENTIONS, *_FRESH_MENTIONS)}
    assert len({q.text for q in mentions}) == len(mentions)
    assert len({q.term.lower() for q in mentions}) == len(mentions)
    for q, r, s in zip(*libraries):
        assert q.held_out
        assert q.text.lower() not in old_texts, q.text
        assert (q.truth, q.count) == (r.truth, r.count) == (s.truth, s.count), q.term
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
                     and any(pattern.search(lib[d]) for lib in (base, fresh, planted))]
        if elsewhere:
            assert _LAYOUTS[q.document].title.lower() in q.text.lower(), (q.text, elsewhere)
        for old in old_terms:                           # not an earlier set's term
            assert q.term.lower() != old.lower(), q.term
            assert not pattern.fullmatch(old) and not _term_re(old).fullmatch(q.term), q.term
    # every earlier term is also absent from the new planted sentences, so the earlier
    # sets' truth is the same in the new library
    for old in old_terms:
        assert not any(_term_re(old).search(p.first + " " + p.second)
                       for p in FRESH2_CHAINED), old
    for earlier in (mention_questions, fresh_mention_questions):
        for q, r in zip(earlier(novels(cache)), earlier(lib2)):
            assert (q.truth, q.count) == (r.truth, r.count), q.term
    which = [q for q in mentions if q.form == "which"]
    assert len(which) >= 24 and sum(q.form == "first" for q in mentions) >= 6
    assert sum(q.form == "count" for q in mentions) >= 6
    assert sum(2 <= len(q.truth) <= 6 for q in which) >= 2 * len(which) // 3

    # code questions
    root = code_package(cache)
    assert not list(root.rglob("tests")), "a tests folder was extracted"
    pkg = _read_package(root)
    code = fresh2_code_questions(root)
    old = [*code_questions(root), *fresh_code_questions(root)]
    old_units = {(q.path, q.qualname) for q in old}
    old_names = {q.name for q in old}
    old_code_texts = {q.text.lower() for q in old}
    describe = [q for q in code if q.form == "describe"]
    callers = [q for q in code if q.form == "callers"]
    assert len(describe) >= 20 and len(callers) >= 10, (len(describe), len(callers))
    assert len({(q.path, q.qualname) for q in code}) == len(code)
    assert len({q.name for q in code}) == len(code)
    defs = {(d.path, d.qualname): d for d in pkg.defs}
    for q in code:
        assert q.held_out
        assert q.text.lower() not in old_code_texts, q.text
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
    check_fresh2()
    mentions = fresh2_mention_questions(novels())
    code = fresh2_code_questions(code_package())
    for form in ("which", "first", "count"):
        print(f"fresh2 mention questions, {form}: {sum(q.form == form for q in mentions)}")
    for form in ("describe", "callers"):
        print(f"fresh2 code questions, {form}: {sum(q.form == form for q in code)}")
    print(f"fresh2 chained pairs: {len(FRESH2_CHAINED)} "
          f"(planted with the earlier {len(_EARLIER_PAIRS)})")
    print(f"fresh2 real facts: {len(FRESH2_FACTS)}")
    print("check_fresh2: ok")


if __name__ == "__main__":
    main()
