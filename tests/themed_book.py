"""A generated book whose chapters each carry planted themes, for "which chapters discuss
X?" questions (tests/engine/test_gists.py, bench/gists.py).

The filler is Alice in Wonderland (resources/samples/alice.txt); each theme is two
paragraphs written here about something Alice never mentions, opening every page of the
chapters it is planted in, so the right chapters are known exactly. Questions name a
theme in other words than its paragraphs use.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from tests.engine.conftest import alice_paragraphs, filled
from tests.makers import make_pdf

__all__ = ["THEMES", "Theme", "ThemedBook", "make_themed_book", "CALIBRATION", "HELD_OUT"]


@dataclass(frozen=True)
class Theme:
    name: str
    question: str          # how a reader asks for it (not the paragraphs' own words)
    paragraphs: tuple[str, ...]
    also: str = ""         # another way to ask for it


THEMES = {t.name: t for t in [
    Theme("bees", "keeping bees", (
        "The keeper lifted the lid of the hive and the bees poured over the frames of comb. "
        "He worked the smoker slowly, so the colony stayed calm while he looked for the queen.",
        "By late summer the supers were heavy with honey. He cut the wax cappings with a warm "
        "knife and spun the frames in the extractor until the golden syrup ran into the pail."),
        "honey and hives"),
    Theme("lighthouse", "a lighthouse and its keeper", (
        "Every evening the keeper climbed the spiral stair of the lighthouse to trim the wick "
        "and polish the great lens, so the beam would sweep the reef all night.",
        "When the fog rolled in from the sea he wound the clockwork of the foghorn and logged "
        "each ship that passed the headland in the lamp-room book."),
        "a beacon that warns ships at night"),
    Theme("clocks", "repairing watches and clocks", (
        "The watchmaker opened the case and lifted out the movement with his tweezers. The "
        "mainspring had snapped, and the escapement wheel was clogged with old oil.",
        "He cleaned every pivot, fitted a new balance spring, and listened with his loupe "
        "still in his eye as the pendulum clock began to tick evenly again."),
        "mending timepieces"),
    Theme("sailing", "sailing a boat at sea", (
        "They hoisted the mainsail and the jib, and the sloop heeled over as the wind filled "
        "the canvas. She tacked across the bay, the tiller hard against her hip.",
        "At dusk they reefed the sails, dropped anchor in a sheltered cove, and coiled the "
        "halyards neatly on the deck before the squall arrived."),
        "a voyage under sail"),
    Theme("bread", "baking bread", (
        "She mixed flour, water, salt and yeast, then kneaded the dough on the floured board "
        "until it was smooth and springy under her palms.",
        "The loaves rose overnight in their tins. In the morning she slashed their tops and "
        "baked them until the crust was brown and the kitchen smelled of fresh bread."),
        "making loaves in the kitchen"),
    Theme("chess", "a game of chess", (
        "The old man moved his knight to threaten both the rook and the queen. His opponent "
        "studied the board for a long time before castling on the king's side.",
        "In the endgame the pawns raced for promotion, and a quiet bishop move forced "
        "checkmate on the back rank."),
        "moves on a chessboard"),
    Theme("stars", "studying the stars through a telescope", (
        "On clear nights the astronomer wheeled the telescope onto the lawn and charted the "
        "planets, the rings of Saturn, and the faint smudge of a distant nebula.",
        "She recorded each comet's position in her notebook and calculated its orbit around "
        "the sun by candlelight."),
        "astronomy and the night sky"),
    Theme("mushrooms", "foraging for wild mushrooms", (
        "In the damp autumn woods they searched beneath the oaks for chanterelles and ceps, "
        "cutting each stem carefully and laying the caps in a wicker basket.",
        "Back home they checked every find against the field guide, for some toadstools look "
        "harmless and are deadly poisonous."),
        "gathering fungi in the woods"),
    Theme("trains", "a railway journey by steam train", (
        "The locomotive hissed at the platform while the guard blew his whistle. The stoker "
        "shovelled coal into the firebox and the train pulled out of the station.",
        "All afternoon the carriages rattled over the viaduct and through the tunnels, and "
        "the passengers watched the telegraph poles flick past the window."),
        "travelling on the railway"),
    Theme("violin", "making a violin", (
        "The luthier carved the spruce top and the maple back of the violin by hand, shaving "
        "the wood until it rang clearly when he tapped it.",
        "He glued the ribs, set the sound post, varnished the body in thin coats, and at last "
        "strung it and drew the bow across the strings."),
        "a craftsman building a stringed instrument"),
    Theme("volcano", "a volcanic eruption", (
        "The mountain rumbled for days before the eruption. Ash rained on the villages and "
        "rivers of molten lava crept down the slopes toward the vineyards.",
        "Scientists measured the tremors with seismographs and warned the farmers to leave "
        "before the crater collapsed."),
        "lava and ash from a mountain"),
    Theme("weaving", "weaving cloth on a loom", (
        "The weaver threaded the warp through the heddles of the loom and passed the shuttle "
        "back and forth, beating each row of weft tight.",
        "From wool she had spun and dyed herself, a striped blanket slowly grew on the "
        "loom over the winter."),
        "making cloth by hand"),
]}

# half the themes fit the chapter margin (bench/gists.py --split calib); the others report
CALIBRATION = ("bees", "lighthouse", "clocks", "sailing", "bread", "chess")
HELD_OUT = ("stars", "mushrooms", "trains", "violin", "volcano", "weaving")

# chapter number (1-based) -> themes planted in it; four themes recur in two chapters
PLAN: dict[int, tuple[str, ...]] = {
    1: ("bees",), 2: ("lighthouse",), 3: ("clocks", "stars"), 4: ("sailing",),
    5: ("bread", "mushrooms"), 6: ("chess",), 7: ("trains",), 8: ("violin", "bees"),
    9: ("volcano",), 10: ("weaving", "sailing"), 11: ("stars",), 12: ("trains", "chess"),
}


@dataclass(frozen=True)
class ThemedBook:
    path: Path
    chapters: list[str]                       # chapter headings, in order
    where: dict[str, tuple[int, ...]]         # theme -> chapter numbers (1-based)


def make_themed_book(path: str | Path, *, pages_per_chapter: int = 5,
                     plan: dict[int, tuple[str, ...]] = PLAN,
                     chars_per_page: int = 1500) -> ThemedBook:
    """A PDF with one outline entry per chapter. A chapter is about its themes: every
    page opens with one of their paragraphs (in turn), then Alice fills the page, so
    the theme runs through the chapter as a chapter's subject does."""
    paras = itertools.cycle(alice_paragraphs())
    pages, toc, chapters = [], [], []
    where: dict[str, list[int]] = {}
    for number in sorted(plan):
        title = f"Chapter {number}"
        chapters.append(title)
        toc.append([1, title, len(pages) + 1])
        for theme in plan[number]:
            where.setdefault(theme, []).append(number)
        for p in range(pages_per_chapter):
            items: list[tuple[str, float]] = []
            if p == 0:
                items.append((title, 18))
            themed = [para for theme in plan[number] for para in THEMES[theme].paragraphs]
            para = themed[p % len(themed)]
            items.append((para, 10))
            pages.append(filled(items, len(para), paras, chars_per_page))
    make_pdf(path, pages, toc=toc, title="A Book of Many Crafts")
    return ThemedBook(Path(path), chapters, {k: tuple(v) for k, v in where.items()})
