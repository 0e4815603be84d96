"""`guard fix`: only unambiguous suggestions are applied; encoding, BOM and line endings are
kept and nothing else in the file changes (whole files are compared byte for byte)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.cli_fix import FixError, splice
from fujisns_guard.fix import apply_edits, plan_fixes, unified_diff
from fujisns_guard.model import Finding

DATE = "2026-11-01"  # 2026-11-23 is a Monday (勤労感謝の日)

BEFORE = (
    "【お知らせ】11月23日(火)に説明会を開きます。\r\n"
    "看護婦を募集します。子供向けの教室もあります。\r\n"
    "「看護婦」という言葉は使いません。\r\n"
    "令和８年（２０２５年）の計画、電話は090-1234-5678。\r\n"
    "ｶﾀｶﾅ　全角スペースと	タブ。"
)
AFTER = BEFORE.replace("(火)", "(月)").replace("看護婦を", "看護師を")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["fix", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_fix_writes_only_the_unambiguous_fixes_keeping_crlf_and_bom(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_bytes(b"\xef\xbb\xbf" + BEFORE.encode("utf-8"))
    code, out, err = _run(str(draft), "--write", "--date", DATE)
    assert draft.read_bytes() == b"\xef\xbb\xbf" + AFTER.encode("utf-8")
    assert code == 1  # the era and the phone number are left to a person: still revise
    assert "2 件を修正しました" in err and "残り" in err
    assert "-【お知らせ】11月23日(火)に説明会を開きます。\r\n" in out
    assert "+看護師を募集します。子供向けの教室もあります。\r\n" in out
    assert out.endswith("\tタブ。\n\\ No newline at end of file\n")  # a context line, like git


def test_without_write_the_file_is_untouched_and_the_diff_printed(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_bytes(BEFORE.encode("utf-8"))
    code, out, err = _run(str(draft), "--date", DATE)
    assert draft.read_bytes() == BEFORE.encode("utf-8")
    assert code == 1
    assert out.startswith(f"--- {draft}\n+++ {draft}\n@@ ")  # absolute paths: no a/ b/
    assert "--write で書き込みます" in err
    assert "「看護婦」は自動修正しません: info" in err  # quoted as a word: stays
    assert "令和８年（２０２５年）」は自動修正しません" in err  # which half is wrong: a person decides


def test_done_when_the_fixed_draft_passes(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("11月23日(火)に看護婦を募集します。\n避難勧告を発令しました。\n", encoding="utf-8")
    code, _out, _err = _run(str(draft), "--write", "--date", DATE)
    assert draft.read_text(encoding="utf-8") == "11月23日(月)に看護師を募集します。\n避難指示を発令しました。\n"
    assert code == 0
    assert main(["check", str(draft), "--date", DATE], out=io.StringIO(), err=io.StringIO()) == 0


def test_cp932_and_lone_cr(tmp_path: Path) -> None:
    text = "﨑と髙の看護婦さん。\r11月23日（火）\r"
    draft = tmp_path / "sjis.txt"
    draft.write_bytes(text.encode("cp932"))
    code, _out, _err = _run(str(draft), "--write", "--encoding", "cp932", "--date", DATE)
    assert draft.read_bytes() == text.replace("看護婦", "看護師").replace("（火）", "（月）").encode("cp932")
    assert code == 0


def test_front_matter_is_kept(tmp_path: Path) -> None:
    text = '---\nplatform = ["x"]\n---\n看護婦を募集します。\n'
    draft = tmp_path / "fm.md"
    draft.write_text(text, encoding="utf-8")
    _run(str(draft), "--write")
    assert draft.read_text(encoding="utf-8") == text.replace("看護婦", "看護師")


def test_errors_name_the_file_and_the_others_are_fixed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("看護婦を募集します。\n", encoding="utf-8")
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes("看護婦を募集します。".encode("cp932"))
    code, _out, err = _run(str(tmp_path / "missing.txt"), str(sjis), str(good), "--write")
    assert code == 2
    assert good.read_text(encoding="utf-8") == "看護師を募集します。\n"
    assert sjis.read_bytes() == "看護婦を募集します。".encode("cp932")
    lines = [line for line in err.splitlines() if "missing.txt" in line or "sjis.txt" in line]
    assert len(lines) == 2 and "ファイルがありません" in lines[0] and "--encoding cp932" in lines[1]
    assert "Traceback" not in err


def test_nothing_to_fix(tmp_path: Path) -> None:
    draft = tmp_path / "ok.txt"
    draft.write_text("市民講座のお知らせです。", encoding="utf-8")
    assert _run(str(draft), "--write") == (0, "", "")
    assert draft.read_text(encoding="utf-8") == "市民講座のお知らせです。"


def test_the_diff_masks_secrets(tmp_path: Path) -> None:
    secret = "Zq8vLmN3xT7!"
    draft = tmp_path / "s.txt"
    draft.write_text(f"看護婦の方へ。パスワード：{secret}\n", encoding="utf-8")
    code, out, err = _run(str(draft), "--write")
    assert "+看護師の方へ。" in out and secret[2:] not in out + err
    assert draft.read_text(encoding="utf-8") == f"看護師の方へ。パスワード：{secret}\n"  # the file itself: only the fix
    assert code == 1


def test_last_line_without_newline_is_marked(guard: Guard) -> None:
    text = "説明会です。\n看護婦を募集"
    plan = plan_fixes(guard.check(text).findings, text)
    diff = unified_diff("d.txt", text, plan.edits)
    assert diff.endswith("+看護師を募集\n\\ No newline at end of file\n")


def _finding(start: int, end: int, excerpt: str, suggestions: list[str], **kw: object) -> Finding:
    values: dict[str, object] = {
        "rule_id": "discriminatory.terms",
        "category": "discriminatory",
        "severity": "error",
        "start": start,
        "end": end,
        "line": 1,
        "column": start + 1,
        "excerpt": excerpt,
        "message": "m",
        "reason": "r",
        "suggestions": suggestions,
        "clause": "G-RULE-4",
        **kw,
    }
    return Finding.model_validate(values)


def test_overlapping_fixes_are_all_left_alone() -> None:
    text = "ABCDEF"
    a = _finding(0, 3, "ABC", ["x"])
    b = _finding(2, 5, "CDE", ["y"], rule_id="accuracy.disaster_terms", category="accuracy")
    c = _finding(5, 6, "F", ["z"])
    plan = plan_fixes([a, b, c], text)
    assert [new for _f, new in plan.applied] == ["z"]
    overlap = "ほかの修正と重なるため、どれも適用しません"
    assert [(f.excerpt, why) for f, why in plan.skipped] == [("ABC", overlap), ("CDE", overlap)]
    same = _finding(0, 3, "ABC", ["x"], rule_id="discriminatory.policy_style")
    assert [new for _f, new in plan_fixes([a, same], text).applied] == ["x"]  # one span, one replacement


@pytest.mark.parametrize(
    ("finding", "why"),
    [
        (_finding(0, 3, "ABC", ["x", "y"]), "提案が 2 件"),
        (_finding(0, 3, "ABC", ["x"], severity="info"), "info"),
        (_finding(0, 3, "ABC", ["x"], suppressed=True, suppression_reason="r"), "抑制"),
        (_finding(0, 3, "ABC", ["x"], explanation="活用形（辞書形で一致）"), "活用"),
        (_finding(0, 3, "ABC", ["x"], rule_id="personal_info.phone", category="personal_info"), "案内"),
        (_finding(0, 3, "AB******", ["x"]), "範囲"),
        (_finding(0, 3, "ABC", ["x"], rule_id="accuracy.dates", explanation="日付の確認: era_mismatch"), "人が決め"),
    ],
)
def test_ambiguous_suggestions_are_not_applied(finding: Finding, why: str) -> None:
    plan = plan_fixes([finding], "ABCDEF")
    assert not plan.applied and why in plan.skipped[0][1]


_EDIT_TEXT = st.text(alphabet=st.sampled_from(list("あア亜a1\r\n﨑髙①")), max_size=20)


@given(_EDIT_TEXT, st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3), st.sampled_from(["看護師", "", "(月)", "x"]))))
def test_splice_changes_only_the_edited_bytes(text: str, raw: list[tuple[int, int, str]]) -> None:
    edits, pos = [], 0
    for at, length, new in sorted(raw):
        start = max(at, pos)
        if start > len(text):
            break
        end = min(start + length, len(text))
        edits.append((start, end, new))
        pos = end + 1
    for encoding, bom in (("utf-8", b"\xef\xbb\xbf"), ("utf-8", b""), ("cp932", b"")):
        data = bom + text.encode(encoding)
        result = splice(data, bom, text, edits, encoding)
        assert result.startswith(bom)
        assert result[len(bom) :].decode(encoding) == apply_edits(text, edits)
        if not edits:
            assert result == data


def test_splice_refuses_what_the_encoding_cannot_hold() -> None:
    with pytest.raises(FixError):
        splice("看護婦".encode("cp932"), b"", "看護婦", [(0, 3, "😀")], "cp932")


_FRAGMENTS = ["看護婦", "11月23日(火)", "１１月２３日（火）", "避難勧告", "子供", "「看護婦」という言葉", "保母さん"]
_FRAGMENTS += ["を募集します。", "\r\n", "\n", "𠮷", "です"]


@settings(max_examples=40)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=8))
def test_fixing_is_idempotent_and_removes_what_it_fixed(guard: Guard, parts: list[str]) -> None:
    text = "".join(parts)
    before = guard.check(text, date=dt.date(2026, 11, 1))
    plan = plan_fixes(before.findings, text)
    fixed = apply_edits(text, plan.edits)
    after = guard.check(fixed, date=dt.date(2026, 11, 1))
    assert not plan_fixes(after.findings, fixed).applied  # a second run changes nothing
    errors = [f for f in before.active() if f.severity == "error"]
    assert len([f for f in after.active() if f.severity == "error"]) <= len(errors) - len(plan.applied)


def test_word_list_rules_with_one_literal_alternative(guard: Guard) -> None:
    text = "ポリ公と保母と障害者と「内部資料」"
    plan = plan_fixes(guard.check(text).findings, text)
    assert apply_edits(text, plan.edits) == "警察官と保育士と障害者と「内部資料」"  # 障害者: info; 内部資料: advice


def test_no_secret_in_the_notes_when_another_finding_quotes_it(tmp_path: Path) -> None:
    draft = tmp_path / "s.txt"
    draft.write_text("看護婦の方へ。パスワード: aa2AA2AA2AAAAAAAAA7!\n", encoding="utf-8")
    _code, out, err = _run(str(draft))
    assert "+看護師の方へ。" in out
    assert "2AA2AA2AAAAAAAAA7!" not in out + err
