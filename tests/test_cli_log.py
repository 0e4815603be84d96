"""`guard check --log`, `guard log review`, `guard log confirm` through `main([...])`."""

from __future__ import annotations

import datetime as _dt
import io
import json
import shutil
from pathlib import Path

import pytest

from fujisns_guard.chieflog import CheckRecord, ConfirmRecord, append, build_record, read_log
from fujisns_guard.cli import main
from fujisns_guard.model import Decision, Report

ROOT = Path(__file__).resolve().parents[1]
POLICY = str(ROOT / "examples" / "policy" / "guard.toml")
PASSWORD = "Zt8kWq2Np5!"
PHONE = "080-2718-2818"
PAGE = "https://www.city.fuji.shizuoka.jp/kurashi/gomi/collection.html"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _draft(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _autonomous_record(when: _dt.datetime, author: str = "山田", checkers: tuple[str, ...] = ("佐藤",)) -> CheckRecord:
    decision = Decision(
        route="autonomous",
        basis=["published"],
        obligations=["投稿前に2人以上で確認（G-POST-3）", "投稿後すみやかに所属長へ報告（G-POST-4）"],
        support=[{"url": PAGE, "title": "ごみの収集日"}],
    )
    report = Report(path="gomi.txt", date=when.date().isoformat(), decision=decision, ruleset_version="sha256:t")
    return build_record(report, "燃えるごみは毎週月曜日に収集します。", author=author, checkers=checkers, when=when)


def test_check_appends_one_record_per_draft(tmp_path: Path) -> None:
    log = tmp_path / "chief.jsonl"
    a = _draft(tmp_path, "a.txt", "市民講座のお知らせです。\n")
    b = _draft(tmp_path, "b.txt", "看護婦を募集します。\n")
    argv = ["check", a, b, "--policy", POLICY, "--log", str(log), "--author", "山田", "--checked-by", "佐藤,鈴木"]
    code, out, err = _run(*argv, "--checked-by", "山田", "--checked-by", "高橋")
    assert code == 1 and "判定 revise" in out and err == ""  # the report is printed as usual
    lines = log.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["path"] for r in records] == [a, b]
    first = records[0]
    assert first["author"] == "山田" and first["checkers"] == ["佐藤", "鈴木", "高橋"] and first["people"] == 4
    assert first["account"]["section"] == "シティプロモーション課" and first["ruleset_version"].startswith("sha256:")
    assert first["decision"]["route"] == "section_chief" and first["ready_to_post"] is False
    assert records[1]["decision"]["route"] == "revise" and records[1]["findings"][0]["rule_id"] == "discriminatory.terms"
    assert "+" in first["time"] or first["time"].endswith("Z")  # ISO 8601 with its offset
    assert len({r["id"] for r in records}) == 2


def test_an_autonomous_post_end_to_end(tmp_path: Path) -> None:
    """The example policy, pages and FAQ copied aside; the index built; a draft restating the
    published garbage page goes to the log as autonomous, then to the chief's review."""
    for folder in ("policy", "published", "faq"):
        shutil.copytree(ROOT / "examples" / folder, tmp_path / folder)
    policy = str(tmp_path / "policy" / "guard.toml")
    assert _run("index", "build", "--policy", policy)[0] == 0
    draft = _draft(tmp_path, "gomi.txt", "燃やすごみの収集日は、毎週月曜日と木曜日です。\n")
    log = tmp_path / "chief.jsonl"
    code, out, _err = _run("check", draft, "--policy", policy, "--log", str(log), "--author", "山田", "--checked-by", "佐藤")
    assert code == 0 and "判定 autonomous" in out
    _run("check", draft, "--policy", policy, "--log", str(log), "--author", "山田")  # nobody else checked it
    ok, alone = (r for _, r in read_log(log).records if isinstance(r, CheckRecord))
    assert ok.decision["route"] == "autonomous" and ok.decision["basis"] == ["published"] and ok.ready_to_post
    assert len(ok.decision["obligations"]) == 2
    assert not alone.ready_to_post and "G-POST-3" in alone.not_ready[0]
    code, out, _ = _run("log", "review", str(log))
    assert code == 0 and out.count("事後報告（G-POST-4）") == 2 and "https://www.city.fuji.shizuoka.jp/" in out


def test_secrets_and_personal_information_are_masked_in_the_log(tmp_path: Path) -> None:
    log = tmp_path / "chief.jsonl"
    text = f"パスワード: {PASSWORD}\n担当の山田さんの携帯は{PHONE}です。\n"
    draft = _draft(tmp_path, "leak.txt", text)
    code, _out, _err = _run("check", draft, "--policy", POLICY, "--log", str(log), "--author", "山田")
    assert code == 1
    data = log.read_text(encoding="utf-8")
    assert PASSWORD[2:] not in data and PHONE not in data and "2718" not in data
    keep = tmp_path / "keep.toml"
    keep.write_text("[log]\nkeep_personal_info = true\n", encoding="utf-8")
    log2 = tmp_path / "keep.jsonl"
    _run("check", draft, "--policy", str(keep), "--log", str(log2), "--author", "山田")
    data2 = log2.read_text(encoding="utf-8")
    assert PHONE in data2 and PASSWORD[2:] not in data2


