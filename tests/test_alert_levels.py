"""警戒レベル paired with the wrong action, and the disaster term data."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard.alert_levels import find_alert_level_mismatches


@pytest.mark.parametrize(
    ("text", "matched", "suggestion"),
    [
        ("警戒レベル4 高齢者等避難", "警戒レベル4 高齢者等避難", "警戒レベル3 高齢者等避難"),
        ("【警戒レベル3】避難指示を発令しました", "警戒レベル3】避難指示", "警戒レベル4】避難指示"),
        ("【警戒レベル４】高齢者等避難", "警戒レベル４】高齢者等避難", "警戒レベル3】高齢者等避難"),
        ("警戒レベル 4：緊急安全確保", "警戒レベル 4：緊急安全確保", "警戒レベル 5：緊急安全確保"),
        ("避難指示（警戒レベル3）", "避難指示（警戒レベル3", "避難指示（警戒レベル4"),
        ("警戒レベル3相当の土砂災害警戒情報", "警戒レベル3相当の土砂災害警戒情報", "警戒レベル4相当の土砂災害警戒情報"),
        ("警戒レベル2 洪水警報", "警戒レベル2 洪水警報", "警戒レベル3 洪水警報"),
        ("警戒レベル5 早期注意情報", "警戒レベル5 早期注意情報", "警戒レベル1 早期注意情報"),
        ("富士市に避難指示 レベル3", "避難指示 レベル3", "避難指示 レベル4"),
    ],
)
def test_mismatch(text: str, matched: str, suggestion: str) -> None:
    problems = find_alert_level_mismatches(text)
    assert [(p.matched, p.suggestion) for p in problems] == [(matched, suggestion)]
    assert all(text[p.start : p.end] == p.matched for p in problems)


def test_message_names_both_levels() -> None:
    (p,) = find_alert_level_mismatches("警戒レベル4 高齢者等避難")
    assert p.message == "「高齢者等避難」は警戒レベル3です。警戒レベル4は「避難指示」です。"
    (p,) = find_alert_level_mismatches("警戒レベル2 洪水警報")
    assert "警戒レベル3相当" in p.message


@pytest.mark.parametrize(
    "text",
    [
        "【警戒レベル4】避難指示",
        "警戒レベル4避難指示",
        "避難指示（警戒レベル4）",
        "警戒レベル3 高齢者等避難",
        "警戒レベル5 緊急安全確保",
        "警戒レベル1 早期注意情報",
        "【警戒レベル２】大雨注意報",
        "警戒レベル2：洪水注意報",
        "警戒レベル4相当の土砂災害警戒情報",
        "大雨特別警報（警戒レベル5相当）",
        "高潮注意報（警戒レベル3相当）",  # 高潮注意報 is level 2, or 3 相当 when it may become a warning
        "避難指示（警戒レベル4）、高齢者等避難（警戒レベル3）",
        "警戒レベル3高齢者等避難、警戒レベル4避難指示",
        "警戒レベル4までに必ず避難してください",
        "警戒レベル4。高齢者等避難の方は早めに",  # a sentence end separates them
        "警戒レベル4になる前に、危険な場所にいる高齢者の方は避難を。",
        "避難所を開設しました",
        "",
    ],
)
def test_no_mismatch(text: str) -> None:
    assert find_alert_level_mismatches(text) == []


def test_far_apart_is_not_paired() -> None:
    text = "警戒レベル4" + "、市内の全域を対象として発令中です" + "。高齢者等避難"
    assert find_alert_level_mismatches(text) == []


def _terms() -> dict[str, object]:
    return tomllib.loads(files("fujisns_guard").joinpath("data/disaster_terms.toml").read_text(encoding="utf-8"))


def test_disaster_terms_data() -> None:
    data = _terms()
    terms = {t["term"]: t for t in data["term"]}  # type: ignore[attr-defined]
    assert terms["避難勧告"]["replacement"] == "避難指示"
    assert terms["避難勧告"]["changed"] == "2021-05-20"
    assert terms["避難準備・高齢者等避難開始"]["replacement"] == "高齢者等避難"
    assert terms["避難準備情報"]["replacement"] == "高齢者等避難"
    for t in terms.values():
        assert t["reason"] and t["source"] and t["replacement"] not in ("", t["term"])
        assert all(t["term"] in e for e in t["exceptions"])  # an exception contains its term
    levels = {row["level"]: row["action"] for row in data["level"]}  # type: ignore[attr-defined]
    assert levels == {1: "早期注意情報", 2: "大雨・洪水・高潮注意報", 3: "高齢者等避難", 4: "避難指示", 5: "緊急安全確保"}


@given(st.text(alphabet=st.sampled_from(list("警戒レベル12345４ 【】()避難指示高齢者等緊急安全確保。相当の")), max_size=40))
def test_never_raises(text: str) -> None:
    for p in find_alert_level_mismatches(text):
        assert text[p.start : p.end] == p.matched
