"""`python -m fujisns_guard` is the `guard` command."""

from __future__ import annotations

import runpy

import pytest


def test_python_dash_m_runs_the_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", ["guard", "explain", "personal_info.photo_gps"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("fujisns_guard", run_name="__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("personal_info.photo_gps")
