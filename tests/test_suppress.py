"""Suppression by front-matter `allow` and policy `allowed_terms`: marked, never silent."""

from __future__ import annotations

import pytest

from fujisns_guard import Guard
from fujisns_guard.frontmatter import AllowEntry, parse_front_matter
from fujisns_guard.model import Finding
from fujisns_guard.policy import AllowedTerm
from fujisns_guard.suppress import allow_matches, apply_allows, unused_allows
from fujisns_guard.textpos import line_col, line_starts

TEXT = (
    "---\n"
    "[[allow]]\n"
    'term = "看護婦"\n'
    'reason = "歴史資料の引用"\n'
    "line = 7\n"
    "---\n"
    "看護婦の歴史展を開きます。\n"
    "看護婦を募集します。\n"
    "電話 090-1234-5678\n"
    "pass: Fuji2024!\n"
)


def finding(text: str, excerpt: str, rule_id: str, category: str, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(excerpt, start + 1)
    line, col = line_col(line_starts(text), start)
    return Finding(
        rule_id=rule_id,
        category=category,
        severity="error",
        start=start,
        end=start + len(excerpt),
        line=line,
        column=col,
        excerpt=excerpt,
        message="m",
        reason="r",
        clause="G-RULE-4",
    )


@pytest.fixture
def findings() -> list[Finding]:
    return [
        finding(TEXT, "看護婦", "discriminatory.terms", "discriminatory", 1),  # line 7 (the 0th is in the block)
        finding(TEXT, "看護婦", "discriminatory.terms", "discriminatory", 2),  # line 8
        finding(TEXT, "090-1234-5678", "personal_info.phone", "personal_info"),
        finding(TEXT, "Fuji2024!", "credential.password", "credential"),
    ]


def allows() -> list[AllowEntry]:
    meta = parse_front_matter(TEXT).meta
    assert meta is not None
    return meta.allow


def test_offsets_of_the_fixture_refer_to_the_whole_file(findings: list[Finding]) -> None:
    assert [f.line for f in findings] == [7, 8, 9, 10]
    assert all(TEXT[f.start : f.end] == f.excerpt for f in findings)


def test_term_allow_with_line_limit(findings: list[Finding]) -> None:
    out = apply_allows(findings, allows(), [])
    assert out[0].suppressed and out[0].suppression_reason is not None
    assert "歴史資料の引用" in out[0].suppression_reason
    assert not out[1].suppressed  # same term, other line
    assert len(out) == len(findings)  # never dropped
    assert (out[0].start, out[0].end, out[0].line) == (findings[0].start, findings[0].end, 7)
    assert not findings[0].suppressed  # new objects, inputs untouched


def test_term_allow_without_line_matches_everywhere(findings: list[Finding]) -> None:
    entry = AllowEntry(term="看護婦", reason="引用")
    out = apply_allows(findings, [entry], [])
    assert [f.suppressed for f in out] == [True, True, False, False]


def test_term_matches_after_nfkc(findings: list[Finding]) -> None:
    f = findings[2]
    assert allow_matches(AllowEntry(term="０９０－１２３４－５６７８", reason="x"), f)  # full-width folds
    assert not allow_matches(AllowEntry(term="090-1234-5679", reason="x"), f)


def test_rule_allow_by_id_and_by_prefix(findings: list[Finding]) -> None:
    by_id = apply_allows(findings, [AllowEntry(rule="personal_info.phone", reason="代表番号")], [])
    by_prefix = apply_allows(findings, [AllowEntry(rule="personal_info", reason="代表番号")], [])
    not_prefix = apply_allows(findings, [AllowEntry(rule="personal", reason="x")], [])
    assert [f.suppressed for f in by_id] == [False, False, True, False]
    assert [f.suppressed for f in by_prefix] == [False, False, True, False]
    assert not any(f.suppressed for f in not_prefix)


def test_credentials_are_never_suppressed(findings: list[Finding]) -> None:
    everything = [AllowEntry(term="Fuji2024!", reason="x")]
    out = apply_allows(findings, everything, [AllowedTerm(term="Fuji2024!", reason="x")])
    cred = out[3]
    assert not cred.suppressed and cred.suppression_reason is None
    assert "抑止できません" in cred.explanation


def test_policy_allowed_terms_suppress_with_the_policy_reason(findings: list[Finding]) -> None:
    out = apply_allows(findings, [], [AllowedTerm(term="看護婦", reason="資料名")])
    assert out[1].suppressed and out[1].suppression_reason is not None and "資料名" in out[1].suppression_reason
    assert "運用ポリシー" in out[1].suppression_reason


def test_front_matter_wins_over_policy(findings: list[Finding]) -> None:
    out = apply_allows(findings, allows(), [AllowedTerm(term="看護婦", reason="資料名")])
    assert out[0].suppression_reason is not None and "歴史資料の引用" in out[0].suppression_reason
    assert out[1].suppression_reason is not None and "資料名" in out[1].suppression_reason


def test_a_longer_allowed_term_covers_a_listed_word_inside_it() -> None:
    text = "吉原祇園祭を開催します。吉原だけ。"
    f = finding(text, "吉原", "discriminatory.terms", "discriminatory")
    alone = finding(text, "吉原", "discriminatory.terms", "discriminatory", 1)
    place = [AllowedTerm(term="吉原祇園祭", reason="市の祭りの名前")]
    assert [x.suppressed for x in apply_allows([f, alone], [], place, text=text)] == [True, False]
    assert not apply_allows([f], [], place)[0].suppressed  # without the text, only the excerpt counts


def test_unused_allows_are_reported(findings: list[Finding]) -> None:
    stale = AllowEntry(rule="tone", reason="x")
    assert unused_allows(findings, [*allows(), stale]) == [stale]


def test_end_to_end_front_matter_offsets_and_allow(guard: Guard) -> None:
    text = (
        '---\r\nkind = "post"\r\n[[allow]]\r\nterm = "看護婦"\r\nreason = "資料展の題名"\r\nline = 8\r\n---\r\n'
        "看護婦の資料展。\r\n看護婦を募集します。\r\n"
    )
    report = guard.check(text)  # the engine reads the front matter and applies its allows
    hits = [f for f in report.findings if f.excerpt == "看護婦"]
    assert [f.line for f in hits] == [8, 9]
    assert all(text[f.start : f.end] == "看護婦" for f in hits)  # offsets index the whole file
    out = report.findings
    marked = [(f.line, f.suppressed) for f in out if f.excerpt == "看護婦"]
    assert marked == [(8, True), (9, False)]
    reason = next(f.suppression_reason for f in out if f.suppressed)
    assert reason is not None and "資料展の題名" in reason


def test_suppressed_finding_does_not_decide_the_route(guard: Guard) -> None:
    text = '---\n[[allow]]\nterm = "看護婦"\nreason = "資料展の題名"\n---\n「看護婦」の資料展\n'
    report = guard.check(text)
    assert [f.suppressed for f in report.findings if f.excerpt == "看護婦"] == [True]
    assert report.decision.route == "section_chief"
