"""Lines, columns, display widths and masking: small text helpers the edges share."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right


def line_starts(text: str) -> list[int]:
    """Offsets where lines start; only \\n, \\r\\n and \\r break lines (not \\x1c, \\u2028 …)."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        nl = text.find("\n", i)
        cr = text.find("\r", i)
        if nl == -1 and cr == -1:
            break
        if cr != -1 and (nl == -1 or cr < nl):
            i = cr + 2 if cr + 1 < n and text[cr + 1] == "\n" else cr + 1
        else:
            i = nl + 1
        starts.append(i)
    return starts


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


def mask(secret: str) -> str:
    """Show at most the first two characters of a secret."""
    keep = 2 if len(secret) >= 8 else (1 if len(secret) >= 4 else 0)
    return secret[:keep] + "*" * 6
