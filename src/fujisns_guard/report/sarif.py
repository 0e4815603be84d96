"""`--format sarif`: SARIF 2.1.0 for code-scanning UIs (docs/output.md).

One run for all inputs. Columns and character offsets count **Unicode code points**
(`run.columnKind = "unicodeCodePoints"`), the unit of the report itself: `startColumn` is the
finding's `column`, `charOffset`/`charLength` are its `start` and `end - start` (code points
into the decoded file, a BOM not counted). Severities map to levels (error → error, warning →
warning, info → note). Rules carry their Japanese help, clause and source.

Nothing from the draft is copied except what the JSON report already shows (the excerpt, masked
for secrets, the message and the explanation): no context lines, no file contents. Suppressed
findings stay, with a SARIF `suppression` (`inSource` for an `allow` in the draft's front
matter, `external` for the policy's `allowed_terms`) and its justification. An unambiguous
suggestion (docs/fix.md, `guard fix`) is carried as a SARIF `fix`.

The rule descriptions come from the shipped rule files (read once and cached, when the reports
were made with them); a rule not among them (the policy's style rule) is described from its
findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from ..fix import hidden_texts, plan_fixes, scrub
from ..model import Finding, Report
from ..ruleset import RuleError, RuleSet, load_ruleset
from ..textpos import line_col, line_starts

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
COLUMN_KIND = "unicodeCodePoints"
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")  # {match}, {alternatives} … in a rule's message
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GUIDELINE = "富士市ソーシャルメディア運用指針"
CATEGORY_LABEL = {
    "discriminatory": "差別的・不快な表現",
    "broadcast": "放送自粛用語・暴力的な表現",
    "personal_info": "個人情報",
    "credential": "認証情報（秘密）",
    "confidential": "非公開の情報",
    "unofficial": "組織の公式見解でない内容",
    "tone": "語調",
    "link": "リンク",
    "accuracy": "正確さ",
    "length": "文字数・文字種",
}


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF says about one rule."""

    id: str
    category: str
    severity: str
    clause: str
    message: str
    reason: str
    source: str = ""


def rule_infos(ruleset: RuleSet) -> dict[str, RuleInfo]:
    """The descriptions of every rule of a rule set, in its order."""
    out: dict[str, RuleInfo] = {}
    for rule in ruleset.rules:
        spec = rule.spec
        out[rule.id] = RuleInfo(rule.id, spec.category, rule.severity, spec.clause, spec.message, spec.reason, spec.source)
    return out


@lru_cache(maxsize=1)
def _shipped() -> tuple[str, dict[str, RuleInfo]]:
    try:
        ruleset = load_ruleset()
    except (RuleError, OSError):  # pragma: no cover - a broken install fails earlier, in the check
        return "", {}
    return ruleset.version, rule_infos(ruleset)


def _version() -> str:
    try:
        return metadata.version("fujisns-guard")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def artifact_uri(path: str) -> str:
    """A URI reference for a report's path: relative paths stay relative (forward slashes,
    percent-encoded), absolute ones become `file:` URIs; standard input is `-`."""
    if path == "-":
        return "-"
    win = PureWindowsPath(path)
    if win.drive or "\\" in path:
        if win.is_absolute():
            return win.as_uri()
        path = win.as_posix()
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return posix.as_uri()
    return quote(posix.as_posix(), safe="/")


def _first_sentence(text: str) -> str:
    head = text.strip().splitlines()[0] if text.strip() else ""
    cut = head.find("。")
    return head[: cut + 1] if cut != -1 else head


def _describe(info: RuleInfo) -> dict[str, Any]:
    label = CATEGORY_LABEL.get(info.category, info.category)
    template = _PLACEHOLDER.sub("…", info.message)
    lines = [info.reason.strip(), "", f"指摘の例: {template}", f"条項: {info.clause}（{GUIDELINE}）"]
    if info.source:
        lines.append(f"出典: {info.source}")
    lines.append(f"詳しくは: guard explain {info.id}")
    md = [info.reason.strip(), "", f"- 指摘の例: {template}", f"- 条項: **{info.clause}**（{GUIDELINE}）"]
    if info.source:
        md.append(f"- 出典: {info.source}")
    md.append(f"- 詳しくは: `guard explain {info.id}`")
    return {
        "id": info.id,
        "shortDescription": {"text": f"{label}: {_first_sentence(info.reason)}"},
        "fullDescription": {"text": info.reason.strip()},
        "help": {"text": "\n".join(lines), "markdown": "\n".join(md)},
        "defaultConfiguration": {"level": LEVEL.get(info.severity, "warning")},
        "properties": {
            "category": info.category,
            "clause": info.clause,
            "source": info.source,
            "tags": [info.category, info.clause],
        },
    }


