"""Invented facts planted into the long book, each with two questions.

Why: recall on a real 300k-token book can only be scored if we know where the answer is.
Each fact is a new sentence (plausible in a novel, with concrete names and numbers) that
occurs nowhere in the public-domain texts, so exactly one page holds it.

Each fact has two questions:
- `question` is a paraphrase, written the way a reader who half-remembers would ask: it
  names no rare word of the fact (no proper name, no distinctive noun), only what a human
  would agree the fact answers. This is what dense and fused recall must win on.
- `quote_question` reuses the fact's own words, the easy exact-quote case where keyword
  search should be near perfect.
`check_facts` enforces both properties with a crude stemmed word overlap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Fact", "FACTS", "check_facts", "content_words"]


@dataclass(frozen=True)
class Fact:
    fact: str             # the sentence planted, its own paragraph
    question: str         # paraphrase that avoids the fact's rare words
    quote_question: str   # exact-quote variant that reuses the fact's words
    # The short answer: an answer line is right when it holds one of these (two-part
    # questions, and facts that give two acceptable answers, list each part).
    answers: tuple[str, ...] = ()


FACTS: tuple[Fact, ...] = (
    Fact("The archivist Tobias Wren kept the strongbox combination, four-nine-one-seven, "
         "scratched inside his spectacle case.",
         "What number opens the record keeper's safe?",
         "What strongbox combination did the archivist Tobias Wren keep scratched inside "
         "his spectacle case?",
         answers=('four-nine-one-seven',)),
    Fact("Every Thursday the lighthouse keeper Marisol Quint rowed eleven miles to Dunmore "
         "Cove to buy lamp oil.",
         "How far did the woman who tended the coastal beacon travel by boat each week "
         "for fuel?",
         "How many miles did the lighthouse keeper Marisol Quint row every Thursday to "
         "Dunmore Cove to buy lamp oil?",
         answers=('eleven miles',)),
    Fact("Captain Ambrose Teller lost his left thumb to a frozen anchor chain off the coast "
         "of Labrador in 1871.",
         "Which part of his hand did the ship's master give up to the ice, and near which "
         "northern shore?",
         "How did Captain Ambrose Teller lose his left thumb off the coast of Labrador?",
         answers=('left thumb', 'Labrador')),
    Fact("The baker Henrietta Vane sold her famous saffron buns for threepence each at the "
         "Michaelmas fair.",
         "How much did the pastry cook charge for her golden spiced rolls at the autumn "
         "festival?",
         "For how much did the baker Henrietta Vane sell her famous saffron buns at the "
         "Michaelmas fair?",
         answers=('threepence',)),
    Fact("Doctor Ignatius Pell prescribed cold pear juice and a week of silence for the "
         "mayor's stammer.",
         "What remedy did the physician recommend for the town leader's speech trouble?",
         "What did Doctor Ignatius Pell prescribe for the mayor's stammer?",
         answers=('cold pear juice', 'week of silence')),
    Fact("The silk merchant Oswin Hale measured every bolt of cloth with a brass rod exactly "
         "thirty-three inches long.",
         "How long was the metal ruler the fabric trader used?",
         "How long was the brass rod the silk merchant Oswin Hale used to measure every "
         "bolt of cloth?",
         answers=('thirty-three inches',)),
    Fact("Old Greta Lindqvist trained her raven, Sorrel, to fetch coins from the bottom of "
         "the village well.",
         "What did the elderly woman teach her black bird to retrieve, and from where?",
         "What did Old Greta Lindqvist train her raven Sorrel to fetch from the bottom of "
         "the village well?",
         answers=('coins',)),
    Fact("The cathedral bells of Saint Ottilie were recast in 1648 from cannons captured at "
         "the siege of Breda.",
         "Where did the metal for the church's chimes come from?",
         "From what were the cathedral bells of Saint Ottilie recast in 1648?",
         answers=('cannons',)),
    Fact("Professor Linus Farrow counted four hundred and twelve species of moss on the "
         "north wall of his cottage.",
         "How many kinds of small green plants did the scholar find growing on his house?",
         "How many species of moss did Professor Linus Farrow count on the north wall of "
         "his cottage?",
         answers=('four hundred and twelve',)),
    Fact("Each spring the stationmaster at Kettering Halt painted the waiting-room door a "
         "bright vermilion.",
         "What colour did the railway official give the passengers' lounge entrance every "
         "year?",
         "What colour did the stationmaster at Kettering Halt paint the waiting-room door "
         "each spring?",
         answers=('vermilion',)),
    Fact("Lady Cordelia Ashby hid her sapphire brooch inside a hollowed-out copy of "
         "Gulliver's Travels.",
         "Where did the noblewoman conceal her blue jewel?",
         "Where did Lady Cordelia Ashby hide her sapphire brooch?",
         answers=("Gulliver's Travels",)),
    Fact("The ferryman at Selby charged travellers two copper pennies, or a single fresh "
         "trout, to cross the river.",
         "What payment did the boatman accept to carry people over the water?",
         "What did the ferryman at Selby charge travellers to cross the river?",
         answers=('two copper pennies', 'fresh trout')),
    Fact("Gideon Marsh, the blacksmith of Pellham, forged a weathervane shaped like a "
         "leaping hare.",
         "What animal appeared on the wind indicator the metalworker made?",
         "What shape was the weathervane that Gideon Marsh, the blacksmith of Pellham, "
         "forged?",
         answers=('hare',)),
    Fact("The orchestra's first violinist, Ilse Brandt, played on an instrument made in "
         "Cremona in 1716.",
         "In which town and year was the lead string player's fiddle built?",
         "Where and when was the instrument made that the orchestra's first violinist, "
         "Ilse Brandt, played on?",
         answers=('Cremona', '1716')),
    Fact("During the great flood of 1852 the miller's family survived for six days on their "
         "roof, eating only walnuts.",
         "How long did the grain grinder's household last atop their house in the deluge, "
         "and on what food?",
         "How many days did the miller's family survive on their roof during the great "
         "flood of 1852?",
         answers=('six days', 'walnuts')),
    Fact("The schoolmistress Agatha Crane punished lateness by making pupils recite the "
         "kings of Portugal.",
         "What penalty did the teacher give children who arrived tardy?",
         "How did the schoolmistress Agatha Crane punish lateness?",
         answers=('kings of Portugal',)),
    Fact("Brother Anselm brewed a dark ale flavoured with juniper and heather honey in the "
         "abbey cellar.",
         "What ingredients gave the monk's beer its taste?",
         "What did Brother Anselm flavour the dark ale he brewed in the abbey cellar with?",
         answers=('juniper', 'heather honey')),
    Fact("The cartographer Elias Thorne hid a deliberate error on every map he drew: a "
         "fictional island called Mirrin.",
         "What made-up place did the mapmaker secretly add to his charts?",
         "What deliberate error did the cartographer Elias Thorne hide on every map he "
         "drew?",
         answers=('Mirrin',)),
    Fact("Mrs. Pomeroy's boarding house served mutton stew on Mondays and smoked kippers "
         "on Fridays.",
         "What meal did the lodging-house landlady put on the table at the start of each "
         "week?",
         "What did Mrs. Pomeroy's boarding house serve on Mondays?",
         answers=('mutton stew',)),
    Fact("The clockmaker Ansel Vogt built a tower clock whose hour hand was carved from a "
         "single whalebone.",
         "What unusual material did the watch artisan use for the short pointer of his "
         "great public timepiece?",
         "What was the hour hand of the tower clock built by the clockmaker Ansel Vogt "
         "carved from?",
         answers=('whalebone',)),
    Fact("Young Percy Hollis won the county spelling contest at the age of nine by spelling "
         "rhododendron correctly.",
         "Which word did the boy get right to take the regional prize, and how old was he?",
         "Which word did young Percy Hollis spell correctly to win the county spelling "
         "contest?",
         answers=('rhododendron', 'nine')),
    Fact("The governess Clara Whitlow wrote her letters in lemon juice, so that only a "
         "candle flame revealed them.",
         "How did the children's tutor make her correspondence invisible?",
         "In what did the governess Clara Whitlow write her letters so that only a candle "
         "flame revealed them?",
         answers=('lemon juice',)),
    Fact("The tea planter Rupert Oakes shipped nine hundred chests of Assam leaf aboard the "
         "clipper Halcyon.",
         "How many crates did the grower send on the fast sailing ship, and what was the "
         "vessel called?",
         "How many chests of Assam leaf did the tea planter Rupert Oakes ship aboard the "
         "clipper Halcyon?",
         answers=('nine hundred', 'Halcyon')),
    Fact("The widow Maddox kept seventeen cats, each named after a book of the Old "
         "Testament.",
         "How did the bereaved woman choose names for her many felines?",
         "What were the seventeen cats kept by the widow Maddox named after?",
         answers=('Old Testament',)),
    Fact("The mountain guide Jakob Imhof carried a tin whistle on which three short blasts "
         "meant danger.",
         "What signal did the alpine leader use to warn of peril?",
         "What did the mountain guide Jakob Imhof carry, on which three short blasts meant "
         "danger?",
         answers=('three short blasts',)),
    Fact("At the Harwick regatta the winning crew rowed the course in seven minutes and "
         "forty seconds.",
         "How quickly did the victorious boat team finish the race?",
         "In what time did the winning crew row the course at the Harwick regatta?",
         answers=('seven minutes and forty seconds',)),
    Fact("The apothecary Silas Fenn tied a tiny brass bell to every bottle of poison so that "
         "blind customers would be warned.",
         "How did the chemist alert sightless buyers to dangerous medicines?",
         "What did the apothecary Silas Fenn tie to every bottle of poison?",
         answers=('brass bell',)),
    Fact("Colonel Hargreave's horse, Trafalgar, refused to cross any bridge unless a drum "
         "was beaten.",
         "What had to happen before the military man's steed would step onto a span over "
         "a stream?",
         "When would Colonel Hargreave's horse, Trafalgar, agree to cross a bridge?",
         answers=('drum',)),
    Fact("The village choir of Little Brampton practised in a barn after the church roof "
         "collapsed in 1903.",
         "Why did the local singers rehearse in a farm building?",
         "Why did the village choir of Little Brampton practise in a barn?",
         answers=('roof collapsed',)),
    Fact("The engineer Beatrix Lowe designed a canal lock that raised barges fourteen feet "
         "in under four minutes.",
         "How high could the waterway gate lift boats, and how fast?",
         "How far did the canal lock designed by the engineer Beatrix Lowe raise barges?",
         answers=('fourteen feet', 'four minutes')),
    Fact("Every autumn the Fairbairn twins pressed forty gallons of cider from the crab "
         "apples behind the rectory.",
         "How much fruit drink did the two siblings make each year from the trees near the "
         "vicar's house?",
         "How many gallons of cider did the Fairbairn twins press every autumn from the "
         "crab apples behind the rectory?",
         answers=('forty gallons',)),
    Fact("The painter Lucien Marchetti mixed crushed lapis lazuli into every sky he painted.",
         "What ground-up stone did the artist add to his heavens?",
         "What did the painter Lucien Marchetti mix into every sky he painted?",
         answers=('lapis lazuli',)),
    Fact("The telegraph clerk at Ashford sent the news of the armistice at eleven minutes "
         "past eleven.",
         "At what exact time did the wire operator transmit word that the war had ended?",
         "At what time did the telegraph clerk at Ashford send the news of the armistice?",
         answers=('eleven minutes past eleven',)),
    Fact("The innkeeper of the Crown at Wexcombe refused to serve anyone who came in "
         "wearing spurs.",
         "What riding gear would get a guest turned away at the tavern?",
         "Whom did the innkeeper of the Crown at Wexcombe refuse to serve?",
         answers=('spurs',)),
    Fact("The botanist Amelia Stroud grew a blue orchid in her greenhouse that flowered "
         "only once in twelve years.",
         "How often did the rare plant in the scientist's glasshouse bloom?",
         "How often did the blue orchid that the botanist Amelia Stroud grew in her "
         "greenhouse flower?",
         answers=('once in twelve years',)),
    Fact("The poacher Nat Gribble was caught with nineteen pheasants hidden in the lining "
         "of his greatcoat.",
         "How many game birds did the illegal hunter conceal in his clothing?",
         "How many pheasants was the poacher Nat Gribble caught with in the lining of his "
         "greatcoat?",
         answers=('nineteen',)),
    Fact("The feud between the two valleys ended when the elders exchanged a white goat "
         "for a copper kettle.",
         "What gifts were swapped to make peace between the neighbouring dales?",
         "What did the elders exchange to end the feud between the two valleys?",
         answers=('white goat', 'copper kettle')),
    Fact("Madame Rosalie Verte's hat shop sold a bonnet trimmed with peacock feathers for "
         "four guineas.",
         "What did the milliner charge for her headwear decorated with plumes?",
         "For how much did Madame Rosalie Verte's hat shop sell a bonnet trimmed with "
         "peacock feathers?",
         answers=('four guineas',)),
    Fact("The astronomer Caspian Holt discovered a comet from his attic window and named "
         "it after his daughter Winifred.",
         "After whom did the stargazer name the celestial body he found?",
         "After whom did the astronomer Caspian Holt name the comet he discovered from his "
         "attic window?",
         answers=('Winifred',)),
    Fact("The mill workers of Ravensworth went on strike for nine weeks to win a "
         "half-holiday on Saturdays.",
         "What did the factory hands want, and how long did they stop working?",
         "How long did the mill workers of Ravensworth go on strike?",
         answers=('half-holiday', 'nine weeks')),
    Fact("The chess champion Dmitri Orlov lost only one game in 1889, to a twelve-year-old "
         "farm girl from Kent.",
         "Who beat the board-game master in the single match he dropped that year?",
         "To whom did the chess champion Dmitri Orlov lose his only game in 1889?",
         answers=('farm girl',)),
    Fact("The cobbler Barnaby Quill stitched a secret pocket into the heel of every boot he "
         "made for smugglers.",
         "Where did the shoemaker conceal a compartment in the footwear he crafted for "
         "contraband runners?",
         "Where did the cobbler Barnaby Quill stitch a secret pocket in every boot he made "
         "for smugglers?",
         answers=('heel',)),
    Fact("The harbour master recorded a wave forty-two feet high striking the Pembroke "
         "breakwater in the winter of 1869.",
         "How tall was the biggest swell to hit the sea wall?",
         "How high was the wave the harbour master recorded striking the Pembroke "
         "breakwater in the winter of 1869?",
         answers=('forty-two feet',)),
    Fact("Sir Reginald Foy left his whole fortune to a donkey sanctuary, except for one "
         "silver spoon bequeathed to his butler.",
         "What did the rich knight's manservant inherit?",
         "What did Sir Reginald Foy bequeath to his butler?",
         answers=('silver spoon',)),
    Fact("The fever hospital at Marlow burned eucalyptus leaves in every ward to keep the "
         "air clean.",
         "What plant did the isolation infirmary smoulder in its rooms?",
         "What did the fever hospital at Marlow burn in every ward to keep the air clean?",
         answers=('eucalyptus',)),
    Fact("The circus strongman Bruno Kessel could lift a pony and its rider together above "
         "his head.",
         "What did the muscle man in the travelling show raise overhead?",
         "What could the circus strongman Bruno Kessel lift together above his head?",
         answers=('pony',)),
    Fact("Aunt Philippa's recipe for quince jelly called for exactly nine cloves and a cup "
         "of rainwater.",
         "What spice and what kind of water did the relative's preserve require?",
         "How many cloves did Aunt Philippa's recipe for quince jelly call for?",
         answers=('cloves', 'rainwater')),
    Fact("The coal barge Dorothea sank in the Thames near Greenwich after colliding with a "
         "timber raft.",
         "What did the fuel-carrying boat hit before going down in the river?",
         "What did the coal barge Dorothea collide with before it sank in the Thames near "
         "Greenwich?",
         answers=('timber raft',)),
    Fact("The surveyor Walter Penrose found that a greedy farmer had moved the county "
         "boundary stone three hundred yards.",
         "How far had the border marker been shifted, and by whom?",
         "How far had a greedy farmer moved the county boundary stone, as the surveyor "
         "Walter Penrose found?",
         answers=('three hundred yards', 'greedy farmer')),
    Fact("The composer Felix Aubrey wrote his only symphony while recovering from a broken "
         "leg in Lisbon.",
         "Where was the musician convalescing when he produced his sole orchestral work?",
         "Where did the composer Felix Aubrey write his only symphony?",
         answers=('Lisbon',)),
    Fact("The postmistress of Glenarrow delivered letters on skis whenever the snow lay "
         "deeper than four feet.",
         "How did the woman running the mail office make her rounds in heavy winter?",
         "How did the postmistress of Glenarrow deliver letters when the snow lay deeper "
         "than four feet?",
         answers=('skis',)),
    Fact("The weaver Tamsin Goodall dyed her wool green with nettles and yellow with onion "
         "skins.",
         "What plants did the loom worker use to colour her yarn?",
         "What did the weaver Tamsin Goodall dye her wool green with?",
         answers=('nettles', 'onion skins')),
    Fact("The night watchman at Bellamy's bank was paid an extra shilling for every rat his "
         "terrier killed.",
         "What bonus did the guard earn from his dog's hunting?",
         "What was the night watchman at Bellamy's bank paid for every rat his terrier "
         "killed?",
         answers=('shilling',)),
    Fact("The bishop's carriage was pulled by four grey mules because horses made him "
         "sneeze.",
         "Why did the churchman's coach not use the usual draught animals?",
         "Why was the bishop's carriage pulled by four grey mules?",
         answers=('sneeze',)),
    Fact("Lieutenant Harold Beck mapped the caves under Castleton by unreeling two miles of "
         "red thread behind him.",
         "How did the officer keep from getting lost while charting the underground "
         "passages?",
         "How did Lieutenant Harold Beck map the caves under Castleton?",
         answers=('red thread',)),
    Fact("The auctioneer sold the late admiral's telescope for sixty-five pounds to a Dutch "
         "collector.",
         "Who bought the naval commander's spyglass, and for how much?",
         "For how much did the auctioneer sell the late admiral's telescope?",
         answers=('Dutch collector', 'sixty-five pounds')),
)

_STOP = frozenset("""
a about above after again all an and any are as at be because been before being below
between both but by can could did do does during each every few for from had has have he
her here him his how i if in into is it its made make many more most much my near no not
of off on once only or other our out over own same she so some such than that the their
them then there these they this those through to too under until up very was we were what
when where whenever whole which while who whom whose why will with would you your year
""".split())


def content_words(text: str) -> set[str]:
    """Lower-cased, crudely stemmed words that carry meaning (stop words dropped)."""
    words = re.findall(r"[a-z]+", text.lower())
    return {_stem(w) for w in words if w not in _STOP and len(w) > 2}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def check_facts(facts: tuple[Fact, ...] = FACTS, *, max_shared: int = 2,
                min_quoted: int = 3) -> None:
    """Raise ValueError unless the facts are usable for scoring recall.

    Facts must be distinct single ASCII sentences; a paraphrase may share at most
    `max_shared` content words with its fact, and a quote question must share at least
    `min_quoted`, or the two variants would not measure different things.
    """
    if len({f.fact for f in facts}) != len(facts):
        raise ValueError("Two planted facts are the same sentence.")
    for f in facts:
        if not f.fact.isascii() or not f.fact.endswith(".") or "\n" in f.fact:
            raise ValueError(f"Fact is not one plain ASCII sentence: {f.fact!r}.")
        fact_words = content_words(f.fact)
        shared = fact_words & content_words(f.question)
        if len(shared) > max_shared:
            raise ValueError(f"Paraphrase {f.question!r} shares {sorted(shared)} with its "
                             f"fact; it should use other words.")
        quoted = fact_words & content_words(f.quote_question)
        if len(quoted) < min_quoted:
            raise ValueError(f"Quote question {f.quote_question!r} reuses only "
                             f"{sorted(quoted)} of its fact's words.")
