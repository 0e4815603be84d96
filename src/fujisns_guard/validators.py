"""Named pure checks that rule data can ask for (`validator = "luhn"`).

A pattern finds a candidate; the validator decides whether its digits are what they look like.
"""

from __future__ import annotations

from collections.abc import Callable

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}


def digits_of(text: str) -> str:
    """The ASCII digits of `text` (full-width digits folded, everything else dropped)."""
    return "".join(ch for ch in text.translate(_FULLWIDTH) if "0" <= ch <= "9")


def luhn(text: str) -> bool:
    """Payment card numbers: 13–19 digits with a valid Luhn check digit."""
    d = digits_of(text)
    if not 13 <= len(d) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def my_number(text: str) -> bool:
    """個人番号 (My Number): 12 digits whose last is the check digit of the first 11."""
    d = digits_of(text)
    if len(d) != 12 or len(set(d)) == 1:
        return False
    body = [int(c) for c in d[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(body), start=1))
    rest = total % 11
    check = 0 if rest <= 1 else 11 - rest
    return check == int(d[11])


def corporate_number(text: str) -> bool:
    """法人番号: 13 digits, the first a check digit of the other 12."""
    d = digits_of(text)
    if len(d) != 13:
        return False
    body = [int(c) for c in d[1:]]
    total = sum(n * (1 if i % 2 == 0 else 2) for i, n in enumerate(reversed(body)))
    return int(d[0]) == 9 - total % 9


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": luhn,
    "my_number": my_number,
    "corporate_number": corporate_number,
}
