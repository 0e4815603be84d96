"""Route agreement and per-category recall on the held-out drafts (benchmarks/heldout/README.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from fujisns_guard import Guard

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ROUTES = ("autonomous", "section_chief", "revise")
CATEGORIES = ("discriminatory", "broadcast", "personal_info", "credential", "confidential", "unofficial", "tone", "link",
              "accuracy", "length")


def main() -> None:
    guard = Guard(ROOT / "examples" / "policy" / "guard.toml")
    rows = [json.loads(line) for line in (HERE / "drafts.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    results = []
    for row in rows:
        report = guard.check(row["text"], kind=row["kind"], date=dt.date(2026, 11, 23))
        cats = {f.category for f in report.findings if not f.suppressed and f.severity in ("error", "warning")}
        results.append((row, report.decision.route, cats))
    pairs = Counter((row["expected_route"], got) for row, got, _ in results)
    agree = sum(row["expected_route"] == got for row, got, _ in results)
    print(f"route agreement {agree}/{len(results)}")
    print("expected \\ got".ljust(16) + "".join(r.rjust(15) for r in ROUTES))
    for exp in ROUTES:
        print(exp.ljust(16) + "".join(str(pairs[(exp, got)]).rjust(15) for got in ROUTES))
    unsafe = [row["id"] for row, got, _ in results if got == "autonomous" and row["expected_route"] != "autonomous"]
    print(f"false autonomous: {len(unsafe)} {unsafe}")
    for cat in CATEGORIES:
        pos = [cats for row, _, cats in results if cat in row["expected_categories"]]
        neg = [cats for row, _, cats in results if cat not in row["expected_categories"]]
        found, flagged = sum(cat in c for c in pos), sum(cat in c for c in neg)
        print(f"{cat:15s} recall {found}/{len(pos)}  other drafts flagged {flagged}/{len(neg)}")
    for row, got, _ in results:
        if got != row["expected_route"]:
            print(f"- {row['id']} expected {row['expected_route']}, got {got}: {row['text'][:70]!r}")


if __name__ == "__main__":
    main()
