"""The `guard` command: output, exit codes, and bad inputs that never crash."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fujisns_guard.cli import main

DRAFT = "市民の皆さまへ\n看護婦を募集します。\nｷﾁｶﾞｲじみた暑さです。\nキ\u200bチガイ沙汰です。\n"
CLEAN = "11月の市民講座のお知らせです。\n会場は市民交流センターです。\n"


def run(*argv: str, stdin: bytes | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_acceptance_positions_and_alternatives(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    code, out, _ = run("check", str(draft), "--date", "2026-11-20")
    assert code == 1
    assert f"{draft}:2:1: error discriminatory.terms" in out
    assert f"{draft}:3:1: error discriminatory.terms" in out
    assert f"{draft}:4:1: error discriminatory.terms" in out
    assert "看護師" in out  # the alternative
    assert "判定 revise" in out


def test_json_offsets_slice_the_original(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    code, out, _ = run("check", str(draft), "--format", "json")
    assert code == 1
    [report] = json.loads(out)
    found = {(f["line"], f["column"], DRAFT[f["start"] : f["end"]]) for f in report["findings"]}
    assert {(2, 1, "看護婦"), (3, 1, "ｷﾁｶﾞｲ"), (4, 1, "キ\u200bチガイ")} <= found
    assert report["decision"]["route"] == "revise"
    assert report["ruleset_version"].startswith("sha256:")


def test_caret_line_aligned_for_wide_characters(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("本日は看護婦の日", encoding="utf-8")
    _, out, _ = run("check", str(draft))
    lines = out.splitlines()
    i = lines.index("    本日は看護婦の日")
    assert lines[i + 1] == "    " + " " * 6 + "^" * 6


def test_clean_draft_exits_0(tmp_path: Path) -> None:
    draft = tmp_path / "clean.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, out, err = run("check", str(draft))
    assert code == 0, out + err
    assert "判定 section_chief" in out


def test_fail_on_section_chief(tmp_path: Path) -> None:
    draft = tmp_path / "clean.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    assert run("check", str(draft), "--fail-on", "section_chief")[0] == 1


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("check", "-", stdin="看護婦".encode(), monkeypatch=monkeypatch)
    assert code == 1 and "-:1:1:" in out


def test_directory_recurses_txt_and_md_only(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "two.md").write_text("看護婦", encoding="utf-8")
    (tmp_path / "skip.csv").write_text("看護婦", encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--format", "json")
    paths = sorted(Path(r["path"]).name for r in json.loads(out))
    assert paths == ["one.txt", "two.md"] and code == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "バイナリ"),
        ("café résumé naïve".encode("latin-1"), "utf-8 として読めません"),
        ("看護婦を募集します".encode("cp932"), "--encoding cp932"),
        (b"", "空の下書き"),
        (b"  \n\n", "空の下書き"),
    ],
    ids=["binary", "latin1", "shift_jis", "empty", "blank"],
)
def test_bad_inputs_one_line_exit_2_and_others_still_checked(tmp_path: Path, content: bytes, expected: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(CLEAN, encoding="utf-8")
    code, out, err = run("check", str(bad), str(good))
    assert code == 2
    assert err.count("\n") == 1 and str(bad) in err and expected in err
    assert "Traceback" not in err
    assert f"{good}: 判定" in out  # the other input was still checked


def test_bad_input_and_revise_exits_1(tmp_path: Path) -> None:
    good = tmp_path / "g.txt"
    good.write_text("看護婦", encoding="utf-8")
    code, _, err = run("check", str(tmp_path / "missing.txt"), str(good))
    assert code == 1 and "ファイルがありません" in err


def test_missing_file_and_empty_directory(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt: ファイルがありません" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("check", str(empty))
    assert code == 2 and "確認する下書き" in err


def test_shift_jis_with_encoding_option(tmp_path: Path) -> None:
    draft = tmp_path / "sjis.txt"
    draft.write_bytes("看護婦を募集します".encode("cp932"))
    code, out, _ = run("check", str(draft), "--encoding", "cp932")
    assert code == 1 and "看護師" in out


def test_bom_accepted(tmp_path: Path) -> None:
    draft = tmp_path / "bom.txt"
    draft.write_bytes("\ufeff看護婦".encode())
    code, out, _ = run("check", str(draft), "--format", "json")
    [report] = json.loads(out)
    assert code == 1 and report["findings"][0]["start"] == 0


def test_ten_megabyte_file_is_checked(tmp_path: Path) -> None:
    draft = tmp_path / "big.txt"
    line = "本日は市民まつりを開催します。皆さまのご来場をお待ちしています。\n"
    draft.write_text(line * (10_000_000 // len(line.encode())) + "看護婦\n", encoding="utf-8")
    code, out, _ = run("check", str(draft), "--format", "json")
    [report] = json.loads(out)
    assert code == 1
    assert [f["excerpt"] for f in report["findings"] if f["rule_id"] == "discriminatory.terms"] == ["看護婦"]


def test_bad_date_is_usage_error() -> None:
    assert run("check", "x.txt", "--date", "2026-13-01")[0] == 2


def test_console_that_cannot_encode_never_raises(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("看護婦", encoding="utf-8")
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    code = main(["check", str(draft)], out=out, err=io.StringIO())
    out.flush()
    assert code == 1 and b"?" in raw.getvalue()


def test_rules_and_explain() -> None:
    code, out, _ = run("rules")
    assert code == 0 and "discriminatory.terms" in out
    code, out, _ = run("explain", "discriminatory.terms")
    assert code == 0 and "G-RULE-4" in out and "例:" in out
    code, _, err = run("explain", "no.such")
    assert code == 2 and "no.such" in err


def test_unexpected_error_exits_3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("本日", encoding="utf-8")

    class Broken:
        def __init__(self, *_a: object, **_k: object) -> None:
            raise RuntimeError("boom")

    monkeypatch.setattr("fujisns_guard.cli.Guard", Broken)
    code, _, err = run("check", str(draft))
    assert code == 3 and "報告" in err and "Traceback" not in err and err.count("\n") == 1


def test_broken_rules_dir_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rules = tmp_path / "rules" / "tone"
    rules.mkdir(parents=True)
    (rules / "bad.toml").write_text("kind = 'pattern'\n", encoding="utf-8")
    monkeypatch.setattr(
        "fujisns_guard.ruleset.default_data_dir", lambda name: tmp_path / name if name == "rules" else tmp_path / "w"
    )
    code, _, err = run("rules")
    assert code == 2 and err.startswith("guard: rules/tone/bad.toml: ") and err.count("\n") == 1


def test_text_output_masks_every_secret_on_a_shown_line(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("看護婦向け パスワード：Fuji2026!Secret 暗証番号：8231\n", encoding="utf-8")
    code, out, _ = run("check", str(draft))
    assert code == 1 and "看護婦" in out
    assert "Fuji2026!Secret" not in out and "2026!Secret" not in out and "8231" not in out
