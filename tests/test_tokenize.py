"""Sudachi's input limit: long drafts split at breaks, offsets shifted."""

from __future__ import annotations

from itertools import pairwise

from fujisns_guard.tokenize import MAX_CHUNK_BYTES, split_chunks, tokenize


def test_chunks_stay_under_the_limit_and_cover_the_text() -> None:
    text = ("本日は晴天です。" * 4000) + "改行なしの長い文" * 3000
    chunks = split_chunks(text)
    assert "".join(c for _, c in chunks) == text
    assert all(len(c.encode()) <= MAX_CHUNK_BYTES for _, c in chunks)
    assert [o for o, _ in chunks] == [sum(len(c) for _, c in chunks[:i]) for i in range(len(chunks))]


def test_offsets_index_the_whole_text() -> None:
    text = "市民まつり。\n" * 8000 + "看護婦"
    tokens = tokenize(text)
    last = tokens[-1]
    assert text[last.start : last.end] == last.surface == "看護婦"
    assert all(text[t.start : t.end] == t.surface for t in tokens[:50])


def test_tokens_carry_reading_lemma_pos() -> None:
    tokens = tokenize("気が狂った")
    verb = tokens[2]
    assert (verb.surface, verb.lemma, verb.pos[0]) == ("狂っ", "狂う", "動詞")
    assert tokens[0].reading == "キ"


def test_morphemes_cover_the_text_without_gaps() -> None:
    text = "本日は　晴天 です。\n\r\tABC１２３😀𠮷\u3099ｶﾞ、。"
    tokens = tokenize(text)
    assert tokens[0].start == 0 and tokens[-1].end == len(text)
    assert all(a.end == b.start for a, b in pairwise(tokens))
    assert all(t.surface == text[t.start : t.end] for t in tokens)
