"""Date and time mistakes in a Japanese post: wrong weekday, impossible dates, era slips.

A wrong date in a city announcement sends people to a closed hall on the wrong day, so these
are errors, except ``past_event`` (an upcoming-event wording after a date already past), which
is a warning. The text is already NFKC-normalised (ASCII digits and brackets); full-width
brackets and stray spaces (``11月 23日（火）``, ``11 / 23 (火)``) are accepted anyway.

A month/day without a year takes it from the date it continues (``11月23日(月)〜25日(水)``,
``12月30日(水)、1月4日(月)`` across the new year), else from the draft date: the year that puts
the date between 5 months before and 7 months after the draft (posts announce more than they
look back). Holidays (祝日, 振替休日, 国民の休日) come from ``jpholiday``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import jpholiday

from fujisns_guard import eras
from fujisns_guard.twitter_urls import extract_urls

from .lazyre import lazy

Kind = Literal[
    "weekday_mismatch",
    "holiday_mark",
    "impossible_date",
    "impossible_time",
    "era_mismatch",
    "era_out_of_range",
    "past_event",
]


class DateProblem(NamedTuple):
    start: int
    end: int
    matched: str
    kind: Kind
    message: str  # Japanese, for the finding
    suggestion: str | None  # the corrected text for text[start:end], when it is known


WEEKDAYS = "月火水木金土日"  # datetime.weekday() order
_BACK = datetime.timedelta(days=152)  # ~5 months
_AHEAD = datetime.timedelta(days=213)  # ~7 months: the window is one year long
_GREGORIAN_FROM_YMD = (1873, 1, 1)  # no weekday check before the calendar reform

_SP = r"[ \t\u3000]*"
_ERA = "(?:明治|大正|昭和|平成|令和)"
_Y = r"(?:元|\d{1,2})"
# Stdlib `re` (twice as fast as the `regex` module here). Each alternative is one outer named
# group, so `Match.lastgroup` names the form that matched. `md` (the most common form) is tried
# first: no other alternative can match where it does, except `month`, which must follow it.
_DATES = lazy(
    rf"""(?=[\d明大昭平令MTSHR])(?:
    (?P<md>(?<!\d)(?P<m_m>\d{{1,2}}){_SP}月{_SP}(?P<m_d>\d{{1,2}}){_SP}日(?!間))
  | (?P<era_date>(?P<e_era>{_ERA}){_SP}(?P<e_y>{_Y}){_SP}年{_SP}(?P<e_m>\d{{1,2}}){_SP}月{_SP}(?P<e_d>\d{{1,2}}){_SP}日)
  | (?P<abbr_date>(?<![A-Za-z])(?P<a_era>[MTSHR]){_SP}(?P<a_y>{_Y}){_SP}(?:[./]|年){_SP}(?P<a_m>\d{{1,2}})
        {_SP}(?:[./]|月){_SP}(?P<a_d>\d{{1,2}})(?:{_SP}日)?(?!\d|\.\d))
  | (?P<west_date>(?<!\d)(?P<w_y>\d{{4}}){_SP}年{_SP}(?P<w_m>\d{{1,2}}){_SP}月{_SP}(?P<w_d>\d{{1,2}}){_SP}日)
  | (?P<num_date>(?<![\d./-])(?P<n_y>(?:19|20)\d{{2}})(?P<n_sep>[./-])(?P<n_m>\d{{1,2}})(?P=n_sep)(?P<n_d>\d{{1,2}})
        (?![\d/-]|\.\d))
  | (?P<west_year_era>(?<!\d)(?P<y_w>\d{{4}}){_SP}年?(?P<y_fy>度)?{_SP}[(（]{_SP}(?P<y_era>{_ERA}|[MTSHR]){_SP}
        (?P<y_ey>{_Y}){_SP}年?度?{_SP}[)）](?:{_SP}年(?P<y_fy2>度)?)?)
  | (?P<era_year>(?P<ey_era>{_ERA}|(?<![A-Za-z])[MTSHR]){_SP}(?P<ey_y>{_Y}){_SP}年(?P<ey_fy>度)?
        (?:{_SP}[(（]{_SP}(?P<ey_w>\d{{4}}){_SP}年?度?{_SP}[)）])?)
  | (?P<slash_md>(?<![\d./])(?P<s_m>\d{{1,2}}){_SP}[/.]{_SP}(?P<s_d>\d{{1,2}})(?![\d/]|\.\d))
  | (?P<day>(?<![\d月/.])(?P<d_d>\d{{1,2}}){_SP}日(?![間目]))
  | (?P<month>(?<![\d.])(?P<o_m>\d{{1,2}}){_SP}月))
    """,
    re.VERBOSE,
)
# The bracket after a date: (月), （月曜日）, (月・祝), (祝) …, or 月曜日 written without one. Two
# patterns, told apart by their first character; the bare one has empty sep/hol groups.
_BRACKET = lazy(
    rf"{_SP}[(（][ 　]*(?P<wd>[月火水木金土日])?(?P<wds>曜日|曜)?[ 　]*"
    r"(?:(?P<sep>[・･/,、])?[ 　]*(?P<hol>振替休日|振休|祝日|祝|休日|休))?[ 　]*[)）]"
)
_BARE_WEEKDAY = lazy(rf"{_SP}(?P<wd>[月火水木金土日])(?P<wds>曜日|曜)(?P<sep>(?!))?(?P<hol>(?!))?")
# What `scan` looks for, each alternative starting with one literal character (so that `re`
# scans for their first characters fast instead of trying the pattern at every position):
# a date unit after a digit or a space; an era name or initial (not inside an ASCII word) before
# a number; the marks of an impossible time (hour 24-99 before 時 or :, minute 60-99 before 分
# or after :, 午前/午後 with an hour over 12, or two spaces before 時/分, which `scan` checks).
_SP1 = "[ \\t\\u3000]"
_LATE_H = "(?:2[4-9]|[3-9][0-9])"
_HINT = lazy(
    "|".join(
        [rf"{re.escape(u)}(?<=[0-9 \t\u3000]{re.escape(u)})" for u in "年月日/.-(（度"]
        + [rf"{c}(?<![A-Za-z]{c})(?={_SP}[0-9元])" for c in "MTSHR"]
        + ["明(?=治)", "大(?=正)", "昭(?=和)", "平(?=成)", "令(?=和)"]
        + [rf"時(?<={_LATE_H}時)", rf"時(?<={_LATE_H}{_SP1}時)", rf"時(?<={_SP1}{_SP1}時)"]
        + [r"分(?<=[6-9][0-9]分)", rf"分(?<=[6-9][0-9]{_SP1}分)", rf"分(?<={_SP1}{_SP1}分)"]
        + [rf":(?:(?<={_LATE_H}:)|(?=[6-9][0-9]))", rf"午(?=[前後]{_SP}(?:1[3-9]|[2-9][0-9]))"]
    )
)
_UNITS = frozenset("年月日/.-(（度")
_ASCII_DIGITS = frozenset("0123456789")
_DIGIT_CHARS = "0123456789"
# How many digits the alternatives of _DATES put before each unit (md, day, month: 1-2; a
# Gregorian year: 4; slash_md 1-2 or num_date 4 before / and .).
_RUN_LENGTHS = {
    "月": (1, 2),
    "日": (1, 2),
    "年": (4,),
    "(": (4,),
    "（": (4,),
    "度": (4,),
    "-": (4,),
    "/": (1, 2, 4),
    ".": (1, 2, 4),
}
_CONNECTOR = lazy(rf"{_SP}(?:[〜~\-－―‐ー/・、,，と]|から|より|および|及び|や)?{_SP}")
_MAX_CONNECTOR = 12  # longer gaps are spaces only in odd drafts; the regex is not tried on them
_SPACES = " \t\u3000"
_SKIP_SPACES = lazy(_SP)
_BRACKET_FIRST = "(（月火水木金土日"
_TIME = lazy(
    rf"(?=[午0-9])(?:(?P<ampm>午前|午後){_SP})?(?:(?<![\d.])(?P<h>\d{{1,2}}){_SP}時(?![間限代])(?:{_SP}(?P<mi>\d{{1,2}}){_SP}分(?!間))?"
    rf"|(?<![\d:.])(?P<h2>\d{{1,2}}):(?P<mi2>\d{{2}})(?![\d:]))"
)
_SENTENCE_END = lazy(r"[。！？!?\n]")
_ANNOUNCE = lazy(
    r"(?:開催|実施|募集|受付|受け付け|開講|開館|休館|閉館|休業|運休|中止|延期|販売|配布|公開|締め切り|行い|開き|始まり|始め|"
    r"行われ|予定)(?:します|いたします|ます|です|となります)"
    r"|お越しください|ご来場ください|ご参加ください|お申し?込み?ください|ご応募ください|お集まりください|お待ちしてい?ます|お待ちしております"
)


@dataclass(slots=True)
class _Date:
    """A recognised date: where it is, what it says, and the bracket after it."""

    start: int
    end: int  # end of the date text, before any bracket
    stop: int  # end including the bracket
    year: int
    month: int
    day: int
    inferred: bool  # the year was not written
    bracket: re.Match[str] | None


@lru_cache(maxsize=4096)
def infer_year(month: int, day: int, draft: datetime.date) -> int:
    """The year that puts month/day from 5 months before to 7 months after ``draft``.

    Posts announce events months ahead more often than they look back, hence the forward bias.
    """

    def distance(year: int) -> int:
        d = datetime.date(year, month, min(max(day, 1), 28))
        if d < draft - _BACK:
            return (draft - _BACK - d).days
        if d >= draft + _AHEAD:
            return (d - draft - _AHEAD).days + 1
        return 0

    return min((draft.year, draft.year + 1, draft.year - 1), key=distance)


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and day == 29:
        return calendar.isleap(year)
    return day <= _MONTH_DAYS[month]


def _ymd(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


def _impossible(m: re.Match[str], year: int, month: int, day: int, inferred: bool) -> DateProblem:
    if not 1 <= month <= 12:
        msg = f"{month}月は存在しません。"
    elif month == 2 and day == 29:
        note = "（年の記載がないため" + str(year) + "年として確認）" if inferred else ""
        msg = f"{year}年はうるう年ではないため、2月29日はありません{note}。"
    elif day == 0:
        msg = f"{month}月0日は存在しない日付です。"
    else:
        msg = f"{month}月{day}日は存在しない日付です（{month}月は{calendar.monthrange(year, month)[1]}日までです）。"
    return DateProblem(m.start(), m.end(), m.group(), "impossible_date", msg, None)


def _era_int(text: str) -> int:
    return 1 if text == "元" else int(text)


def _era(name: str) -> eras.Era:
    return eras.BY_NAME[eras.ABBREVIATIONS.get(name, name)]


@lru_cache(maxsize=4096)
def _weekday(year: int, month: int, day: int) -> str:
    return WEEKDAYS[datetime.date(year, month, day).weekday()]


def _bracket_problems(text: str, d: _Date) -> list[DateProblem]:
    """Weekday and holiday-mark checks of the bracket after a valid date."""
    b = d.bracket
    if b is None or (d.year, d.month, d.day) < _GREGORIAN_FROM_YMD:
        return []
    actual = _weekday(d.year, d.month, d.day)
    written, mark = b.group("wd", "hol")
    wrong_weekday = written is not None and written != actual
    wrong_mark = mark is not None and not jpholiday.is_holiday(datetime.date(d.year, d.month, d.day))
    if not (wrong_weekday or wrong_mark):  # the common case: nothing to build
        return []
    fix = list(text[d.start : d.stop])
    base = d.start
    if wrong_mark:  # drop the mark and its separator, keep the rest of the writer's bracket
        cut_from = b.start("sep") if b.group("sep") else b.start("hol")
        for i in range(cut_from, b.end("hol")):
            fix[i - base] = ""
        if b.group("wd") is None:
            fix[b.start("hol") - base] = actual  # (祝) alone becomes the weekday
    if wrong_weekday:
        fix[b.start("wd") - base] = actual
    suggestion = "".join(fix)
    note = "（年の記載がないため" + str(d.year) + "年として計算）" if d.inferred else ""
    out: list[DateProblem] = []
    matched = text[d.start : d.stop]
    if wrong_weekday:
        msg = f"{_ymd(d.year, d.month, d.day)}は{actual}曜日です（「{b.group('wd')}」と書かれています）{note}。"
        out.append(DateProblem(d.start, d.stop, matched, "weekday_mismatch", msg, suggestion))
    if wrong_mark:
        msg = f"{_ymd(d.year, d.month, d.day)}は国民の祝日・休日ではありません（「{b.group('hol')}」の表記）{note}。"
        out.append(DateProblem(d.start, d.stop, matched, "holiday_mark", msg, suggestion))
    return out


def _era_range_problem(m: re.Match[str], era_group: str, year_group: str, day: datetime.date) -> DateProblem | None:
    """A full era date outside its era (平成31年5月1日 → 令和元年5月1日)."""
    era = _era(m.group(era_group))
    if eras.contains(era, day):
        return None
    right = eras.era_of(day)
    written = f"{era.name}{eras.era_year_text(_era_int(m.group(year_group)))}年"
    if right is None:
        msg = f"{written}は{era.name}の期間外です。"
        return DateProblem(m.start(), m.end(), m.group(), "era_out_of_range", msg, None)
    new_year = eras.era_year_text(day.year - right.offset)
    abbreviated = len(m.group(era_group)) == 1
    new_era = eras.initial(right) if abbreviated else right.name
    if abbreviated and new_year == "元":
        new_year = "1"
    suggestion = (
        m.string[m.start() : m.start(era_group)] + new_era + m.string[m.end(era_group) : m.start(year_group)]
        + new_year + m.string[m.end(year_group) : m.end()]
    )  # fmt: skip
    right_text = f"{right.name}{eras.era_year_text(day.year - right.offset)}年{day.month}月{day.day}日"
    msg = f"{written}{day.month}月{day.day}日は{era.name}の期間外です（{right_text}）。"
    return DateProblem(m.start(), m.end(), m.group(), "era_out_of_range", msg, suggestion)


def _year_problems(m: re.Match[str], era_g: str, ey_g: str, west_g: str, fiscal: bool) -> list[DateProblem]:
    """An era year alone (平成32年) or beside its Gregorian year (令和8年(2025年), 2026年(令和8年)).

    Whichever is written first is taken as meant; the suggestion corrects the one in brackets.
    """
    era = _era(m.group(era_g))
    ey = _era_int(m.group(ey_g))
    year = era.offset + ey
    unit = "年度" if fiscal else "年"
    written = f"{era.name}{eras.era_year_text(ey)}{unit}"
    out: list[DateProblem] = []
    first, last = eras.year_span(year, fiscal)
    if ey == 0 or not eras.overlaps(era, first, last):
        right = eras.era_for_year(year, era, fiscal)
        suggestion = None
        if right is None:
            msg = f"{written}は{era.name}の期間外です。"
        else:
            new_era, new_y = right
            fixed = f"{new_era.name if len(m.group(era_g)) > 1 else eras.initial(new_era)}{eras.era_year_text(new_y)}"
            suggestion = m.string[m.start() : m.start(era_g)] + fixed + m.string[m.end(ey_g) : m.end()]
            msg = f"{written}は{era.name}の期間外です（{year}{unit}は{new_era.name}{eras.era_year_text(new_y)}{unit}）。"
        out.append(DateProblem(m.start(), m.end(), m.group(), "era_out_of_range", msg, suggestion))
    west = m.group(west_g)
    if west is None or int(west) == year:
        return out
    if m.start(era_g) < m.start(west_g):  # 令和8年(2025年): fix the Gregorian year
        s, e = m.span(west_g)
        suggestion = m.string[m.start() : s] + str(year) + m.string[e : m.end()]
        msg = f"{written}は{year}{unit}です（{west}{unit}と書かれています）。"
    else:  # 2026年(令和7年): fix the era year
        meant = int(west) - era.offset
        s, e = m.span(ey_g)
        suggestion = m.string[m.start() : s] + eras.era_year_text(meant) + m.string[e : m.end()] if meant > 0 else None
        msg = f"{west}{unit}は{era.name}{eras.era_year_text(meant)}{unit}です（{written}と書かれています）。"
    out.append(DateProblem(m.start(), m.end(), m.group(), "era_mismatch", msg, suggestion))
    return out


def _digits_before(text: str, i: int, spaces: bool) -> tuple[int, int]:
    """(start, end) of the run of ASCII digits ending at ``i`` (after spaces, when allowed)."""
    if spaces:
        while i > 0 and text[i - 1] in _SPACES:
            i -= 1
    end = i
    while i > 0 and text[i - 1] in _ASCII_DIGITS:
        i -= 1
    return i, end


def scan(text: str) -> tuple[list[re.Match[str]], bool]:
    """(the matches of _DATES exactly as `_DATES.finditer(text)` gives them, whether an impossible
    time may be present), found from the date units and time marks instead of trying _DATES at
    every position.

    Every alternative of _DATES starts either with an era (name or initial) or with a whole run
    of digits (none may follow a digit) of at most four digits, then spaces and a unit. So the
    only places a match can start are era characters and the starts of digit runs before a
    unit; they are tried in order, skipping those inside a previous match, as `finditer` does.
    (Digits are ASCII: the text is NFKC, so full-width digits are ASCII already.)
    """
    found: list[re.Match[str]] = []
    times = False
    pos = 0
    match = _DATES.match
    for hint in _HINT.finditer(text):
        u = hint.start()
        if u < pos:  # inside the previous date (the 日 of 11月23日): no date nor time mark there
            continue
        ch = text[u]
        if ch in _UNITS:
            # the run of digits before the unit (C string methods: a window, rarely the loop)
            w0 = u - 16 if u > 16 else 0
            head = text[w0:u].rstrip(_SPACES)
            run = len(head) - len(head.rstrip(_DIGIT_CHARS))
            p = w0 + len(head) - run
            if p == w0 and w0 > 0:
                p, e = _digits_before(text, u, spaces=True)
                run = e - p
            if run not in _RUN_LENGTHS[ch] or p < pos:
                continue  # no alternative of _DATES starts with this many digits before this unit
        elif ch in "時分:午":
            if ch in "時分" and text[u - 1] in _SPACES:  # spaces between: read the number
                s, e = _digits_before(text, u, spaces=True)
                times = times or (e > s and int(text[s:e][-2:]) >= (60 if ch == "分" else 24))
            else:
                times = True
            continue
        else:
            p = u
        m = match(text, p)
        if m is not None:
            found.append(m)
            pos = m.end()
    return found, times


def _time_problems(text: str, skip: list[tuple[int, int]]) -> list[DateProblem]:
    out: list[DateProblem] = []
    for m in _TIME.finditer(text):
        h_text, mi_text = m.group("h") or m.group("h2"), m.group("mi") or m.group("mi2")
        h, mi = int(h_text), int(mi_text or 0)
        ampm = m.group("ampm")
        if (mi < 60 and h < 24 and (h <= 12 or not ampm)) or (h == 24 and mi == 0 and not ampm):
            continue  # the common case: a valid time
        if skip and any(s <= m.start() < e for s, e in skip):
            continue
        clock = f"{h}時" + (f"{mi}分" if mi_text else "")
        if mi >= 60:
            msg = f"{clock}は存在しない時刻です（分は59まで）。"
        elif h > 24 or (h == 24 and mi > 0):
            msg = f"{clock}は存在しない時刻です（24時を超えています）。"
        elif ampm and h > 12:
            msg = f"「{ampm}{h}時」は時刻の書き方が矛盾しています（{ampm}は12時まで）。"
        else:
            continue
        out.append(DateProblem(m.start(), m.end(), m.group(), "impossible_time", msg, None))
    return out


def _past_event(text: str, chain: list[_Date], draft: datetime.date, dates_after: list[int]) -> DateProblem | None:
    """An upcoming-event wording right after a date (or range) that is already past."""
    last = max(datetime.date(d.year, d.month, d.day) for d in chain)
    if last >= draft:
        return None
    start, stop = chain[0].start, chain[-1].stop
    end_m = _SENTENCE_END.search(text, stop)
    sentence_end = end_m.start() if end_m else len(text)
    verb = _ANNOUNCE.search(text, stop, sentence_end)
    if verb is None or any(stop <= p < verb.start() for p in dates_after):
        return None
    shown = "、".join(_ymd(d.year, d.month, d.day) for d in chain)
    msg = (
        f"{shown}は投稿日（{_ymd(draft.year, draft.month, draft.day)}）より前の日付ですが、"
        f"「{verb.group()}」とこれからの予定として書かれています。"
    )
    return DateProblem(start, stop, text[start:stop], "past_event", msg, None)


# Month and day in kanji numerals (十二月五日, 十一月二十三日): read as digits through a span map.
_KANJI_DIGITS = "〇一二三四五六七八九十"
_KANJI_MD = lazy(
    rf"(?<![{_KANJI_DIGITS}百千])([{_KANJI_DIGITS}]{{1,3}})月[ \t\u3000]*([{_KANJI_DIGITS}]{{1,3}})日"
)
_KANJI_VALUE = {ch: i for i, ch in enumerate("〇一二三四五六七八九")}


def _kanji_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十五 → 25, 三十一 → 31; None for what is not a month or day numeral."""
    tens, ten, ones = s.partition("十")
    if not ten:
        return _KANJI_VALUE[s] if len(s) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or "十" in ones or tens == "〇" or ones == "〇":
        return None
    return (_KANJI_VALUE[tens] if tens else 1) * 10 + (_KANJI_VALUE[ones] if ones else 0)


