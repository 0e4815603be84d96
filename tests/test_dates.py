"""Date problems in drafts, written the way busy staff write them."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard import eras
from fujisns_guard.dates import find_date_problems, infer_year

DRAFT = datetime.date(2026, 11, 20)  # a Friday


def kinds(text: str, draft: datetime.date = DRAFT) -> list[tuple[str, str, str | None]]:
    return [(p.kind, p.matched, p.suggestion) for p in find_date_problems(text, draft)]


def test_required_acceptance() -> None:
    problems = find_date_problems("11月23日(火)に開催します", DRAFT)
    assert [p.kind for p in problems] == ["weekday_mismatch"]
    assert problems[0].suggestion is not None and "(月)" in problems[0].suggestion
    assert problems[0].suggestion == "11月23日(月)"
    assert "月曜日" in problems[0].message


@pytest.mark.parametrize(
    ("text", "matched", "suggestion"),
    [
        ("11月23日(火)", "11月23日(火)", "11月23日(月)"),
        ("11/23(火)", "11/23(火)", "11/23(月)"),
        ("11 / 23 (火)", "11 / 23 (火)", "11 / 23 (月)"),
        ("11月 23日（火）", "11月 23日（火）", "11月 23日（月）"),
        ("11月23日 (火曜日)", "11月23日 (火曜日)", "11月23日 (月曜日)"),
        ("11月23日（火曜）", "11月23日（火曜）", "11月23日（月曜）"),
        ("11月23日火曜日に", "11月23日火曜日", "11月23日月曜日"),
        ("2026年11月23日(月曜日)だけでなく2026年11月24日(月曜日)も", "2026年11月24日(月曜日)", "2026年11月24日(火曜日)"),
        ("2026年11月23日(火曜日)", "2026年11月23日(火曜日)", "2026年11月23日(月曜日)"),
        ("2026/11/23(火)", "2026/11/23(火)", "2026/11/23(月)"),
        ("2026.11.23(火)", "2026.11.23(火)", "2026.11.23(月)"),
        ("令和8年11月23日(火)", "令和8年11月23日(火)", "令和8年11月23日(月)"),
        ("R8.11.23(火)", "R8.11.23(火)", "R8.11.23(月)"),
        ("R8/11/23（火）", "R8/11/23（火）", "R8/11/23（月）"),
        ("令和8年（2026年）11月23日（火）", "11月23日（火）", "11月23日（月）"),
        ("11月23日(月)〜25日(木)", "25日(木)", "25日(水)"),
        ("11月23日(月)~25日(木)", "25日(木)", "25日(水)"),
        ("11月23日(月)・24日(水)", "24日(水)", "24日(火)"),
        ("11月23日(月)から11月25日(木)まで", "11月25日(木)", "11月25日(水)"),
        ("12月30日(水)、1月4日(火)", "1月4日(火)", "1月4日(月)"),  # 2027-01-04 is a Monday
        ("2026年12月28日(月)〜1月4日(火)", "1月4日(火)", "1月4日(月)"),
        ("11月23日(火・祝)", "11月23日(火・祝)", "11月23日(月・祝)"),
    ],
)
def test_weekday_mismatch(text: str, matched: str, suggestion: str) -> None:
    problems = [p for p in find_date_problems(text, DRAFT) if p.kind == "weekday_mismatch"]
    assert [(p.matched, p.suggestion) for p in problems] == [(matched, suggestion)]
    assert all(text[p.start : p.end] == p.matched for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "11月23日(月)に開催します",
        "11月23日（月・祝）",
        "11/23(月)",
        "11 / 23 ( 月 )",
        "2026年11月23日(月曜日)",
        "令和8年11月23日(月)",
        "R8.11.23(月)",
        "11月23日(月)〜25日(水)",
        "11月23日(月)・24日(火)・25日(水)",
        "12月30日(水)、1月4日(月)",  # across the year end: 2027-01-04
        "2026年12月28日(月)〜1月4日(月)",
        "1/2の確率(約50%)",  # a fraction, not a date
        "11月23日",
        "毎月23日(第4月曜日を除く)",
        "H31.4.30(火)",  # the last day of 平成
        "令和元年5月1日(水)",
        "2019年5月1日(水)",
        "11月23日(土・日)",  # two weekdays: not checked
    ],
)
def test_no_weekday_problem(text: str) -> None:
    assert kinds(text) == []


def test_year_inference_window() -> None:
    assert infer_year(11, 23, DRAFT) == 2026
    assert infer_year(1, 4, DRAFT) == 2027  # six weeks ahead
    assert infer_year(6, 15, DRAFT) == 2027  # seven months ahead: forward-biased
    assert infer_year(7, 1, DRAFT) == 2026  # after the window: the past July
    assert infer_year(8, 1, DRAFT) == 2026
    assert infer_year(2, 29, DRAFT) == 2027
    assert infer_year(12, 31, datetime.date(2026, 1, 5)) == 2025


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("2026年12月23日(水・祝)", "2026年12月23日(水・祝)"),  # no longer a holiday since 2019
        ("12月23日(水・祝)", "12月23日(水・祝)"),
        ("11月24日(火・休)", "11月24日(火・休)"),
        ("11月24日(火祝)", "11月24日(火祝)"),
        ("11月24日（祝）", "11月24日（祝）"),
    ],
)
def test_holiday_mark(text: str, matched: str) -> None:
    problems = [p for p in find_date_problems(text, DRAFT) if p.kind == "holiday_mark"]
    assert [p.matched for p in problems] == [matched]


def test_holiday_mark_suggestions_keep_the_style() -> None:
    assert kinds("2026年12月23日(水・祝)") == [("holiday_mark", "2026年12月23日(水・祝)", "2026年12月23日(水)")]
    assert kinds("11月24日（祝）") == [("holiday_mark", "11月24日（祝）", "11月24日（火）")]


@pytest.mark.parametrize(
    "text",
    [
        "2026年9月22日(火・休)",  # 国民の休日
        "2026年5月6日(水・休)",  # 振替休日
        "11月23日(月・祝)",  # 勤労感謝の日
        "11月3日(火・祝)",  # 文化の日
        "1月11日(月・祝)",  # 成人の日 2027
        "2027年2月23日(火・祝)",  # 天皇誕生日
    ],
)
def test_real_holidays_are_not_flagged(text: str) -> None:
    assert [k for k in kinds(text) if k[0] == "holiday_mark"] == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("2月30日", "2月30日"),
        ("4月31日に", "4月31日"),
        ("6 月 31 日", "6 月 31 日"),
        ("13月", "13月"),
        ("11月0日", "11月0日"),
        ("11月32日", "11月32日"),
        ("2月29日", "2月29日"),  # 2027, inferred, is not a leap year
        ("2027年2月29日(月)", "2027年2月29日"),
        ("2026/2/30", "2026/2/30"),
        ("令和8年2月30日", "令和8年2月30日"),
        ("11月30日(月)〜31日(火)", "31日"),  # November has 30 days
    ],
)
def test_impossible_date(text: str, matched: str) -> None:
    problems = [p for p in find_date_problems(text, DRAFT) if p.kind == "impossible_date"]
    assert [p.matched for p in problems] == [matched]


@pytest.mark.parametrize("text", ["2028年2月29日", "2月28日", "12月31日", "1/2", "3ヶ月", "12か月", "0120-123-456"])
def test_possible_dates(text: str) -> None:
    assert [k for k in kinds(text) if k[0] == "impossible_date"] == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("25時", "25時"),
        ("10時75分", "10時75分"),
        ("10時 60分", "10時 60分"),
        ("24:30", "24:30"),
        ("9:75", "9:75"),
        ("24時30分", "24時30分"),
        ("午後13時", "午後13時"),
    ],
)
def test_impossible_time(text: str, matched: str) -> None:
    assert kinds(text) == [("impossible_time", matched, None)]


@pytest.mark.parametrize(
    "text",
    ["24時まで", "24:00", "0時", "9時半", "24時間営業", "48時間以内", "1時間30分", "9:00〜17:00", "午後1時", "第5時限"],
)
def test_possible_times(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("平成32年", "令和2年"),
        ("平成32年度", "令和2年度"),
        ("平成31年5月1日", "令和元年5月1日"),
        ("令和元年4月30日", "平成31年4月30日"),
        ("H31.5.1", "R1.5.1"),
        ("昭和65年", "平成2年"),
        ("令和0年", "平成30年"),
    ],
)
def test_era_out_of_range(text: str, suggestion: str) -> None:
    assert kinds(text) == [("era_out_of_range", text, suggestion)]


@pytest.mark.parametrize(
    "text", ["平成31年", "平成31年度", "令和元年度", "令和元年5月1日", "昭和64年1月7日", "平成元年1月8日", "令和8年"]
)
def test_era_in_range(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("令和8年(2025年)", "令和8年(2026年)"),
        ("令和8年（2025年）", "令和8年（2026年）"),
        ("令和8年度(2025年度)", "令和8年度(2026年度)"),
        ("2026年(令和7年)", "2026年(令和8年)"),
        ("2026(令和7)年", "2026(令和8)年"),
    ],
)
def test_era_mismatch(text: str, suggestion: str) -> None:
    assert kinds(text) == [("era_mismatch", text, suggestion)]


@pytest.mark.parametrize("text", ["令和8年(2026年)", "2026年（令和8年）", "2019年(令和元年)", "2019年(平成31年)"])
def test_era_agrees(text: str) -> None:
    assert kinds(text) == []


def test_era_table() -> None:
    assert eras.era_of(datetime.date(2019, 4, 30)) == eras.BY_NAME["平成"]
    assert eras.era_of(datetime.date(2019, 5, 1)) == eras.BY_NAME["令和"]
    assert eras.era_of(datetime.date(1989, 1, 7)) == eras.BY_NAME["昭和"]
    assert eras.era_of(datetime.date(1989, 1, 8)) == eras.BY_NAME["平成"]


@pytest.mark.parametrize(
    "text",
    [
        "11月3日(火)に開催します",
        "11月3日（火）午前10時から市民会館で行います。",
        "11月10日までお申し込みください",
        "11月18日(水)に開催予定です",
        "10月31日(土)、ぜひお越しください",
        "2026年11月1日(日)に実施します",
    ],
)
def test_past_event(text: str) -> None:
    assert [k[0] for k in kinds(text)] == ["past_event"]


@pytest.mark.parametrize(
    "text",
    [
        "11月3日(火)に開催しました",
        "11月3日(火)に開催した講座の様子です。次回は12月5日(土)に開催します",
        "11月18日(水)〜25日(水)に開催します",  # still running
        "11月23日(月)に開催します",
        "11月3日から受け付けています",
        "11月3日に決定した計画に基づき、12月に工事を実施します",
        "11月3日の様子をご覧ください",
        "11月20日(金)に開催します",  # today
    ],
)
def test_not_past_event(text: str) -> None:
    assert [k for k in kinds(text) if k[0] == "past_event"] == []


def test_past_event_is_relative_to_the_draft_date() -> None:
    assert kinds("11月3日(火)に開催します", datetime.date(2026, 10, 20)) == []


def test_dates_inside_urls_are_ignored() -> None:
    assert kinds("詳しくは https://www.city.fuji.shizuoka.jp/2026/13/45/ をご覧ください") == []


def test_several_problems_are_sorted() -> None:
    text = "【延期】11月23日(火)から2月30日に変更。受付は25時まで。"
    assert [p.kind for p in find_date_problems(text, DRAFT)] == ["weekday_mismatch", "impossible_date", "impossible_time"]


_PIECES = ["11", "23", "2026", "令和", "平成", "8", "元", "年", "月", "日", "度", "(", ")", "（", "）", "火", "月", "祝",
           "休", "・", "〜", "、", "/", ".", ":", "時", "分", " ", "R", "H", "開催します", "曜日", "午後", "。"]  # fmt: skip


@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)),
       st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))  # fmt: skip
def test_never_raises_and_spans_slice(text: str, draft: datetime.date) -> None:
    for p in find_date_problems(text, draft):
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start : p.end] == p.matched
        assert p.message


@pytest.mark.parametrize(
    ("text", "matched", "kind"),
    [
        ("十二月五日（日）に開催", "十二月五日（日）", "weekday_mismatch"),  # detector_eval L216: 12/5 is a Saturday
        ("十一月二十三日（火）", "十一月二十三日（火）", "weekday_mismatch"),
        ("十月三十一日（金）から十一月一日（日）まで", "十月三十一日（金）", "weekday_mismatch"),
        ("二月三十日", "二月三十日", "impossible_date"),
    ],
)
def test_kanji_numeral_dates(text: str, matched: str, kind: str) -> None:
    found = [(p.matched, p.kind) for p in find_date_problems(text, datetime.date(2026, 11, 23))]
    assert (matched, kind) in found
    for p in find_date_problems(text, datetime.date(2026, 11, 23)):
        assert text[p.start : p.end] == p.matched



def test_kanji_numeral_date_suggestion_keeps_the_numerals() -> None:
    [p] = find_date_problems("十二月五日（日）に開催", datetime.date(2026, 11, 23))
    assert p.suggestion == "十二月五日（土）"


@pytest.mark.parametrize(
    "text",
    ["十二月五日（土）に開催", "十一月二十三日(月)", "一二月五日（日）", "五月雨", "十二月", "百十二月五日（日）"],
)
def test_kanji_numeral_dates_without_problem(text: str) -> None:
    assert find_date_problems(text, datetime.date(2026, 11, 23)) == []
