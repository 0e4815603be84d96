"""Post length and hashtag limits per platform, counted in each platform's own unit.

The limits live in ``data/platforms.toml`` (they change; each says where it came from and when
it was checked). Counting needs no new dependency: graphemes are the ``regex`` module's ``\\X``.
"""

from __future__ import annotations

import datetime
import tomllib
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import Any, Literal, NamedTuple

from fujisns_guard.cachefile import memo
from fujisns_guard.lazyre import lazy_regex
from fujisns_guard.plain import Record
from fujisns_guard.twitter_text import extract_urls, fit, weighted_length

Unit = Literal["weighted", "graphemes", "characters", "utf8_bytes"]

UNIT_LABELS: dict[str, str] = {
    "weighted": "文字（X の重み付き：全角2・半角1・URL 23）",
    "graphemes": "文字（見た目の1文字単位）",
    "characters": "文字",
    "utf8_bytes": "バイト（UTF-8、全角は3バイト）",
}

_GRAPHEME = lazy_regex(r"\X")
# A hashtag: # or ＃ not right after ASCII (C#, page#top), then word characters, not all digits.
# Japanese may come right before it (#富士山#田子の浦 is two tags on Instagram).
# (The lookbehind comes after the # so that the pattern starts with a character class: `regex`
# then scans for # and ＃ instead of trying every position.)
_HASHTAG = lazy_regex(r"[#＃](?<![A-Za-z0-9_&/][#＃])(?!\d+(?!\w))\w+")


class PlatformLimit(NamedTuple):
    """One platform's limits: its key in data/platforms.toml, then the fields of the file's table
    (the plain twin of platform_schema.PlatformFile; tests/test_plain_twins.py)."""

    platform: str
    name: str
    limit: int
    unit: Unit
    source: str
    checked: datetime.date
    hashtag_limit: int | None
    hashtag_source: str | None
    hashtag_checked: datetime.date | None
    forbidden: str
    note: str


class LengthResult(Record, kw_only=False):
    platform: str
    count: int
    limit: int
    unit: Unit
    over: bool


class HashtagResult(Record, kw_only=False):
    platform: str
    count: int
    limit: int
    over: bool


# The validated table: a start takes it from the rule cache (this memo is saved with it, and the
# cache's key covers the package's data files); without the cache it is validated at first use.
_TABLE = memo("platform_limits.table")


@cache
def platforms() -> dict[str, PlatformLimit]:
    """All platforms from ``data/platforms.toml``; a malformed entry fails here, naming it."""
    got: dict[str, PlatformLimit] | None = _TABLE.get("platforms")
    if got is None:
        from .platform_schema import validate_platforms  # pydantic: only without the rule cache

        raw = tomllib.loads(files("fujisns_guard").joinpath("data/platforms.toml").read_text(encoding="utf-8"))
        got = _TABLE.setdefault("platforms", validate_platforms(raw))
    return got


def _limit(platform: str) -> PlatformLimit:
    try:
        return platforms()[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; known: {', '.join(platforms())}") from None


def measure(text: str, unit: Unit) -> int:
    """Length of ``text`` in ``unit``."""
    if unit == "weighted":
        return weighted_length(text)
    if unit == "graphemes":
        return len(_GRAPHEME.findall(text))
    if unit == "utf8_bytes":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text)


def count(text: str, platform: str) -> LengthResult:
    """Length of the post for ``platform`` and whether it is over the limit."""
    p = _limit(platform)
    n = measure(text, p.unit)
    return LengthResult(platform, n, p.limit, p.unit, n > p.limit)


def hashtags(text: str) -> list[tuple[str, int, int]]:
    """Hashtags as (tag, start, end); a ``#`` inside a URL (``page.html#top``) is not one."""
    if "#" not in text and "＃" not in text:
        return []
    tags = [(m.group(), m.start(), m.end()) for m in _HASHTAG.finditer(text)]
    if not tags or "." not in text:
        return tags
    in_urls = [(s, e) for _, s, e in extract_urls(text)]
    return [t for t in tags if not any(s <= t[1] < e for s, e in in_urls)]


