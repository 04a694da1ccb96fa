"""Strip subtitle markup to the words that are spoken or shown.

SRT files carry HTML-ish tags (<i>, <font color=...>) and often ASS override blocks
({\\an8}); WebVTT adds voice spans (<v Ann>), classes and inline timestamps; ASS has
override blocks, drawing commands and \\N line breaks. A WebVTT voice becomes a
"Speaker: " prefix because who speaks is part of what a question asks.
"""
from __future__ import annotations

import html
import re

__all__ = ["strip_srt", "strip_vtt", "strip_ass"]

_OVERRIDE = re.compile(r"\{[^{}]*\}")                  # {\i1}, {\pos(1,2)}, {comment}
_DRAWING = re.compile(r"\{[^{}]*\\p[1-9][^{}]*\}.*?(?=\{[^{}]*\\p0[^{}]*\}|$)", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")               # <i>, </font>, <c.yellow>
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")    # <v Ann> or <v.loud Ann>
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?\.\d{3}>")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _ass_codes(text: str) -> str:
    text = _DRAWING.sub("", text)
    text = _OVERRIDE.sub("", text)
    return text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ")


def strip_srt(text: str) -> str:
    return _tidy(html.unescape(_TAG.sub("", _ass_codes(text))))


def strip_vtt(text: str) -> str:
    text = _INLINE_TIME.sub("", text)
    text = _VOICE.sub(lambda m: f"{m.group(1).strip()}: ", text)
    return _tidy(html.unescape(_TAG.sub("", text)))


def strip_ass(text: str) -> str:
    return _tidy(_ass_codes(text))
