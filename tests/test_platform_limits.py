"""Platform length limits: data loads, each unit counts as the platform counts."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard.platform_limits import (
    HashtagResult,
    LengthResult,
    Unit,
    count,
    count_hashtags,
    forbidden_characters,
    hashtags,
    measure,
    message,
    platforms,
)

EXPECTED: dict[str, tuple[int, Unit]] = {
    "x": (280, "weighted"),
    "bluesky": (300, "graphemes"),
    "threads": (500, "characters"),
    "instagram": (2200, "characters"),
    "facebook": (63206, "characters"),
    "line": (5000, "characters"),
    "youtube_title": (100, "characters"),
    "youtube_description": (5000, "utf8_bytes"),
}


def test_every_platform_is_there_with_source_and_date() -> None:
    data = platforms()
    assert set(data) == set(EXPECTED)
    for key, p in data.items():
        assert (p.limit, p.unit) == EXPECTED[key]
        assert p.source and p.checked == datetime.date(2026, 11, 23)
        if p.hashtag_limit is not None:
            assert p.hashtag_source and p.hashtag_checked


def test_instagram_hashtag_limit_is_data() -> None:
    p = platforms()["instagram"]
    assert p.hashtag_limit == 30 and p.hashtag_checked == datetime.date(2026, 11, 23)


def test_unknown_platform() -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        count("本文", "mixi")


@pytest.mark.parametrize(
    ("text", "platform", "n", "over"),
    [
        ("あ" * 140, "x", 280, False),
        ("あ" * 141, "x", 282, True),
        ("a" * 280, "x", 280, False),
        ("詳しくは https://www.city.fuji.shizuoka.jp/page.html", "x", 4 * 2 + 1 + 23, False),
        ("あ" * 300, "bluesky", 300, False),
        ("👨‍👩‍👧‍👦" * 300, "bluesky", 300, False),  # one grapheme each, 7 code points
        ("👨‍👩‍👧‍👦" * 301, "bluesky", 301, True),
        ("が" * 301, "bluesky", 301, True),
        ("\u304b\u3099" * 300, "bluesky", 300, False),  # か + combining dakuten: one grapheme
        ("あ" * 500, "threads", 500, False),
        ("あ" * 501, "threads", 501, True),
        ("あ" * 2200, "instagram", 2200, False),
        ("あ" * 2201, "instagram", 2201, True),
        ("あ" * 5000, "line", 5000, False),
        ("あ" * 100, "youtube_title", 100, False),
        ("あ" * 101, "youtube_title", 101, True),
        ("あ" * 1666, "youtube_description", 4998, False),  # 3 bytes each
        ("あ" * 1667, "youtube_description", 5001, True),
        ("a" * 5000, "youtube_description", 5000, False),
        ("", "x", 0, False),
    ],
)
def test_count(text: str, platform: str, n: int, over: bool) -> None:
    r = count(text, platform)
    assert r == LengthResult(platform, n, EXPECTED[platform][0], EXPECTED[platform][1], over)


def test_message_is_japanese() -> None:
    expected = "X (旧Twitter)の上限280文字（X の重み付き：全角2・半角1・URL 23）を2超えています（282／280）。"
    assert message(count("あ" * 141, "x")) == expected
    assert "収まっています" in message(count("お知らせ", "threads"))


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#富士市 #ごみ収集", ["#富士市", "#ごみ収集"]),
        ("＃富士市　＃防災", ["＃富士市", "＃防災"]),
        ("#富士山#田子の浦", ["#富士山", "#田子の浦"]),
        ("詳しくは https://www.city.fuji.shizuoka.jp/page.html#top", []),
        ("C# の講座", []),
        ("#1 のお知らせ", []),
        ("#2026年 #富士まつり", ["#2026年", "#富士まつり"]),
        ("", []),
    ],
)
def test_hashtags(text: str, tags: list[str]) -> None:
    assert [t for t, _, _ in hashtags(text)] == tags


def test_hashtag_limits() -> None:
    thirty = " ".join(f"#富士{i}" for i in range(30))
    assert count_hashtags(thirty, "instagram") == HashtagResult("instagram", 30, 30, False)
    r = count_hashtags(thirty + " #富士山", "instagram")
    assert r is not None and r.over and r.count == 31
    assert count_hashtags("#a #b", "threads") == HashtagResult("threads", 2, 1, True)
    assert count_hashtags(thirty, "x") is None  # no hashtag limit on X


def test_youtube_forbids_angle_brackets() -> None:
    assert forbidden_characters("<重要> お知らせ", "youtube_title") == [0, 3]
    assert forbidden_characters("<重要>", "x") == []


@given(st.text(max_size=50), st.sampled_from(sorted(EXPECTED)))
def test_count_never_raises(text: str, platform: str) -> None:
    r = count(text, platform)
    assert r.count >= 0 and r.over == (r.count > r.limit)
    assert measure(text, "graphemes") <= len(text) <= measure(text, "utf8_bytes")
