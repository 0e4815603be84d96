"""Platform limits (G-RULE-7 サービス利用規約を定期的に確認): length, hashtags, forbidden characters.

Only for the platforms the draft is for (`a.platforms`: `--platform`, the front matter, or the
policy's services); a draft with no platform has nothing to be over. Counted on the ORIGINAL
body (what is posted, not the normalized view), trimmed as the platforms trim it; the finding
marks what would not fit, mapped back to the light view the engine expects.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

from ..model import Analysis, Hit
from ..platform_limits import (
    UNIT_LABELS,
    count_and_cut,
    forbidden_characters,
    hashtags,
    message,
    platforms,
    post_text,
    targets,
)


def _light(a: Analysis, original_pos: int) -> int:
    """The light-view index of the character holding `original_pos` (ｶﾞ is one light character
    made of two original ones), else of the first character after it."""
    view = a.norm.light
    i = bisect_right(view.starts, original_pos) - 1
    if i >= 0 and view.ends[i] > original_pos:
        return i
    return bisect_left(view.starts, original_pos)


@lru_cache(maxsize=64)
def _targets(platforms_: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(every data key, those with a hashtag limit, those with forbidden characters) of the
    draft's platforms: the same few tuples for every draft."""
    keys = tuple(dict.fromkeys(k for p in platforms_ for k in targets(p)))
    data = platforms()
    return keys, tuple(k for k in keys if data[k].hashtag_limit is not None), tuple(k for k in keys if data[k].forbidden)


def _keys(a: Analysis) -> tuple[str, ...]:
    return _targets(a.platforms)[0]


def _merge(hits: list[Hit]) -> list[Hit]:
    """One hit per span (the engine keeps one finding per rule and span): messages joined."""
    by_span: dict[tuple[int, int], Hit] = {}
    for h in hits:
        old = by_span.get((h.start, h.end))
        if old is not None:
            h = old._replace(message=f"{old.message} {h.message}", detail=f"{old.detail}; {h.detail}")
        by_span[(h.start, h.end)] = h
    return list(by_span.values())


LENGTHS_KEY = "length.counts"


def platform_limit(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Over the length limit of a platform the draft is for: the part that does not fit."""
    if not a.platforms or a.piece_offset:  # draft-wide: the first piece holds every cut point
        return []
    offset, body = post_text(a.original)
    end = _light(a, offset + len(body))
    hits = []
    counted: list[dict[str, Any]] = []
    a.cache[LENGTHS_KEY] = counted  # the engine reports these counts instead of counting again
    for key in _keys(a):
        r, cut = count_and_cut(body, key)
        counted.append({"platform": r.platform, "count": r.count, "limit": r.limit, "unit": r.unit, "over": r.over})
        if cut is None:
            continue
        start = min(_light(a, offset + cut), end)
        p = platforms()[key]
        hits.append(
            Hit(
                "",
                start,
                end,
                a.light[start:end],
                detail=f"{p.name}: {r.count}／{r.limit}（{UNIT_LABELS[r.unit]}）。出典: {p.source}（{p.checked} 確認）",
                message=message(r) + "印を付けた部分が入りません。",
            )
        )
    return _merge(hits) if len(hits) > 1 else hits


def hashtag_limit(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """More hashtags than a platform the draft is for takes: from the first one too many."""
    if not a.platforms or a.piece_offset:
        return []
    keys = _targets(a.platforms)[1]
    if not keys or ("#" not in a.original and "＃" not in a.original):
        return []
    offset, body = post_text(a.original)
    tags = hashtags(body)
    severities: dict[str, str] = params.get("severity", {})
    notes: dict[str, str] = params.get("notes", {})
    hits = []
    for key in keys:
        p = platforms()[key]
        assert p.hashtag_limit is not None
        if len(tags) <= p.hashtag_limit:
            continue
        start = _light(a, offset + tags[p.hashtag_limit][1])
        end = _light(a, offset + tags[-1][2])
        hits.append(
            Hit(
                "",
                start,
                end,
                a.light[start:end],
                detail=f"{p.name}: ハッシュタグ {len(tags)}／{p.hashtag_limit}。"
                f"出典: {p.hashtag_source}（{p.hashtag_checked} 確認）",
                severity=severities.get(key),
                message=f"{p.name}のハッシュタグは{p.hashtag_limit}個までです（{len(tags)}個あります）。{notes.get(key, '')}",
            )
        )
    return _merge(hits) if len(hits) > 1 else hits


def forbidden_chars(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Characters a platform the draft is for rejects (YouTube: < and >)."""
    if not a.platforms:
        return []
    keys = _targets(a.platforms)[2]
    if not keys:
        return []
    offset, body = post_text(a.original)
    hits = []
    for key in keys:
        p = platforms()[key]
        for i in forbidden_characters(body, key):
            start = _light(a, offset + i)
            hits.append(
                Hit(
                    "",
                    start,
                    start + 1,
                    a.light[start : start + 1],
                    detail=f"{p.name}: 使えない文字 {body[i]!r}。出典: {p.source}（{p.checked} 確認）",
                    message=f"{p.name}では「{body[i]}」を使えません（{'」「'.join(p.forbidden)}は入力できません）。全角の「＜」「＞」などに置き換えてください。",
                )
            )
    return _merge(hits) if len(hits) > 1 else hits


RULES = {"platform_limit": platform_limit, "hashtag_limit": hashtag_limit, "forbidden_characters": forbidden_chars}
