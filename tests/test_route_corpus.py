"""The route decision on a corpus of realistic drafts (tests/data/routes/cases.jsonl).

Each case is a draft as municipal PR staff write it (full-width digits, emoji, hashtags, 【】
headings, replies …) with the route the guideline gives it (G-POST-1..4), judged by the
guideline and not by what the tool says. The examples are copied into a temporary folder and
indexed; every case is checked with the example policy.

Two guards:

- the agreement rate stays at or above `AGREEMENT_FLOOR` (set just below the measured rate:
  a fix raises it, a regression fails);
- no case whose expected route is `section_chief` or `revise` is decided `autonomous` unless it
  is in `FALSE_AUTONOMOUS_ALLOWED` (a false autonomous post skips the chief: the dangerous error).

On failure the confusion matrix and the disagreements are printed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from fujisns_guard import Guard
from fujisns_guard.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASES = Path(__file__).resolve().parent / "data" / "routes" / "cases.jsonl"
DEFAULT_DATE = dt.date(2026, 11, 23)
ROUTES = ("autonomous", "section_chief", "revise")

# Measured 2026-11-24 (see .git/lead/route_eval.md); raise it when the cue lists improve.
# measured 179/182 = 0.984 with topic windows; 178/182 before them, 171/182 before the index
# paraphrases, 144/182 before the basis.py fixes
AGREEMENT_FLOOR = 0.975

# Expected section_chief/revise, decided autonomous today. Each entry: the start of the draft
# (as in cases.jsonl) → why it is tolerated for now. Remove an entry once the tool is fixed.
FALSE_AUTONOMOUS_ALLOWED: dict[str, str] = {
    # none since the basis.py fixes of 2026-11-24 (calls that state an incident are content,
    # incident causes block 2b, 〜そうです is a forecast, new schedules are not a status, the
    # weather shortcut only for 中止/延期); the 11 cases they fixed stay in the corpus
}


def _load() -> list[dict[str, str]]:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    for c in cases:
        assert c["route"] in ROUTES, c
        assert c["kind"] in ("post", "reply"), c
    return cases


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory) -> Guard:
    root = tmp_path_factory.mktemp("site")
    for name in ("policy", "published", "faq"):
        shutil.copytree(EXAMPLES / name, root / name)
    policy = root / "policy" / "guard.toml"
    code, _out, err = _run("index", "build", "--policy", str(policy))
    assert code == 0, err
    return Guard(policy)


def _decide(guard: Guard, case: dict[str, str]) -> tuple[str, list[str]]:
    date = dt.date.fromisoformat(case["date"]) if case.get("date") else DEFAULT_DATE
    d = guard.check(case["text"], kind=case["kind"], date=date).decision  # type: ignore[arg-type]
    return d.route, list(d.reasons)


def _allowed(text: str) -> bool:
    return any(text.startswith(key) for key in FALSE_AUTONOMOUS_ALLOWED)


def _matrix(pairs: list[tuple[str, str]]) -> str:
    counts = Counter(pairs)
    width = max(len(r) for r in ROUTES) + 2
    lines = ["expected \\ got".ljust(width + 4) + "".join(r.rjust(width) for r in ROUTES)]
    for exp in ROUTES:
        lines.append(exp.ljust(width + 4) + "".join(str(counts[(exp, got)]).rjust(width) for got in ROUTES))
    return "\n".join(lines)


def test_the_corpus_is_large_and_mixed() -> None:
    cases = _load()
    routes = Counter(c["route"] for c in cases)
    assert len(cases) >= 120
    assert 0.25 <= routes["autonomous"] / len(cases) <= 0.5
    assert routes["revise"] >= 8 and routes["section_chief"] >= 40
    assert sum(c["kind"] == "reply" for c in cases) >= 10
    assert len({c["text"] for c in cases}) == len(cases)  # no duplicate drafts
    for key in FALSE_AUTONOMOUS_ALLOWED:  # each entry names exactly one non-autonomous case
        assert [c["route"] != "autonomous" for c in cases if c["text"].startswith(key)] == [True], key


def test_route_agreement_and_no_false_autonomous(guard: Guard) -> None:
    cases = _load()
    pairs: list[tuple[str, str]] = []
    wrong: list[str] = []
    false_autonomous: list[str] = []
    for c in cases:
        got, reasons = _decide(guard, c)
        pairs.append((c["route"], got))
        if got != c["route"]:
            wrong.append(f"- expected {c['route']}, got {got}: {c['text']!r} ({c['why']})\n    {reasons}")
            if got == "autonomous" and not _allowed(c["text"]):
                false_autonomous.append(c["text"])
    rate = sum(e == g for e, g in pairs) / len(pairs)
    report = f"agreement {rate:.3f} ({len(pairs) - len(wrong)}/{len(pairs)})\n{_matrix(pairs)}\n" + "\n".join(wrong)
    assert not false_autonomous, f"false autonomous outside the allowlist: {false_autonomous}\n{report}"
    assert rate >= AGREEMENT_FLOOR, report
