"""The policy and front matter reach every detector through `Guard` and `guard check`."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.policy import load_policy

EXAMPLE_POLICY = Path(__file__).resolve().parents[1] / "examples" / "policy" / "guard.toml"
CITY_NUMBER = "お問い合わせは富士市役所（０５４５－５５－２７００）へ。"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def city_guard() -> Guard:
    return Guard(load_policy(EXAMPLE_POLICY))


def test_without_a_policy_the_city_is_unknown(guard: Guard, city_guard: Guard) -> None:
    unknown = [f.excerpt for f in guard.check(CITY_NUMBER).findings if f.category == "personal_info"]
    known = [f.excerpt for f in city_guard.check(CITY_NUMBER).findings if f.category == "personal_info"]
    assert unknown == ["０５４５－５５－２７００"]  # full width, flagged: no city is known
    assert known == []  # the policy's official number


def test_guard_accepts_a_policy_path() -> None:
    assert Guard(str(EXAMPLE_POLICY)).policy is not None


def test_front_matter_sets_kind_date_and_platforms(guard: Guard) -> None:
    text = '---\nkind = "reply"\ndate = 2026-11-20\nplatform = ["x", "line"]\n---\nご意見ありがとうございます。\n'
    report = guard.check(text)
    assert (report.kind, report.date, report.platforms) == ("reply", "2026-11-20", ["x", "line"])


def test_option_beats_front_matter(guard: Guard, tmp_path: Path) -> None:
    text = '---\nkind = "post"\ndate = 2026-11-20\n---\nご意見ありがとうございます。\n'
    report = guard.check(text, kind="reply", date=dt.date(2026, 12, 1))
    assert (report.kind, report.date) == ("reply", "2026-12-01")
    draft = tmp_path / "d.txt"
    draft.write_text(text, encoding="utf-8")
    code, out, _ = run("check", str(draft), "--reply", "--date", "2026-12-01", "--format", "json")
    [r] = json.loads(out)
    assert code == 0 and (r["kind"], r["date"]) == ("reply", "2026-12-01")
    code, out, _ = run("check", str(draft), "--format", "json")
    [r] = json.loads(out)
    assert (r["kind"], r["date"]) == ("post", "2026-11-20")


def test_front_matter_offsets_refer_to_the_whole_file(guard: Guard) -> None:
    text = '---\r\nplatform = "x"\r\n---\r\n本日は\r\n看護婦の日です。\r\n'
    [f] = [f for f in guard.check(text).findings if f.rule_id == "discriminatory.terms"]
    assert text[f.start : f.end] == "看護婦" and (f.line, f.column) == (5, 1)


def test_bad_front_matter_is_one_line_and_others_still_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("---\nplatfrom = 'x'\n---\n本文\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("看護婦", encoding="utf-8")
    code, out, err = run("check", str(bad), str(good))
    assert code == 1 and err.count("\n") == 1 and str(bad) in err and "platfrom" in err
    assert f"{good}: 判定 revise" in out


def test_cli_policy_option_and_password_refused(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(CITY_NUMBER, encoding="utf-8")
    code, out, _ = run("check", str(draft), "--policy", str(EXAMPLE_POLICY))
    assert code == 0 and "personal_info.phone" not in out
    secret = "Fuji2026!Secret"
    bad = tmp_path / "guard.toml"
    bad.write_text(f'[registration.x]\naccount_id = "fuji_city"\npassword = "{secret}"\n', encoding="utf-8")
    code, out, err = run("check", str(draft), "--policy", str(bad))
    assert code == 2 and secret not in out + err and "password" in err and err.count("\n") == 1


def test_policy_found_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy_text = EXAMPLE_POLICY.read_text(encoding="utf-8").replace("../", str(EXAMPLE_POLICY.parents[1]) + "/")
    (tmp_path / "guard.toml").write_text(policy_text, encoding="utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text(CITY_NUMBER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "d.txt")
    assert code == 0 and "personal_info.phone" not in out


def test_policy_style_preference_raises_the_shipped_note() -> None:
    from fujisns_guard.policy import policy_from_data

    policy = policy_from_data(
        {"style_preferences": [{"prefer": "子ども", "instead_of": ["子供"], "reason": "市の表記", "severity": "warning"}]}
    )
    report = Guard(policy).check("子供向けの講座です。")
    assert [(f.rule_id, f.severity, f.suggestions) for f in report.findings] == [
        ("discriminatory.policy_style", "warning", ["子ども"])
    ]
