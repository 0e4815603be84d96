"""Lines, columns, display widths and masking: small text helpers the edges share."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from .model import mask

__all__ = ["display_width", "line_col", "line_starts", "mask"]

_BREAK = re.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """Offsets where lines start; only \\n, \\r\\n and \\r break lines (not \\x1c, \\u2028 …)."""
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of `offset`."""
    line = bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def display_width(text: str) -> int:
    """Columns a terminal uses for `text` (East-Asian wide and full-width count 2)."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
