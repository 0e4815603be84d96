"""Patterns compiled on first use (lazyre.py) behave as the compiled patterns."""

from __future__ import annotations

import re

import regex
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard.lazyre import lazy, lazy_regex

_PATTERN = r"(\d{2,4})[-‐](\d{2,4})|[ぁ-ん]+"


@given(st.text(alphabet="0123-‐あいう漢x ", max_size=40))
def test_lazy_pattern_answers_as_the_compiled_one(text: str) -> None:
    lazy_p, real = lazy(_PATTERN), re.compile(_PATTERN)
    assert [m.span() for m in lazy_p.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert (lazy_p.search(text) or re.match("", "")).span() == (real.search(text) or re.match("", "")).span()
    assert lazy_p.sub("#", text) == real.sub("#", text)
    assert lazy_p.findall(text) == real.findall(text)
    assert lazy_p.pattern == _PATTERN


def test_compiled_once_then_plain_attributes() -> None:
    p = lazy("a+")
    assert "search" not in vars(p)
    assert p.match("aa") is not None
    first = vars(p)["compiled"]
    assert vars(p)["search"] == first.search  # later calls skip __getattr__
    p.fullmatch("a")
    assert vars(p)["compiled"] is first


def test_bytes_and_regex_module() -> None:
    assert lazy(rb"AK[0-9]+").search(b"xxAK12") is not None
    p = lazy_regex(r"\p{Han}+", regex.V1)
    assert p.findall("漢字とかな") == ["漢字"]
