"""`guard policy check|init` and `guard profile check`, through an argparse parser as cli.py builds it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from fujisns_guard.cli_policy import TEMPLATE, add_policy_commands
from fujisns_guard.policy import load_policy

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "policy" / "guard.toml"
SECRET = "Fuji#2024xyz!"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="guard")
    add_policy_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    code: int = args.func(args)
    return code


def test_example_policy_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("policy", "check", str(EXAMPLE), "--date", "2026-11-23") == 0
    out, err = capsys.readouterr()
    assert "問題はありません" in out and err == ""


def test_password_exits_2_and_is_never_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "guard.toml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            'password_ref = "シティプロモーション課 パスワード管理台帳（施錠保管）"\n\n[registration.facebook]',
            f'password = "{SECRET}"\n\n[registration.facebook]',
        ),
        encoding="utf-8",
    )
    assert run("policy", "check", str(bad)) == 2
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    assert f"{bad}: オ registration.x.password: " in out and "password_ref" in out
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_ku_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("[reply_policy]"), text.index("# シティプロモーション課長の承認")
    path = tmp_path / "guard.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert run("policy", "check", str(path), "--date", "2026-11-23") == 2
    out, _ = capsys.readouterr()
    assert f"{path}: ク reply_policy.replies: " in out and f"{path}: ク reply_policy.how: " in out


def test_warnings_print_but_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "guard.toml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("end = 2028-03-31", "end = 2026-12-01")
    path.write_text(text.replace("terms_reviewed = 2026-10-01", "terms_reviewed = 2025-01-01"), encoding="utf-8")
    assert run("policy", "check", str(path), "--date", "2026-11-23") == 0
    out, _ = capsys.readouterr()
    assert f"{path}: キ period.end: 警告（G-CLOSE-1）" in out
    assert f"{path}: - terms_reviewed: 警告（G-RULE-7）" in out


@pytest.mark.parametrize(("content", "fragment"), [(None, "読めません"), ("services = [\n", "TOML")])
def test_unreadable_policy_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, fragment: str
) -> None:
    path = tmp_path / "guard.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert run("policy", "check", str(path)) == 2
    out, err = capsys.readouterr()
    assert out == "" and fragment in err and len(err.strip().splitlines()) == 1


def test_init_writes_a_template_that_loads_and_must_be_edited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "guard.toml"
    assert run("policy", "init", "-o", str(path)) == 0
    assert path.read_text(encoding="utf-8") == TEMPLATE
    load_policy(path)  # loads as it is
    capsys.readouterr()
    assert run("policy", "check", str(path)) == 2
    out, _ = capsys.readouterr()
    letters = {line.split(": ", 1)[1].split(" ", 1)[0] for line in out.splitlines()}
    assert {"ア", "イ", "ウ", "オ", "カ", "キ", "ク"} <= letters
    assert run("policy", "init", "-o", str(path)) == 2  # never overwrites silently
    assert "--force" in capsys.readouterr().err
    assert run("policy", "init", "-o", str(path), "--force") == 0


def test_init_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("policy", "init", "-o", "-") == 0
    assert capsys.readouterr().out == TEMPLATE


def test_template_filled_in_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled = (
        TEMPLATE.replace("★ ", "")
        .replace("★", "")
        .replace('email = "登録メールアドレス（所属の共有アドレス）"', 'email = "pr@example.lg.jp"')
        .replace('url = "登録後に https://x.com/... を書く"', 'url = "https://x.com/example"')
        .replace("# start = 2025-04-01", "start = 2025-04-01")
        .replace("# replies = false", "replies = false")
        .replace("# terms_reviewed = 2025-04-01", "terms_reviewed = 2026-04-01")
        .replace("# approved_on = 2025-04-01", "approved_on = 2025-04-01")
    )
    path = tmp_path / "guard.toml"
    path.write_text(filled, encoding="utf-8")
    assert run("policy", "check", str(path), "--date", "2026-11-23") == 0, capsys.readouterr().out


def test_profile_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("シティプロモーション課が運営。市の魅力を伝えるため情報を発信します。返信は行いません。", encoding="utf-8")
    bad.write_text("富士市の公式アカウントです。", encoding="utf-8")
    assert run("profile", "check", str(good)) == 0
    assert run("profile", "check", str(bad)) == 1
    out = capsys.readouterr().out
    assert f"{bad}: 返信の方針: " in out and "G-OPEN-3" in out
    assert run("profile", "check", str(tmp_path / "missing.txt")) == 2


def test_policy_and_profile_commands_run_through_the_guard_command(tmp_path: Path) -> None:
    # main() hands every command its output streams: the policy commands must take them
    import io

    from fujisns_guard.cli import main

    out, err = io.StringIO(), io.StringIO()
    assert main(["policy", "check", str(EXAMPLE)], out, err) == 0, err.getvalue()
    assert "問題はありません" in out.getvalue()
    out = io.StringIO()
    assert main(["policy", "init", "-o", "-"], out, io.StringIO()) == 0
    assert out.getvalue() == TEMPLATE
    target = tmp_path / "guard.toml"
    assert main(["policy", "init", "-o", str(target)], io.StringIO(), io.StringIO()) == 0
    assert target.read_text(encoding="utf-8") == TEMPLATE
    profile = tmp_path / "profile.txt"
    profile.write_text("富士市公式アカウントです。", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["profile", "check", str(profile)], out, err) in (0, 1, 2)
    assert "G-OPEN-3" in out.getvalue() + err.getvalue()