def _has_kanji_date(text: str) -> bool:
    i = text.find("月")
    while i > 0:
        if text[i - 1] in _KANJI_DIGITS:
            return _KANJI_MD.search(text) is not None
        i = text.find("月", i + 1)
    return False


def _with_ascii_dates(text: str) -> tuple[str, list[tuple[int, int]], set[int]]:
    """(text with kanji month/day numerals as ASCII digits, the original span of every character
    of it, the indices of the converted characters)."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    converted: set[int] = set()
    last = 0
    for m in _KANJI_MD.finditer(text):
        values = [_kanji_int(m.group(g)) for g in (1, 2)]
        if None in values:
            continue
        for g, v in zip((1, 2), values, strict=True):
            gs, ge = m.span(g)
            out.append(text[last:gs])
            spans.extend((i, i + 1) for i in range(last, gs))
            digits = str(v)
            converted.update(range(len(spans), len(spans) + len(digits)))
            out.append(digits)
            spans.extend((gs, ge) for _ in digits)
            last = ge
    out.append(text[last:])
    spans.extend((i, i + 1) for i in range(last, len(text)))
    return "".join(out), spans, converted


def _map_suggestion(text: str, ascii_text: str, spans: list[tuple[int, int]], converted: set[int], p: DateProblem) -> str | None:
    """The suggestion for the text's own span: the changed part (the weekday) put into the
    original wording (十二月五日（土）); None when the change touches a converted numeral."""
    src, sug = ascii_text[p.start : p.end], p.suggestion or ""
    n = min(len(src), len(sug))
    i = 0
    while i < n and src[i] == sug[i]:
        i += 1
    j = 0
    while j < n - i and src[-1 - j] == sug[-1 - j]:
        j += 1
    a, b = p.start + i, p.end - j
    if not converted.isdisjoint(range(a, b)) or p.end <= p.start:
        return None
    lo, hi = spans[p.start][0], spans[p.end - 1][1]
    cs = spans[a][0] if a < p.end else hi
    ce = spans[b - 1][1] if b > a else cs
    return text[lo:cs] + sug[i : len(sug) - j] + text[ce:hi]


def find_date_problems(text: str, draft_date: datetime.date, urls: list[tuple[int, int]] | None = None) -> list[DateProblem]:
    """All date and time problems in ``text`` as of ``draft_date``, sorted by position.

    ``urls`` are the (start, end) spans of the URLs in ``text`` (dates inside them are not
    checked); pass them when they are already known, else they are extracted here. Months and
    days in kanji numerals (十二月五日) are checked as digits; the spans are the text's own.
    """
    if _has_kanji_date(text):
        ascii_text, spans, converted = _with_ascii_dates(text)
        if converted:
            out = []
            for p in _find_date_problems(ascii_text, draft_date, None):
                s, e = spans[p.start][0], spans[p.end - 1][1] if p.end > p.start else spans[p.start][0]
                sug = _map_suggestion(text, ascii_text, spans, converted, p) if p.suggestion is not None else None
                out.append(p._replace(start=s, end=e, matched=text[s:e], suggestion=sug))
            return out
    return _find_date_problems(text, draft_date, urls)


def _find_date_problems(text: str, draft_date: datetime.date, urls: list[tuple[int, int]] | None) -> list[DateProblem]:
    if urls is None:
        urls = [(s, e) for _, s, e in extract_urls(text)] if "." in text else []
    problems: list[DateProblem] = []
    chains: list[list[_Date]] = []
    prev: _Date | None = None
    year_ctx: tuple[int, int] | None = None  # (end, Gregorian year) of an era/west year alone
    starts: list[int] = []
    found, times = scan(text)
    if not found:
        return sorted(_time_problems(text, urls), key=lambda p: (p.start, p.end, p.kind)) if times else []
    today = (draft_date.year, draft_date.month, draft_date.day)
    past: list[bool] = []  # per chain: does it hold a date before the draft date
    for m in found:
        start = m.start()
        if urls and any(s <= start < e for s, e in urls):
            continue
        kind = m.lastgroup
        starts.append(start)
        if kind == "month":
            if not 1 <= int(m.group("o_m")) <= 12:
                problems.append(_impossible(m, draft_date.year, int(m.group("o_m")), 1, False))
            continue
        if kind in ("era_year", "west_year_era"):
            if kind == "era_year":
                problems += _year_problems(m, "ey_era", "ey_y", "ey_w", m.group("ey_fy") is not None)
                year_ctx = (m.end(), _era(m.group("ey_era")).offset + _era_int(m.group("ey_y")))
            else:
                fiscal = m.group("y_fy") is not None or m.group("y_fy2") is not None
                problems += _year_problems(m, "y_era", "y_ey", "y_w", fiscal)
                year_ctx = (m.end(), int(m.group("y_w")))
            continue
        end = m.end()
        # A bracket starts (after spaces) with ( （ or a weekday: test that before the regex.
        nxt = text[end : end + 1]
        if nxt and nxt in _SPACES:
            after = _SKIP_SPACES.match(text, end)
            nxt = text[after.end() : after.end() + 1] if after else ""
        bracket: re.Match[str] | None = None
        quick = ""  # the weekday of a plain "(月)" right after the date: no regex unless it is wrong
        if (
            nxt == text[end : end + 1]
            and nxt in "(（"
            and text[end + 2 : end + 3] in (")", "）")
            and text[end + 1 : end + 2] in WEEKDAYS
        ):
            quick = text[end + 1]
            stop = end + 3
        else:
            if nxt and nxt in _BRACKET_FIRST:
                bracket = (_BRACKET if nxt in "(（" else _BARE_WEEKDAY).match(text, end)
            if bracket is not None and bracket.group("wd") is None and bracket.group("hol") is None:
                bracket = None
            stop = bracket.end() if bracket else end
        chained = (
            prev is not None
            and m.start() - prev.stop <= _MAX_CONNECTOR
            and _CONNECTOR.fullmatch(text, prev.stop, m.start()) is not None
        )
        inferred = False
        if kind in ("era_date", "abbr_date"):
            g = "e" if kind == "era_date" else "a"
            era = _era(m.group(f"{g}_era"))
            year, month, day = era.offset + _era_int(m.group(f"{g}_y")), int(m.group(f"{g}_m")), int(m.group(f"{g}_d"))
        elif kind in ("west_date", "num_date"):
            g = "w" if kind == "west_date" else "n"
            year, month, day = int(m.group(f"{g}_y")), int(m.group(f"{g}_m")), int(m.group(f"{g}_d"))
        else:
            if kind == "slash_md" and bracket is None and not quick:
                continue
            if kind == "day":
                if not chained or prev is None:
                    continue
                month, day = prev.month, int(m.group("d_d"))
            else:
                mm, dd = m.group("m_m", "m_d") if kind == "md" else m.group("s_m", "s_d")
                month, day = int(mm), int(dd)
            if (
                year_ctx is not None
                and kind != "day"
                and m.start() - year_ctx[0] <= _MAX_CONNECTOR
                and _CONNECTOR.fullmatch(text, year_ctx[0], m.start())
            ):
                year = year_ctx[1]
            elif chained and prev is not None:
                year = prev.year if (month, day) >= (prev.month, prev.day) or kind == "day" else prev.year + 1
                inferred = prev.inferred
            else:
                year = infer_year(month, day, draft_date) if 1 <= month <= 12 else draft_date.year
                inferred = True
        year_ctx = None
        if not 1 <= year <= 9998:  # not a date anyone means; datetime cannot hold it
            prev = None
            continue
        if not _valid(year, month, day):
            problems.append(_impossible(m, year, month, day, inferred))
            prev = None
            continue
        d = _Date(start, end, stop, year, month, day, inferred, bracket)
        if kind in ("era_date", "abbr_date"):
            g = "e" if kind == "era_date" else "a"
            p = _era_range_problem(m, f"{g}_era", f"{g}_y", datetime.date(year, month, day))
            if p is not None:
                problems.append(p)
        if quick and _weekday(year, month, day) != quick and (year, month, day) >= _GREGORIAN_FROM_YMD:
            d.bracket = _BRACKET.match(text, end)
        if d.bracket is not None:
            problems += _bracket_problems(text, d)
        before = (year, month, day) < today
        if chained and chains:
            chains[-1].append(d)
            past[-1] = past[-1] or before
        else:
            chains.append([d])
            past.append(before)
        prev = d
    for chain, any_past in zip(chains, past, strict=True):
        if not any_past:
            continue  # the common case: nothing past
        p = _past_event(text, chain, draft_date, starts)
        if p is not None:
            problems.append(p)
    if times:
        problems += _time_problems(text, urls)
    return sorted(problems, key=lambda p: (p.start, p.end, p.kind))
