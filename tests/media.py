"""Generators of small real videos and subtitle files for tests and benchmarks.

Videos are encoded with PyAV from frames drawn in numpy, with scene cuts planted at
known frames, so a test knows exactly where every cut is. Each scene has its own look
(a kind and a seed) and moves or not, so a detector that reacts to motion fails.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import av
import numpy as np

__all__ = ["Scene", "make_video", "srt_text", "vtt_text", "cut_frames"]


@dataclass(frozen=True)
class Scene:
    frames: int
    kind: str = "static"   # "static" | "moving" (a box crossing a texture) | "pan"
    seed: int = 0


def cut_frames(scenes: Sequence[Scene]) -> list[int]:
    """Frame indices where a new scene starts (the planted cuts, not frame 0)."""
    out, n = [], 0
    for s in scenes[:-1]:
        n += s.frames
        out.append(n)
    return out


def _texture(rng: np.random.Generator, h: int, w: int, block: int = 16) -> np.ndarray:
    """A random picture: noise in `block`-pixel squares, plus a gradient."""
    coarse = rng.integers(0, 256, (h // block + 2, w // block + 2)).astype(np.float32)
    big = np.kron(coarse, np.ones((block, block), np.float32))[:h, :w]
    grad = np.linspace(0, rng.integers(-80, 80), w, dtype=np.float32)[None, :]
    return np.clip(big + grad, 0, 255).astype(np.uint8)


def _planes(scene: Scene, h: int, w: int, block: int) -> tuple[np.ndarray, int, int]:
    rng = np.random.default_rng(scene.seed)
    return (_texture(rng, h + 64, w + 64, block), int(rng.integers(40, 216)),
            int(rng.integers(40, 216)))


def _draw(scene: Scene, base: np.ndarray, i: int, h: int, w: int) -> np.ndarray:
    if scene.kind == "pan":   # back and forth, never jumping
        off = _bounce(i * 2, 64)
        return base[off:off + h, off:off + w]
    y = base[:h, :w].copy() if scene.kind == "moving" else base[:h, :w]
    if scene.kind == "moving":
        bw = max(8, w // 8)
        x = _bounce(i * max(1, w // 60), w - bw)
        y[h // 3:h // 3 + bw, x:x + bw] = 235
    return y


def _bounce(n: int, span: int) -> int:
    """n folded into 0..span-1 back and forth (a triangle wave)."""
    n %= 2 * span
    return n if n < span else 2 * span - 1 - n


def make_video(path: str | Path, scenes: Sequence[Scene], *, fps: int = 25,
               size: tuple[int, int] = (320, 180), codec: str = "libx264",
               subtitles: Sequence[tuple[float, float, str]] | None = None,
               title: str | None = None, crf: int = 28, pix_fmt: str = "yuv420p",
               detail: int = 16, grain: int = 0, preset: str = "ultrafast") -> Path:
    """Write a video with the given scenes; `subtitles` (start, end, text) are embedded as
    a SubRip track (the container must be .mkv for that). `pix_fmt` other than yuv420p
    suits codecs like "png" that store RGB. `detail`: texture square size in pixels
    (smaller is busier); `grain`: amplitude of film-grain noise changing every frame, so
    the encoder and decoder work about as hard as on filmed footage; `preset`: x264's
    (anything above "ultrafast" turns on CABAC and the deblocking filter, as in the
    videos people actually have, which decode slower)."""
    path = Path(path)
    w, h = size
    out = av.open(str(path), "w")
    if title:
        out.metadata["title"] = title
    vs = out.add_stream(codec, rate=fps)
    vs.width, vs.height, vs.pix_fmt = w, h, pix_fmt
    if codec == "libx264":
        vs.options = {"preset": preset, "crf": str(crf)}
    src = None
    if subtitles:
        srt = path.with_suffix(".embedded.srt")
        srt.write_text(srt_text(subtitles), encoding="utf-8")
        src = av.open(str(srt))
        ss = out.add_stream_from_template(src.streams.subtitles[0])
    noise = [np.random.default_rng(k).integers(-grain, grain + 1, (h, w)).astype(np.int16)
             for k in range(7)] if grain else []
    index = 0
    for scene in scenes:
        base, u, v = _planes(scene, h, w, detail)
        uplane = np.full((h // 2) * (w // 2), u, np.uint8)
        vplane = np.full((h // 2) * (w // 2), v, np.uint8)
        for i in range(scene.frames):
            frame = av.VideoFrame(w, h, "yuv420p")
            y = _draw(scene, base, i, h, w)
            if noise:
                y = np.clip(y + noise[index % len(noise)], 0, 255).astype(np.uint8)
            frame.planes[0].update(np.ascontiguousarray(y))
            frame.planes[1].update(uplane)
            frame.planes[2].update(vplane)
            if pix_fmt != "yuv420p":
                frame = frame.reformat(format=pix_fmt)
            frame.pts, frame.time_base = index, Fraction(1, fps)
            for packet in vs.encode(frame):
                out.mux(packet)
            index += 1
    for packet in vs.encode(None):
        out.mux(packet)
    if src is not None:
        for packet in src.demux():
            if packet.dts is not None:
                packet.stream = ss
                out.mux(packet)
        src.close()
        srt.unlink()
    out.close()
    return path


def _srt_time(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def srt_text(cues: Sequence[tuple[float, float, str]]) -> str:
    return "".join(f"{i}\n{_srt_time(a)} --> {_srt_time(b)}\n{t}\n\n"
                   for i, (a, b, t) in enumerate(cues, 1))


def vtt_text(cues: Sequence[tuple[float, float, str]]) -> str:
    return "WEBVTT\n\n" + "".join(f"{_srt_time(a).replace(',', '.')} --> "
                                  f"{_srt_time(b).replace(',', '.')}\n{t}\n\n"
                                  for a, b, t in cues)
