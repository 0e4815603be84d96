"""Every word-list term alone is flagged, every exception is not (generated from the data)."""

from __future__ import annotations

import pytest

from fujisns_guard import Guard
from fujisns_guard.ruleset import load_ruleset

_RULESET = load_ruleset()
_WORDLIST_RULES = [r for r in _RULESET.rules if r.spec.kind == "wordlist"]
_TERMS = [(r.id, t) for r in _WORDLIST_RULES for t in _RULESET.terms_for(r)]


@pytest.mark.parametrize(
    ("rule_id", "spelling"),
    [pytest.param(rid, s, id=f"{rid}:{s}") for rid, t in _TERMS for s in t.spellings],
)
def test_term_alone_is_flagged(guard: Guard, rule_id: str, spelling: str) -> None:
    # A term limited to one reading (土方 read ドカタ) may need context for Sudachi to read it
    # so: alone, or in one of a few neutral carrier sentences.
    for carrier in ("{}", "{}の仕事をしていた", "{}をしている", "あれは{}だ"):
        text = carrier.format(spelling)
        start = text.index(spelling)
        report = guard.check(text, only=[rule_id])
        if any(f.start == start and f.end == start + len(spelling) for f in report.findings):
            return
    raise AssertionError(f"{spelling!r} is not flagged alone nor in any carrier sentence")


@pytest.mark.parametrize(
    ("rule_id", "exception", "term"),
    [pytest.param(rid, e, t.term, id=f"{rid}:{e}") for rid, t in _TERMS for e in t.exceptions],
)
def test_exception_is_not_flagged(guard: Guard, rule_id: str, exception: str, term: str) -> None:
    report = guard.check(exception, only=[rule_id])
    assert not [f for f in report.findings if f.explanation.find(f"「{term}」") != -1], report.findings


def test_enough_reviewed_terms() -> None:
    hurtful = [t for _, t in _TERMS if t.severity != "info" and t.category in ("discriminatory", "broadcast")]
    assert len(hurtful) >= 250


def test_every_term_has_reason_and_source() -> None:
    for _, t in _TERMS:
        assert t.reason.strip()
        assert t.source.strip(), t.term
