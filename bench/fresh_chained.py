"""Fresh invented two-step facts, written apart from bench/chained_facts.py, all held out.

Why: the chained (two-hop) route was tuned on the pairs of bench/chained_facts.py; these
pairs follow the same rules but were written independently, so they show what a stranger
would see. Each pair: a first sentence under a rare proper name states a plan, a purchase
or a decision; a second sentence, planted in a later unit of the same file, reports the
outcome under the same rare name without repeating the first answer. The question
paraphrases the first part without the first sentence's rare words and its second part
points back ("…, and what became of it?"). bench/fresh_sets.py plants them (on top of the
colleague's pairs) and checks every rule.
"""
from __future__ import annotations

from bench.chained_facts import ChainedFact

__all__ = ["FRESH_PAIRS"]

_B, _P, _M = "botchan.txt", "as_you_like_it.txt", "paradise_lost.txt"


def _pair(first: str, second: str, question: str,
          answers: tuple[tuple[str, ...], tuple[str, ...]], document: str) -> ChainedFact:
    return ChainedFact(first, second, question, answers, document, held_out=True)


FRESH_PAIRS: tuple[ChainedFact, ...] = (
    # Botchan
    _pair("The magistrate Thaddeus Brockhurst ordered a weathercock of gilded copper for the "
          "tower of Ellerby church.",
          "The Brockhurst vane blew down in its first winter and was fished out of a duck "
          "pond a mile away.",
          "What did the local justice order for the top of the parish steeple, and what "
          "became of it?",
          (("weathercock", "gilded copper"), ("blew down", "duck pond")), _B),
    _pair("The draper Obadiah Fennimore had his shop front rebuilt with a single sheet of "
          "plate glass twelve feet wide.",
          "A runaway dray shattered the Fennimore window on the very morning the shop "
          "reopened.",
          "How broad was the pane the cloth merchant installed in his store, and what "
          "happened to it?",
          (("twelve feet wide", "twelve feet"), ("runaway dray", "shattered")), _B),
    _pair("The curate Septimus Ravenhill undertook to walk from Exeter to York in ten days "
          "for a wager of fifty pounds.",
          "Septimus Ravenhill limped into York on the twelfth day with both boots worn "
          "through, and so lost his wager.",
          "in how many days did the young clergyman promise to cover that long journey on "
          "foot, and did he manage it?",
          (("ten days",), ("twelfth day", "lost his wager")), _B),
    _pair("The Tolliver sisters decided to keep bees and bought six hives from a man at "
          "Crowthorne fair.",
          "By midsummer the Tolliver bees had swarmed into the church roof, and the sisters "
          "never tasted a spoonful of honey.",
          "How many hives did the two unmarried ladies purchase, and what did the insects "
          "end up doing?",
          (("six hives", "six"), ("swarmed into the church roof", "swarmed")), _B),
    _pair("The apothecary Jethro Pinchbeck invested his savings in a balloon to carry "
          "passengers over the Severn.",
          "On its maiden ascent the Pinchbeck craft came down in an orchard, and he sold "
          "the silk for petticoats.",
          "What flying machine did the chemist sink his money into, and how did its first "
          "trip end?",
          (("balloon",), ("came down in an orchard", "sold the silk")), _B),
    # As You Like It
    _pair("Sir Ambrose Kettleby resolved to stock the lake at Foxhollow Park with two "
          "hundred carp from Holland.",
          "A hard frost killed every one of the Kettleby carp before the spring.",
          "Could you tell me how many fish the baronet put into the pond on his estate, and "
          "how they fared?",
          (("two hundred",), ("hard frost", "killed every one")), _P),
    _pair("The choirmaster Wilfred Pellow chose a cantata by Haydn for the harvest festival "
          "at Trennick.",
          "At Trennick the Pellow cantata broke down in the second chorus when the bass "
          "fiddle snapped a string.",
          "What piece did the music leader pick for the autumn thanksgiving service, and "
          "how did the performance go?",
          (("a cantata by Haydn", "Haydn"), ("broke down in the second chorus",
                                            "snapped a string")), _P),
    _pair("The shipowner Cornelius Vantreight sent his son to Canton with a cargo of "
          "Sheffield cutlery.",
          "Young Vantreight sold the whole cargo in Canton at a loss and came home with a "
          "pet monkey.",
          "what did the ship's owner send his son overseas to sell, and how did that "
          "venture turn out?",
          (("Sheffield cutlery", "cutlery"), ("at a loss", "a pet monkey")), _P),
    _pair("The vestry of Saint Wenna's voted to replace the thatch of the church with "
          "Delabole slate.",
          "The new roof of Saint Wenna's proved so heavy that the north wall bowed outward "
          "and had to be shored up with timber.",
          "What did the parish council choose to cover their place of worship with instead "
          "of straw, and what did the weight do?",
          (("Delabole slate", "slate"), ("north wall bowed outward", "shored up")), _P),
    _pair("The coachbuilder Hezekiah Drummond promised to deliver a yellow barouche to the "
          "Pemberton family within nine weeks.",
          "The Drummond barouche reached the Pembertons after seven months, painted green "
          "by mistake.",
          "How soon did the carriage maker say the new vehicle would be ready, and when did "
          "it actually come?",
          (("nine weeks",), ("seven months", "painted green")), _P),
    # Paradise Lost
    _pair("The astronomer Barnaby Quillfeather built a telescope eighteen feet long in his "
          "garden at Wrexford.",
          "Through the Quillfeather telescope he claimed to have found a new planet, which "
          "proved to be a moth on the lens.",
          "How long was the stargazer's instrument, and what did his great discovery turn "
          "out to be?",
          (("eighteen feet long", "eighteen feet"), ("a moth on the lens", "moth")), _M),
    _pair("The widower Lemuel Haskett advertised in the county newspaper for a wife who "
          "could bake and keep accounts.",
          "Lemuel Haskett's advertisement brought forty-three letters, and he married the "
          "postmistress who had carried them.",
          "What was the lonely man looking for through the local paper, and how did the "
          "search end?",
          (("a wife",), ("married the postmistress", "forty-three letters")), _M),
    _pair("The vintner Rufus Calloway decided to plant a vineyard on the south slope above "
          "Windle Combe.",
          "The Calloway grapes never ripened, and what was pressed from them was fit only "
          "for pickling onions.",
          "What did the wine merchant set out to grow on the hillside, and how did the "
          "harvest turn out?",
          (("a vineyard", "vineyard"), ("never ripened", "pickling onions")), _M),
    _pair("Mistress Araminta Bellweather sent her nephew to Heidelberg to study chemistry.",
          "Araminta Bellweather's nephew came back from Heidelberg a poet, and burned down "
          "her greenhouse with his first experiment.",
          "What subject did the aunt pay for her young relation to learn abroad, and what "
          "came of it?",
          (("chemistry",), ("a poet", "burned down her greenhouse")), _M),
    _pair("The smith Gideon Thrupp forged an iron gate for the manor of Stoke Aldermoor in "
          "the shape of a peacock's tail.",
          "The Thrupp gate was so heavy that it tore the old gatepost out of the ground on "
          "the day it was hung.",
          "What pattern did the blacksmith give the entrance he made for the big house, and "
          "what happened when it was put up?",
          (("a peacock's tail", "peacock"), ("tore the old gatepost",)), _M),
)
