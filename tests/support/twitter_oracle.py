"""A regex transcription of twitter-text's URL extractor (commit 65e7e00), used as the oracle.

Slow to compile (the TLDs become one alternation) and O(n^2) on Japanese, which is why the
package walks the same grammar by hand (fujisns_guard.twitter_urls). The tests check that
both give the same URLs on generated text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import NamedTuple

_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63


_Trie = dict[str, "_Trie"]


class _Patterns(NamedTuple):
    extract: re.Pattern[str]
    ascii_domain: re.Pattern[str]
    tco: re.Pattern[str]


def _load_tlds() -> list[str]:
    text = files("fujisns_guard").joinpath("data/tlds.txt").read_text(encoding="utf-8")
    return [w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()]


def _ci(text: str) -> str:
    """Case-insensitive letters as classes ([cC]): cheaper in ``re`` than the IGNORECASE flag."""
    out = []
    for ch in text:
        up = ch.upper()
        out.append(f"[{ch}{up}]" if up != ch and len(up) == 1 else re.escape(ch))
    return "".join(out)


def _trie_pattern(words: list[str]) -> str:
    """The TLD alternation as a trie (one branch per character): matching costs O(len).

    At each node the longer TLDs are tried first, as in twitter-text's reverse-sorted list.
    """
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(root)


@cache
def _patterns() -> _Patterns:
    """Compile once. Names follow twitter-text's regexes."""
    spaces = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    invalid = "\ufffe\ufeff\uffff"
    directional = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
    not_label = f"!'#%&()*+,\\\\/:;<=>?@\\[\\]^{{|}}~${spaces}{invalid}{directional}"  # punct less . - _
    dc = f"[^.\\-_{not_label}]"  # validDomainChars
    preceding = f"(?:[^A-Za-z0-9@＠$#＃{invalid}]|[{directional}]|^)"
    # (?:[_-]|dc)* and (?:-|dc)* written as single classes
    subdomain = f"(?:(?:{dc}[^.{not_label}]*)?{dc}\\.)"
    domain_name = f"(?:(?:{dc}[^._{not_label}]*)?{dc}\\.)"
    tld = f"(?i:{_trie_pattern(_load_tlds())})(?=[^0-9a-zA-Z@+-]|\\Z)"
    punycode = "(?:[xX][nN]--[\\-0-9a-zA-Z]+)"
    domain = f"(?:{subdomain}*{domain_name}(?:{tld}|{punycode}))"
    latin = (
        "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
        "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
    )
    cyrillic = "\u0400-\u04ff"
    path_char = f"[a-zA-Z{cyrillic}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{latin}]"
    parens = f"\\((?:{path_char}+|(?:{path_char}*\\({path_char}+\\){path_char}*))\\)"
    path_end = f"(?:[+\\-a-zA-Z{cyrillic}0-9=_#/{latin}]|(?:{parens}))"
    path = f"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))"
    query_char = "[a-zA-Z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]"
    query_end = "[a-zA-Z0-9\\-_&=#/]"
    extract = (
        f"({preceding})"  # 1 preceding character
        f"(({_ci('https')}?://)?"  # 2 url, 3 protocol
        f"({domain})"  # 4 domain
        "(?::[0-9]+)?"  # port
        f"(/{path}*)?"  # 5 path
        f"(?:\\?{query_char}*{query_end})?)"  # query
    )
    ascii_domain = f"(?:[\\-a-zA-Z0-9{latin}]+\\.)+(?:{tld}|{punycode})"
    tco = f"{_ci('https')}?://[tT]\\.[cC][oO]/([a-zA-Z0-9]+)(?:\\?{query_char}*{query_end})?"
    return _Patterns(
        re.compile(extract),
        re.compile(ascii_domain),
        re.compile(tco),
    )


def _valid_domain(domain: str, ascii_domain: re.Pattern[str]) -> bool:
    """twitter-text's idna check: every label, punycode-encoded, is 1..63 characters."""
    if domain.startswith("xn--") and not ascii_domain.search(domain):
        return False
    for label in domain.split("."):
        if not label.isascii():
            try:
                label = "xn--" + label.encode("punycode").decode("ascii")
            except UnicodeError:
                return False
        if not 1 <= len(label) <= _MAX_LABEL_LENGTH:
            return False
    return True


def extract_urls(text: str) -> list[tuple[str, int, int]]:
    """extractUrlsWithIndices, transcribed: (url, start, end) in code points."""
    if "." not in text:
        return []
    pats = _patterns()
    urls: list[tuple[str, int, int]] = []
    for m in pats.extract.finditer(text):
        before, url, protocol, domain, path = m.group(1, 2, 3, 4, 5)
        start, end = m.span(2)
        if not _valid_domain(domain, pats.ascii_domain):
            continue
        if len(protocol or "https://") + len(url) > _MAX_URL_LENGTH:
            continue
        if protocol:
            tco = pats.tco.match(url)
            if tco:
                if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco.group()
                end = start + len(url)
            urls.append((url, start, end))
            continue
        if before and before in "-_./":
            continue
        found = [(a.group(), start + a.start(), start + a.end()) for a in pats.ascii_domain.finditer(domain)]
        if found and path:
            last, last_start, _ = found[-1]
            found[-1] = (url.replace(domain, last, 1), last_start, end)
        urls.extend(found)
    return urls
