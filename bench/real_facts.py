"""Questions about what the public-domain texts really say, asked in a stranger's words.

Why: planted sentences are new and stand alone, which flatters recall. These facts are the
books' own prose and verse (wrapped lines, archaic spelling, a number inside a long
sentence, a name said once), asked the way someone who read the book a while ago would
ask: the question avoids the passage's rare words ("the old nurse" for Kiyo, "the devils'
capital" for Pandemonium), so only a reader who understood the passage finds it.

`fact` is a sentence or clause of the text exactly as written (compared with whitespace
collapsed), `answers` are short strings inside `fact`; bench/route_sets.py checks both and
splits the questions into a calibration and a held-out half.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FactQuestion", "QUESTIONS"]


@dataclass(frozen=True)
class FactQuestion:
    text: str                  # the question, paraphrased
    answers: tuple[str, ...]   # any one of these, verbatim in `fact`, answers it
    fact: str                  # verbatim (modulo whitespace) in the document
    document: str              # 'botchan.txt', 'as_you_like_it.txt', 'paradise_lost.txt' or
                               # 'loc_workshop.txt' (not in the novels folder)
    held_out: bool = False     # set by bench/route_sets.py


_B, _P, _M, _W = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt", "loc_workshop.txt"

QUESTIONS: tuple[FactQuestion, ...] = (
    # Botchan
    FactQuestion("How much money did the narrator's older brother give him before going "
                 "away?", ("600 yen",),
                 "giving me 600 yen, said that I might begin a business with it", _B),
    FactQuestion("What subject was the hero hired to teach at the country school, and for "
                 "what monthly pay?", ("mathematics", "forty yen"),
                 "A middle school in Shikoku was in need of a teacher of mathematics for "
                 "forty yen a month", _B),
    FactQuestion("What reckless stunt kept the narrator in bed as a schoolboy?",
                 ("jumping from the second story",),
                 "I was once laid up for about a week by jumping from the second story of "
                 "the school building.", _B),
    FactQuestion("What did his job with the streetcar company pay after he came home?",
                 ("25 yen",), "The salary was 25 yen a month, and the house rent six.", _B),
    FactQuestion("Where is the old nurse buried?", ("Yogen temple", "Kobinata"),
                 "So Kiyo's grave is in the Yogen temple at Kobinata.", _B),
    FactQuestion("Where did the boy drop the purse holding the money his nurse had lent "
                 "him?", ("cesspool",),
                 "While about the house, I happened to drop the bag into a cesspool.", _B),
    FactQuestion("How many insects leapt out of the teacher's bedding on his night duty?",
                 ("fifty to sixty",),
                 "took off the blanket, and about fifty to sixty grasshoppers flew out", _B),
    FactQuestion("How many helpings of the shrimp noodles did the new teacher eat at that "
                 "shop?", ("four bowls",),
                 "having come across the noodle after so long a time, it tasted so fine "
                 "that I ate four bowls.", _B),
    FactQuestion("How much did he spend on the sweet rice balls the pupils teased him "
                 "about?", ("seven sen",),
                 "It is true that I ate two dishes and paid seven sen.", _B),
    FactQuestion("What name did the flatterer suggest for the little island they passed on "
                 "the fishing trip?", ("Turner Island",),
                 "Then Clown made the unlooked-for proposal that the island be named "
                 "Turner Island.", _B),
    FactQuestion("How much of a raise was the gentle English teacher offered if he moved "
                 "away?", ("five yen extra",),
                 "there is an opening in Nobeoka which would give him five yen extra a "
                 "month", _B),
    # As You Like It
    FactQuestion("How much did the youngest son inherit from his father?",
                 ("a thousand crowns",),
                 "bequeathed me by will but poor a thousand crowns", _P),
    FactQuestion("What injury did the duke's champion give the eldest of the three young "
                 "challengers?", ("broke three of his ribs", "three of his ribs"),
                 "which Charles in a moment threw him and broke three of his ribs", _P),
    FactQuestion("What name does the banished duke's daughter take when she disguises "
                 "herself as a boy?", ("Ganymede",),
                 "And therefore look you call me Ganymede.", _P),
    FactQuestion("What does the usurper's daughter call herself after the cousins run "
                 "away?", ("Aliena",), "No longer Celia, but Aliena.", _P),
    FactQuestion("How much has the old servant put by, which he offers to his young "
                 "master?", ("five hundred crowns",),
                 "I have five hundred crowns, The thrifty hire I saved under your father",
                 _P),
    FactQuestion("How old does the faithful retainer say he is when he follows his master "
                 "into exile?", ("almost fourscore", "fourscore"),
                 "From seventeen years till now almost fourscore Here lived I", _P),
    FactQuestion("Into how many stages does the gloomy courtier divide a man's life?",
                 ("seven ages",), "His acts being seven ages.", _P),
    FactQuestion("What wild animal was waiting to pounce on the man asleep in the woods?",
                 ("lioness",), "A lioness, with udders all drawn dry", _P),
    # Paradise Lost
    FactQuestion("How long did the rebel angels lie beaten in the burning lake after their "
                 "fall?", ("Nine times the space",),
                 "Nine times the space that measures day and night To mortal men, he, with "
                 "his horrid crew, Lay vanquished, rolling in the fiery gulf", _M),
    FactQuestion("According to the fallen archangel, what is preferable to being a servant "
                 "above?", ("reign in Hell",),
                 "Better to reign in Hell than serve in Heaven.", _M),
    FactQuestion("What is the devils' capital city called?", ("Pandemonium",),
                 "At Pandemonium, the high capital Of Satan and his peers.", _M),
    FactQuestion("What are the doors of the underworld made of?",
                 ("brass", "iron", "adamantine rock"),
                 "three folds were brass, Three iron, three of adamantine rock", _M),
    FactQuestion("From which hilltop does the Italian astronomer in the simile look at the "
                 "moon?", ("Fesole",),
                 "Through optic glass the Tuscan artist views At evening, from the top of "
                 "Fesole", _M),
    FactQuestion("Which angel had once been a travelling companion to a young man in the "
                 "Apocrypha?", ("Raphael",),
                 "Raphael, the sociable Spirit, that deigned To travel with Tobias", _M),
    FactQuestion("Which angel alone stayed loyal when his whole legion rebelled?",
                 ("Abdiel",),
                 "So spake the Seraph Abdiel, faithful found Among the faithless, faithful "
                 "only he", _M),
    FactQuestion("How many nights did the enemy spend circling the earth before sneaking "
                 "back into the garden?", ("seven continued nights", "seven"),
                 "The space of seven continued nights he rode With darkness", _M),
    FactQuestion("How many war carriages rode out with the Son against the rebels?",
                 ("twenty thousand",),
                 "And twenty thousand (I their number heard) Chariots of God", _M),
    # The Library of Congress workshop on electronic texts
    FactQuestion("How quickly was electronic correspondence between academics said to be "
                 "increasing?", ("15 percent a month",),
                 "E-mail exchanges are growing at an astonishing rate, reportedly 15 "
                 "percent a month.", _W),
    FactQuestion("What did the agricultural library estimate it spent on each page it "
                 "converted itself?", ("$7 per page", "$7"),
                 "NAL reckoned costs at $7 per page.", _W),
    FactQuestion("What happens to the price of keyed-in text if you demand perfect "
                 "accuracy rather than the trade's usual standard?", ("double the cost",),
                 "as one service bureau informed him, to go from 99.95 to 100 percent "
                 "would double the cost.", _W),
    FactQuestion("How quickly could the Cornell imaging equipment digitise book leaves, and "
                 "how fine was the detail?", ("300 pages per hour", "600 dots per inch"),
                 "In production the scanner can scan about 300 pages per hour, capturing "
                 "600 dots per inch.", _W),
    FactQuestion("How fast could the copier that reprinted the brittle books turn out "
                 "sheets?", ("135 pages a minute",),
                 "a high-speed printer that produces 600-dpi pages from scanned images at a "
                 "rate of 135 pages a minute", _W),
    FactQuestion("What was the full price of making one digital-to-paper replacement book "
                 "at Cornell?", ("$65",),
                 "The total amounted to a little under $65 per single 300-page volume, with "
                 "30 percent overhead included", _W),
    FactQuestion("How accurately did students remember topics they were not looking for, "
                 "on screen or in print?", ("62 percent",),
                 "They all performed about the same, paper or electronics, about 62 "
                 "percent accurate.", _W),
    FactQuestion("What did a year's subscription to the online clinical trials journal cost "
                 "in 1992?", ("$95",),
                 "for 1992, $95 for a year, plus telecommunications charges", _W),
    FactQuestion("With scholars in how many other nations could US academics correspond by "
                 "e-mail?", ("140",),
                 "it is now possible for American scholars to use it to communicate with "
                 "colleagues in close to 140 other countries.", _W),
)
