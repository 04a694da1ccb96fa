"""Subtitled video in the library: scenes with times and keyframe thumbnails, answers that
cite the moment a line is said, and cancel or bad subtitles that leave the rest intact."""
from __future__ import annotations

import io
import itertools
import json
import re
import sqlite3
from contextlib import redirect_stderr, redirect_stdout

import pytest

from engine.cli.main import main
from engine.errors import Cancelled
from engine.jobs import CancelToken
from tests.engine.cli import memex_json
from tests.engine.conftest import alice_paragraphs
from tests.media import Scene, cut_frames, make_video, srt_text

FPS = 25
SCENES = [Scene(150, "static", 1), Scene(200, "moving", 2), Scene(175, "pan", 3),
          Scene(250, "static", 4), Scene(225, "moving", 5)]           # 40 s
PLANTED = "The harbour council cut the lighthouse budget by forty percent in March."
QUESTION = "By how much did the harbour council cut the lighthouse budget?"


def cli(*args) -> tuple[int, str, str]:
    """The `memex` command line run in this process (the encoder is loaded once)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


def _sentences() -> list[str]:
    text = " ".join(alice_paragraphs()[:12])
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 20 < len(s) < 110]


def lecture_cues() -> tuple[list[tuple[float, float, str]], tuple[float, float]]:
    """A cue every 2 s for 40 s (no pause long enough to end a scene, so scenes are cut by
    the token budget) with the planted line in the middle of one of them."""
    lines = itertools.cycle(_sentences())
    cues = []
    for i in range(20):
        text = PLANTED if i == 11 else next(lines)
        cues.append((i * 2.0 + 0.2, i * 2.0 + 1.9, text))
    return cues, cues[11][:2]


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lecture")
    video = make_video(folder / "lecture.mp4", SCENES, fps=FPS)
    cues, planted = lecture_cues()
    (folder / "lecture.en.srt").write_text(srt_text(cues), encoding="utf-8")
    return video, planted


@pytest.fixture(scope="module")
def lecture_lib(tmp_path_factory, lecture, encoder):
    lib = tmp_path_factory.mktemp("media-lib")
    rc, _, err = cli("ingest", lecture[0].parent, "--library", lib)
    assert rc == 0 and "1 stored" in err and "0 failed" in err, err
    return lib


def test_scenes_keyframes_and_thumbnails_are_stored(lecture, lecture_lib):
    video, planted = lecture
    conn = sqlite3.connect(lecture_lib / "library.sqlite")
    rows = conn.execute("SELECT start_s, end_s, cue_start, cue_end FROM chunks ORDER BY ordinal").fetchall()
    assert len(rows) >= 2 and rows[0][2] == 1 and rows[-1][3] == 20
    assert all(a[3] + 1 == b[2] for a, b in zip(rows, rows[1:]))   # every cue, once
    kfs = conn.execute("SELECT time_s, width, height, substr(jpeg, 1, 2) FROM keyframes ORDER BY time_s").fetchall()
    assert [round(t * FPS) for t, *_ in kfs] == [0, *cut_frames(SCENES)]
    assert all((w, h, head) == (320, 180, b"\xff\xd8") for _, w, h, head in kfs)
    # every chunk links the keyframe on screen at its start and the cuts inside it
    for cid, start, end in conn.execute("SELECT id, start_s, end_s FROM chunks"):
        linked = [t for (t,) in conn.execute(
            "SELECT k.time_s FROM chunk_keyframes ck JOIN keyframes k ON k.id = ck.keyframe_id"
            " WHERE ck.chunk_id = ? ORDER BY k.time_s", [cid])]
        times = [t for t, *_ in kfs]
        expect = [max(t for t in times if t <= start)] + [t for t in times if start < t <= end]
        assert linked == expect
    n_cues = conn.execute("SELECT count(*) FROM cues").fetchone()[0]
    conn.close()
    assert n_cues == 20


def test_search_json_carries_times_and_keyframes(lecture, lecture_lib):
    rc, stdout, _ = cli("search", "lighthouse budget forty percent", "--json", "--library", lecture_lib)
    out = json.loads(stdout)
    top = out["results"][0]
    assert PLANTED in top["text"]
    assert top["start_s"] <= lecture[1][0] and top["end_s"] >= lecture[1][1]
    assert top["cue_start"] <= 12 <= top["cue_end"]
    assert top["keyframes"] and top["keyframes"][0]["time_s"] <= top["start_s"]


def test_ask_json_cites_the_moment_of_the_planted_line(lecture, lecture_lib):
    # the real command in its own process, as scripts use it
    out = memex_json("ask", QUESTION, "--json", "--max-tokens", "24", "--library", lecture_lib)
    start, end = lecture[1]
    cited = [c for c in out["citations"] if PLANTED in c["text"]]
    assert cited, out
    c = cited[0]
    assert start <= c["start_s"] <= end, c          # within the planted cue, not the scene's
    assert (c["cue_start"], c["cue_end"]) == (12, 12)
    assert c["scene_start_s"] < start               # the scene began earlier


def test_ask_prints_the_timestamp(lecture_lib):
    rc, stdout, _ = cli("ask", QUESTION, "--max-tokens", "8", "--library", lecture_lib)
    assert rc == 0
    assert "lecture.mp4, 00:00:22–00:00:23" in stdout   # the planted cue: 22.2–23.9 s
    assert "Sources:" in stdout


def test_cancel_mid_video_leaves_the_library_as_it_was(tmp_path, library):
    video = make_video(tmp_path / "film.mp4", SCENES, fps=FPS)
    token = CancelToken()
    labels = []

    def report(done, total, label):
        labels.append(label)
        if "decoding 00:00:10" in label:
            token.cancel()

    with pytest.raises(Cancelled):
        library.ingest([video], cancel=token, report=report)
    assert library.documents() == []
    db = library.store.db
    assert db.execute("SELECT count(*) FROM keyframes").fetchone()[0] == 0
    assert any("decoding 00:00:05 of 00:00:40" in l for l in labels)
    summary = library.ingest([video])   # and it reads fine afterwards
    assert summary.stored == [str(video)]
    assert db.execute("SELECT count(*) FROM keyframes").fetchone()[0] == len(SCENES)
    library.forget(video)
    assert db.execute("SELECT count(*) FROM keyframes").fetchone()[0] == 0


def test_editing_the_sidecar_rereads_the_video(tmp_path, library):
    video = make_video(tmp_path / "clip.mp4", SCENES[:2], fps=FPS)
    sidecar = tmp_path / "clip.srt"
    sidecar.write_text(srt_text([(1.0, 2.0, "The first version of the line.")]))
    assert library.ingest([video]).stored == [str(video)]
    assert library.ingest([video]).skipped == [str(video)]
    sidecar.write_text(srt_text([(1.0, 2.0, "The corrected version of the line.")]))
    assert library.ingest([video]).stored == [str(video)]
    hit = library.search("corrected version", k=1, mode="bm25")[0]
    assert hit.location.path == str(video) and hit.location.start_s == 1.0
    assert library.store.thumbnail(hit.keyframes[0].id)[:2] == b"\xff\xd8"


def test_broken_subtitle_file_keeps_good_cues_via_cli(tmp_path, encoder):
    srt = tmp_path / "broken.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nThe otter sang at dawn.\n\n"
                   "2\n00:00:0x,000 --> 00:00:04,000\nLost to a typo.\n\n"
                   "3\n00:00:05,000 --> 00:00:06,000\nThe heron kept time.\n")
    lib = tmp_path / "lib"
    rc, _, err = cli("ingest", srt, "--library", lib)
    assert rc == 0 and "1 stored" in err
    assert "warning:" in err and "line 6" in err and "not a valid time" in err
    hits = json.loads(cli("search", "heron kept time", "--json", "--library", lib)[1])["results"]
    assert hits[0]["start_s"] == 1.0 and hits[0]["end_s"] == 6.0 and "Lost" not in hits[0]["text"]
