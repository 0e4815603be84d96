"""Accuracy (G-RULE-4 正確を期し誤解を招かない): dates, eras, times and 警戒レベル.

The pure checks live in `dates` and `alert_levels`; this module turns their problems into hits
on the light view, once per draft, behind cheap prefilters (most posts have no 警戒レベル;
`dates.scan` looks only where a date unit follows a digit). Two things are done here and not there:

* a suggestion is rewritten in the writer's own style: the pure checks read the NFKC view (ASCII
  digits and brackets), but the suggestion replaces ORIGINAL text, so a full-width 「（火）」 is
  corrected to 「（月）」 and full-width digits stay full-width;
* a wrong weekday or holiday mark is reported on its bracket only (「(火)」 → 「(月)」, the part
  that is wrong), with the date named in the message; problems on the same span are merged into
  one hit (the engine keeps one finding per rule and span).
"""

from __future__ import annotations

from typing import Any

from ..alert_levels import find_alert_level_mismatches
from ..dates import find_date_problems
from ..lazyre import lazy
from ..model import SEVERITY_RANK, Analysis, Hit
from .links import url_spans

# The weekday part at the end of a date problem's text: "(火)", "(水・祝)", "火曜日".
_WEEKDAY_TAIL = lazy(r"[(（][^()（）]*[)）]$|[月火水木金土日]曜日?$")
_BRACKET_KINDS = frozenset({"weekday_mismatch", "holiday_mark"})
_DEFAULT_SEVERITY = {"past_event": "warning"}

_TO_FULL = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _wide(text: str) -> bool:
    """Written in full-width ASCII forms (（２０２５）) and no plain ASCII."""
    return any("\uff01" <= c <= "\uff5e" for c in text) and not any("!" <= c <= "~" for c in text)


def restyle(a: Analysis, start: int, end: int, light_fix: str) -> str:
    """The corrected text for the ORIGINAL characters behind light[start:end].

    The fix differs from the light text in one stretch (a weekday, a year, a mark): the text
    around it is copied from the original (full-width brackets stay full-width), and the new
    stretch is written full-width when the stretch it replaces was.
    """
    written = a.light[start:end]
    n, k = len(written), len(light_fix)
    p = 0
    while p < min(n, k) and written[p] == light_fix[p]:
        p += 1
    q = 0
    while q < min(n, k) - p and written[n - 1 - q] == light_fix[k - 1 - q]:
        q += 1
    view, original = a.norm.light, a.original
    o_start = view.starts[start]
    o_mid_start = view.starts[start + p] if p < n else view.ends[end - 1]
    o_mid_end = view.ends[start + n - q - 1] if n - q > p else o_mid_start
    o_end = view.ends[end - 1]
    old = original[o_mid_start:o_mid_end]
    new = light_fix[p : k - q]
    if _wide(old):
        new = new.translate(_TO_FULL)
    return original[o_start:o_mid_start] + new + original[o_mid_end:o_end]


def _merge(hits: list[Hit]) -> list[Hit]:
    """One hit per span: messages joined, the highest severity, the first suggestion."""
    by_span: dict[tuple[int, int], Hit] = {}
    for h in hits:
        key = (h.start, h.end)
        old = by_span.get(key)
        if old is None:
            by_span[key] = h
            continue
        sev = old.severity if SEVERITY_RANK[old.severity or "error"] >= SEVERITY_RANK[h.severity or "error"] else h.severity
        by_span[key] = old._replace(
            detail=f"{old.detail}; {h.detail}",
            message=f"{old.message} {h.message}",
            severity=sev,
            reason=" ".join(dict.fromkeys(r for r in (old.reason, h.reason) if r)) or None,
            suggestions=old.suggestions or h.suggestions,
        )
    return sorted(by_span.values(), key=lambda h: (h.start, h.end))


def dates(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Weekday, holiday mark, impossible date/time, era, and past-event problems."""
    text = a.light  # dates.scan is its own prefilter: one fast pass finds where dates may start
    severities: dict[str, str] = {**_DEFAULT_SEVERITY, **params.get("severity", {})}
    reasons: dict[str, str] = params.get("reasons", {})
    hits: list[Hit] = []
    for p in find_date_problems(text, a.date, url_spans(a)):
        start, end, fix = p.start, p.end, p.suggestion
        if p.kind in _BRACKET_KINDS and fix is not None:
            tail = _WEEKDAY_TAIL.search(p.matched)
            if tail is not None and fix.startswith(p.matched[: tail.start()]):
                start, fix = p.start + tail.start(), fix[tail.start() :]
        hits.append(
            Hit(
                "",
                start,
                end,
                text[start:end],
                detail=f"日付の確認: {p.kind}",
                severity=severities.get(p.kind, "error"),
                message=p.message,
                reason=reasons.get(p.kind),
                suggestions=(restyle(a, start, end, fix),) if fix is not None else (),
            )
        )
    return _merge(hits) if len(hits) > 1 else hits


def alert_levels(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """A 警戒レベル number paired with another level's action or 相当情報."""
    text = a.light
    if "レベル" not in text:
        return []
    hits = [
        Hit(
            "",
            p.start,
            p.end,
            p.matched,
            detail="警戒レベルと避難情報の対応（data/disaster_terms.toml）",
            message=p.message,
            suggestions=(restyle(a, p.start, p.end, p.suggestion),) if p.suggestion is not None else (),
        )
        for p in find_alert_level_mismatches(text)
    ]
    return _merge(hits) if len(hits) > 1 else hits


RULES = {"dates": dates, "alert_levels": alert_levels}
