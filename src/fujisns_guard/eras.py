"""Japanese eras (和暦): which Gregorian dates and years each era covers.

Kept apart from ``dates`` because the conversion rules (元年, the day an era starts, fiscal
years 年度 from April) are facts to test on their own.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple


class Era(NamedTuple):
    name: str
    offset: int  # Gregorian year = offset + era year
    first: datetime.date
    last: datetime.date | None  # None: the current era


ERAS: tuple[Era, ...] = (
    Era("明治", 1867, datetime.date(1868, 1, 25), datetime.date(1912, 7, 29)),  # from 慶応4年1月1日
    Era("大正", 1911, datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
    Era("昭和", 1925, datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    Era("平成", 1988, datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    Era("令和", 2018, datetime.date(2019, 5, 1), None),
)
BY_NAME: dict[str, Era] = {e.name: e for e in ERAS}
ABBREVIATIONS: dict[str, str] = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_INITIAL: dict[str, str] = {v: k for k, v in ABBREVIATIONS.items()}


def era_year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def contains(era: Era, day: datetime.date) -> bool:
    return era.first <= day and (era.last is None or day <= era.last)


def era_of(day: datetime.date) -> Era | None:
    return next((e for e in reversed(ERAS) if e.first <= day), None)


def overlaps(era: Era, first: datetime.date, last: datetime.date) -> bool:
    """True when [first, last] shares a day with the era (a year or a fiscal year)."""
    return first <= (era.last or datetime.date.max) and last >= era.first


def year_span(year: int, fiscal: bool) -> tuple[datetime.date, datetime.date]:
    """The days of a calendar year, or of a fiscal year (年度: April to March)."""
    if fiscal:
        return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def era_for_year(year: int, written: Era, fiscal: bool) -> tuple[Era, int] | None:
    """The era a year written out of its era's range belongs to: (era, era year).

    A year after the written era is named by the era in force at its start (平成32年 → 令和2年);
    a year before it, by the era in force at its end (令和0年 → 平成30年).
    """
    first, last = year_span(year, fiscal)
    probe = first if written.last is not None and first > written.last else last
    era = era_of(probe)
    if era is None:
        return None
    return era, year - era.offset


def initial(era: Era) -> str:
    """The one-letter form (令和 → R)."""
    return _INITIAL[era.name]
