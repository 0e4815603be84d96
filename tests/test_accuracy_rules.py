"""Issue 5.1/5.2 wired into rules: accuracy.dates, accuracy.alert_level, accuracy.disaster_terms."""

from __future__ import annotations

import datetime as dt
import io
import json
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.dates import _DATES, scan
from fujisns_guard.model import Finding
from fujisns_guard.ruleset import load_ruleset

DAY = dt.date(2026, 11, 20)
ACCURACY = ["accuracy.dates", "accuracy.alert_level", "accuracy.disaster_terms"]


def _findings(guard: Guard, text: str, rule: str = "accuracy.dates", day: dt.date = DAY) -> list[Finding]:
    return [f for f in guard.check(text, date=day, only=[rule]).findings if f.rule_id == rule]


def _cli_json(tmp_path: Path, text: str, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(path), "--date", "2026-11-20", "--format", "json", *extra], out=out, err=err)
    assert err.getvalue() == "", err.getvalue()
    return code, json.loads(out.getvalue())


# --- acceptance (issue 5, "Done when") ------------------------------------------------------------


def test_cli_weekday_mismatch_suggests_the_right_weekday(tmp_path: Path) -> None:
    code, reports = _cli_json(tmp_path, "11月23日(火)に開催します\n")
    found = [f for f in reports[0]["findings"] if f["rule_id"] == "accuracy.dates"]
    assert len(found) == 1
    f = found[0]
    assert f["excerpt"] == "(火)" and f["suggestions"] == ["(月)"]
    assert f["severity"] == "error" and f["category"] == "accuracy" and f["clause"] == "G-RULE-4"
    assert "月曜日" in f["message"]
    assert reports[0]["decision"]["route"] == "revise" and code == 1


def test_cli_holiday_marks(tmp_path: Path) -> None:
    _, reports = _cli_json(tmp_path, "2026年12月23日(水・祝)\n")
    found = [f for f in reports[0]["findings"] if f["rule_id"] == "accuracy.dates"]
    assert [(f["excerpt"], f["suggestions"]) for f in found] == [("(水・祝)", ["(水)"])]
    assert "祝日・休日ではありません" in found[0]["message"]
    _, reports = _cli_json(tmp_path, "2026年9月22日(火・休)\n")
    assert not [f for f in reports[0]["findings"] if f["category"] == "accuracy"]


def test_guard_acceptance_cases(guard: Guard) -> None:
    [f] = _findings(guard, "11月23日(火)に開催します")
    assert f.suggestions == ["(月)"]
    assert [f.excerpt for f in _findings(guard, "2026年12月23日(水・祝)")] == ["(水・祝)"]
    assert _findings(guard, "2026年9月22日(火・休)") == []  # 国民の休日
    [era] = _findings(guard, "令和8年(2025年)の事業")
    assert era.excerpt == "令和8年(2025年)" and era.suggestions == ["令和8年(2026年)"]


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "suggestion"),
    [
        ("１１月２３日（火）に開催", "（火）", "（月）"),  # full-width brackets kept
        ("11月23日（火曜日）開催", "（火曜日）", "（月曜日）"),
        ("11月 23日 (火) 開催", "(火)", "(月)"),
        ("R8.11.23(火)", "(火)", "(月)"),
        ("2026/11/23(火)", "(火)", "(月)"),
        ("11/23（火）", "（火）", "（月）"),
        ("令和８年（２０２５年）", "令和８年（２０２５年）", "令和８年（２０２６年）"),  # full-width digits kept
        ("2026年（令和7年）", "2026年（令和7年）", "2026年（令和8年）"),
        ("平成３２年度", "平成３２年度", "令和２年度"),
        ("H31.5.1", "H31.5.1", "R1.5.1"),
        ("12月23日(祝)", "(祝)", "(水)"),
    ],
)
def test_date_problems_with_suggestion(guard: Guard, text: str, excerpt: str, suggestion: str) -> None:
    [f] = _findings(guard, text)
    assert (f.excerpt, f.suggestions, f.severity) == (excerpt, [suggestion], "error")


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("2月30日(月)", "2月30日"),
        ("４月３１日", "４月３１日"),
        ("13月1日", "13月1日"),
        ("25時集合", "25時"),
        ("10時75分", "10時75分"),
        ("午後13時", "午後13時"),
    ],
)
def test_impossible_dates_and_times(guard: Guard, text: str, excerpt: str) -> None:
    [f] = _findings(guard, text)
    assert f.excerpt == excerpt and f.suggestions == [] and f.severity == "error"


def test_wrong_weekday_and_holiday_mark_on_one_bracket_is_one_finding(guard: Guard) -> None:
    [f] = _findings(guard, "12月23日(火・祝)は休館")
    assert f.excerpt == "(火・祝)" and f.suggestions == ["(水)"]
    assert "水曜日" in f.message and "祝日・休日ではありません" in f.message
    assert "weekday_mismatch" in f.explanation and "holiday_mark" in f.explanation


