"""A quoted sentence of a subtitle scene is located at the cue(s) that say it."""
from __future__ import annotations

from engine.answer.moment import narrow_to_quote
from engine.recall.hit import Hit
from engine.store.media import StoredCue
from ingest.records import Location

CUES = ["Good evening.", "The council met on Tuesday and", "voted to close the pier.",
        "Nobody   objected."]


def scene() -> tuple[Hit, list[StoredCue]]:
    text = "\n".join(CUES)
    stored, at = [], 0
    for n, cue in enumerate(CUES, start=1):
        stored.append(StoredCue(n, 10.0 + 3 * n, 12.0 + 3 * n, at, at + len(cue)))
        at += len(cue) + 1
    loc = Location(path="/v.mp4", start_s=13.0, end_s=24.0, cue_start=1, cue_end=4)
    return Hit(1, text, loc, 1.0), stored


def test_quote_inside_one_cue():
    hit, cues = scene()
    moment = narrow_to_quote(hit, "Nobody objected.", cues)
    loc = moment.location
    assert (loc.start_s, loc.end_s, loc.cue_start, loc.cue_end) == (22.0, 24.0, 4, 4)
    assert hit.location.start_s == 13.0   # the evidence itself is untouched


def test_sentence_spanning_two_cues():
    hit, cues = scene()
    loc = narrow_to_quote(hit, "The council met on Tuesday and voted to close the pier.", cues).location
    assert (loc.start_s, loc.end_s, loc.cue_start, loc.cue_end) == (16.0, 21.0, 2, 3)


def test_text_not_in_the_scene_is_not_narrowed():
    hit, cues = scene()
    assert narrow_to_quote(hit, "The pier reopened.", cues) is None
    assert narrow_to_quote(hit, "Good evening.", []) is None
