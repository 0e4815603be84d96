"""The account policy: loading, refusing secrets, the helpers detectors use, completeness."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard import engine
from fujisns_guard.policy import (
    AccountPolicy,
    PolicyError,
    Registration,
    default_policy,
    effective_policy,
    find_policy,
    letter_for,
    load_policy,
    load_policy_from_pyproject,
    normalize_phone,
    policy_problems,
)
from fujisns_guard.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "policy" / "guard.toml"
TODAY = _dt.date(2026, 11, 23)

MINIMAL = """\
content = "お知らせ"
purpose = "周知のため"
services = ["x"]
terms_reviewed = 2026-10-01
[owner]
section = "シティプロモーション課"
person_in_charge = "広報担当"
[registration.x]
account_id = "@example"
email = "pr@example.lg.jp"
title = "例"
url = "https://x.com/example"
[period]
start = 2024-04-01
[reply_policy]
replies = false
how = "個別の返信は行いません"
[approval]
approved_on = 2024-03-01
"""


def write(tmp_path: Path, text: str, name: str = "guard.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fuji() -> AccountPolicy:
    return load_policy(EXAMPLE)


# --- the example and the helpers -------------------------------------------------------------


def test_example_policy_has_no_errors(fuji: AccountPolicy) -> None:
    errors = [p for p in policy_problems(fuji, TODAY) if p.level == "error"]
    assert errors == []
    assert fuji.services == ["x", "facebook", "instagram", "line"]
    assert fuji.approved_bases == {"published", "established_fact", "legal_procedure", "faq"}
    assert fuji.min_checkers == 2


@pytest.mark.parametrize(
    "number", ["0545-55-2700", "０５４５－５５－２７００", "(0545) 55-2700", "0545 55 2700", "+81-545-55-2700", "0545-51-1456"]
)
def test_official_phone_in_any_spelling(fuji: AccountPolicy, number: str) -> None:
    assert fuji.is_official_phone(number)
    assert fuji.is_trusted_phone(number)  # official ⊂ trusted


def test_other_numbers_are_not_official(fuji: AccountPolicy) -> None:
    assert not fuji.is_official_phone("0545-55-2701")
    assert not fuji.is_official_phone("110")
    assert fuji.is_trusted_phone("110")


@pytest.mark.parametrize(
    ("host", "official"),
    [
        ("www.city.fuji.shizuoka.jp", True),
        ("city.fuji.shizuoka.jp", True),
        ("WWW.City.Fuji.Shizuoka.JP.", True),
        ("https://www.city.fuji.shizuoka.jp/soshiki/index.html", True),
        ("www.city.fuji.shizuoka.jp.example.com", False),
        ("https://www.city.fuji.shizuoka.jp.example.com/", False),
        ("evilcity.fuji.shizuoka.jp", False),
        ("www.city.fujinomiya.lg.jp", False),
    ],
)
def test_official_domain_and_look_alikes(fuji: AccountPolicy, host: str, official: bool) -> None:
    assert fuji.is_official_domain(host) is official


def test_trusted_domains_layer_on_defaults(fuji: AccountPolicy) -> None:
    assert fuji.is_trusted_domain("www.pref.shizuoka.jp")  # the city's own [[trusted]]
    assert fuji.is_trusted_domain("www.jma.go.jp")  # defaults: go.jp
    assert fuji.is_trusted_domain("www.city.fujinomiya.lg.jp")  # defaults: lg.jp, trusted not official
    assert not fuji.is_official_domain("www.city.fujinomiya.lg.jp")
    assert not fuji.is_trusted_domain("go.jp.example.com")
    assert fuji.is_trusted_phone("#9110") and fuji.is_trusted_phone("＃７１１９")


def test_without_inheriting_defaults_9110_is_unknown(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "inherit_public_defaults = false\n"))
    assert not policy.is_trusted_phone("#9110")


def test_official_email_is_exact(fuji: AccountPolicy) -> None:
    assert fuji.is_official_email("So-CityPro@div.city.fuji.shizuoka.jp")
    assert not fuji.is_official_email("someone@div.city.fuji.shizuoka.jp")  # may be a person's


def test_official_names_with_and_without_space(fuji: AccountPolicy) -> None:
    assert {"富士 太郎", "富士太郎"} <= set(fuji.official_names())


def test_scope_paths_are_relative_to_the_policy_file(fuji: AccountPolicy) -> None:
    assert Path(fuji.scope.published[0]) == (ROOT / "examples" / "published").resolve()
    assert fuji.scope.faq is not None and Path(fuji.scope.faq) == (ROOT / "examples" / "faq" / "faq.csv").resolve()


def test_allowed_terms_and_style(fuji: AccountPolicy) -> None:
    assert any(t.term == "吉原" and t.reason for t in fuji.allowed_terms)
    style = next(s for s in fuji.style_preferences if s.prefer == "障がい者")
    assert style.instead_of == ["障害者"] and style.severity == "info"


def test_election_periods(tmp_path: Path) -> None:
    policy = load_policy(
        write(tmp_path, "[elections]\nboard_account = true\n[[elections.periods]]\nstart = 2027-04-18\nend = 2027-04-25\n")
    )
    assert policy.elections.board_account
    assert policy.is_election_period(_dt.date(2027, 4, 18)) and policy.is_election_period(_dt.date(2027, 4, 25))
    assert not policy.is_election_period(_dt.date(2027, 4, 26))
    assert len(policy.election_periods) == 1


# --- defaults: no city ------------------------------------------------------------------------


def test_defaults_know_no_city() -> None:
    d = default_policy()
    assert not d.is_official_phone("0545-55-2700")
    assert not d.is_trusted_phone("0545-55-2700")
    assert not d.is_official_domain("www.city.fuji.shizuoka.jp")
    assert not d.is_official_email("so-citypro@div.city.fuji.shizuoka.jp")
    assert d.official.domains == d.official.phones == d.official.emails == d.official.addresses == []
    assert d.official_names() == () and d.services == [] and d.approved_bases == frozenset()
    text = (ROOT / "src" / "fujisns_guard" / "default_policy.toml").read_text(encoding="utf-8")
    assert "fuji" not in text.lower() and "富士" not in text


@pytest.mark.parametrize("number", ["110", "119", "118", "#9110", "#7119", "#8000", "189", "188", "171", "0570-064-556"])
def test_defaults_trust_nationwide_numbers(number: str) -> None:
    assert default_policy().is_trusted_phone(number)
    assert not default_policy().is_official_phone(number)


def test_effective_policy_without_a_policy_is_the_defaults(fuji: AccountPolicy) -> None:
    assert effective_policy(None) is default_policy()
    assert effective_policy(fuji) is fuji


@pytest.mark.parametrize("with_policy", [True, False])
def test_detectors_see_the_policy_through_guard(monkeypatch: pytest.MonkeyPatch, fuji: AccountPolicy, with_policy: bool) -> None:
    """What a detector receives in `Analysis.policy`: the city's with Guard(policy=…), else no city."""
    seen: list[Any] = []

    def probe(analysis: Any) -> list[Any]:
        p = effective_policy(analysis.policy)
        seen.append(
            (p.is_official_phone("0545-55-2700"), p.is_official_domain("www.city.fuji.shizuoka.jp"), p.is_trusted_phone("#9110"))
        )
        return []

    fake_rule = SimpleNamespace(id="probe.policy", spec=SimpleNamespace(reply_only=False))
    monkeypatch.setattr(engine, "compile_all", lambda _ruleset: [(fake_rule, probe)])
    g = engine.Guard(fuji if with_policy else None, ruleset=RuleSet((), {}, "test"))
    report = g.check("電話 0545-55-2700 まで", date=TODAY)
    assert report.findings == []
    assert seen == [(with_policy, with_policy, True)]


