"""Generated documents whose topic changes at known places."""
from __future__ import annotations

import random

TOPICS = {
    "sailing": ["the schooner", "the mainsail", "the harbour pilot", "the anchor chain",
                "the tide", "the helmsman", "the rigging", "the crew"],
    "baking": ["the sourdough", "the oven", "the rye flour", "the pastry", "the yeast",
               "the baker", "the dough", "the crust"],
    "astronomy": ["the telescope", "the comet", "the nebula", "the orbit of Jupiter",
                  "the observatory", "the star chart", "the eclipse", "the astronomer"],
    "chess": ["the bishop", "the opening gambit", "the endgame", "the rook",
              "the grandmaster", "the checkmate", "the pawn structure", "the tournament"],
}
_VERBS = ["was described at length in", "changed everything about", "seemed central to",
          "was the subject of", "puzzled everyone in", "was praised in"]


def paragraph(topic: str, rng: random.Random) -> str:
    words = TOPICS[topic]
    return " ".join(f"{rng.choice(words).capitalize()} {rng.choice(_VERBS)} {rng.choice(words)}."
                    for _ in range(4))


def topic_paragraphs(order: list[str], per_topic: int, seed: int = 0) -> list[str]:
    """`per_topic` paragraphs on each topic in turn; changes at multiples of per_topic."""
    rng = random.Random(seed)
    return [paragraph(t, rng) for t in order for _ in range(per_topic)]
