"""Behaviour snapshot for optimisation work: `guard check --format json` over many drafts.

Writes every benchmark post (posts.jsonl), every rule example, every word-list term and exception,
and the drafts of examples/ and tests/data/ as files, runs `guard check --format json` on them (posts
and replies separately, with a fixed date), and saves the reports, reduced to what must not change
(kind, findings, decision, lengths), as one JSON file. `--compare OLD.json` prints the drafts whose
findings, route or lengths differ (`--all`: the whole decision) and exits 1 when any does.

    python benchmarks/snapshot.py --corpus benchmarks/posts.jsonl --out before.json
    python benchmarks/snapshot.py --corpus benchmarks/posts.jsonl --out after.json --compare before.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATE = "2024-11-01"


def drafts(corpus: Path) -> dict[str, tuple[str, str]]:
    """name -> (kind, text)."""
    out: dict[str, tuple[str, str]] = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if line:
            post = json.loads(line)
            out[f"post{post['id']:04d}.txt"] = ("reply" if post["topic"] == "reply" else "post", post["text"])
    for path in sorted((ROOT / "rules").rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, ex in enumerate(data.get("examples", [])):
            if ex.get("date"):
                continue  # dated examples need their own --date
            out[f"rule_{path.parent.name}_{path.stem}_{i}.txt"] = (ex.get("kind", "post"), ex["text"])
    for path in sorted((ROOT / "wordlists").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, term in enumerate(data.get("term", [])):
            out[f"wl_{path.stem}_{i}.txt"] = ("post", f"本日は{term['term']}について。")
            for j, exc in enumerate(term.get("exceptions", [])):
                out[f"wl_{path.stem}_{i}_x{j}.txt"] = ("post", exc)
    for base in (ROOT / "examples", ROOT / "tests" / "data"):
        for path in sorted(base.rglob("*.txt")):
            kind = "reply" if "reply" in path.name else "post"
            out["ex_" + "_".join(path.relative_to(ROOT).parts)] = (kind, path.read_text(encoding="utf-8"))
    return out


def run(guard: str, files: list[Path], reply: bool) -> list[dict[str, Any]]:
    if not files:
        return []
    cmd = [guard, "check", "--format", "json", "--date", DATE, *(["--reply"] if reply else []), *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=False)
    if proc.returncode not in (0, 1):
        sys.exit(f"guard exited {proc.returncode}: {proc.stderr.strip()}")
    reports: list[dict[str, Any]] = json.loads(proc.stdout)
    return reports


def reduce(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": report["kind"],
        "findings": report["findings"],
        "decision": report["decision"],
        "lengths": report.get("lengths", []),
    }


def _part(report: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    out = {k: report[k] for k in keys if k in report}
    if "route" in keys:
        out["route"] = report["decision"]["route"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "benchmarks" / "posts.jsonl")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compare", type=Path)
    ap.add_argument(
        "--all", action="store_true", help="compare the whole decision (default: its route; reasons are worded elsewhere)"
    )
    ap.add_argument("--guard", default=str(Path(sys.executable).with_name("guard")))
    args = ap.parse_args()
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[str, list[Path]] = {"post": [], "reply": []}
        for name, (kind, text) in drafts(args.corpus).items():
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            files[kind].append(path)
        for kind, paths in files.items():
            for report in run(args.guard, paths, kind == "reply"):
                result[Path(report["path"]).name] = reduce(report)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    n_findings = sum(len(r["findings"]) for r in result.values())
    print(f"{len(result)} drafts, {n_findings} findings -> {args.out}")
    if args.compare is None:
        return 0
    old = json.loads(args.compare.read_text(encoding="utf-8"))
    keys = ("findings", "decision", "lengths", "kind") if args.all else ("findings", "route", "lengths", "kind")
    only = sorted(old.keys() ^ result.keys())
    if only:
        print(f"{len(only)} drafts in one snapshot only (new or removed files): {', '.join(only[:10])}")
    differ = sorted(k for k in old.keys() & result.keys() if _part(old[k], keys) != _part(result[k], keys))
    for name in differ[:20]:
        print(f"DIFF {name}")
        a, b = _part(old[name], keys), _part(result[name], keys)
        if a and b:
            for key in keys:
                if a[key] != b[key]:
                    print(f"  {key}: {json.dumps(a[key], ensure_ascii=False)[:400]}")
                    print(f"  {' ' * len(key)}  {json.dumps(b[key], ensure_ascii=False)[:400]}")
    print(f"{len(differ)} of {len(result)} drafts differ" if differ else "identical")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
