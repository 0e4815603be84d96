"""Detector evaluation on realistic, unseen drafts (tests/data/detector_eval/cases.jsonl).

Each case lists the categories that MUST be reported at error/warning level (``expect``) and those
that must NOT (``forbid``), judged by the guideline rather than by what the tool says today. The
test prints per-category recall and false-positive rate and fails when either drops below the
floors (set just below the figures measured when the floors were last raised).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from fujisns_guard import Guard

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "detector_eval" / "cases.jsonl"
POLICY = ROOT / "examples" / "policy" / "guard.toml"
CATEGORIES = (
    "discriminatory",
    "broadcast",
    "personal_info",
    "credential",
    "confidential",
    "unofficial",
    "tone",
    "link",
    "accuracy",
    "length",
)
LEVELS = {"error", "warning"}

# Floors: recall (share of expected categories found) and false-positive rate (share of cases
# forbidding a category that reported it). Raise them when detectors improve.
# Measured 2026-11-24 after the code-level fixes: every expected category found, no false alarm.
RECALL_FLOOR = {
    "discriminatory": 1.0,  # 29/29
    "broadcast": 1.0,  # 12/12
    "personal_info": 1.0,  # 42/42
    "credential": 1.0,  # 25/25
    "confidential": 1.0,  # 16/16
    "unofficial": 1.0,  # 17/17
    "tone": 1.0,  # 21/21
    "link": 1.0,  # 20/20
    "accuracy": 1.0,  # 36/36
    "length": 1.0,  # 4/4
}
FP_CEILING = {
    "discriminatory": 0.0,  # 0/328
    "broadcast": 0.0,  # 0/343
    "personal_info": 0.0,  # 0/316
    "credential": 0.0,  # 0/333
    "confidential": 0.0,  # 0/337
    "unofficial": 0.0,  # 0/327
    "tone": 0.0,  # 0/326
    "link": 0.0,  # 0/327
    "accuracy": 0.0,  # 0/316
    "length": 0.0,  # 0/348
}
OVERALL_RECALL_FLOOR = 1.0  # 222/222
OVERALL_FP_CEILING = 0.0  # 0/3301
CLEAN_FLAGGED_CEILING = 0.0  # clean drafts (expect == []) with a forbidden category: 0/144


def load_cases() -> list[dict]:
    cases = []
    for n, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            case = json.loads(line)
            case["line"] = n
            cases.append(case)
    return cases


def run_cases(guard: Guard, cases: list[dict]) -> list[dict]:
    results = []
    for case in cases:
        report = guard.check(case["text"], kind=case.get("kind"), date=dt.date.fromisoformat(case["date"]))
        hits: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for f in report.findings:
            if f.severity in LEVELS and not f.suppressed:
                hits[f.category].append((f.rule_id, f.severity, f.excerpt))
        results.append({"case": case, "hits": dict(hits)})
    return results


def score(results: list[dict]) -> dict[str, dict[str, int]]:
    table = {c: {"exp": 0, "found": 0, "forb": 0, "fp": 0} for c in CATEGORIES}
    for r in results:
        for c in r["case"]["expect"]:
            table[c]["exp"] += 1
            table[c]["found"] += c in r["hits"]
        for c in r["case"]["forbid"]:
            table[c]["forb"] += 1
            table[c]["fp"] += c in r["hits"]
    return table


def format_table(table: dict[str, dict[str, int]]) -> str:
    lines = [f"{'category':<15}{'recall':>16}{'false positives':>22}"]
    for c, t in table.items():
        rec = t["found"] / t["exp"] if t["exp"] else float("nan")
        fpr = t["fp"] / t["forb"] if t["forb"] else float("nan")
        lines.append(f"{c:<15}{t['found']:>5}/{t['exp']:<4}{rec:>7.1%}{t['fp']:>10}/{t['forb']:<4}{fpr:>7.1%}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return run_cases(Guard(POLICY), load_cases())


def test_cases_are_well_formed() -> None:
    cases = load_cases()
    assert len(cases) >= 150
    for case in cases:
        assert set(case) <= {"text", "expect", "forbid", "date", "why", "kind", "line"}, case
        assert case["text"] and case["why"], case
        assert set(case["expect"]) <= set(CATEGORIES), case
        assert set(case["forbid"]) <= set(CATEGORIES), case
        assert not set(case["expect"]) & set(case["forbid"]), case
        dt.date.fromisoformat(case["date"])
        assert case.get("kind") in (None, "post", "reply"), case
    texts = [c["text"] for c in cases]
    assert len(texts) == len(set(texts)), "duplicate drafts"


def test_recall_and_false_positives(results: list[dict]) -> None:
    table = score(results)
    print()
    print(format_table(table))
    misses = [
        (r["case"]["line"], c, repr(r["case"]["text"][:40])) for r in results for c in r["case"]["expect"] if c not in r["hits"]
    ]
    alarms = [(r["case"]["line"], c, r["hits"][c]) for r in results for c in r["case"]["forbid"] if c in r["hits"]]
    print(f"misses: {len(misses)}, false alarms: {len(alarms)}")
    for m in misses:
        print("MISS", *m)
    for a in alarms:
        print("FP  ", *a)
    failures = []
    for c, t in table.items():
        if t["exp"]:
            rec = t["found"] / t["exp"]
            if rec < RECALL_FLOOR[c]:
                failures.append(f"{c}: recall {rec:.1%} < floor {RECALL_FLOOR[c]:.1%}")
        if t["forb"]:
            fpr = t["fp"] / t["forb"]
            if fpr > FP_CEILING[c]:
                failures.append(f"{c}: false positives {fpr:.1%} > ceiling {FP_CEILING[c]:.1%}")
    exp = sum(t["exp"] for t in table.values())
    found = sum(t["found"] for t in table.values())
    forb = sum(t["forb"] for t in table.values())
    fp = sum(t["fp"] for t in table.values())
    print(f"overall recall {found}/{exp} = {found / exp:.1%}; false positives {fp}/{forb} = {fp / forb:.1%}")
    clean = [r for r in results if not r["case"]["expect"]]
    flagged = [r for r in clean if set(r["case"]["forbid"]) & set(r["hits"])]
    print(f"clean drafts flagged {len(flagged)}/{len(clean)} = {len(flagged) / len(clean):.1%}")
    if len(flagged) / len(clean) > CLEAN_FLAGGED_CEILING:
        failures.append(f"clean drafts flagged {len(flagged) / len(clean):.1%} > {CLEAN_FLAGGED_CEILING:.1%}")
    if found / exp < OVERALL_RECALL_FLOOR:
        failures.append(f"overall recall {found / exp:.1%} < {OVERALL_RECALL_FLOOR:.1%}")
    if fp / forb > OVERALL_FP_CEILING:
        failures.append(f"overall false positives {fp / forb:.1%} > {OVERALL_FP_CEILING:.1%}")
    assert not failures, "\n".join(failures)
