"""Secrets never reach an output; personal information is masked with --redact; no network."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.report import FORMATS

_SECRET_CORE = st.text(
    alphabet=st.sampled_from(list("abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%")), min_size=6, max_size=18
)
# Ends in a digit and a symbol, so that no word of an output format ("suppressed" …) can contain
# what the test searches for.
_SECRET = st.builds(lambda core: core + "7!", _SECRET_CORE)
_LABEL = st.sampled_from(["パスワード：", "パスワード: ", "PW=", "password = ", "暗証番号は", "ログインパスワード＝"])


@settings(max_examples=60)
@given(_LABEL, _SECRET)
def test_generated_secrets_never_appear_in_any_format(label: str, secret: str) -> None:
    guard = _shared()
    text = f"職員向けのお知らせです。{label}{secret}\n本日は晴天です。"
    report = guard.check(text)
    creds = [f for f in report.findings if f.category == "credential"]
    assert creds, (text, report.findings)
    outputs = [render([report], {"-": text}) for render in FORMATS.values()]
    outputs.append(report.model_dump_json())
    for out in outputs:
        assert secret[2:] not in out, out


def test_redact_masks_personal_information_in_every_format(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("担当の山田さんの携帯は090-1234-5678、メールは yamada.taro@example.com です。\n", encoding="utf-8")
    for fmt in FORMATS:
        out = io.StringIO()
        main(["check", str(draft), "--format", fmt], out=out, err=io.StringIO())
        assert "1234-5678" in out.getvalue()  # without --redact staff see what was found
        out = io.StringIO()
        code = main(["check", str(draft), "--format", fmt, "--redact"], out=out, err=io.StringIO())
        shown = out.getvalue()
        assert code == 1 and "1234-5678" not in shown and "taro@example" not in shown, shown
    report = Guard().check(draft.read_text(encoding="utf-8")).redacted()
    assert all("5678" not in f.excerpt + f.message for f in report.findings)
    assert "5678" not in json.dumps(report.model_dump(), ensure_ascii=False)


def test_a_full_check_opens_no_socket(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the package tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    policy = Path(__file__).resolve().parents[1] / "examples" / "policy" / "guard.toml"
    guard = Guard(str(policy))
    text = "詳しくは https://www.city.fuji.shizuoka.jp/ と https://bit.ly/abc をご覧ください。電話090-1234-5678\n"
    assert guard.check(text, platforms=["x"]).findings
    draft = tmp_path / "d.txt"
    draft.write_text(text, encoding="utf-8")
    assert main(["check", str(draft), "--format", "json"], out=io.StringIO(), err=io.StringIO()) == 1


_GUARD: list[Guard] = []


def _shared() -> Guard:
    if not _GUARD:
        _GUARD.append(Guard())
    return _GUARD[0]


def test_a_latin_letter_password_quoted_by_another_rule_is_masked_there_too() -> None:
    # found by hypothesis: the language rule flagged the password as a Latin-script passage and
    # quoted it in its own excerpt and message
    secret = "aa2AA2AA2AAAAAAAAA7!"
    text = f"職員向けのお知らせです。パスワード: {secret}\n本日は晴天です。"
    report = _shared().check(text)
    assert any(f.category == "credential" for f in report.findings)
    for render in FORMATS.values():
        assert secret[2:] not in render([report], {"-": text})
    assert secret[2:] not in report.model_dump_json()


@pytest.mark.parametrize(
    "text",
    [
        "ID/PW：fujicity / fuji2026",  # detector_eval L283: the password was quoted by accuracy.language
        "トークン ghp_1A2b3C4d5E6fG7h8I9j0KlMnOpQrStUvWxYz1234",  # L71
        "Login ID: koho_fuji, password is Fuji2026x for the staff",
    ],
)
def test_no_rule_quotes_a_credential_line(text: str) -> None:
    report = _shared().check(text)
    assert any(f.category == "credential" for f in report.findings)
    assert not [f for f in report.findings if f.rule_id == "accuracy.language"]
    for secret in ("uji2026", "A2b3C4d5E6f", "oho_fuji", "uji2026x"):
        if secret in text:
            for render in FORMATS.values():
                assert secret not in render([report], {"-": text})
            assert secret not in report.model_dump_json()
