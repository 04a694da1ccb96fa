"""Subtitle files: SRT, WebVTT and ASS/SSA read into cue scenes, whatever their encoding,
and broken files keep their good cues with a reason for the rest."""
from __future__ import annotations

import pytest

from ingest import IngestError, open_document
from ingest.subtitles import clock, parse_time
from tests.media import srt_text, vtt_text

from .conftest import read_all

CUES = [(1.0, 2.5, "Good evening, and welcome."), (3.0, 5.0, "Tonight: the harbour budget."),
        (12.0, 14.0, "The council cut the lighthouse fund."), (14.5, 16.0, "By half, they say.")]


def test_srt_cues_merge_into_scenes_by_time_gap(write):
    doc, chunks = read_all(write("news.srt", srt_text(CUES)))
    assert (doc.modality, doc.unit_name, doc.units) == ("subtitles", "cue", 4)
    assert [c.text for c in chunks] == [
        "Good evening, and welcome.\nTonight: the harbour budget.",
        "The council cut the lighthouse fund.\nBy half, they say."]
    first, second = (c.location for c in chunks)
    assert (first.start_s, first.end_s, first.cue_start, first.cue_end) == (1.0, 5.0, 1, 2)
    assert (second.start_s, second.end_s, second.cue_start, second.cue_end) == (12.0, 16.0, 3, 4)
    assert [c.index for c in chunks[1].cues] == [3, 4]
    assert doc.warnings == []


def test_token_budget_splits_a_long_scene(write):
    cues = [(i * 2.0, i * 2.0 + 1.5, f"Sentence number {i} of a long uninterrupted speech.")
            for i in range(40)]
    _, chunks = read_all(write("speech.srt", srt_text(cues)), budget=60)
    assert len(chunks) > 3
    assert [c.location.cue_start for c in chunks][0] == 1
    for a, b in zip(chunks, chunks[1:]):
        assert b.location.cue_start == a.location.cue_end + 1


def test_webvtt_with_header_notes_settings_and_voices(write):
    text = ("WEBVTT - lecture\nKind: captions\n\nNOTE written by hand\n\nintro\n"
            "00:01.000 --> 00:04.000 align:start position:10%\n<v Dr. Ames>We begin with "
            "<b>the proof</b> &amp; its lemma.\n\n00:00:04.500 --> 00:00:06.000\n"
            "<c.yellow>Note</c> the <00:00:05.000>induction step.\n")
    doc, chunks = read_all(write("lecture.vtt", text))
    assert chunks[0].text == "Dr. Ames: We begin with the proof & its lemma.\nNote the induction step."
    assert (chunks[0].location.start_s, chunks[0].location.end_s) == (1.0, 6.0)


def test_ass_dialogue_with_override_codes_and_commas(write):
    text = ("[Script Info]\nTitle: Harbour Film\nScriptType: v4.00+\n\n[V4+ Styles]\n"
            "Format: Name, Fontname\nStyle: Default,Arial\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            "Dialogue: 0,0:00:01.00,0:00:03.50,Default,,0,0,0,,{\\i1}Well,{\\i0} well,\\Nwell.\n"
            "Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,not shown\n"
            "Dialogue: 0,0:00:04.00,0:00:05.00,Default,,0,0,0,,{\\pos(10,10)}A second line.\n")
    doc, chunks = read_all(write("film.ass", text))
    assert doc.title == "Harbour Film"
    assert chunks[0].text == "Well, well,\nwell.\nA second line."
    assert (chunks[0].location.start_s, chunks[0].location.end_s) == (1.0, 5.0)


def test_ssa_with_marked_field(write):
    text = ("[Script Info]\nScriptType: v4.00\n\n[Events]\n"
            "Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            "Dialogue: Marked=0,0:00:02.00,0:00:03.00,Default,,0000,0000,0000,,Old format, still read.\n")
    _, chunks = read_all(write("old.ssa", text))
    assert chunks[0].text == "Old format, still read."
    assert chunks[0].location.start_s == 2.0


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b""), ("latin-1", b""),
], ids=["utf8", "utf8-bom", "utf16", "cp1252", "latin1"])
def test_encodings_are_detected(write, encoding, prefix):
    line = "Señor Müller’s café" if encoding != "latin-1" else "Señor Müller's café"
    data = srt_text([(1.0, 2.0, line)]).encode(encoding)
    _, chunks = read_all(write("enc.srt", prefix + data))
    assert chunks[0].text == line


def test_html_markup_and_entities_are_stripped(write):
    text = srt_text([(1, 2, '<font color="#ff0">{\\an8}<i>Quiet</i></font> &lt;please&gt;')])
    _, chunks = read_all(write("m.srt", text))
    assert chunks[0].text == "Quiet <please>"


def test_broken_file_keeps_good_cues_and_says_why(write):
    text = ("1\n00:00:01,000 --> 00:00:02,000\nFirst good line.\n\n"
            "2\n00:00:0x,000 --> 00:00:04,000\nBroken timing.\n\n"
            "3\n00:00:09,000 --> 00:00:10,000\nOut of order line.\n\n"
            "4\n00:00:05,000 --> 00:00:07,000\nOverlapping one.\n\n"
            "5\n00:00:06,000 --> 00:00:08,000\nOverlapped by it.\n\n"
            "6\n00:00:11,000 --> 00:00:12,000\n\n\n"
            "7\nno timing here\nLost line.\n\n"
            "8\n00:00:20,000 --> 00:00:19,000\nEnds before it starts.\n")
    doc, chunks = read_all(write("broken.srt", text))
    said = "\n".join(c.text for c in chunks)
    for good in ("First good line.", "Out of order line.", "Overlapping one.",
                 "Overlapped by it.", "Ends before it starts."):
        assert good in said
    assert "Broken timing." not in said and "Lost line." not in said
    starts = [c.start_s for ch in chunks for c in ch.cues]
    assert starts == sorted(starts)
    warn = " | ".join(doc.warnings)
    assert "line 6 (00:00:0x,000 --> 00:00:04,000) is not a valid time" in warn
    assert "cue 7 (line 26) has no timing line" in warn
    assert "out of time order (line 14)" in warn
    assert "1 cue overlaps the cue before (line 18)" in warn
    assert "1 empty cue was skipped (line 22)" in warn
    assert "end came before the start (line 30)" in warn
    last = [c for ch in chunks for c in ch.cues][-1]
    assert (last.start_s, last.end_s) == (20.0, 20.0)


def test_file_without_any_cue_fails_with_reason(write):
    with pytest.raises(IngestError) as e:
        open_document(write("empty.srt", "just some words\nand more words\n"))
    assert "no subtitle cues could be read" in e.value.reason


def test_binary_content_is_refused(write):
    with pytest.raises(IngestError) as e:
        open_document(write("movie.srt", bytes(range(256)) * 40))
    assert "binary" in e.value.reason


def test_vtt_content_in_srt_file_is_read_as_vtt(write):
    _, chunks = read_all(write("mislabelled.srt", vtt_text([(1.0, 2.0, "Hello.")])))
    assert chunks[0].text == "Hello."


@pytest.mark.parametrize("text,seconds", [
    ("00:00:01,000", 1.0), ("01:02:03.450", 3723.45), ("02:03.5", 123.5),
    ("0:00:01.50", 1.5), ("00:00:01:250", 1.25), ("00:61:00,000", None), ("1:2:x", None),
])
def test_parse_time(text, seconds):
    assert parse_time(text) == seconds


def test_clock():
    assert clock(3723.9) == "01:02:03" and clock(0) == "00:00:00"
