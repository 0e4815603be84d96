"""警戒レベル paired with the wrong action (「警戒レベル4 高齢者等避難」).

During a disaster the level number and the action are read together; when they disagree,
residents do not know whether to leave. The table is data (``data/disaster_terms.toml``).
A level number is paired with the nearest named action or 相当情報 within ~15 characters
(brackets, spaces and colons do not count; a sentence end stops the search).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from typing import NamedTuple

from .lazyre import lazy

WINDOW = 15

_LEVEL = lazy(r"(?:警戒レベル|レベル)[ 　]*(?P<n>[1-5１-５])(?![0-9０-９])(?:[ 　]*相当)?")
_IGNORED = lazy(r"[ 　\t【】\[\]()（）「」『』〈〉:：・/／\-ー－]")
_STOP = lazy(r"[。！？!?\n]")


class AlertLevelProblem(NamedTuple):
    start: int
    end: int
    matched: str
    message: str  # Japanese
    suggestion: str | None  # text[start:end] with the level number the named item has


class _Table(NamedTuple):
    levels: dict[str, frozenset[int]]  # name -> the levels it is (or is 相当 to)
    actions: dict[int, str]
    direct: frozenset[str]  # names that are a level themselves, not 相当情報
    names: re.Pattern[str]


@cache
def _table() -> _Table:
    data = tomllib.loads(files("fujisns_guard").joinpath("data/disaster_terms.toml").read_text(encoding="utf-8"))
    levels: dict[str, set[int]] = {}
    actions: dict[int, str] = {}
    direct: set[str] = set()
    for row in data["level"]:
        n = int(row["level"])
        actions[n] = row["action"]
        own = row.get("names", [row["action"]])
        direct.update(own)
        for name in [*own, *row["equivalent"]]:
            levels.setdefault(name, set()).add(n)
    names = re.compile("|".join(re.escape(n) for n in sorted(levels, key=len, reverse=True)))
    return _Table({k: frozenset(v) for k, v in levels.items()}, actions, frozenset(direct), names)


def _gap(text: str, start: int, end: int) -> int | None:
    """Characters between two spans that count as distance; None across a sentence end."""
    between = text[start:end]
    if _STOP.search(between):
        return None
    return len(_IGNORED.sub("", between))


def _nearest(text: str, level: re.Match[str], table: _Table) -> re.Match[str] | None:
    """The named item closest to the level number, after it winning a tie."""
    best: tuple[int, int, re.Match[str]] | None = None
    lo, hi = max(0, level.start() - WINDOW - 12), min(len(text), level.end() + WINDOW + 12)
    for m in table.names.finditer(text, lo, hi):
        if m.start() >= level.end():
            gap, side = _gap(text, level.end(), m.start()), 0
        elif m.end() <= level.start():
            gap, side = _gap(text, m.end(), level.start()), 1
        else:
            continue
        if gap is not None and gap <= WINDOW and (best is None or (gap, side) < best[:2]):
            best = (gap, side, m)
    return best[2] if best else None


def find_alert_level_mismatches(text: str) -> list[AlertLevelProblem]:
    """Level numbers whose nearest named action or 相当情報 belongs to another level."""
    if "レベル" not in text:
        return []
    table = _table()
    out: list[AlertLevelProblem] = []
    for level in _LEVEL.finditer(text):
        n = int(level.group("n").translate(str.maketrans("１２３４５", "12345")))
        item = _nearest(text, level, table)
        if item is None or n in table.levels[item.group()]:
            continue
        right = sorted(table.levels[item.group()])
        start, end = min(level.start(), item.start()), max(level.end(), item.end())
        suggestion = None
        if len(right) == 1:
            s, e = level.span("n")
            suggestion = text[start:s] + str(right[0]) + text[e:end]
        said = "・".join(f"警戒レベル{r}" for r in right)
        kind = "" if item.group() in table.direct else "相当"
        msg = f"「{item.group()}」は{said}{kind}です。警戒レベル{n}は「{table.actions[n]}」です。"
        out.append(AlertLevelProblem(start, end, text[start:end], msg, suggestion))
    return out