def count_hashtags(text: str, platform: str) -> HashtagResult | None:
    """Number of hashtags against the platform's limit, or None where it has no limit."""
    p = _limit(platform)
    if p.hashtag_limit is None:
        return None
    n = len(hashtags(text))
    return HashtagResult(platform, n, p.hashtag_limit, n > p.hashtag_limit)


def forbidden_characters(text: str, platform: str) -> list[int]:
    """Offsets of characters the platform rejects (YouTube: ``<`` and ``>``)."""
    bad = _limit(platform).forbidden
    return [i for i, ch in enumerate(text) if ch in bad] if bad else []


def message(result: LengthResult) -> str:
    """The Japanese message for a length result (what the finding will say)."""
    p = _limit(result.platform)
    unit = UNIT_LABELS[result.unit]
    if result.over:
        return (
            f"{p.name}の上限{result.limit}{unit}を{result.count - result.limit}超えています（{result.count}／{result.limit}）。"
        )
    return f"{p.name}の上限{result.limit}{unit}に収まっています（{result.count}／{result.limit}）。"


# A service of the policy or the front matter → the limits its post is counted against. A YouTube
# draft is the video's description (its title is not in the draft).
SERVICE_TARGETS: dict[str, tuple[str, ...]] = {"youtube": ("youtube_description",)}


def targets(platform: str) -> tuple[str, ...]:
    """The platform keys of data/platforms.toml a service is counted against (`youtube` →
    `youtube_description`); a key of the data file is its own target."""
    return SERVICE_TARGETS.get(platform, (platform,))


def post_text(text: str) -> tuple[int, str]:
    """(offset, text) of what is posted: the platforms trim leading and trailing white space
    (the blank line after a front matter, the file's last newline)."""
    stripped = text.lstrip()
    return len(text) - len(stripped), stripped.rstrip()


def lengths(text: str, platforms: Iterable[str]) -> list[dict[str, Any]]:
    """Count and limit of the post for each platform (services such as `youtube` expand to
    their data keys), in order: ``{"platform", "count", "limit", "unit", "over"}``.

    The text is the ORIGINAL body (what is posted), trimmed as the platforms trim it. Raises
    ValueError for an unknown platform.
    """
    _, body = post_text(text)
    keys = dict.fromkeys(key for p in platforms for key in targets(p))
    out: list[dict[str, Any]] = []
    for key in keys:
        r = count(body, key)
        out.append({"platform": r.platform, "count": r.count, "limit": r.limit, "unit": r.unit, "over": r.over})
    return out


def count_and_cut(text: str, platform: str) -> tuple[LengthResult, int | None]:
    """`count` and, when over the limit, the index of the first character of ``text`` that does
    not fit (what the platform would refuse or cut); one pass for X."""
    p = _limit(platform)
    if p.unit == "weighted" and unicodedata.is_normalized("NFC", text):
        n, fits = fit(text, p.limit)
        return LengthResult(platform, n, p.limit, p.unit, n > p.limit), (fits if n > p.limit else None)
    result = count(text, platform)
    return result, (cut_index(text, platform) if result.over else None)


def cut_index(text: str, platform: str) -> int | None:
    """Index of the first character of ``text`` beyond the platform's limit (what would not fit),
    or None when the whole text fits."""
    p = _limit(platform)
    if measure(text, p.unit) <= p.limit:
        return None
    if p.unit == "characters":
        return p.limit
    if p.unit == "graphemes":
        return int(next(m.start() for i, m in enumerate(_GRAPHEME.finditer(text)) if i == p.limit))
    if p.unit == "utf8_bytes":
        used = 0
        for i, ch in enumerate(text):
            used += len(ch.encode("utf-8", "surrogatepass"))
            if used > p.limit:
                return i
        return None  # pragma: no cover - measure() said it is over
    if unicodedata.is_normalized("NFC", text):  # weighted: the longest prefix X would accept
        return fit(text, p.limit)[1]
    lo, hi = 0, len(text)  # NFC changes the text: offsets differ, count each prefix (rare)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if weighted_length(text[:mid]) <= p.limit:
            lo = mid
        else:
            hi = mid - 1
    return lo
