"""Suppressions: `allow` entries of the front matter and the policy's `allowed_terms`.

A suppressed finding stays in the report, marked `suppressed` with its reason — never silent.
Credential findings are never suppressed (G-RULE-1): an allow that would match one is ignored and
the finding says so. The front matter is tried before the policy (more specific wins).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .model import Category
from .records import FindingT

if TYPE_CHECKING:
    from .frontmatter import AllowEntry
    from .policy import AllowedTerm
    from .records import AnyFinding

_NOT_SUPPRESSIBLE = "認証情報の指摘は抑止できません（allow は無視しました。G-RULE-1）"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _covers(text: str | None, term: str, f: AnyFinding) -> bool:
    """The literal `term` occurs in `text` around the finding (a place name containing a listed word)."""
    if text is None:
        return False
    start = text.find(term, max(0, f.end - len(term)))
    while start != -1 and start <= f.start:
        if start + len(term) >= f.end:
            return True
        start = text.find(term, start + 1)
    return False


def _term_matches(term: str, f: AnyFinding, text: str | None) -> bool:
    return _nfkc(f.excerpt) == _nfkc(term) or _covers(text, term, f)


def allow_matches(entry: AllowEntry, f: AnyFinding, text: str | None = None) -> bool:
    """Rule entries match the id or an id prefix (`personal_info` matches `personal_info.phone`);
    term entries match the excerpt after NFKC, or (with `text`) a literal occurrence covering it."""
    if entry.line is not None and f.line != entry.line:
        return False
    if entry.rule is not None:
        return f.rule_id == entry.rule or f.rule_id.startswith(entry.rule + ".")
    return entry.term is not None and _term_matches(entry.term, f, text)


def apply_allows(
    findings: Sequence[FindingT],
    allows: Iterable[AllowEntry],
    policy_allowed_terms: Iterable[AllowedTerm] = (),
    *,
    text: str | None = None,
) -> list[FindingT]:
    """New findings with `suppressed=True` and the matching entry's reason; order kept.

    `text` is the whole draft (the coordinates of the findings); without it a term entry only
    matches a finding whose excerpt is the term itself."""
    allows, terms = list(allows), list(policy_allowed_terms)
    out: list[FindingT] = []
    for f in findings:
        if f.suppressed:
            out.append(f)
            continue
        reason = _reason(f, allows, terms, text)
        if reason is None:
            out.append(f)
        elif f.category == Category.CREDENTIAL.value:
            note = f"{f.explanation} / {_NOT_SUPPRESSIBLE}" if f.explanation else _NOT_SUPPRESSIBLE
            out.append(f.model_copy(update={"explanation": note}))
        else:
            out.append(f.model_copy(update={"suppressed": True, "suppression_reason": reason}))
    return out


def _reason(f: AnyFinding, allows: list[AllowEntry], terms: list[AllowedTerm], text: str | None) -> str | None:
    for entry in allows:
        if allow_matches(entry, f, text):
            return f"allow（front matter）: {entry.reason}"
    for t in terms:
        if _term_matches(t.term, f, text):
            return f"allowed_terms（運用ポリシー）: {t.reason}"
    return None


def unused_allows(findings: Sequence[AnyFinding], allows: Iterable[AllowEntry], text: str | None = None) -> list[AllowEntry]:
    """Entries that match no finding: stale suppressions worth a note in the report."""
    return [a for a in allows if not any(allow_matches(a, f, text) for f in findings)]
