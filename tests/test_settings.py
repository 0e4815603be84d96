"""Precedence: command line > front matter > policy > defaults."""

from __future__ import annotations

import datetime as _dt

import pytest

from fujisns_guard.frontmatter import parse_front_matter
from fujisns_guard.policy import AccountPolicy
from fujisns_guard.settings import resolve_settings

TODAY = _dt.date(2026, 11, 23)
META = parse_front_matter('---\nplatform = "facebook"\nkind = "reply"\ndate = 2026-12-01\naccount = "@fm"\n---\n本文').meta
POLICY = AccountPolicy(services=["x", "facebook", "line"])
NONE: dict[str, object | None] = {"kind": None, "date": None, "platforms": None, "account": None}


def test_defaults_without_anything() -> None:
    s = resolve_settings(NONE, None, None, today=TODAY)
    assert (s.kind, s.date, s.platforms, s.account) == ("post", TODAY, (), None)
    assert set(s.sources.values()) == {"default"}


def test_default_date_is_today() -> None:
    assert resolve_settings({}, None, None).date == _dt.date.today()


def test_policy_gives_the_platforms() -> None:
    s = resolve_settings(NONE, None, POLICY, today=TODAY)
    assert s.platforms == ("x", "facebook", "line") and s.sources["platforms"] == "policy"


def test_front_matter_beats_policy_and_defaults() -> None:
    s = resolve_settings(NONE, META, POLICY, today=TODAY)
    assert (s.kind, s.date, s.platforms, s.account) == ("reply", _dt.date(2026, 12, 1), ("facebook",), "@fm")
    assert set(s.sources.values()) == {"front matter"}


def test_command_line_beats_front_matter() -> None:
    cli: dict[str, object | None] = {"kind": "post", "date": _dt.date(2027, 1, 5), "platforms": ["LINE"], "account": "@cli"}
    s = resolve_settings(cli, META, POLICY, today=TODAY)
    assert (s.kind, s.date, s.platforms, s.account) == ("post", _dt.date(2027, 1, 5), ("line",), "@cli")
    assert set(s.sources.values()) == {"cli"}


def test_an_unused_option_does_not_override() -> None:
    """`--platform` never given arrives as [] and `--reply` absent as None: the front matter stays."""
    s = resolve_settings({"platforms": [], "kind": None, "date": "2027-02-03"}, META, POLICY, today=TODAY)
    assert s.platforms == ("facebook",) and s.kind == "reply" and s.date == _dt.date(2027, 2, 3)


def test_platform_outside_the_policy_is_noted() -> None:
    s = resolve_settings({"platforms": ["threads"]}, None, POLICY, today=TODAY)
    assert s.platforms == ("threads",) and any("threads" in n and "エ" in n for n in s.notes)


@pytest.mark.parametrize("cli", [{"platforms": ["myspace"]}, {"kind": "tweet"}])
def test_invalid_command_line_values(cli: dict[str, object | None]) -> None:
    with pytest.raises(ValueError):
        resolve_settings(cli, None, None, today=TODAY)
