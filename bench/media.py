"""Benchmark: subtitle ingest speed, video keyframe extraction speed and scene-cut accuracy.

    python bench/media.py [--minutes 10] [--height 720] [--fps 30] [--rounds 2]

Generates (once, cached) a video with scene cuts planted at known frames: scenes of 2-20 s,
static, moving and panning, fine texture with film grain, H.264 (x264 "veryfast": CABAC,
deblocking, B-frames, as in real files) in MP4. Then, in the same run:
  * baseline: PyAV decoding every frame and doing nothing else (same threading);
  * keyframe extraction: `ingest.video.scan_video`, the pass ingest runs (decode, luma
    sample, cut detection, JPEG thumbnails), checked against the planted cuts first;
  * subtitles: parsing a large SRT into cue scenes against plainly reading and splitting
    the same file, and a full library ingest (parse + encode + store) of a smaller one.
Rounds alternate baseline and extraction and keep each one's best, because other work on
the machine slows whichever happens to run beside it. Ends with one line of JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import av  # noqa: E402

from ingest.subtitles import parse_track, scene_chunks  # noqa: E402
from ingest.video import scan_video  # noqa: E402
from tests.media import Scene, cut_frames, make_video, srt_text  # noqa: E402

KINDS = ("static", "moving", "pan")


def planted_scenes(minutes: float, fps: int, seed: int = 7) -> list[Scene]:
    rng = random.Random(seed)
    total, scenes = round(minutes * 60 * fps), []
    while sum(s.frames for s in scenes) < total:
        n = min(rng.randint(2 * fps, 20 * fps), total - sum(s.frames for s in scenes))
        scenes.append(Scene(n, rng.choice(KINDS), rng.randint(0, 10**6)))
    return scenes


def bench_video(path: Path, scenes: list[Scene], fps: int, rounds: int) -> dict:
    planted = cut_frames(scenes)
    frames = sum(s.frames for s in scenes)
    seconds = frames / fps
    decode_times, scan_times, scan = [], [], None
    for _ in range(rounds):
        t = time.perf_counter()
        with av.open(str(path)) as c:
            vs = c.streams.video[0]
            vs.thread_type = "AUTO"
            n = sum(1 for _ in c.decode(vs))
        decode_times.append(time.perf_counter() - t)
        assert n == frames, (n, frames)
        t = time.perf_counter()
        scan = scan_video(path)
        scan_times.append(time.perf_counter() - t)
    found = [round(k.time_s * fps) for k in scan.keyframes[1:]]
    errors = []
    unmatched = list(found)
    for p in planted:
        best = min(unmatched, key=lambda f: abs(f - p), default=None)
        if best is not None and abs(best - p) <= 1:
            errors.append(abs(best - p))
            unmatched.remove(best)
    decode_s, scan_s = min(decode_times), min(scan_times)
    return {
        "video_seconds": round(seconds, 1), "frames": frames,
        "bitrate_mbps": round(path.stat().st_size * 8 / seconds / 1e6, 2),
        "decode_only_s": round(decode_s, 2), "decode_only_x_realtime": round(seconds / decode_s, 1),
        "keyframes_s": round(scan_s, 2), "keyframes_x_realtime": round(seconds / scan_s, 1),
        "keyframes_vs_decode_only": round(decode_s / scan_s, 3),
        "cuts_planted": len(planted), "cuts_found": len(found),
        "cuts_within_1_frame": len(errors), "cuts_exact": errors.count(0),
        "cuts_missed": len(planted) - len(errors), "cuts_spurious": len(unmatched),
        "thumbnail_kb_mean": round(sum(len(k.jpeg) for k in scan.keyframes)
                                   / max(1, len(scan.keyframes)) / 1024, 1),
    }


def _lines(n: int) -> list[tuple[float, float, str]]:
    rng = random.Random(3)
    words = ("harbour lighthouse council budget keeper storm ship rope lantern tide gull "
             "north bread winter ledger clock").split()
    return [(i * 2.5, i * 2.5 + 2.0, " ".join(rng.choice(words) for _ in range(rng.randint(4, 12)))
             .capitalize() + ".") for i in range(n)]


def bench_subtitles(folder: Path, cues: int, ingest_cues: int) -> dict:
    big = folder / "big.srt"
    big.write_text(srt_text(_lines(cues)), encoding="utf-8")
    t = time.perf_counter()
    plain = big.read_bytes().decode("utf-8").splitlines()
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    track = parse_track(big.read_bytes().decode("utf-8"))
    chunks = list(scene_chunks(track.cues, str(big), budget=240))
    parse_s = time.perf_counter() - t
    assert len(track.cues) == cues and plain and chunks
    from engine.library import Library
    small = folder / "small.srt"
    small.write_text(srt_text(_lines(ingest_cues)), encoding="utf-8")
    with Library(folder / "lib") as lib:
        lib.encoder.encode(["warm up"])
        t = time.perf_counter()
        summary = lib.ingest([small])
        ingest_s = time.perf_counter() - t
    assert summary.stored, summary.failed
    return {
        "subtitle_cues": cues, "subtitle_parse_cues_per_s": round(cues / parse_s),
        "subtitle_parse_vs_plain_read": round(read_s / parse_s, 3),
        "subtitle_ingest_cues": ingest_cues,
        "subtitle_ingest_cues_per_s": round(ingest_cues / ingest_s),
        "subtitle_ingest_chunks": summary.chunks,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--height", type=int, default=720)
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cues", type=int, default=20000)
    ap.add_argument("--ingest-cues", type=int, default=2000)
    ap.add_argument("--cache", default=os.environ.get("MEMEX_BENCH_CACHE",
                                                      Path(tempfile.gettempdir()) / "memex-bench"))
    args = ap.parse_args()
    width = args.height * 16 // 9 // 2 * 2
    scenes = planted_scenes(args.minutes, args.fps)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    video = cache / f"planted-{args.minutes:g}min-{args.height}p{args.fps}-veryfast-grain10.mp4"
    if not video.exists():
        t = time.perf_counter()
        tmp = video.with_suffix(".part.mp4")
        make_video(tmp, scenes, fps=args.fps, size=(width, args.height), crf=23,
                   detail=4, grain=10, preset="veryfast")
        tmp.rename(video)
        print(f"generated {video} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    result = {"video": f"{args.minutes:g} min {width}x{args.height} {args.fps} fps H.264",
              "cpu_count": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 1)}
    result.update(bench_video(video, scenes, args.fps, args.rounds))
    result["peak_rss_mb_after_video"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    with tempfile.TemporaryDirectory() as folder:
        result.update(bench_subtitles(Path(folder), args.cues, args.ingest_cues))
    for key, value in result.items():
        print(f"{key:>32}: {value}", file=sys.stderr)
    sys.stderr.flush()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