def test_log_options_are_checked_before_any_draft(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "a.txt", "市民講座のお知らせです。\n")
    log = tmp_path / "chief.jsonl"
    code, out, err = _run("check", draft, "--log", str(log))
    assert code == 2 and out == "" and err.count("\n") == 1 and "--author" in err and not log.exists()
    code, _out, err = _run("check", draft, "--author", "山田")
    assert code == 2 and "--log" in err
    code, _out, err = _run("check", draft, "--log", str(log), "--author", "　")
    assert code == 2 and "--author" in err
    code, _out, err = _run("check", draft, "--log", str(log), "--author", "山田", "--checked-by", "、")
    assert code == 2 and "--checked-by" in err


def test_other_inputs_are_still_logged_and_an_unwritable_log_is_one_line(tmp_path: Path) -> None:
    log = tmp_path / "chief.jsonl"
    ok = _draft(tmp_path, "a.txt", "市民講座のお知らせです。\n")
    code, _out, err = _run("check", ok, str(tmp_path / "missing.txt"), "--log", str(log), "--author", "山田")
    assert code == 2 and "missing.txt" in err and len(read_log(log).records) == 1
    code, out, err = _run("check", ok, "--log", str(tmp_path), "--author", "山田")
    assert code == 2 and "判定" in out and err.startswith(f"guard: {tmp_path}: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_review_and_confirm(tmp_path: Path) -> None:
    log = tmp_path / "chief.jsonl"
    jst = _dt.timezone(_dt.timedelta(hours=9))
    old = _autonomous_record(_dt.datetime(2026, 11, 1, 10, 0, tzinfo=jst))
    new = _autonomous_record(_dt.datetime(2026, 11, 20, 10, 0, tzinfo=jst), checkers=())
    append(log, old)
    append(log, new)
    code, out, err = _run("log", "review", str(log))
    assert code == 0 and err == ""
    assert old.id in out and new.id in out and PAGE in out and "根拠: published" in out
    assert "燃えるごみは毎週月曜日に収集します。" in out and "G-POST-3" in out  # too few checkers for `new`
    code, out, _ = _run("log", "review", str(log), "--since", "2026-11-15", "--format", "markdown")
    assert code == 0 and out.startswith("## ") and new.id in out and old.id not in out

    code, out, err = _run("log", "confirm", str(log), old.id, "--by", "課長")
    assert code == 0 and old.id in out and err == ""
    last = read_log(log).records[-1][1]
    assert isinstance(last, ConfirmRecord) and last.ref == old.id and last.by == "課長"
    size = log.stat().st_size
    code, out, _ = _run("log", "confirm", str(log), old.id, "--by", "課長")
    assert code == 0 and "確認済み" in out and log.stat().st_size == size  # nothing appended twice
    code, out, _ = _run("log", "review", str(log))
    assert old.id not in out and new.id in out and "確認済み 1 件" in out


def test_confirm_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "chief.jsonl"
    append(log, _autonomous_record(_dt.datetime(2026, 11, 20, tzinfo=_dt.UTC)))
    before = log.read_bytes()
    code, out, err = _run("log", "confirm", str(log), "20990101-000000-abcdef", "--by", "課長")
    assert code == 2 and out == "" and err.count("\n") == 1 and "20990101-000000-abcdef" in err
    code, _out, err = _run("log", "confirm", str(tmp_path / "none.jsonl"), "x", "--by", "課長")
    assert code == 2 and "none.jsonl" in err and err.count("\n") == 1
    code, _out, _err = _run("log", "confirm", str(log), "x")
    assert code == 2 and "--by" in capsys.readouterr().err  # argparse's usage error
    draft = _draft(tmp_path, "r.txt", "看護婦を募集します。\n")
    _run("check", draft, "--log", str(log), "--author", "山田")
    revise_id = read_log(log).records[-1][1].id
    code, _out, err = _run("log", "confirm", str(log), revise_id, "--by", "課長")
    assert code == 2 and "修正" in err
    assert log.read_bytes().startswith(before)  # the file is only ever appended to


def test_corrupt_lines_are_reported_on_stderr_and_skipped(tmp_path: Path) -> None:
    log = tmp_path / "chief.jsonl"
    rec = _autonomous_record(_dt.datetime(2026, 11, 20, tzinfo=_dt.UTC))
    append(log, rec)
    with log.open("ab") as f:
        f.write(b'{"record":"check","id":"half')  # a half line, as from a killed older tool
    code, out, err = _run("log", "review", str(log))
    assert code == 0 and rec.id in out
    assert f"{log}:2:" in err and "壊れた行" in err
    code, _out, err = _run("log", "review", str(tmp_path / "none.jsonl"))
    assert code == 2 and err.count("\n") == 1
