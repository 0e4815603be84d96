"""Pattern rules: `regex` with a timeout, optional validator and context words.

Python's `\\b` treats kana and kanji as word characters, so rule data writes boundaries as
lookarounds on digits/ASCII. A pattern that times out yields a `warning` in the rule's own
category, so a check that did not run can never let a draft through.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from ..model import Analysis, Hit
from ..ruleset import Rule, RuleError
from ..validators import VALIDATORS

TIMEOUT_SECONDS = 0.25


def compile_rule(rule: Rule, _ruleset: object) -> Callable[[Analysis], list[Hit]]:
    spec = rule.spec
    flags = regex.V1 | (regex.IGNORECASE if spec.ignore_case else 0)
    patterns = [regex.compile(p, flags) for p in spec.patterns]
    excludes = [regex.compile(p, flags) for p in spec.exclude]
    validator = None
    if spec.validator is not None:
        validator = VALIDATORS.get(spec.validator)
        if validator is None:
            raise RuleError(rule.path, "validator", f"unknown validator {spec.validator!r} (one of {', '.join(VALIDATORS)})")
    context = [c for c in spec.context]

    def check(a: Analysis) -> list[Hit]:
        folded = spec.view == "folded"
        text = a.folded if folded else a.light
        hits: list[Hit] = []
        try:
            blocked = [m.span() for ex in excludes for m in ex.finditer(text, timeout=TIMEOUT_SECONDS)]
            for pat in patterns:
                for m in pat.finditer(text, overlapped=False, timeout=TIMEOUT_SECONDS):
                    s, e = m.span(spec.group)
                    if s < 0 or s == e or any(bs <= s and e <= be for bs, be in blocked):
                        continue
                    value = m.group(spec.group)
                    if validator is not None and not validator(value):
                        continue
                    if folded:
                        s, e = a.norm.folded_to_light_span(s, e)
                    if context and not _near(a.light, s, e, context, spec.window):
                        continue
                    why = f"パターン{spec.patterns.index(pat.pattern) + 1}に一致"
                    if validator is not None:
                        why += f"、検証 {spec.validator} 合格"
                    if context:
                        why += "、文脈語あり"
                    hits.append(Hit(rule.id, s, e, a.light[s:e], why, secret=spec.secret))
        except TimeoutError:
            hits.append(
                Hit(
                    rule.id,
                    0,
                    0,
                    "",
                    f"規則 {rule.id} が制限時間内に終わりませんでした",
                    severity="warning",
                    message=f"規則 {rule.id} の確認が時間切れで完了しませんでした。目視で確認してください。",
                )
            )
        return _dedupe(hits)

    return check


def _near(text: str, s: int, e: int, words: list[str], window: int) -> bool:
    around = text[max(0, s - window) : e + window]
    return any(w in around for w in words)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """Drop hits nested inside an earlier, longer one (linear after the sort)."""
    out = []
    reach = -1
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if h.end > h.start and h.end <= reach:
            continue
        reach = max(reach, h.end)
        out.append(h)
    return out
