"""Videos: keyframes at planted scene cuts, thumbnails, embedded and sidecar subtitles
linked by time, and damaged or odd files that keep whatever is readable."""
from __future__ import annotations

import io
import os

import av
import pytest

from ingest import IngestError, open_document, walk
from ingest.video import scan_video
from tests.media import Scene, cut_frames, make_video, srt_text, vtt_text

from .conftest import read_all

FPS = 25
# Static, moving and panning scenes; the long ones check that nothing cuts inside them.
SCENES = [Scene(40, "static", 1), Scene(37, "moving", 2), Scene(90, "pan", 3),
          Scene(33, "static", 4), Scene(120, "moving", 5), Scene(30, "pan", 6),
          Scene(60, "static", 7)]
LINES = [(0.4, 1.4, "Welcome to the harbour tour."), (1.8, 3.0, "The lighthouse was built in 1842."),
         (9.0, 10.5, "Here the budget was cut by half."), (11.0, 12.2, "Nobody noticed for a year.")]


def found_frames(path) -> list[int]:
    scan = scan_video(path)
    return [round(k.time_s * FPS) for k in scan.keyframes[1:]]


def assert_cuts_match(found: list[int], planted: list[int]) -> None:
    assert len(found) == len(planted), (found, planted)   # no spurious, none missed
    for f, p in zip(found, planted):
        assert abs(f - p) <= 1, (found, planted)


@pytest.mark.parametrize("name,codec,pix_fmt", [
    ("h264.mp4", "libx264", "yuv420p"), ("mpeg4.mkv", "mpeg4", "yuv420p"),
    ("rgb.mov", "png", "rgb24"),
], ids=["h264-mp4", "mpeg4-mkv", "png-rgb"])
def test_planted_cuts_found_within_one_frame(tmp_path, name, codec, pix_fmt):
    path = make_video(tmp_path / name, SCENES, fps=FPS, codec=codec, pix_fmt=pix_fmt)
    assert_cuts_match(found_frames(path), cut_frames(SCENES))


def test_static_and_moving_scenes_alone_have_no_cut(tmp_path):
    for i, kind in enumerate(["static", "moving", "pan"]):
        path = make_video(tmp_path / f"{kind}.mp4", [Scene(150, kind, 10 + i)], fps=FPS)
        assert found_frames(path) == [], kind


def test_keyframe_thumbnails_are_small_jpegs(tmp_path):
    path = make_video(tmp_path / "big.mp4", SCENES[:3], fps=FPS, size=(640, 360))
    scan = scan_video(path)
    assert len(scan.keyframes) == 3 and scan.keyframes[0].time_s == 0.0
    for kf in scan.keyframes:
        assert kf.jpeg[:2] == b"\xff\xd8" and kf.jpeg[-2:] == b"\xff\xd9"
        assert (kf.width, kf.height) == (320, 180)
        with av.open(io.BytesIO(kf.jpeg), format="jpeg_pipe") as c:
            frame = next(c.decode(video=0))
        assert (frame.width, frame.height) == (320, 180)


def test_embedded_subtitles_become_scenes_carrying_keyframes(tmp_path):
    path = make_video(tmp_path / "tour.mkv", SCENES, fps=FPS, subtitles=LINES, title="Harbour tour")
    doc, chunks = read_all(path)
    assert (doc.modality, doc.unit_name, doc.title) == ("video", "second", "Harbour tour")
    assert doc.units == 17   # 410 frames at 25 fps
    assert [c.text for c in chunks] == [
        "Welcome to the harbour tour.\nThe lighthouse was built in 1842.",
        "Here the budget was cut by half.\nNobody noticed for a year."]
    a, b = chunks
    assert (a.location.start_s, a.location.end_s, a.location.cue_start, a.location.cue_end) == \
        (0.4, 3.0, 1, 2)
    assert (b.location.start_s, b.location.end_s) == (9.0, 12.2)
    cuts = [0] + cut_frames(SCENES)
    # on screen at the start, plus every cut inside the span
    assert [round(k.time_s * FPS) for k in a.keyframes] == [f for f in cuts if f <= 75]
    assert [round(k.time_s * FPS) for k in b.keyframes] == [200]
    assert doc.warnings == []


def test_sidecar_subtitles_are_paired_untagged_first(tmp_path):
    path = make_video(tmp_path / "talk.mp4", SCENES[:3], fps=FPS)
    (tmp_path / "talk.fr.vtt").write_text(vtt_text([(0.5, 1.5, "Bonjour à tous.")]))
    (tmp_path / "talk.en.srt").write_text(srt_text([(0.5, 1.5, "Hello everyone.")]))
    doc, chunks = read_all(path)
    assert chunks[0].text == "Hello everyone."
    assert doc.companions == (str(tmp_path / "talk.en.srt"),)
    (tmp_path / "talk.srt").write_text(srt_text([(0.5, 1.5, "Hi all.")]))
    doc, chunks = read_all(path)
    assert chunks[0].text == "Hi all." and doc.companions == (str(tmp_path / "talk.srt"),)
    assert chunks[0].keyframes[0].time_s == 0.0


def test_walk_leaves_sidecars_to_their_video(tmp_path):
    make_video(tmp_path / "talk.mp4", SCENES[:2], fps=FPS)
    for name in ("talk.en.srt", "talk.srt", "notes.srt"):
        (tmp_path / name).write_text(srt_text([(0.5, 1.5, "Hello.")]))
    assert [p.name for p in walk([tmp_path])] == ["notes.srt", "talk.mp4"]
    assert [p.name for p in walk([tmp_path / "talk.srt"])] == ["talk.srt"]   # asked for


