"""Findings and the basis of each sentence → the route a draft takes (G-POST-1..4). Pure.

`revise` on any error; `autonomous` when every content sentence has a basis the policy
pre-approved and no warning needs the chief; otherwise `section_chief`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from .model import Route
from .records import Decision, SentenceBasis

if TYPE_CHECKING:
    from .records import AnyFinding

ROUTE_LABEL = {
    "revise": "修正が必要",
    "section_chief": "所属長の承認が必要",
    "autonomous": "自律投稿可（複数職員で確認・所属長へ報告）",
}
BASIS_CLAUSE = {
    "published": "G-POST-2a",
    "established_fact": "G-POST-2b",
    "legal_procedure": "G-POST-2c",
    "faq": "G-POST-2d",
}
BASIS_LABEL = {
    "published": "公表済みの内容",
    "established_fact": "イベント・施設の状況や結果（既成の事実）",
    "legal_procedure": "法令などで定められた手続",
    "faq": "FAQ に登録済みの内容",
}
EXCERPT_CHARS = 40
OUT_OF_SCOPE = "事前承認の範囲（公表済み・FAQ・既成の事実・法令の手続）に当たりません"


def obligations(min_checkers: int) -> list[str]:
    """What staff must do with an autonomous post (G-POST-3, G-POST-4)."""
    return [
        f"投稿前に、作成者を含め {min_checkers} 人以上の職員で内容を確認してください（G-POST-3）。",
        "投稿後、できるだけ速やかに所属長へ報告してください。所属長は内容を確認します（G-POST-4）。",
    ]


def _quote(text: str) -> str:
    return "「" + (text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…") + "」"


def decide(
    findings: Sequence[AnyFinding],
    notes: Sequence[str] = (),
    *,
    sentences: Sequence[SentenceBasis] | None = None,
    approved: Collection[str] = (),
    min_checkers: int = 2,
) -> Decision:
    """The route, its reasons and clauses; `sentences` is None when the basis was not examined
    (no policy scope, or the draft is too long to be a post)."""
    active = [f for f in findings if not f.suppressed]
    errors = [f for f in active if f.severity == "error"]
    if errors:
        reasons = [f"{f.line}行{f.column}列 {f.rule_id}: {f.message}" for f in errors]
        reasons.extend(notes)
        return _decision("revise", [], reasons, sorted({f.clause for f in errors}), [], [], list(sentences or []))

    warnings = [f for f in active if f.severity == "warning"]
    reasons = [f"{f.line}行{f.column}列 {f.rule_id}: {f.message}（所属長の確認が必要）" for f in warnings]
    clauses = {f.clause for f in warnings}
    sents = list(sentences or [])
    content = [s for s in sents if s.role == "content"]
    for s in sents:
        if s.role == "no_basis":
            reasons.append(f"{s.line}行 {_quote(s.text)}: {s.note}")
        elif s.role == "content" and s.basis is None:
            reasons.append(f"{s.line}行 {_quote(s.text)}: {s.note or OUT_OF_SCOPE}")
    if not approved:
        reasons.append("運用ポリシーに事前承認の範囲（scope.approved）がないため、所属長の承認が必要です。")
    elif sentences is None:  # the basis could not be examined (a long draft, a broken index: see the notes)
        reasons.append("事前承認の範囲を判定できなかったため、所属長の承認が必要です。")
    elif not content and not reasons:
        reasons.append("事前承認の範囲に当たる内容の文がありません。")
    reasons.extend(notes)
    used: list[str] = sorted({s.basis for s in content if s.basis is not None}, key=list(BASIS_CLAUSE).index)
    support = [
        {"line": s.line, "sentence": s.text, "basis": s.basis, **entry}
        for s in content
        if s.basis is not None
        for entry in s.support
    ]
    blocked = bool(reasons)
    if blocked:
        return _decision("section_chief", used, reasons, sorted(clauses | {"G-POST-1"}), [], support, sents)
    basis_clauses = {BASIS_CLAUSE[b] for b in used}
    why = [f"全ての文が事前承認の範囲内です: {'、'.join(BASIS_LABEL[b] for b in used)}。"]
    return _decision(
        "autonomous", used, why, sorted(basis_clauses | {"G-POST-3", "G-POST-4"}), obligations(min_checkers), support, sents
    )


def _decision(
    route: Route,
    basis: list[str],
    reasons: list[str],
    clauses: list[str],
    duties: list[str],
    support: list[dict[str, object]],
    sentences: list[SentenceBasis],
) -> Decision:
    return Decision(
        route=route,
        basis=basis,
        reasons=reasons,
        clauses=clauses,
        obligations=duties,
        support=support,
        sentences=sentences,
    )
