"""Input edges of `guard check` that the other CLI tests do not reach (docs/reliability.md)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from fujisns_guard import cli
from fujisns_guard.cli import main

CLEAN = "11月の市民講座のお知らせです。\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_oversized_draft_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big, good = tmp_path / "big.txt", tmp_path / "good.txt"
    big.write_text("あ" * 400, encoding="utf-8")
    good.write_text(CLEAN, encoding="utf-8")
    monkeypatch.setattr(cli, "MAX_BYTES", 1000)

    def no_read(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: no_read(self) if self == big else real(self))
    code, out, err = run("check", str(big), str(good))
    assert code == 2
    assert err == f"guard: {big}: 大きすぎます（0 MB まで）\n"
    assert f"{good}: 判定" in out


def test_unknown_encoding_and_control_characters_are_one_line_errors(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, _, err = run("check", str(draft), "--encoding", "no-such-codec")
    assert code == 2 and err == f"guard: {draft}: 不明な文字コード 'no-such-codec'\n"
    noisy = tmp_path / "noisy.txt"
    noisy.write_bytes(bytes(range(1, 9)) * 40)
    code, _, err = run("check", str(noisy))
    assert code == 2 and "制御文字が多すぎます" in err and err.count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads any file")
def test_unreadable_file_is_one_line_as_a_user(tmp_path: Path) -> None:
    draft = tmp_path / "secret.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    draft.chmod(0)
    code, _, err = run("check", str(draft))
    assert code == 2 and err == f"guard: {draft}: 読み取る権限がありません\n"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PermissionError(13, "Permission denied"), "読み取る権限がありません"),
        (OSError(5, "Input/output error"), "読めません（Input/output error）"),
    ],
    ids=["permission", "io-error"],
)
def test_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, expected: str) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")

    real = Path.read_bytes

    def fail(self: Path) -> bytes:
        if self == draft:
            raise error
        return real(self)  # the rule files

    monkeypatch.setattr(Path, "read_bytes", fail)
    code, _, err = run("check", str(draft))
    assert code == 2 and err == f"guard: {draft}: {expected}\n"


def test_stdin_that_is_binary_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\x00\x01\x02 binary"), encoding="utf-8"))
    code, out, err = run("check", "-")
    assert code == 2 and out == "" and err == "guard: -: テキストではありません（バイナリファイル）\n"


def test_a_front_matter_error_names_the_file_and_others_are_checked(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_text("---\nkind = 'tweet'\n---\n本文\n", encoding="utf-8")
    good.write_text(CLEAN, encoding="utf-8")
    code, out, err = run("check", str(bad), str(good))
    assert code == 2
    assert err.startswith(f"guard: {bad}: front matter kind") and err.count("\n") == 1
    assert f"{good}: 判定" in out


def test_unknown_platform_is_one_line(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, _, err = run("check", str(draft), "--platform", "myspace")
    assert code == 2 and err.startswith(f"guard: {draft}: 知らない投稿先です: myspace") and err.count("\n") == 1


def test_keyboard_interrupt_is_exit_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")

    def interrupted(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "Guard", interrupted)
    code, _, err = run("check", str(draft))
    assert code == 130 and err == "guard: 中断しました\n"


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("guard ")
    assert main(["check", "--help"]) == 0
    assert "--jobs" in capsys.readouterr().out
