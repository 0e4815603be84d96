"""Lines break only at \\n, \\r\\n and \\r; masking shows at most two characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard.textpos import display_width, line_col, line_starts, mask


def _reference(text: str) -> list[int]:
    starts, i = [0], 0
    while i < len(text):
        if text[i] == "\r":
            i += 2 if text[i + 1 : i + 2] == "\n" else 1
            starts.append(i)
        elif text[i] == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


@given(st.text(alphabet=st.sampled_from(list("ab\r\n\x1c\u2028\u0085あ")), max_size=50))
def test_line_starts_match_the_reference(text: str) -> None:
    assert line_starts(text) == _reference(text)


def test_line_col_and_width() -> None:
    starts = line_starts("ab\r\ncd\rえf")
    assert line_col(starts, 0) == (1, 1) and line_col(starts, 5) == (2, 2) and line_col(starts, 8) == (3, 2)
    assert display_width("看護婦ab") == 8


def test_mask_keeps_at_most_two_characters() -> None:
    assert mask("Fuji2026!") == "Fu******"
    assert mask("abcd")[:1] == "a" and "b" not in mask("abcd")
    assert mask("ab") == "******"
