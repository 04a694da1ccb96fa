"""Text encodings past UTF-8: detected (cp1251, GBK, Shift-JIS), cp1252 kept for Western
notes however short, and a guess named in a warning when nothing is sure."""
from __future__ import annotations

import pytest

from ingest.prose.decode import decode_text, read_text_file

from .conftest import read_all

RUSSIAN = ("Было раннее утро, и над рекой ещё стоял густой туман. Старый мельник вышел на "
           "крыльцо, посмотрел на небо и сказал, что к вечеру непременно пойдёт дождь. Дети не "
           "поверили ему и побежали к берегу ловить рыбу, но к обеду небо затянуло тучами, а "
           "ветер стал холодным.")
CHINESE = ("清晨的时候，河面上还笼罩着一层薄薄的雾。老渔夫坐在船头，慢慢地整理着他的渔网。"
           "他说，今天的风向不太好，恐怕打不到多少鱼。可是孩子们并不在意，他们沿着河岸奔跑，"
           "一边唱歌，一边捡起被水冲上岸的贝壳。")
JAPANESE = ("朝早く、川の上にはまだ薄い霧がかかっていた。年老いた漁師は舟の先に座り、"
            "ゆっくりと網を直していた。今日は風向きが悪いので、あまり魚は取れないだろうと"
            "彼は言った。けれども子供たちは気にせず、歌を歌いながら川岸を走り、流れ着いた"
            "貝殻を拾い集めた。")

FOREIGN = pytest.mark.parametrize("text,encoding", [
    (RUSSIAN, "cp1251"), (CHINESE, "gbk"), (JAPANESE, "shift_jis"),
], ids=["russian-cp1251", "chinese-gbk", "japanese-shift-jis"])


@FOREIGN
def test_detected_text_is_stored_as_written(write, text, encoding):
    body = f"{text}\n\n{text}\n"
    p = write("book.txt", body.encode(encoding))
    assert read_text_file(p) == body
    doc, chunks = read_all(p, budget=2000)
    assert doc.warnings == []
    assert [c.text for c in chunks] == [f"{text}\n\n{text}"]
    c = chunks[0]
    assert body[c.location.char_start:c.location.char_end] == body.strip()


@FOREIGN
def test_detected_encoding_is_named(text, encoding):
    got = decode_text(text.encode(encoding))
    assert (got.text, got.guessed) == (text, False)
    assert got.text.encode(got.encoding) == text.encode(encoding)   # cp932 for shift_jis...


@FOREIGN
def test_markdown_and_subtitles_detect_too(write, text, encoding):
    title = text.split()[0].split("，")[0].split("、")[0]
    md = write("note.md", f"# {title}\n\n{text}\n".encode(encoding))
    doc, chunks = read_all(md, budget=2000)
    assert (doc.title, doc.warnings) == (title, [])
    assert chunks[0].text == text
    srt = write("film.srt", f"1\n00:00:01,000 --> 00:00:04,000\n{text}\n".encode(encoding))
    doc, chunks = read_all(srt, budget=2000)
    assert doc.warnings == [] and text in chunks[0].text


@pytest.mark.parametrize("text", [
    "It’s fine.",
    "He said “no” and left.",
    "“Smart quotes” and café — déjà vu.",
    "Größe, Übermäßig, schön — „Anführungszeichen“",
    "“I don’t know,” she said — and that was all. The café’s owner shrugged… “Nobody does.”",
    "Il était une fois une petite fille de village, la plus jolie qu’on eût su voir ; sa "
    "mère en était folle, et sa mère-grand plus folle encore.",
], ids=["its", "said-no", "cafe", "german", "dialogue", "french"])
def test_short_cp1252_notes_stay_cp1252(write, text):
    # mostly-ASCII bytes give a detector little evidence: cp1250, big5 or mac_iceland
    # score as well as cp1252, which must still win, and without a warning
    p = write("note.txt", f"{text}\n".encode("cp1252"))
    doc, chunks = read_all(p)
    assert doc.warnings == []
    assert [c.text for c in chunks] == [text]
    assert decode_text(text.encode("cp1252")) == (text, "cp1252", False)


@pytest.mark.parametrize("data,expected", [
    (b"Header line\n" + bytes(range(0x80, 0x100)) * 4 + b"\n",
     ("Header line\n" + bytes(range(0x80, 0x100)).decode("latin-1") * 4 + "\n")),
    ("Война и мир\n".encode("cp1251"), "Война и мир\n".encode("cp1251").decode("cp1252")),
], ids=["high-bytes", "three-cyrillic-words"])
def test_a_guess_is_named_in_a_warning(write, data, expected):
    p = write("mystery.txt", data)
    doc, chunks = read_all(p)
    assert read_text_file(p) == expected       # cp1252, or latin-1 when cp1252 cannot
    assert len(doc.warnings) == 1
    assert "mystery.txt" in doc.warnings[0] and "guessed" in doc.warnings[0]
    assert chunks


def test_subtitle_guess_is_named_in_a_warning(write):
    p = write("mystery.srt", b"1\n00:00:01,000 --> 00:00:02,000\n" + bytes(range(0x80, 0x100))
              + b"\n")
    doc, _ = read_all(p)
    assert ["mystery.srt" in w and "guessed" in w for w in doc.warnings] == [True]


@pytest.mark.parametrize("data", [
    "“Smart” café\n".encode("utf-8"),
    b"\xef\xbb\xbf" + "“Smart” café\n".encode("utf-8"),
    b"\xff\xfe" + "“Smart” café\n".encode("utf-16-le"),
], ids=["utf8", "utf8-bom", "utf16-bom"])
def test_utf8_and_boms_are_never_guessed(write, data):
    doc, chunks = read_all(write("plain.txt", data))
    assert doc.warnings == [] and chunks[0].text == "“Smart” café"
