"""A rule that times out or fails becomes a warning in its own category: never a silent pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from fujisns_guard import Guard
from fujisns_guard.checks import pattern

RULE = """
kind = "pattern"
category = "tone"
clause = "G-RULE-2"
message = "「{match}」"
reason = "テスト"
patterns = ['(a|aa)+$']
[[examples]]
text = "aa"
expect = ["aa"]
[[examples]]
text = "b"
expect = []
"""


def _guard(tmp_path: Path) -> Guard:
    rules = tmp_path / "rules" / "tone"
    rules.mkdir(parents=True)
    (rules / "slow.toml").write_text(RULE, encoding="utf-8")
    (tmp_path / "wordlists").mkdir()
    return Guard(rules_dir=tmp_path / "rules", wordlists_dir=tmp_path / "wordlists")


def test_timeout_is_a_warning_naming_the_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pattern, "TIMEOUT_SECONDS", 0.001)
    guard = _guard(tmp_path)
    report = guard.check("a" * 40 + "b")
    [f] = report.findings
    assert (f.rule_id, f.category, f.severity) == ("tone.slow", "tone", "warning")
    assert "tone.slow" in f.message and "時間切れ" in f.message
    assert report.decision.route == "section_chief"


def test_crashing_rule_is_a_warning(tmp_path: Path) -> None:
    guard = _guard(tmp_path)

    def boom(_analysis: object) -> list[object]:
        raise RuntimeError("bug")

    guard._checks = [(rule, boom) for rule, _ in guard._checks]  # type: ignore[misc]
    [f] = guard.check("本文").findings
    assert (f.rule_id, f.severity) == ("tone.slow", "warning") and "RuntimeError" in f.explanation


def test_report_round_trips_through_validation(guard: Guard) -> None:
    """The engine builds reports without validation (hot path): they must still be valid."""
    from fujisns_guard.model import Report

    for text in ("看護婦を募集します。", "---\nkind = 'reply'\n---\nご意見ありがとうございます。", "本日は晴天です。"):
        report = guard.check(text)
        assert Report.model_validate(report.model_dump()) == report
        assert Report.model_validate_json(report.model_dump_json()) == report


def test_guard_is_safe_to_share_across_threads(guard: Guard) -> None:
    """One tokenizer per thread, read-only automata: the same answers as one after another."""
    from concurrent.futures import ThreadPoolExecutor

    drafts = [f"{i}件目：看護婦を募集します。電話090-1234-56{i % 10}{i % 7}まで。" for i in range(40)]
    drafts += ["ページをめくらなくても読めます。", "「片手落ち」という表現は使いません。"] * 10
    expected = [guard.check(d).model_dump() for d in drafts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda d: guard.check(d).model_dump(), drafts))
    assert got == expected
