"""A generated long book with planted two-hop facts, for conversation tests and the bench.

Each planted pair is a parameter defined in one chapter's numbered section and its
validation reported in a later chapter, naming the parameter but not the model it belongs
to; a question about the model's parameter and "how it held up" in the later chapter needs
both places. Filler is real prose (Alice) so recall is not trivially keyword matching.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

ALICE = Path(__file__).resolve().parents[1] / "resources" / "samples" / "alice.txt"

__all__ = ["TwoHop", "TWO_HOP", "PERSON", "make_twohop_book", "alice_paragraphs"]

# A pronoun follow-up pair: the second fact names the person but shares no word with
# "Where was she born?" beyond "born"; only the conversation says who "she" is.
PERSON = {
    "first": ("The surveyor Agatha Brindle kept the tide tables locked in a copper chest.", (2, 1)),
    "second": ("Agatha Brindle was born in the fishing village of Porthcurnow in 1851.", (5, 3)),
    # other people born elsewhere: "she" alone could be any of them
    "distractors": (("The cook Martha Quill was born in the market town of Wexcombe in 1849.", (3, 3)),
                    ("The schoolmistress Ada Pellow was born at sea off Lundy in 1855.", (6, 2))),
    "question": "Who kept the tide tables locked away?",
    "followup": "Where was she born?",
}


@dataclass(frozen=True)
class TwoHop:
    model: str          # what the question asks about
    parameter: str      # the bridge: named in both places
    value: str
    defined: tuple[int, int]      # (chapter, section) where the parameter is set
    validated: int                # chapter where its validation is reported
    result: str

    @property
    def definition(self) -> str:
        return (f"For the {self.model} we fix the {self.parameter} at {self.value}, "
                f"after weighing several alternatives.")

    @property
    def validation(self) -> str:
        return (f"In the field trials the {self.parameter} {self.result}, "
                f"which the survey team recorded in its final log.")

    @property
    def question(self) -> str:
        c, s = self.defined
        return (f"Which parameter does section {c}.{s} fix for the {self.model} — "
                f"how did it hold up in chapter {self.validated}?")


_MODELS = ["harbour tide model", "glacier melt forecast", "orchard frost predictor",
           "river sediment simulation", "bee colony census", "lighthouse fuel planner",
           "salt marsh erosion study", "mountain pass avalanche gauge",
           "canal lock scheduler", "vineyard rainfall ledger", "ferry timetable optimiser",
           "peat bog carbon survey"]
_PARAMS = ["Varrow coefficient", "Tessaly damping ratio", "Quorn threshold", "Ellery drift constant",
           "Mabon interval", "Ostrander gain", "Pellham offset", "Kirrin decay rate",
           "Dunmore weighting", "Halvard lag", "Brisco margin", "Fenwick spread"]
_RESULTS = ["stayed within two percent of the measured tides", "drifted by a third over the winter",
            "held steady through every storm", "failed badly during the spring thaw",
            "matched the hand counts almost exactly", "needed doubling after the first month",
            "proved far too cautious", "was vindicated by the late frosts",
            "broke down above the weir", "agreed with the old ledgers", "was halved by the inspectors",
            "survived the audit unchanged"]


def alice_paragraphs() -> list[str]:
    text = ALICE.read_text(encoding="utf-8", errors="replace")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return [p for p in paras if len(p) > 200 and not p.isupper()]


def planted(n_facts: int, n_chapters: int) -> list[TwoHop]:
    out = []
    for i in range(n_facts):
        a = 1 + (i % (n_chapters // 2))
        b = n_chapters // 2 + 1 + ((i * 5) % (n_chapters - n_chapters // 2))
        out.append(TwoHop(_MODELS[i % len(_MODELS)], _PARAMS[i % len(_PARAMS)],
                          f"{0.11 + 0.07 * i:.2f}", (a, 2 + i // (n_chapters // 2)), b,
                          _RESULTS[i % len(_RESULTS)]))
    return out


TWO_HOP = planted(4, 6)


def make_twohop_book(path: str | Path, facts: list[TwoHop], *, chapters: int = 6,
                     sections: int = 3, paras_per_section: int = 2, person: bool = True) -> Path:
    """A Markdown book: `# Chapter c: …` / `## c.s …` headings, Alice filler, facts
    planted each as its own paragraph in their sections and chapters."""
    filler = itertools.cycle(alice_paragraphs())
    lines = ["# The Survey Records", ""]
    for c in range(1, chapters + 1):
        lines += [f"# Chapter {c}: Records of year {1880 + c}", ""]
        n_sec = max(sections, max([f.defined[1] for f in facts if f.defined[0] == c] or [0]))
        for s in range(1, n_sec + 1):
            lines += [f"## {c}.{s} Notes, part {s}", ""]
            lines += [next(filler)[:800], ""]
            for text, where in (PERSON["first"], PERSON["second"], *PERSON["distractors"]):
                if person and where == (c, s):
                    lines += [text, ""]
            for f in facts:
                if f.defined == (c, s):
                    lines += [f.definition, ""]
                if f.validated == c and s == 1 + (facts.index(f) % n_sec):
                    lines += [f.validation, ""]
            for _ in range(paras_per_section - 1):
                lines += [next(filler)[:800], ""]
    path = Path(path)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
