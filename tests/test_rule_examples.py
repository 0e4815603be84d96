"""Every rule's own examples are tests: what must and must not trigger (DESIGN.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from fujisns_guard import Guard
from fujisns_guard.ruleset import load_ruleset

_RULESET = load_ruleset()
_CASES = [pytest.param(rule.id, i, id=f"{rule.id}[{i}]") for rule in _RULESET.rules for i in range(len(rule.spec.examples))]


@pytest.mark.parametrize(("rule_id", "index"), _CASES)
def test_rule_example(guard: Guard, rule_id: str, index: int) -> None:
    rule = guard.ruleset.get(rule_id)
    assert rule is not None
    ex = rule.spec.examples[index]
    date = dt.date.fromisoformat(ex.date) if ex.date else dt.date(2026, 11, 20)
    report = guard.check(ex.text, kind=ex.kind, date=date, only=[rule_id])
    found = [ex.text[f.start : f.end] for f in report.findings if f.rule_id == rule_id]
    assert found == ex.expect, f"{rule_id} example {index}: {ex.text!r} found {found}, expected {ex.expect}"
    if ex.severity is not None:
        assert all(f.severity == ex.severity for f in report.findings), [f.severity for f in report.findings]


def test_every_rule_has_positive_and_negative_examples() -> None:
    for rule in _RULESET.rules:
        kinds = {bool(ex.expect) for ex in rule.spec.examples}
        assert kinds == {True, False}, f"{rule.id} needs examples that must and must not trigger"