# --- secrets ----------------------------------------------------------------------------------

SECRET = "Fuji#2024xyz!"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        (f'[registration.x]\npassword = "{SECRET}"\n', "registration.x.password"),
        (f'[registration.x]\npasswd = "{SECRET}"\n', "registration.x.passwd"),
        (f'[registration.x]\npw = "{SECRET}"\n', "registration.x.pw"),
        (f'[registration.x]\nlogin_pw = "{SECRET}"\n', "registration.x.login_pw"),
        (f'api_key = "{SECRET}"\n', "api_key"),
        (f'apiKey = "{SECRET}"\n', "apiKey"),
        (f'[[trusted]]\nname = "県"\naccess_token = "{SECRET}"\n', "trusted[0].access_token"),
        (f'client_secret = "{SECRET}"\n', "client_secret"),
        (f'"暗証番号" = "{SECRET}"\n', "暗証番号"),
        (f'"パスワード" = "{SECRET}"\n', "パスワード"),
    ],
)
def test_secret_keys_are_refused_without_the_value(tmp_path: Path, toml: str, key: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(write(tmp_path, toml))
    text = str(info.value)
    assert SECRET not in text and SECRET not in repr(info.value.problems)
    assert "\n" not in text
    assert text.startswith(f"{tmp_path / 'guard.toml'}: {key}: ")
    assert "password_ref" in text


@pytest.mark.parametrize(
    "toml",
    [
        f'[registration.x]\npassword_ref = "{SECRET}"\n',  # a "reference" that is the password
        f'[registration.x]\ntitle = "パスワード: {SECRET}"\n',
        'content = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n',
    ],
)
def test_secret_looking_values_are_refused(tmp_path: Path, toml: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(write(tmp_path, toml))
    assert SECRET not in str(info.value) and "ghp_" not in str(info.value)


def test_a_reference_to_where_the_password_is_kept_is_fine(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, '[registration.x]\npassword_ref = "シティプロモーション課 パスワード管理台帳"\n'))
    assert policy.registration["x"].password_ref == "シティプロモーション課 パスワード管理台帳"


def test_validation_errors_never_echo_values(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(write(tmp_path, f'services = ["{SECRET}"]\n[official]\nphones = ["{SECRET}"]\n'))
    assert SECRET not in str(info.value)
    keys = [p.key for p in info.value.problems]
    assert keys == ["services[0]", "official.phones[0]"]


# --- errors, completeness, reminders ----------------------------------------------------------


def test_unknown_key_names_its_path(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"guard.toml: owner.sectoin: 知らない項目です"):
        load_policy(write(tmp_path, '[owner]\nsectoin = "課"\n'))


def test_toml_syntax_error_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(write(tmp_path, "services = [\n"))
    assert "TOML" in str(info.value) and "\n" not in str(info.value)


def test_minimal_complete_policy(tmp_path: Path) -> None:
    assert policy_problems(load_policy(write(tmp_path, MINIMAL)), TODAY) == []


def test_missing_reply_policy_is_named_ku(tmp_path: Path) -> None:
    text = MINIMAL.split("[reply_policy]")[0] + "[approval]\napproved_on = 2024-03-01\n"
    problems = policy_problems(load_policy(write(tmp_path, text)), TODAY)
    assert [(p.letter, p.key, p.level) for p in problems] == [
        ("ク", "reply_policy.replies", "error"),
        ("ク", "reply_policy.how", "error"),
    ]


def test_every_item_missing_is_named_by_letter() -> None:
    letters = {p.letter for p in policy_problems(AccountPolicy(), TODAY) if p.level == "error"}
    assert letters == {"ア", "イ", "ウ", "エ", "キ", "ク"}
    policy = AccountPolicy(services=["x"], registration={"x": Registration(account_id="@a")})
    missing = {(p.letter, p.key) for p in policy_problems(policy, TODAY)}
    assert ("オ", "registration.x.email") in missing and ("カ", "registration.x.url") in missing


def test_registration_for_a_service_not_listed(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, MINIMAL.replace("[period]", '[registration.line]\naccount_id = "@l"\n[period]')))
    assert [p.key for p in policy_problems(policy, TODAY)] == ["registration.line"]


@pytest.mark.parametrize(
    ("end", "expect"),
    [("2026-11-01", "終了しています"), ("2026-12-10", "終わります"), ("2027-12-31", None)],
)
def test_operation_period_reminder(tmp_path: Path, end: str, expect: str | None) -> None:
    policy = load_policy(write(tmp_path, MINIMAL.replace("start = 2024-04-01", f"start = 2024-04-01\nend = {end}")))
    found = [p for p in policy_problems(policy, TODAY) if p.clause == "G-CLOSE-1"]
    if expect is None:
        assert found == []
    else:
        assert len(found) == 1 and expect in found[0].message and found[0].level == "warning"
        assert found[0].letter == "キ"


def test_terms_not_reviewed_for_a_year(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, MINIMAL.replace("2026-10-01", "2025-11-22")))
    found = [p for p in policy_problems(policy, TODAY) if p.clause == "G-RULE-7"]
    assert len(found) == 1 and found[0].level == "warning" and found[0].key == "terms_reviewed"
    assert [p for p in policy_problems(policy, _dt.date(2026, 11, 22)) if p.clause == "G-RULE-7"] == []


