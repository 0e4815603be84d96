"""Credentials (issue 4, G-RULE-1): always an error, and the secret never reaches any output."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fujisns_guard import Guard
from fujisns_guard.report.json import render_json
from fujisns_guard.report.text import render_text

DATE = dt.date(2026, 11, 20)
CRED_RULES = ["credential.labelled", "credential.token", "credential.high_entropy"]


def found(g: Guard, text: str, rule: str | None = None) -> list[tuple[str, str, str]]:
    """(matched original text, severity, rule id) of the credential findings."""
    report = g.check(text, date=DATE, only=[rule] if rule else CRED_RULES)
    return [(text[f.start : f.end], f.severity, f.rule_id) for f in report.findings]


def test_password_is_flagged_and_masked(guard: Guard) -> None:
    text = "パスワード：Fuji2026!"
    report = guard.check(text, date=DATE, only=CRED_RULES)
    assert [(text[f.start : f.end], f.severity) for f in report.findings] == [("Fuji2026!", "error")]
    f = report.findings[0]
    assert f.excerpt == "Fu******"  # at most the first two characters
    assert "Fuji2026" not in f.message and "Fuji2026" not in f.explanation
    assert "Fuji2026" not in report.model_dump_json()
    assert "uji2026" not in render_json([report], {"-": text})
    shown = render_text([report], {"-": text})
    assert "uji2026" not in shown and "Fu******" in shown


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("パスワード：Fuji2026!", "Fuji2026!"),
        ("パスワード: fuji9364", "fuji9364"),
        ("パスワード :  ｆｕｊｉ８５２７", "ｆｕｊｉ８５２７"),  # odd spacing, full width
        ("パスワードは「Koho#2026」です", "Koho#2026"),
        ("パスワードはkoho2026です", "koho2026"),
        ("ＰＷ＝ｋｏｈｏ２０２６", "ｋｏｈｏ２０２６"),
        ("pw=abc12345", "abc12345"),
        ("暗証番号は4649です", "4649"),
        ("ログインＩＤ：ｆｕｊｉ＿ｋｏｈｏ", "ｆｕｊｉ＿ｋｏｈｏ"),
        ("ユーザー名: koho_fuji", "koho_fuji"),
        ("認証コード→ 739201", "739201"),
        ("Password = s3cr3t-Pass", "s3cr3t-Pass"),
        ("token=abc123def456ghi", "abc123def456ghi"),
        ("初期パスワード（仮）：Temp-2026", "Temp-2026"),
        ("パスワード Fuji#2026", "Fuji#2026"),  # only a space: the value looks like one
        ("Instagramのパス→Fj2026!sns", "Fj2026!sns"),  # detector_eval L64
        ("p/w: fuji2026", "fuji2026"),  # L73
        ("P.W. fuji2026x", "fuji2026x"),
        ("パ ス ワ ー ド：fuji2026pr", "fuji2026pr"),  # L75: spaced label
        ("パ　ス　ワ　ー　ド：fuji2026pr", "fuji2026pr"),
        ("管理画面のパスワードを Fuji2026koho に変えました", "Fuji2026koho"),  # L76
        ("パスワードを「Koho#2026」に設定しました", "Koho#2026"),
    ],
)
def test_labelled_values(guard: Guard, text: str, value: str) -> None:
    assert found(guard, text, "credential.labelled") == [(value, "error", "credential.labelled")]


def test_both_values_of_a_combined_label_are_secrets(guard: Guard) -> None:
    # detector_eval L283: the password after "ID/PW：<id> / " was shown in clear
    text = "ID/PW：fujicity / fuji2026"
    assert [m for m, _, _ in found(guard, text)] == ["fujicity", "fuji2026"]
    text = "ユーザー名/パスワード：koho_fuji ／ Fuji#2026 です"
    assert [m for m, _, _ in found(guard, text)] == ["koho_fuji", "Fuji#2026"]
    # a slash after a single label is not a second value
    assert [m for m, _, _ in found(guard, "パスワード：Fuji2026! / 変更は月1回")] == ["Fuji2026!"]


def test_only_the_value_is_the_span_not_the_label(guard: Guard) -> None:
    text = "ログインID=fuji_koho PW=koho2026"
    assert [m for m, _, _ in found(guard, text)] == ["fuji_koho", "koho2026"]


@pytest.mark.parametrize(
    "text",
    [
        "パスワードは使い回さないでください",
        "パスワードは8文字以上にしましょう",
        "パスワードは12345678のような単純なものは避けてください",
        "パスワード：********",
        "パスワード：＊＊＊＊",
        "ログインIDとパスワードを入力してください",
        "暗証番号（4桁）は他人に教えないでください",
        "パスワードを忘れた方は https://example.jp/reset から",
        "Wi-Fi：FUJI_FREE_WIFI（パスワードなし）",
        "パスワード 再設定の方法",
        "ミーティングIDは当日お知らせします",
        "パスポートの申請は県の窓口で",
        "パスは使えません",
        "コンパス→N35",
        "パスワードを Fuji2026koho で入力する画面",  # を without に変更/設定: not a new password
        "パスワードをabcdにしないでください",
        "パスワードを12345678のようにしないで",
    ],
)
def test_advice_without_a_value_is_not_a_credential(guard: Guard, text: str) -> None:
    assert found(guard, text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("キー AKIAIOSFODNN7EXAMPLE を共有", "AKIAIOSFODNN7EXAMPLE"),
        ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
        ("GitHub: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
        ("AIzaSyA1234567890abcdefghijklmnopqrstuv を設定", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
        (
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmdWppIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk を貼ります",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmdWppIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        ),
        ("管理画面 https://koho:Fuji2026pass@cms.example.jp/ から", "Fuji2026pass"),
        ("Authorization: Bearer abcdefghijklmnop1234", "abcdefghijklmnop1234"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
        ),
    ],
)
def test_well_known_token_shapes(guard: Guard, text: str, secret: str) -> None:
    assert found(guard, text, "credential.token") == [(secret, "error", "credential.token")]


@pytest.mark.parametrize(
    "text",
    [
        "設定値 q8Zt3LmW9xVb2NcR7kPd4HsJ を入れてください",
        "チャネルのキー：ｑ８Ｚｔ３ＬｍＷ９ｘＶｂ２ＮｃＲ７ｋＰｄ４ＨｓＪ",
    ],
)
def test_long_random_strings(guard: Guard, text: str) -> None:
    hits = found(guard, text, "credential.high_entropy")
    assert len(hits) == 1 and hits[0][1] == "error"


@pytest.mark.parametrize(
    "text",
    [
        "資料は https://drive.example.com/file/d/1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT/view から",
        "#FujiCityOfficialAccount2026 をつけて投稿",
        "受付ID 550e8400-e29b-41d4-a716-446655440000",
        "画像 IMG_20261120_103045_HDR.jpg",
        "FujiCitySummerFestival2026Official の特設ページ",
        "YouTube https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "公式アカウント @example_fuji_city_2026 をフォロー",
        "取材は koho_fuji_2026_press@example.jp へ",
    ],
)
def test_urls_ids_and_words_are_not_secrets(guard: Guard, text: str) -> None:
    assert found(guard, text) == []


def test_one_secret_one_finding(guard: Guard) -> None:
    """A labelled token is reported once, by the labelled rule, not again as a random string."""
    text = "パスワード：q8Zt3LmW9xVb2NcR7kPd4HsJ"
    assert [r for _, _, r in found(guard, text)] == ["credential.labelled"]


def test_every_credential_output_is_masked(guard: Guard) -> None:
    secrets = ["Fuji2026!", "AKIAIOSFODNN7EXAMPLE", "q8Zt3LmW9xVb2NcR7kPd4HsJ"]
    text = f"パスワード：{secrets[0]}\nキー {secrets[1]}\n設定値 {secrets[2]}"
    report = guard.check(text, date=DATE, only=CRED_RULES)
    assert len(report.findings) == 3 and all(f.severity == "error" for f in report.findings)
    outputs = [report.model_dump_json(), render_json([report], {"-": text}), render_text([report], {"-": text})]
    outputs += [json.dumps(f.model_dump(), ensure_ascii=False) for f in report.findings]
    for out in outputs:
        for s in secrets:
            assert s[2:] not in out, (s, out)


def test_two_secrets_on_one_line_are_both_masked_in_text(guard: Guard) -> None:
    text = "ログインID=fuji_koho PW=koho2026"
    report = guard.check(text, date=DATE, only=CRED_RULES)
    shown = render_text([report], {"-": text})
    assert "ji_koho" not in shown and "ho2026" not in shown


def test_a_bare_id_on_the_line_of_a_password_is_a_login_id() -> None:
    # held-out evaluation: the login ID after a bare "ID:" was shown in clear next to a masked password
    from fujisns_guard import check
    from fujisns_guard.report import FORMATS

    text = "LINE公式の管理画面 ID: fujicity_admin パスワード: Fuji2026pass"
    report = check(text)
    assert sorted(f.excerpt for f in report.findings if f.category == "credential") == ["Fu******", "fu******"]
    for render in FORMATS.values():
        shown = render([report], {"-": text})
        assert "jicity_admin" not in shown and "ji2026pass" not in shown
    # an ID alone is not a credential (受付ID, 会員ID of an event)
    assert not [f for f in check("受付ID: A12345 のイベントです").findings if f.category == "credential"]


def test_a_label_followed_by_another_label_takes_the_value_after_it() -> None:
    # second held-out: "login -> user: citypro_admin" masked "user:" and showed the ID
    from fujisns_guard import check

    report = check("login -> user: citypro_admin password = Fuji2026pass")
    shown = sorted(f.excerpt for f in report.findings if f.category == "credential")
    assert shown == ["Fu******", "ci******"]
    assert "itypro_admin" not in report.model_dump_json()