def test_video_without_subtitles_is_stored_as_visual_scenes(tmp_path):
    path = make_video(tmp_path / "silent.mp4", SCENES[:3], fps=FPS)
    doc, chunks = read_all(path)
    assert len(chunks) == 3
    assert chunks[1].location.start_s == pytest.approx(40 / FPS)
    assert chunks[1].location.end_s == pytest.approx(77 / FPS)
    assert "silent" in chunks[0].text and len(chunks[1].keyframes) == 1
    assert any("no subtitles" in w for w in doc.warnings)


def _audio_only(path):
    import numpy as np
    out = av.open(str(path), "w")
    stream = out.add_stream("aac", rate=16000)
    frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
    frame.sample_rate = 16000
    for i in range(30):
        frame.pts = i * 1024
        for p in stream.encode(frame):
            out.mux(p)
    for p in stream.encode(None):
        out.mux(p)
    out.close()
    return path


def test_audio_only_file_fails_unless_subtitles_are_beside_it(tmp_path):
    path = _audio_only(tmp_path / "podcast.mp4")
    with pytest.raises(IngestError) as e:
        open_document(path)
    assert e.value.reason == "the file has no video stream and no subtitles"
    (tmp_path / "podcast.srt").write_text(srt_text([(0.5, 1.5, "Episode one.")]))
    doc, chunks = read_all(path)
    assert chunks[0].text == "Episode one."
    assert "no video stream" in doc.warnings[0]


def test_truncated_video_keeps_the_part_before_the_damage(tmp_path):
    path = make_video(tmp_path / "whole.mkv", SCENES, fps=FPS)
    cut = tmp_path / "cut.mkv"
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    (tmp_path / "cut.srt").write_text(srt_text(LINES))
    doc, chunks = read_all(cut)
    assert len(chunks) == 2   # every subtitle kept
    frames = [round(k.time_s * FPS) for ch in chunks for k in ch.keyframes]
    assert frames[0] == 0 and set(frames) <= {0, *cut_frames(SCENES)}
    assert any("truncated" in w or "damaged" in w for w in doc.warnings), doc.warnings


def test_unsupported_codec_keeps_sidecar_subtitles(tmp_path):
    path = make_video(tmp_path / "odd.mkv", SCENES[:2], fps=FPS, codec="mpeg4")
    data = path.read_bytes()
    assert data.count(b"V_MPEG4/ISO/ASP") == 1
    path.write_bytes(data.replace(b"V_MPEG4/ISO/ASP", b"V_MPEG4/ISO/XYZ"))  # unknown codec id
    with pytest.raises(IngestError) as e:
        read_all(path)
    assert "not supported" in e.value.reason
    (tmp_path / "odd.srt").write_text(srt_text(LINES[:1]))
    doc, chunks = read_all(path)
    assert chunks[0].text == LINES[0][2] and chunks[0].keyframes == ()
    assert any("codec" in w and "not supported" in w for w in doc.warnings)


def test_files_that_are_not_videos(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(os.urandom(4000))
    with pytest.raises(IngestError) as e:
        open_document(junk)
    assert e.value.reason.startswith("the file is not a readable video")
    from tests.makers import make_pdf
    pdf = make_pdf(tmp_path / "doc.pdf", [[("Hello.", 11)]])
    renamed = tmp_path / "doc.mkv"
    renamed.write_bytes(pdf.read_bytes())
    with pytest.raises(IngestError) as e:
        open_document(renamed)
    assert e.value.reason == "the file is a PDF, not a video"


def test_decode_reports_progress_and_stops_when_report_raises(tmp_path):
    path = make_video(tmp_path / "long.mp4", SCENES, fps=FPS)
    seen: list[tuple[int, int]] = []

    class Stop(Exception):
        pass

    def report(done, total, label):
        seen.append((done, total))
        if done >= 5:
            raise Stop

    doc = open_document(path, report=report)
    with pytest.raises(Stop):
        list(doc.chunks)
    assert [d for d, _ in seen] == [0, 1, 2, 3, 4, 5] and {t for _, t in seen} == {17}


def test_damage_in_the_middle_is_skipped_and_reading_goes_on(tmp_path):
    path = make_video(tmp_path / "scratched.mkv", SCENES, fps=FPS)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 3000] = bytes((i * 37 + 11) % 256 for i in range(3000))
    path.write_bytes(bytes(data))
    scan = scan_video(path)
    found = [round(k.time_s * FPS) for k in scan.keyframes]
    assert found[:3] == [0, 40, 77]                       # before the damage
    assert set(cut_frames(SCENES)[-2:]) <= set(found)     # and after it
    assert scan.frames > 300


def test_metadata_that_is_not_utf8_is_read_with_replacements(tmp_path):
    """Found by tests/fuzz.py: a title (or any container or stream tag) whose bytes are not
    UTF-8 made PyAV raise UnicodeDecodeError from inside `av.open`, so the video failed
    with a traceback instead of being read. The bytes are now replaced, not fatal."""
    seed = make_video(tmp_path / "seed.mkv", [Scene(12, "static", 1)], fps=6, size=(64, 48),
                      title="Harbour", subtitles=[(0.5, 1.5, "Welcome aboard.")])
    path = tmp_path / "clip.mkv"
    path.write_bytes(seed.read_bytes().replace(b"Harbour", b"Harb\xf3(r"))   # same length
    doc, chunks = read_all(path)
    assert doc.title == "Harb\ufffd(r"
    assert [c.text for c in chunks] == ["Welcome aboard."]
