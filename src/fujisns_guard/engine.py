"""The pipeline: normalize → tokenize → detect → findings (original spans) → decide → Report.

`Guard` holds the loaded rules (compiled automata and regexes) and reuses the process-wide
Sudachi dictionary; build it once and call `check` for every draft.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .checks import Check, compile_all
from .decide import decide
from .model import Analysis, DraftKind, Finding, Hit, Report
from .normalize import normalize
from .ruleset import Rule, RuleSet, load_ruleset
from .textpos import line_col, line_starts, mask
from .tokenize import tokenize


class Guard:
    """Loaded rules + policy; checks many drafts. Safe to share across threads (see docs/api.md)."""

    def __init__(
        self,
        policy: Any = None,
        *,
        rules_dir: Path | None = None,
        wordlists_dir: Path | None = None,
        ruleset: RuleSet | None = None,
    ) -> None:
        self.ruleset = ruleset or load_ruleset(rules_dir, wordlists_dir)
        self.policy = policy
        self._checks: list[tuple[Rule, Check]] = compile_all(self.ruleset)

    @property
    def version(self) -> str:
        return self.ruleset.version

    def check(
        self,
        text: str,
        *,
        kind: DraftKind = "post",
        date: _dt.date | None = None,
        path: str = "-",
        platforms: Iterable[str] = (),
        body_start: int = 0,
        only: Iterable[str] | None = None,
    ) -> Report:
        """Check one draft. `body_start` skips a metadata block; offsets still index `text`."""
        date = date or _dt.date.today()
        body = text[body_start:]
        norm = normalize(body)
        tokens = tokenize(norm.light.text)
        analysis = Analysis(norm, tokens, kind, date, self.policy, tuple(platforms))
        wanted = set(only) if only is not None else None
        hits: list[tuple[Rule, Hit]] = []
        for rule, run in self._checks:
            if rule.spec.reply_only and kind != "reply":
                continue
            if wanted is not None and rule.id not in wanted:
                continue
            try:
                hits.extend((rule, h) for h in run(analysis))
            except Exception as exc:  # a broken rule must not let a draft through
                hits.append((rule, _failed(rule, exc)))
        findings = _findings(text, body_start, norm, hits)
        # The values are already valid: skip pydantic's validation on the hot path.
        return Report.model_construct(
            path=path,
            kind=kind,
            date=date.isoformat(),
            findings=findings,
            decision=decide(findings),
            ruleset_version=self.ruleset.version,
            platforms=list(platforms),
            notes=[],
        )

    def check_many(self, texts: Iterable[str], **options: Any) -> Iterator[Report]:
        """Check drafts one after another with the same rules and tokenizer."""
        for text in texts:
            yield self.check(text, **options)


def _failed(rule: Rule, exc: Exception) -> Hit:
    return Hit(
        rule.id,
        0,
        0,
        "",
        f"規則の実行に失敗: {type(exc).__name__}",
        severity="warning",
        message=f"規則 {rule.id} の確認を実行できませんでした。目視で確認してください。",
    )


def _findings(text: str, shift: int, norm: Any, hits: list[tuple[Rule, Hit]]) -> list[Finding]:
    if not hits:
        return []
    starts = line_starts(text)
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for rule, h in hits:
        s, e = norm.light.to_original(h.start, h.end)
        s, e = s + shift, e + shift
        key = (rule.id, s, e)
        if key in seen:
            continue
        seen.add(key)
        excerpt = text[s:e]
        shown = mask(excerpt) if h.secret else excerpt
        spec = rule.spec
        line, col = line_col(starts, s)
        message = h.message or spec.message.format(match=shown)
        out.append(
            Finding.model_construct(
                rule_id=rule.id,
                category=h.category or spec.category,
                severity=h.severity or rule.severity,  # type: ignore[arg-type]
                start=s,
                end=e,
                line=line,
                column=col,
                excerpt=shown,
                message=message,
                reason=h.reason or spec.reason,
                suggestions=list(h.suggestions or spec.suggestions),
                clause=spec.clause,
                explanation=h.detail,
                suppressed=False,
                suppression_reason=None,
            )
        )
    out.sort(key=lambda f: (f.start, f.end, f.rule_id))
    return out


_default_guard: Guard | None = None


def check(
    text: str,
    *,
    kind: DraftKind = "post",
    date: _dt.date | None = None,
    policy: Any = None,
) -> Report:
    """Check one draft with the shipped rules (a process-wide `Guard` is built on first use)."""
    global _default_guard
    if policy is not None:
        return Guard(policy).check(text, kind=kind, date=date)
    if _default_guard is None:
        _default_guard = Guard()
    return _default_guard.check(text, kind=kind, date=date)
