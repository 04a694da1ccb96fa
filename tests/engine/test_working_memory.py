"""The pieces of working memory without the model: KV cache tiers and bounds, place and
two-part parsing, the synthesis check, packing order and the persisted conversation."""
from __future__ import annotations

import numpy as np
import pytest

from engine.answer.check import check_synthesis, claims
from engine.answer.prompt import pack
from engine.conversation.followup import gate, update_memory
from engine.conversation.hops import split_hops
from engine.conversation.place import find_place
from engine.store.conversations import Conversation, Conversations, Turn
from engine.model.kv_cache import KVCache, KVEntry, prefix_key
from engine.recall.hit import Hit
from engine.store import Store
from ingest.records import Location


def entry(key: str, size: int, docs=("/a.md",)) -> KVEntry:
    return KVEntry(key, size // 4, bytes([len(key) % 251]) * size, tuple(docs))


def test_kv_cache_ram_lru_is_bounded_and_disk_backs_it(tmp_path):
    cache = KVCache(tmp_path / "kv", ram_bytes=3000, disk_bytes=10_000)
    for k in ("a", "b", "c"):
        cache.put(entry(k, 1000))
    cache.get("a")                       # a is now the most recent
    cache.put(entry("d", 1000))          # evicts b from RAM, not from disk
    assert cache.ram_usage() <= 3000
    assert cache.get("a")[1] == "ram"
    got, tier = cache.get("b")
    assert tier == "disk" and got.data == entry("b", 1000).data
    fresh = KVCache(tmp_path / "kv")     # another process finds the states on disk
    assert fresh.get("c")[1] == "disk"
    assert fresh.get("zzz") is None


def test_kv_cache_disk_is_bounded_oldest_first(tmp_path):
    cache = KVCache(tmp_path / "kv", ram_bytes=0, disk_bytes=2500)
    for k in ("a", "b", "c", "d"):
        cache.put(KVEntry(k, 1, np.random.default_rng(0).bytes(1000)))   # incompressible
    assert cache.disk_usage() <= 2500
    assert "d" in cache.keys() and "a" not in cache.keys()


def test_kv_cache_drops_states_of_a_changed_document(tmp_path):
    cache = KVCache(tmp_path / "kv")
    cache.put(entry("a", 100, ["/x.md"]))
    cache.put(entry("b", 100, ["/y.md", "/x.md"]))
    cache.put(entry("c", 100, ["/y.md"]))
    assert cache.drop_documents(["/x.md"]) >= 2
    assert cache.keys() == ["c"]
    assert KVCache(tmp_path / "kv").get("a") is None


def test_kv_cache_ignores_a_damaged_file(tmp_path):
    cache = KVCache(tmp_path / "kv")
    cache.put(entry("a", 100))
    (tmp_path / "kv" / "a.kv").write_bytes(b"MXKV1\nbroken")
    assert KVCache(tmp_path / "kv").get("a") is None


def test_prefix_key_depends_on_model_tokens_and_document_hashes():
    base = prefix_key("m1", [1, 2, 3], [("/a", "h1")])
    assert base == prefix_key("m1", [1, 2, 3], [("/a", "h1")])
    assert base != prefix_key("m2", [1, 2, 3], [("/a", "h1")])
    assert base != prefix_key("m1", [1, 2, 4], [("/a", "h1")])
    assert base != prefix_key("m1", [1, 2, 3], [("/a", "h2")])


@pytest.mark.parametrize("question, kind, want", [
    ("What parameters does chapter 3 section 5 use?", "section", ("3", "5")),
    ("what does section 3.5 say", "section", (None, "3.5")),
    ("How is the token checked in auth.py?", "file", "auth.py"),
    ("What is said at 00:12:30?", "time", 750.0),
    ("what is on page 4", "page", 4),
    ("In Chapter IV, who speaks?", "section", ("4", None)),
], ids=["chapter-section", "section", "file", "time", "page", "roman"])
def test_find_place(question, kind, want):
    place = find_place(question)
    assert place is not None and place.kind == kind
    got = {"section": (place.chapter, place.section), "file": place.name,
           "time": place.seconds, "page": place.page}[kind]
    assert got == want


def test_a_chapter_number_finds_its_roman_heading(tmp_path):
    from engine.conversation.place import chunks_of
    from ingest.records import Chunk

    store = Store(tmp_path / "lib")
    heads = ["CHAPTER I. Down the Rabbit-Hole", "CHAPTER II. The Pool of Tears",
             "CHAPTER VII. A Mad Tea-Party", "Chapter 17. Numbers"]
    chunks = [Chunk(f"Text under {h}.", Location("/b.txt", line_start=i + 1, line_end=i + 1,
                                                  section=(h,)), i)
              for i, h in enumerate(heads)]
    store.replace_document(path="/b.txt", hash="h", modality="text", title="b", units=4,
                           unit_name="line", size=1, tokens=20, chunks=chunks, keys=None)
    found = {q: [store.chunks([c])[c].location.section[0] for c in chunks_of(store, find_place(q))]
             for q in ("Summarise chapter 7", "What happens in chapter 1?", "chapter 2", "chapter 17")}
    assert found == {"Summarise chapter 7": [heads[2]], "What happens in chapter 1?": [heads[0]],
                     "chapter 2": [heads[1]], "chapter 17": [heads[3]]}
    store.close()


def test_no_place_in_a_plain_question():
    assert find_place("Why did the queen shout at the gardeners?") is None


def test_split_hops():
    assert split_hops("What are the parameters of section 3.5 — how did they do in chapter 8?") == [
        "What are the parameters of section 3.5", "how did they do in chapter 8?"]
    assert split_hops("Who is the queen; what does she want?") == [
        "Who is the queen", "what does she want?"]
    assert split_hops("Why did Alice follow the white rabbit?") == [
        "Why did Alice follow the white rabbit?"]
    assert split_hops("Where is the key hidden, and how big is the house?") == [
        "Where is the key hidden", "how big is the house?"]
    assert split_hops("What did the town promise, and how did the arrangement end?") == [
        "What did the town promise", "how did the arrangement end?"]
    assert split_hops("Who sat down, looking puzzled?") == ["Who sat down, looking puzzled?"]


def test_gate_rises_for_pointing_short_questions():
    conv = Conversation(1, "", [Turn("q", "a")], np.ones(4, dtype=np.float32) / 2)
    assert gate("Why?", conv) >= 0.5
    assert gate("And how did those hold up?", conv) >= 0.5
    assert gate("What did the ferryman hide inside the hollow loaf of rye bread?", conv) < 0.5
    assert gate("Why?", None) == 0.0


def test_memory_update_is_normalised_and_decays():
    a, b = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    m = update_memory(None, a, None)
    m = update_memory(m, b, None)
    assert abs(float(np.linalg.norm(m)) - 1) < 1e-5
    assert m[0] > 0 and m[1] > 0
    m = update_memory(m, b, None)
    assert m[1] > m[0]                   # older turns fade


def hit(cid: int, text: str, line: int) -> Hit:
    return Hit(cid, text, Location(path="/b.md", line_start=line, line_end=line + 1), 1.0)


def test_check_flags_names_and_numbers_found_in_no_cited_evidence():
    ev = [hit(1, "Agatha Brindle was born in Porthcurnow in 1851.", 1),
          hit(2, "The Varrow coefficient was fixed at 0.11.", 5)]
    assert check_synthesis("Agatha Brindle was born in Porthcurnow [1].", ev) == []
    flags = check_synthesis("Agatha Brindle was born in Lisbon in 1851 [1].", ev)
    assert [f.unsupported for f in flags] == [("Lisbon",)]
    flags = check_synthesis("The Varrow coefficient was 0.12 [2]. It was fixed in 1851 [2].", ev)
    assert [f.unsupported for f in flags] == [("0.12",), ("1851",)]
    assert claims("The Queen sent 3 soldiers.") == ["3", "Queen"]


def test_check_accepts_the_place_the_evidence_was_shown_under():
    ev = [Hit(1, "Soon her eye fell on a little glass box.",
              Location(path="/s/alice.pdf", page=8, page_label="6",
                       section=("CHAPTER I. Down the Rabbit-Hole",)), 1.0)]
    # the model repeats the evidence's header: page 8 (p. 6), its chapter
    assert check_synthesis("The box is on page 8 (p. 6), CHAPTER I. Down the Rabbit-Hole [1].", ev) == []
    flags = check_synthesis("The box is on page 9, in Lisbon [1].", ev)
    assert [f.unsupported for f in flags] == [("9", "Lisbon")]


def test_pack_keeps_evidence_as_a_stable_prefix_in_source_order():
    count = lambda t: len(t.split())                               # noqa: E731
    hits = [hit(2, "second passage " * 5, 20), hit(1, "first passage " * 5, 3),
            hit(2, "duplicate", 20), hit(3, "long " * 500, 40)]
    one = pack("q1?", hits, budget=250, count=count, history_tokens=50)
    two = pack("q2?", hits, budget=250, count=count, history=[("q1?", "a1")], history_tokens=50)
    assert [h.chunk_id for h in one.evidence] == [1, 2]
    assert [h.chunk_id for h in one.omitted] == [3]
    assert one.stable == two.stable
    assert two.messages[-1]["content"].startswith(two.stable)
    assert "Q: q1?" in two.messages[-1]["content"] and two.history == 1


def test_conversation_persists_turns_and_memory(tmp_path):
    store = Store(tmp_path / "lib")
    convs = Conversations(store)
    cid = convs.new()
    mem = np.arange(4, dtype=np.float32)
    convs.add(cid, Turn("Who?", "Her.", query="Who? Brindle", beta=0.6, evidence=[3, 4],
                        quotes=[{"text": "q", "n": 1}], cited=[{"n": 1, "chunk_id": 3}]), mem)
    store.close()
    store = Store(tmp_path / "lib")
    conv = Conversations(store).load(cid)
    assert conv.title == "Who?" and conv.turns[0].evidence == [3, 4]
    assert conv.turns[0].cited_chunks() == [3] and conv.turns[0].beta == pytest.approx(0.6)
    assert np.array_equal(conv.memory, mem)
    assert Conversations(store).latest() == cid
    store.close()


def test_two_copies_of_a_book_give_one_quote(library):
    from engine.answer.quote import best_quotes
    text = "Soon her eye fell on a little glass box that was lying under the table."
    ev = [Hit(1, text, Location(path="/a/alice.pdf", page=8), 1.0),
          Hit(2, "Alice opened the box and found a very small cake in it.",
              Location(path="/a/alice.pdf", page=8), 0.9),
          Hit(3, text, Location(path="/b/alice.pdf", page=8), 1.0)]
    quotes = best_quotes(library.searcher.query("What was lying under the table?"), ev,
                         library.searcher, limit=3, margin=1.0)
    assert [q.text for q in quotes].count(text) == 1 and len(quotes) == 2
