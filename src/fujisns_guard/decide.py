"""Findings → the route a draft takes. Pure; the policy of routing is data (severity → route)."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Decision, Finding, Route, construct

ROUTE_LABEL = {
    "revise": "修正が必要",
    "section_chief": "所属長の承認が必要",
    "autonomous": "自律投稿可（複数職員で確認・所属長へ報告）",
}


def decide(findings: Sequence[Finding], notes: Sequence[str] = ()) -> Decision:
    """`revise` on any error; otherwise the section chief approves (G-POST-1).

    The autonomous route (G-POST-2) needs the published-content basis and arrives with it.
    """
    active = [f for f in findings if not f.suppressed]
    errors = [f for f in active if f.severity == "error"]
    warnings = [f for f in active if f.severity == "warning"]
    route: Route
    if errors:
        route = "revise"
        counted = errors
    else:
        route = "section_chief"
        counted = warnings
    reasons = [f"{f.line}行{f.column}列 {f.rule_id}: {f.message}" for f in counted]
    if route == "section_chief":
        reasons.append("投稿・返信は原則として所属長の承認が必要です（事前承認の範囲の判定は未対応）。")
    reasons.extend(notes)
    clauses = sorted({f.clause for f in counted} | ({"G-POST-1"} if route == "section_chief" else set()))
    return construct(Decision, route=route, basis=[], reasons=reasons, clauses=clauses, obligations=[], support=[], sentences=[])
