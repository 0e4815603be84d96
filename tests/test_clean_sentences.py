"""The fixed yardstick of issue 6: ordinary municipal sentences that the statement rules must
leave alone. `tests/data/clean_sentences.txt` was written before the rules and is never edited,
only added to (the first lines are pinned by a hash below). The false-positive rate of this
issue's rules on it must stay under 2 %; docs/statements.md reports it.

Every sentence is checked twice, as a post and as a reply (so the reply-only tone rules see all of
them); a sentence counts as a false positive when either check has a warning or error finding
from one of this issue's rules.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fujisns_guard import Guard

DATA = Path(__file__).parent / "data" / "clean_sentences.txt"
# The frozen prefix: (number of lines, sha256 of those lines). Adding lines is fine; editing or
# removing one of these fails the test.
FROZEN = (362, "bddcc493813494de8dd833b3128d05651c85cbe274a902fe7353c828178b6ab9")
MAX_RATE = 0.02

# The rules of issue 6 (statements, tone, inappropriate expressions beyond the word lists).
ISSUE_PREFIXES = ("unofficial.", "tone.")
ISSUE_RULES = frozenset(
    {
        "discriminatory.slur_patterns",
        "discriminatory.body_shaming",
        "discriminatory.gender_role",
        "discriminatory.illness_mockery",
        "broadcast.threats",
        "accuracy.language",
    }
)


def _sentences() -> list[str]:
    return [line for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ours(rule_id: str) -> bool:
    return rule_id.startswith(ISSUE_PREFIXES) or rule_id in ISSUE_RULES


def false_positives(guard: Guard) -> list[tuple[str, list[str]]]:
    out = []
    for s in _sentences():
        found = []
        for kind in ("post", "reply"):
            report = guard.check(s, kind=kind)  # type: ignore[arg-type]
            found += [f"{kind}:{f.rule_id}:{f.excerpt}" for f in report.findings if _ours(f.rule_id) and f.severity != "info"]
        if found:
            out.append((s, found))
    return out


def test_yardstick_is_only_added_to() -> None:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    n, digest = FROZEN
    assert len(lines) >= n
    assert hashlib.sha256("\n".join(lines[:n]).encode("utf-8")).hexdigest() == digest, (
        "tests/data/clean_sentences.txt: the first lines were edited; only add lines at the end"
    )
    assert len(_sentences()) >= 300


def test_false_positive_rate_under_two_percent(guard: Guard) -> None:
    sentences = _sentences()
    fps = false_positives(guard)
    rate = len(fps) / len(sentences)
    print(f"\nissue 6 rules: {len(fps)} of {len(sentences)} clean sentences flagged ({rate:.2%})")
    for s, found in fps:
        print(f"  {s}  ->  {found}")
    assert rate < MAX_RATE, fps
