"""Invented two-step facts for the chained (two-hop) questions of bench/route_sets.py.

Why: a question whose second part points back at the first ("…, and how did that turn
out?") is answered only if recall fetches two passages far apart: the first states a plan,
an order or a purchase under a rare proper name, and the second, planted chapters later,
reports what came of it under the same name without repeating the first answer. Nothing
in one passage answers both parts, so the pair measures the two recall hops of `ask`.

Each pair is written for a 19th-century novel and occurs nowhere in the public-domain
texts (bench/route_sets.py checks this, plants them and splits them into halves). The
question paraphrases the first part without the first sentence's rare words, the way
bench/facts.py does, and its second part refers back with a pointer ("it", "the lessons",
"that decision"); both parts are plain enough that one search for the whole question
could reach both sentences. Answers are short strings found verbatim in their sentence:
any one of `answers[0]` answers the first part, any one of `answers[1]` the second.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ChainedFact", "PAIRS"]


@dataclass(frozen=True)
class ChainedFact:
    first: str                                   # planted in an earlier chapter/book/scene
    second: str                                  # planted later in the same file
    question: str                                # both parts, the second refers back
    answers: tuple[tuple[str, ...], tuple[str, ...]]   # acceptable short answers per part
    document: str                                # file of the novels folder holding both
    held_out: bool = False                       # set by bench/route_sets.py


_B, _P, _M = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt"

PAIRS: tuple[ChainedFact, ...] = (
    ChainedFact(
        "The vestry of Hollin Green resolved that the new parish well should be sunk "
        "ninety-two feet into the chalk.",
        "In the dry summer the Hollin Green well proved eleven feet too shallow, and the "
        "pumps drew only mud.",
        "How deep did the parish decide to dig its well, and how did that turn out?",
        (("ninety-two feet",), ("eleven feet too shallow", "drew only mud")), _B),
    ChainedFact(
        "The harbour master at Porthcarrow ordered a great brass lantern for the lighthouse "
        "from a foundry in Bristol.",
        "The Porthcarrow lantern reached the quay three days after the November gale, too "
        "late to warn the schooner that struck the reef.",
        "What did the port official order for the beacon on the point, and did it arrive "
        "in time?",
        (("brass lantern",), ("too late", "three days after the November gale")), _P),
    ChainedFact(
        "The miller Josiah Tregear bought a steam engine in Leeds to turn his millstones "
        "when the brook ran low.",
        "On its first morning Josiah Tregear's engine burst its boiler and scalded the "
        "miller's boy.",
        "What machine did the flour grinder buy for the dry months, and what happened "
        "to it?",
        (("steam engine",), ("burst its boiler",)), _M),
    ChainedFact(
        "Miss Euphemia Larkspur left her collection of pressed ferns to the reading room "
        "at Dunhallow.",
        "The Dunhallow committee sold Miss Larkspur's ferns at auction to pay for a new "
        "roof.",
        "What did the elderly lady bequeath to the village library, and what was done "
        "with her gift?",
        (("pressed ferns",), ("at auction", "to pay for a new roof")), _B),
    ChainedFact(
        "The directors of the Quenby Vale railway chose to carry their line under Marrick "
        "Hill by a tunnel half a mile long.",
        "The Marrick tunnel flooded twice while it was being dug and opened eighteen "
        "months late.",
        "How did the railway company decide to get its track past the hill, and how did "
        "the digging go?",
        (("half a mile long",), ("flooded twice", "eighteen months late")), _P),
    ChainedFact(
        "Lord Ashcombe commissioned a portrait of his wife from the painter Corvo "
        "Lindqvist for three hundred guineas.",
        "When the Lindqvist portrait was unveiled, Lady Ashcombe said it made her look "
        "like a heron, and it was hung in the stables.",
        "How much did the nobleman pay an artist to paint his wife, and what did she "
        "think of the picture?",
        (("three hundred guineas",), ("like a heron", "hung in the stables")), _M),
    ChainedFact(
        "The schoolmaster Ebenezer Quarles planted twelve walnut trees along the lane to "
        "Cobbett's Mill.",
        "Only two of the Quarles walnuts survived the great frost, and the boys climbed "
        "those for the nuts.",
        "How many trees did the village teacher plant beside the road, and how many of "
        "them lived?",
        (("twelve",), ("Only two",)), _B),
    ChainedFact(
        "The Reverend Silas Penhallow decided to send the cracked tenor bell of St Odran's "
        "to Whitechapel to be recast.",
        "The St Odran's bell came home a full tone sharper than before, and the ringers "
        "refused to ring it with the others.",
        "What did the vicar arrange for the broken church bell, and how did it sound "
        "afterwards?",
        (("to be recast", "recast"), ("a full tone sharper", "tone sharper")), _P),
    ChainedFact(
        "The corporation of Stavely voted to light the market square with forty gas "
        "lamps before Christmas.",
        "On Christmas Eve only half of the Stavely lamps would burn, because the gasworks "
        "had run short of coal.",
        "How many street lights did the town council agree to put up, and why did some "
        "of them fail?",
        (("forty gas lamps", "forty"), ("short of coal",)), _M),
    ChainedFact(
        "Captain Orrin Blackwell promised his crew ten shillings a man if the brig "
        "Marigold reached Valparaiso by Easter.",
        "The Marigold lay becalmed for nineteen days and came into Valparaiso a fortnight "
        "after Easter.",
        "What bonus did the ship's master offer his sailors for a fast passage, and did "
        "they earn it?",
        (("ten shillings",), ("a fortnight after Easter", "becalmed")), _B),
    ChainedFact(
        "Doctor Anselm Carrow prescribed sea bathing at Saltmarsh Bay for the squire's "
        "sickly daughter.",
        "After a month at Saltmarsh Bay the squire's daughter had gained nine pounds and "
        "could walk to church unaided.",
        "What treatment did the physician recommend for the landowner's ailing girl, and "
        "did it do her any good?",
        (("sea bathing",), ("gained nine pounds", "walk to church unaided")), _P),
    ChainedFact(
        "The widow Hester Gammage let her upper rooms to a piano tuner for eight "
        "shillings a week.",
        "Hester Gammage's lodger practised scales until midnight, so she raised his rent "
        "to twelve shillings.",
        "How much did the landlady first ask for her spare rooms, and why did she put "
        "the price up?",
        (("eight shillings",), ("scales until midnight",)), _M),
    ChainedFact(
        "The fishermen of Polwenna raised forty pounds to buy a lifeboat with ten oars.",
        "The Polwenna lifeboat capsized on its first launch, though every oarsman swam "
        "ashore.",
        "How much money did the village's fishing folk collect for a rescue boat, and "
        "what became of it?",
        (("forty pounds",), ("capsized",)), _B),
    ChainedFact(
        "Colonel Fitzwarren Hobday had his gardeners dig an ornamental lake in the shape "
        "of Sicily.",
        "The Hobday lake drained away through the sandy soil within a week and was "
        "turned into a sunken lawn.",
        "What shape did the retired officer want for the pond in his grounds, and what "
        "happened to it?",
        (("Sicily",), ("drained away", "sunken lawn")), _P),
    ChainedFact(
        "The parish of Upper Wendle agreed to pay the ratcatcher Amos Thorne a penny for "
        "every tail he brought in.",
        "Amos Thorne was found breeding rats in his own cellar to sell their tails to "
        "Upper Wendle.",
        "What bounty did the village promise the vermin catcher, and how did the "
        "arrangement end?",
        (("a penny",), ("breeding rats",)), _M),
    ChainedFact(
        "The Misses Pendarvis resolved to open a school for girls at Lamorna House and to "
        "take no more than fifteen pupils.",
        "Within a year the Lamorna House school had thirty-one pupils, and the sisters "
        "hired a French mistress.",
        "How many girls did the two spinster sisters mean to teach at most, and how many "
        "did they end up with?",
        (("fifteen",), ("thirty-one",)), _B),
    ChainedFact(
        "Farmer Giles Ashdown wagered five guineas that his ox Old Tumbril weighed more "
        "than a ton.",
        "At the Michaelmas weighing Old Tumbril fell forty pounds short of a ton, and "
        "Ashdown paid up with a sour face.",
        "How much did the farmer bet on the weight of his beast, and did he win?",
        (("five guineas",), ("forty pounds short", "paid up")), _P),
    ChainedFact(
        "The engineer Lucius Varley proposed to drain Gorsemoor Fen with a windmill pump "
        "of his own design.",
        "The Varley pump lowered the water on Gorsemoor by barely a foot before a March "
        "gale tore off its sails.",
        "How did the engineer plan to dry out the marsh, and how well did his scheme "
        "work?",
        (("windmill",), ("barely a foot", "tore off its sails")), _M),
    ChainedFact(
        "Lady Verity Stoneleigh engaged Signor Bassani to teach her son the flute.",
        "After six months of lessons from Signor Bassani the boy could play only one "
        "tune, and the dogs howled at it.",
        "Which instrument did the noblewoman hire a foreign master to teach her boy, and "
        "how did the lessons go?",
        (("flute",), ("only one tune",)), _B),
    ChainedFact(
        "The innkeeper Barnabas Tullet ordered a new sign for the Golden Pheasant from a "
        "coach painter in London.",
        "The Golden Pheasant sign was painted so bright that carters took it for a fire "
        "and reined in their horses.",
        "Who did the tavern keeper get to make the board that hangs over his door, and "
        "what did passing drivers make of it?",
        (("coach painter",), ("took it for a fire",)), _P),
    ChainedFact(
        "The brothers Ezra and Caleb Nankivell agreed to divide their father's orchard "
        "along the line of the old hedge.",
        "The Nankivell brothers fell out over the pear tree that stood on the hedge line "
        "and did not speak again for eleven years.",
        "How did the two sons agree to split the family fruit trees, and how did that "
        "work out between them?",
        (("the old hedge",), ("eleven years", "did not speak again")), _M),
    ChainedFact(
        "The banker Jonah Fellowes lent the town of Market Ormsby two thousand pounds to "
        "build a stone bridge.",
        "The Ormsby bridge was finished before the spring floods and stood when every "
        "other bridge on the river was swept away.",
        "How much did the money man advance the town for a new river crossing, and how "
        "did the crossing fare?",
        (("two thousand pounds",), ("every other bridge",)), _B),
    ChainedFact(
        "The Countess of Marwood sent her cook Martha Trigg to Paris to learn the making "
        "of ices.",
        "Martha Trigg came back from Paris with a French husband and never made a single "
        "ice in the Marwood kitchen.",
        "Why did the noblewoman send her kitchen servant abroad, and what came of the "
        "trip?",
        (("making of ices",), ("a French husband",)), _P),
    ChainedFact(
        "The naturalist Percival Dunstan threw a sealed bottle with a letter inside from "
        "the pier at Scarrow.",
        "Percival Dunstan's bottle was picked up on a beach in Norway by a fisherman's "
        "daughter, who wrote back to him.",
        "What did the collector of specimens throw into the sea, and where did it end up?",
        (("sealed bottle", "a letter inside"), ("Norway",)), _M),
)