def test_past_event_is_a_warning_and_routes_to_the_chief(guard: Guard) -> None:
    report = guard.check("10月3日（土）に開催します！ぜひお越しください", date=DAY, only=["accuracy.dates"])
    [f] = report.findings
    assert f.severity == "warning" and f.excerpt == "10月3日（土）" and f.suggestions == []
    assert f.reason.startswith("既に過ぎた日付")
    assert report.decision.route == "section_chief"


@pytest.mark.parametrize(
    "text",
    [
        "10月3日(土)に開催しました。",  # past tense
        "11月23日（月・祝）勤労感謝の日",
        "2027年1月11日(月・祝)",
        "受付 8:30〜17:15、24時間受付",
        "令和８年（２０２６年）",
        "11月28日（土）　10時～12時",
        "https://www.city.example.lg.jp/2026/11/23(火)/",  # inside a URL
        "富士市の魅力を発信します",
    ],
)
def test_date_negatives(guard: Guard, text: str) -> None:
    assert _findings(guard, text) == []


def test_dates_offsets_with_front_matter(guard: Guard) -> None:
    text = '---\nkind = "post"\n---\n１１月２３日（火）開催'
    [f] = _findings(guard, text)
    assert text[f.start : f.end] == "（火）" and f.line == 4


# --- alert levels and disaster terms ----------------------------------------------------------------


def test_alert_level_mismatch_suggests_the_level_of_the_action(guard: Guard) -> None:
    [f] = _findings(guard, "【警戒レベル４】高齢者等避難を発令", "accuracy.alert_level")
    assert f.excerpt == "警戒レベル４】高齢者等避難" and f.suggestions == ["警戒レベル３】高齢者等避難"]
    assert f.severity == "error" and "警戒レベル3" in f.message
    assert _findings(guard, "【警戒レベル4】避難指示を発令しました", "accuracy.alert_level") == []


@pytest.mark.parametrize(
    ("text", "term", "alternative"),
    [
        ("避難勧告を発令しました", "避難勧告", "避難指示"),
        ("避難準備・高齢者等避難開始", "避難準備・高齢者等避難開始", "高齢者等避難"),
        ("避難指示(緊急)を発令", "避難指示(緊急)", "避難指示"),
        ("避難準備情報", "避難準備情報", "高齢者等避難"),
        ("災害発生情報", "災害発生情報", "緊急安全確保"),
    ],
)
def test_abolished_terms(guard: Guard, text: str, term: str, alternative: str) -> None:
    [f] = _findings(guard, text, "accuracy.disaster_terms")
    assert f.excerpt == term and f.suggestions == [alternative]
    assert f.category == "accuracy" and f.severity == "error"
    assert "2021年5月20日" in f.reason


@pytest.mark.parametrize(
    "text", ["避難勧告は廃止され、避難指示に一本化されました", "旧避難勧告", "避難指示を発令しました", "高齢者等避難を発令"]
)
def test_abolished_terms_negatives(guard: Guard, text: str) -> None:
    assert _findings(guard, text, "accuracy.disaster_terms") == []


def test_a_term_under_discussion_is_info(guard: Guard) -> None:
    [f] = _findings(guard, "「避難勧告」という言葉は使われなくなりました", "accuracy.disaster_terms")
    assert f.severity == "info"


def test_word_list_matches_the_disaster_data() -> None:
    """wordlists/accuracy_disaster_terms.toml says what data/disaster_terms.toml says."""
    data = tomllib.loads(files("fujisns_guard").joinpath("data/disaster_terms.toml").read_text(encoding="utf-8"))
    ruleset = load_ruleset()
    rule = ruleset.get("accuracy.disaster_terms")
    assert rule is not None
    listed = {t.term: t for t in ruleset.terms_for(rule)}
    assert set(listed) == {row["term"] for row in data["term"]}
    for row in data["term"]:
        t = listed[row["term"]]
        assert t.alternatives == [row["replacement"]] and t.category == "accuracy"
        assert set(row["exceptions"]) <= set(t.exceptions)
        assert t.reason and t.source


# --- robustness -----------------------------------------------------------------------------------


@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "0123456789０１２３年月日時分()（）・祝休月火水木金土日曜/.:〜"
                "令和平成RHレベル警戒避難指示開催しますhttps:/.com@ \n"
            )
        ),
        max_size=60,
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
def test_accuracy_rules_never_fail_and_spans_slice_the_text(guard: Guard, text: str, day: dt.date) -> None:
    report = guard.check(text, date=day, only=ACCURACY)
    for f in report.findings:
        assert "実行に失敗" not in f.explanation, f
        assert 0 <= f.start <= f.end <= len(text) and f.excerpt == text[f.start : f.end]


@given(
    st.text(alphabet=st.sampled_from(list("0123456789年月日度()（）/.-令和平成昭元治大正明MTSHRa 　時分:午前後")), max_size=40)
)
def test_scan_finds_what_finditer_finds(text: str) -> None:
    """`dates.scan` tries the date pattern only where a date can start: same matches."""
    assert [m.span() for m in scan(text)[0]] == [m.span() for m in _DATES.finditer(text)]