def _from_finding(f: Finding) -> RuleInfo:
    return RuleInfo(f.rule_id, f.category, f.severity, f.clause, f.message, f.reason)


def _region(f: Finding, starts: list[int] | None) -> dict[str, Any]:
    if starts is not None:
        end_line, end_col = line_col(starts, f.end)
    else:  # no source: the finding is on one line (the excerpt never spans a break then)
        end_line, end_col = f.line, f.column + (f.end - f.start)
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.excerpt},
    }


def _suppression(f: Finding) -> dict[str, Any]:
    reason = f.suppression_reason or ""
    kind = "external" if reason.startswith("allowed_terms") else "inSource"
    return {"kind": kind, "status": "accepted", "justification": reason}


def _message(f: Finding) -> str:
    if f.suggestions:
        return f"{f.message} 提案: {' / '.join(f.suggestions)}"
    return f.message


def _result(f: Finding, rule_index: int, uri: str, index: int, starts: list[int] | None) -> dict[str, Any]:
    location = {"artifactLocation": {"uri": uri, "index": index}, "region": _region(f, starts)}
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": _message(f)},
        "locations": [{"physicalLocation": location}],
        "properties": {
            "category": f.category,
            "clause": f.clause,
            "severity": f.severity,
            "reason": f.reason,
            "explanation": f.explanation,
            "suggestions": list(f.suggestions),
        },
    }
    if f.suppressed:
        result["suppressions"] = [_suppression(f)]
    return result


def _fix(f: Finding, replacement: str, uri: str, index: int) -> dict[str, Any]:
    return {
        "description": {"text": f"「{f.excerpt}」→「{replacement}」（guard fix で適用できます）"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri, "index": index},
                "replacements": [
                    {
                        "deletedRegion": {"charOffset": f.start, "charLength": f.end - f.start},
                        "insertedContent": {"text": replacement},
                    }
                ],
            }
        ],
    }


_Json = Any


def _scrub(value: _Json, hidden: Mapping[str, str]) -> _Json:
    """`value` (JSON-ready) with every hidden text replaced in every string, longest first."""
    if not hidden:
        return value
    if isinstance(value, str):
        return scrub(value, hidden)
    if isinstance(value, list):
        return [_scrub(v, hidden) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, hidden) for k, v in value.items()}
    return value


def build_sarif(
    reports: Sequence[Report], sources: Mapping[str, str], rules: Mapping[str, RuleInfo] | None = None
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict. `rules` describes the rules (default: the shipped
    rule files, when the reports were made with them)."""
    if rules is None:
        version, shipped = _shipped()
        used = {r.ruleset_version for r in reports}
        rules = shipped if used <= {version} else {}
    catalog: dict[str, RuleInfo] = dict(rules)
    for r in reports:
        for f in r.findings:
            if f.rule_id not in catalog:
                catalog[f.rule_id] = _from_finding(f)
    order = {rule_id: i for i, rule_id in enumerate(catalog)}
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for index, r in enumerate(reports):
        uri = artifact_uri(r.path)
        source = sources.get(r.path)
        starts = line_starts(source) if source else None
        fixes = {id(f): new for f, new in plan_fixes(r.findings, source).applied} if source else {}
        hidden = hidden_texts(source, r.findings) if source else {}
        mine: list[dict[str, Any]] = []
        for f in r.findings:
            result = _result(f, order[f.rule_id], uri, index, starts)
            if id(f) in fixes:
                result["fixes"] = [_fix(f, fixes[id(f)], uri, index)]
            mine.append(result)
        results.extend(_scrub(mine, hidden))
        d = r.decision
        artifacts.append(
            _scrub(
                {
                    "location": {"uri": uri},
                    "properties": {
                        "path": r.path,
                        "kind": r.kind,
                        "date": r.date,
                        "route": d.route,
                        "decision": d.model_dump(mode="json"),
                        "platforms": list(r.platforms),
                        "lengths": [n.model_dump(mode="json") for n in r.lengths],
                        "notes": list(r.notes),
                    },
                },
                hidden,
            )
        )
    routes = [r.decision.route for r in reports]
    versions = sorted({r.ruleset_version for r in reports})
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "fujisns-guard",
                "version": _version(),
                "language": "ja",
                "rules": [_describe(info) for info in catalog.values()],
                "properties": {"ruleset_version": versions[0] if len(versions) == 1 else versions},
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "properties": {
                    "drafts": len(reports),
                    "routes": {route: routes.count(route) for route in ("revise", "section_chief", "autonomous")},
                },
            }
        ],
        "language": "ja",
        "columnKind": COLUMN_KIND,
        "artifacts": artifacts,
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(reports: Sequence[Report], sources: dict[str, str], rules: Mapping[str, RuleInfo] | None = None) -> str:
    return json.dumps(build_sarif(reports, sources, rules), ensure_ascii=False, indent=2) + "\n"