@pytest.mark.parametrize(
    ("key", "letter"),
    [
        ("owner.section", "ア"),
        ("content", "イ"),
        ("purpose", "ウ"),
        ("services[0]", "エ"),
        ("registration.x.email", "オ"),
        ("registration.x.url", "カ"),
        ("period.end", "キ"),
        ("reply_policy.how", "ク"),
        ("official.phones[0]", "-"),
    ],
)
def test_letters(key: str, letter: str) -> None:
    assert letter_for(key) == letter


# --- where the policy is found ----------------------------------------------------------------


def test_find_policy_prefers_guard_toml(tmp_path: Path) -> None:
    assert find_policy(tmp_path) is None
    write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    assert find_policy(tmp_path) is None  # no [tool.fujisns-guard]
    write(tmp_path, '[tool.fujisns-guard]\nservices = ["line"]\n', "pyproject.toml")
    assert find_policy(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path, 'services = ["x"]\n')
    assert find_policy(tmp_path) == tmp_path / "guard.toml"


def test_pyproject_table(tmp_path: Path) -> None:
    table = '[tool.fujisns-guard]\nservices = ["line"]\n[tool.fujisns-guard.official]\nphones = ["0545-55-2700"]\n'
    path = write(tmp_path, table, "pyproject.toml")
    assert load_policy(path).services == ["line"]
    assert load_policy_from_pyproject(path).is_official_phone("0545552700")
    write(tmp_path, '[tool.fujisns-guard]\nservices = ["myspace"]\n', "pyproject.toml")
    with pytest.raises(PolicyError, match=r"pyproject.toml: tool.fujisns-guard.services\[0\]: "):
        load_policy(path)


def test_pyproject_without_the_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    with pytest.raises(PolicyError, match=r"\[tool\.fujisns-guard\]"):
        load_policy_from_pyproject(path)


# --- properties -------------------------------------------------------------------------------


@given(st.text(alphabet="0123456789０１２３４５６７８９-－ ()+#", max_size=20))
def test_normalize_phone_is_idempotent(text: str) -> None:
    assert normalize_phone(normalize_phone(text)) == normalize_phone(text)


@given(st.from_regex(r"[a-z0-9-]{1,10}(\.[a-z]{2,5}){1,2}", fullmatch=True))
def test_official_host_with_a_suffix_is_never_official(suffix: str) -> None:
    assert not load_policy(EXAMPLE).is_official_domain(f"www.city.fuji.shizuoka.jp.{suffix}")
