"""Issue 5.4 wired into rules: length.platform_limit, length.hashtag_limit, length.forbidden_characters,
and `platform_limits.lengths` for the report."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.model import Finding
from fujisns_guard.platform_limits import lengths
from fujisns_guard.policy import load_policy
from fujisns_guard.twitter_text import fit, weighted_length

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 11, 20)
LENGTH = ["length.platform_limit", "length.hashtag_limit", "length.forbidden_characters"]
JA_150 = "富士市の魅力を発信します。" * 11 + "以上です。"  # 13 × 11 + 5 = 148 characters, weighted 296 on X


def _check(guard: Guard, text: str, platforms: list[str] | None) -> list[Finding]:
    return guard.check(text, date=DAY, platforms=platforms, only=LENGTH).findings


def test_over_x_is_an_error_with_count_and_limit(guard: Guard) -> None:
    [f] = _check(guard, JA_150, ["x"])
    assert (f.rule_id, f.severity, f.category, f.clause) == ("length.platform_limit", "error", "length", "G-RULE-7")
    assert "（296／280）" in f.message and "X" in f.message
    assert f.excerpt == JA_150[140:]  # what does not fit: after 140 full-width characters
    assert "data" not in f.message and "出典" in f.explanation and "2026-11-23" in f.explanation


@pytest.mark.parametrize("platforms", [None, [], ["facebook"], ["instagram"], ["threads"], ["bluesky"], ["line"], ["youtube"]])
def test_no_error_where_the_post_fits_or_no_platform(guard: Guard, platforms: list[str] | None) -> None:
    assert _check(guard, JA_150, platforms) == []


def test_only_the_platform_over_its_limit_is_reported(guard: Guard) -> None:
    found = _check(guard, JA_150, ["instagram", "x", "bluesky"])
    assert [f.message.split("の上限")[0] for f in found] == ["X (旧Twitter)"]


def test_exactly_the_limit_fits_and_one_more_does_not(guard: Guard) -> None:
    assert _check(guard, "あ" * 140, ["x"]) == []
    assert [f.excerpt for f in _check(guard, "あ" * 141, ["x"])] == ["あ"]
    assert _check(guard, "a" * 280, ["x"]) == []
    assert _check(guard, "あ" * 500, ["threads"]) == []
    assert [f.excerpt for f in _check(guard, "あ" * 501, ["threads"])] == ["あ"]
    family = "👨‍👩‍👧‍👦"
    assert _check(guard, family * 300, ["bluesky"]) == []  # 300 graphemes
    assert [f.excerpt for f in _check(guard, family * 301, ["bluesky"])] == [family]


def test_urls_count_23_on_x(guard: Guard) -> None:
    url = "https://www.city.example.lg.jp/" + "a" * 100
    assert _check(guard, "あ" * 128 + " " + url, ["x"]) == []  # 256 + 1 + 23 = 280
    assert len(_check(guard, "あ" * 129 + " " + url, ["x"])) == 1


def test_counted_on_the_original_text(guard: Guard) -> None:
    # ｶﾞ is two code points as written (one after NFKC): Threads counts what is posted.
    text = "あ" * 499 + "ｶﾞ"
    [f] = _check(guard, text, ["threads"])
    assert "（501／500）" in f.message and f.excerpt == "ｶﾞ"


def test_leading_and_trailing_white_space_is_not_counted(guard: Guard) -> None:
    assert _check(guard, "\n\n　" + "あ" * 140 + "\n\n", ["x"]) == []


def test_platform_from_front_matter_cli_and_policy(guard: Guard, tmp_path: Path) -> None:
    front = '---\nplatform = "x"\n---\n' + JA_150
    [f] = guard.check(front, date=DAY, only=LENGTH).findings
    assert front[f.start : f.end] == JA_150[140:]
    path = tmp_path / "draft.txt"
    path.write_text(JA_150 + "\n", encoding="utf-8")
    for argv in (["--platform", "x"], ["--policy", str(ROOT / "examples/policy/guard.toml")]):  # policy services include x
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", str(path), "--date", "2026-11-20", "--format", "json", *argv], out=out, err=err)
        [report] = json.loads(out.getvalue())
        found = [x for x in report["findings"] if x["category"] == "length"]
        assert [x["rule_id"] for x in found] == ["length.platform_limit"], (argv, err.getvalue())
        assert "（296／280）" in found[0]["message"] and code == 1
    policy_guard = Guard(load_policy(ROOT / "examples/policy/guard.toml"))
    assert len(policy_guard.check(JA_150, date=DAY, only=LENGTH).findings) == 1
    assert policy_guard.check(JA_150, date=DAY, platforms=["facebook"], only=LENGTH).findings == []


def test_two_platforms_cut_at_the_same_place_give_one_finding(guard: Guard) -> None:
    [f] = _check(guard, "a" * 5001, ["line", "youtube"])  # 5,000 characters / 5,000 bytes
    assert "LINE" in f.message and "YouTube" in f.message


def test_youtube_counts_bytes_of_the_description(guard: Guard) -> None:
    assert _check(guard, "あ" * 1666, ["youtube"]) == []  # 4,998 bytes
    [f] = _check(guard, "あ" * 1667, ["youtube"])  # 5,001 bytes
    assert "（5001／5000）" in f.message and f.excerpt == "あ"


def test_hashtag_limits(guard: Guard) -> None:
    tags = " ".join(f"#富士{i}" for i in range(31))
    [f] = _check(guard, "写真です " + tags, ["instagram"])
    assert (f.rule_id, f.severity, f.excerpt) == ("length.hashtag_limit", "error", "#富士30")
    assert "30個までです（31個あります）" in f.message
    [f] = _check(guard, "紅葉 #富士市 ＃紅葉", ["threads"])
    assert (f.severity, f.excerpt) == ("warning", "＃紅葉")
    assert _check(guard, "紅葉 #富士市", ["threads"]) == []
    assert _check(guard, "写真です " + tags, ["x", "facebook"]) == []


def test_youtube_forbidden_characters(guard: Guard) -> None:
    found = _check(guard, "<富士市PR動画> 定員＜30＞", ["youtube"])
    assert [(f.rule_id, f.excerpt) for f in found] == [("length.forbidden_characters", "<"), ("length.forbidden_characters", ">")]
    assert _check(guard, "<富士市PR動画>", ["x"]) == []


# --- the pure function for the report -------------------------------------------------------------


def test_lengths_for_the_report() -> None:
    assert lengths(JA_150, ["x", "youtube", "x"]) == [
        {"platform": "x", "count": 296, "limit": 280, "unit": "weighted", "over": True},
        {"platform": "youtube_description", "count": 444, "limit": 5000, "unit": "utf8_bytes", "over": False},
    ]
    [threads] = lengths("  あ\n", ["threads"])
    assert threads == {"platform": "threads", "count": 1, "limit": 500, "unit": "characters", "over": False}
    assert lengths("text", []) == []
    with pytest.raises(ValueError, match="unknown platform"):
        lengths("text", ["myspace"])


_PIECES = [*"あ漢aZ1 #\n", "😀", "👨‍👩‍👧", "🇯🇵", "https://x.jp/a ", "www.city.example.lg.jp "]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_fit_agrees_with_weighted_length(text: str) -> None:
    total, fits = fit(text, 40)
    assert total == weighted_length(text)
    assert (fits == len(text)) == (total <= 40)
    if "." not in text:  # no URL: the prefix is counted as X counts it
        assert weighted_length(text[:fits]) <= 40


def test_report_lengths_equal_a_fresh_count() -> None:
    """The engine reuses the length rule's counts; they must equal counting the post anew."""
    from fujisns_guard import Guard
    from fujisns_guard.platform_limits import lengths

    guard = Guard()
    for text in ["市民まつりを開催します。" * 30, "  短い投稿 #富士市  ", "あ" * 50_000]:
        for platforms in (["x", "instagram", "youtube"], ["line"]):
            report = guard.check(text, platforms=platforms)
            assert [n.model_dump() for n in report.lengths] == lengths(text, platforms)
