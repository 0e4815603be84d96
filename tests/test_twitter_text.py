"""X weighted length and URL extraction against twitter-text's own conformance cases."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard import twitter_text as tt
from fujisns_guard.twitter_text import extract_urls, is_valid_tweet, weighted_length
from support import twitter_naive, twitter_oracle

DATA = Path(__file__).parent / "data" / "twitter_text"


def _cases(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]


WEIGHTED = _cases("twitter_weighted.jsonl")
URLS = _cases("twitter_urls.jsonl")


def _id(case: dict[str, Any]) -> str:
    return f"{case.get('config', case['section'])}:{case['description'][:60]}"


@pytest.mark.parametrize("case", [c for c in WEIGHTED if c["config"] != "v2"], ids=_id)
def test_weighted_length_v3(case: dict[str, Any]) -> None:
    assert weighted_length(case["text"]) == case["expected_weighted_length"]
    assert is_valid_tweet(case["text"]) is case["valid"]


@pytest.mark.parametrize("case", [c for c in WEIGHTED if c["config"] == "v2"], ids=_id)
def test_weighted_length_v2_is_v3_without_emoji_parsing(case: dict[str, Any]) -> None:
    text = unicodedata.normalize("NFC", case["text"])
    assert tt._weighted_units(text, emoji_parsing=False) == case["expected_weighted_length"]


@pytest.mark.parametrize("case", URLS, ids=_id)
def test_extract_urls_conformance(case: dict[str, Any]) -> None:
    got = extract_urls(case["text"])
    assert [url for url, _, _ in got] == case["expected_urls"]
    if "expected_urls_with_indices" in case:
        assert [[s, e] for _, s, e in got] == [u["indices"] for u in case["expected_urls_with_indices"]]


CITY = "https://www.city.fuji.shizuoka.jp/page.html"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"詳しくは{CITY}をご覧ください", [CITY]),
        (f"詳しくは（{CITY}）をご覧ください", [CITY]),
        (f"詳しくは({CITY})をご覧ください", [CITY]),
        (f"市ホームページ「{CITY}」、または下記へ", [CITY]),
        (f"申込み→{CITY}\n締切は11月30日", [CITY]),
        (f"詳細：{CITY}　（外部サイト）", [CITY]),
        ("詳しくはwww.city.fuji.shizuoka.jp/page.htmlをご覧ください", ["www.city.fuji.shizuoka.jp/page.html"]),
        ("市のサイトcity.fuji.shizuoka.jpで公開中", ["city.fuji.shizuoka.jp"]),
        ("市HPcity.fuji.shizuoka.jp", ["HPcity.fuji.shizuoka.jp"]),  # ASCII before the host joins it
        ("「www.city.fuji.shizuoka.jp」で検索", ["www.city.fuji.shizuoka.jp"]),
        ("https://www.city.fuji.shizuoka.jp/a/b?x=1&y=2、詳しくは", ["https://www.city.fuji.shizuoka.jp/a/b?x=1&y=2"]),
        ("https://example.jp/path/。次へ", ["https://example.jp/path/"]),
        ("HTTPS://WWW.CITY.FUJI.SHIZUOKA.JP/", ["HTTPS://WWW.CITY.FUJI.SHIZUOKA.JP/"]),
        # twitter-text (and so X) keeps Japanese in the host when a later ".TLD" follows
        ("詳細はhttps://www.city.fuji.shizuoka.jp。申込はfoo.com", ["https://www.city.fuji.shizuoka.jp。申込はfoo.com"]),
    ],
)
def test_urls_in_japanese(text: str, expected: list[str]) -> None:
    got = extract_urls(text)
    assert [u for u, _, _ in got] == expected
    assert all(text[s:e] == u for u, s, e in got)


@pytest.mark.parametrize(
    "text",
    [
        "参加費は1.5倍です",
        "第3.2版",
        "No.1の人気",
        "資料.pdfを添付",
        "Mr.Smithが来場",
        "ver.2で対応",
        "メール: info@city.fuji.shizuoka.jp",  # an e-mail address is not a link
        "#富士市.jp",
        "ファイル名はreport.docx",
        "",
        "。。。",
    ],
)
def test_no_url(text: str) -> None:
    assert extract_urls(text) == []


def test_city_url_counts_23() -> None:
    assert weighted_length(CITY) == 23
    assert weighted_length(f"詳しくは{CITY}") == 4 * 2 + 23


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("富士市", 6),
        ("Fuji City", 9),
        ("１２３", 6),  # full-width digits are not in the light ranges
        ("123", 3),
        ("富士山🗻", 8),
        ("⚠️注意", 6),  # a text-default emoji with VS16 is one emoji: 2
        ("⚠注意", 6),
        ("👍🏽", 2),
        ("🇯🇵", 2),
        ("1️⃣", 2),
        ("“引用”", 6),  # U+201C/U+201D are light: 1 + 2 + 2 + 1
        ("…", 2),  # U+2026 is not
        ("\u30ab\u3099", 2),  # NFC composes カ + U+3099 to ガ before counting
        ("", 0),
    ],
)
def test_weighted_length_examples(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_140_japanese_characters_is_the_limit() -> None:
    assert is_valid_tweet("あ" * 140)
    assert not is_valid_tweet("あ" * 141)
    assert weighted_length("あ" * 139 + "a") == 279
    assert not is_valid_tweet("")


def _naive_units(text: str) -> int:
    return sum(1 if any(lo <= ord(c) <= hi for lo, hi, _ in tt.RANGES) else 2 for c in text)


@given(st.text(max_size=60))
def test_units_match_the_ranges(text: str) -> None:
    assert tt._units(text) == _naive_units(text)


_FRAGMENTS = [
    "http://", "https://", "HTTPS://", "www", ".", ".", "com", "jp", "co", "city", "fuji", "-", "_", "/", "?",
    "=", "&", "#", "@", "$", " ", "あ", "。", "、", "（", "）", "「", "」", "t.co/", "xn--", "みんな", "a", "1",
    ":", "(", ")", "8080", "tv", "'", "\u202a", "\n", "中国", "é", "co.jp", "~", "%", "+", "!",
]  # fmt: skip


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join))
def test_extract_urls_equals_the_regex_transcription(text: str) -> None:
    assert extract_urls(text) == twitter_oracle.extract_urls(text)


@given(st.text(max_size=80))
def test_weighted_length_never_raises(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert 0 <= weighted_length(text) <= 2 * len(nfc) + 23 * len(extract_urls(nfc))
    for url, s, e in extract_urls(text):
        assert 0 <= s < e <= len(text) and url


_MIXED = [*_FRAGMENTS, "👨", "\u200d", "👩", "\ufe0f", "\ufe0e", "🇯", "🇵", "🏽", "❤", "©", "#", "\u20e3", "🏴",
          "\U000e0067", "\U000e007f", "😷", "“", "‐", "ア", "\u3099", "A\u0301", "\ufeff"]  # fmt: skip


@given(st.lists(st.sampled_from(_MIXED), max_size=16).map("".join))
def test_weighted_length_equals_the_plain_loop(text: str) -> None:
    assert weighted_length(text) == twitter_naive.weighted_length(text)
