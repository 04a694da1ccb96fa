"""A second set of invented two-step facts, written apart from bench/chained_facts.py and
bench/fresh_chained.py, all held out.

Why: the chained (two-hop) route may be tuned on the pairs of both earlier files; these
pairs follow the same rules but were written by someone who saw neither the router nor its
tuning, so they show what a stranger would see. Each pair: a first sentence under a rare
proper name states a plan, a purchase or a decision; a second sentence, planted in a later
unit of the same file, reports the outcome under the same rare name without repeating the
first answer. The question paraphrases the first part without the first sentence's rare
words and its second part points back. bench/fresh2_sets.py plants them (on top of both
earlier sets of pairs) and checks every rule.
"""
from __future__ import annotations

from bench.chained_facts import ChainedFact

__all__ = ["FRESH2_PAIRS"]

_B, _P, _M = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt"


def _pair(first: str, second: str, question: str,
          answers: tuple[tuple[str, ...], tuple[str, ...]], document: str) -> ChainedFact:
    return ChainedFact(first, second, question, answers, document, held_out=True)


FRESH2_PAIRS: tuple[ChainedFact, ...] = (
    # Botchan
    _pair("The postmaster Aldous Wetherby ordered a clock with a painted dial from Geneva for "
          "the booking hall at Crayminster.",
          "The Wetherby timepiece lost twenty minutes a day until a watchmaker found a dead "
          "wasp among its wheels.",
          "I'd like to know what the man in charge of the post office sent abroad for to hang "
          "in the ticket hall, and whether it kept good time.",
          (("a clock", "painted dial"), ("twenty minutes a day", "dead wasp")), _B),
    _pair("The tanner Eliphalet Crowcombe paid for a brass band of sixteen players to lead the "
          "Whitsun procession at Nettlecombe.",
          "Half the Crowcombe musicians were too drunk to march, and the procession went "
          "forward to the sound of one cornet.",
          "tell me how many bandsmen the leather merchant hired to head the holiday parade "
          "and whether they were fit to play",
          (("sixteen players", "sixteen"), ("too drunk to march", "one cornet")), _B),
    _pair("The surveyor Mordecai Plunkett staked out a turnpike from Halsworthy to the coast, "
          "running straight across the common.",
          "The Plunkett road sank into a bog in its second mile and was never finished.",
          "What kind of highway did the land measurer lay out toward the sea? Did it ever "
          "get built?",
          (("turnpike",), ("sank into a bog", "never finished")), _B),
    _pair("Widow Philippa Garrowby turned her front parlour into a circulating library of "
          "three hundred novels.",
          "The Garrowby library shut within the year because the curate preached against "
          "it from the pulpit.",
          "Give me the number of books the widowed lady put into the lending collection she "
          "ran from her sitting room, plus how long it lasted.",
          (("three hundred",), ("within the year", "curate preached")), _B),
    _pair("The brewer Tobiah Marchbanks sank his savings into a canal to carry barley from "
          "Wendlebury to the river.",
          "The Marchbanks cut leaked so badly that the barges sat in the mud, and the brewer "
          "went bankrupt.",
          "The beer maker paid to have some waterway dug to haul his grain. What was it, and "
          "where did that leave him?",
          (("canal",), ("went bankrupt", "sat in the mud")), _B),
    # As You Like It
    _pair("The lacemaker Dorcas Pennefather worked a bridal veil for the squire's daughter "
          "that took her three winters to finish.",
          "The squire's daughter refused the Pennefather veil because her betrothed had run "
          "off with a dairymaid.",
          "Remind me how long the needlewoman spent on the bride's headdress, and was it "
          "ever worn?",
          (("three winters",), ("run off with a dairymaid", "refused")), _P),
    _pair("The mapmaker Ignatius Holloway spent four years charting the coast of Labrador for "
          "the Admiralty.",
          "The Holloway charts were lost when the packet carrying them foundered off "
          "Newfoundland.",
          "how many years did the chart drawer give to surveying that northern shoreline "
          "for the navy, and what happened to his work",
          (("four years",), ("were lost", "foundered")), _P),
    _pair("The gardener Jeremiah Coldharbour raised a pineapple under glass for the duchess's "
          "birthday dinner.",
          "When the Coldharbour fruit was cut at table it proved rotten to the core, and the "
          "duchess laughed.",
          "Somebody grew an exotic crop in a hothouse for a noblewoman's celebration. What "
          "was it, and was it any good when it was served?",
          (("pineapple",), ("rotten to the core",)), _P),
    _pair("The printer Lysander Greatorex issued a county almanac that foretold a hard winter.",
          "That year the Greatorex almanac was laughed at, for the season proved the mildest "
          "in forty years.",
          "What sort of cold-weather season did the printer's yearly calendar forecast, and "
          "was he right?",
          (("a hard winter", "hard winter"), ("mildest in forty years",)), _P),
    # Paradise Lost
    _pair("The antiquary Horatio Bellingham opened the barrow on Stanmoor and carried off an "
          "urn of green glass.",
          "The Bellingham urn was dropped by a housemaid and swept up with the cinders from "
          "the grate.",
          "What did the relic hunter remove from the old grave mound, and is it still in "
          "one piece?",
          (("green glass", "an urn"), ("dropped by a housemaid", "swept up")), _M),
    _pair("The rector's wife Letitia Ormerod started a class to teach the village girls their "
          "letters on Tuesday evenings in the schoolroom.",
          "The Ormerod class ended when the farmers complained that their daughters now read "
          "novels instead of churning butter.",
          "On what night of the week did the clergyman's wife hold lessons for the young "
          "women, and why did they stop?",
          (("Tuesday evenings", "Tuesday"), ("farmers complained", "churning butter")), _M),
    _pair("The physician Erasmus Tolleshunt claimed that his electrical belt would cure gout "
          "within a fortnight.",
          "The Tolleshunt belt gave the alderman such a shock that he threw it into the "
          "millrace and limped home.",
          "I'm curious what contraption the doctor swore would mend a patient's swollen "
          "joints, and how the first man to wear it got on.",
          (("electrical belt",), ("such a shock", "threw it into the millrace")), _M),
    _pair("The hatter Valentine Prowse designed a tall hat with a hidden spring so that it "
          "would fold flat under a theatre seat.",
          "The Prowse hat sprang open in the middle of a sermon and struck the bishop's "
          "chaplain on the nose.",
          "What trick was built into the milliner's new headgear so it could be stowed at "
          "the playhouse? Did it behave?",
          (("hidden spring", "fold flat"), ("struck the bishop's chaplain",
                                             "in the middle of a sermon")), _M),
)
