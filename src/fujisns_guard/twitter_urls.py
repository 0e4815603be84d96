"""URL extraction as X links URLs (twitter-text's extractUrlsWithIndices, commit 65e7e00).

twitter-text does this with one large regex holding ~1,500 TLDs; compiling such a regex in
Python costs ~0.2 s and scanning Japanese with it is O(n^2) (every kana is a valid domain
character). Here the same grammar is walked by hand, with the TLDs in a set:

    url     = preceding (https?://)? domain (:port)? (/path)? (?query)?
    domain  = subdomain* domain_name (tld | xn--punycode)      -- longest first, backtracking
    tld     = a TLD from data/tlds.txt, not followed by [0-9a-zA-Z@+-]

The tests check this walker against a regex transcription of twitter-text (tests/support).
"""

from __future__ import annotations

from importlib.resources import files
from typing import NamedTuple

from .lazyre import lazy

_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63

_SPACES = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
# twitter-text's punct less the three characters a label may hold (. - _)
_NOT_LABEL = "!'#%&()*+,\\\\/:;<=>?@\\[\\]^{|}~$" + _SPACES + _INVALID + _DIRECTIONAL
_NOT_DOMAIN = lazy(f"[{_NOT_LABEL}]")
_LABELS = lazy(f"(?:[^.{_NOT_LABEL}]+\\.)+")  # labels of domain chars, - and _; each ends with a dot
_LATIN = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_ASCII_LABEL_RUN = lazy(f"[\\-a-zA-Z0-9{_LATIN}]+")
_ASCII_LETTERS = lazy("[a-zA-Z]+")
_PUNYCODE = lazy("[xX][nN]--[\\-0-9a-zA-Z]+")
_PROTOCOL = lazy("[hH][tT][tT][pP][sS]?://")
_CANDIDATE_DOT = lazy("\\.(?:[a-zA-Z]|[^\\x00-\\x7f])")  # a dot a TLD could follow
_BAD_PRECEDING = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@＠$#＃" + _INVALID)
_TLD_FOLLOWER = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@+-")

_CYRILLIC = "\u0400-\u04ff"
_PATH_CHAR = f"[a-zA-Z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN}]"
_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH_END = f"(?:[+\\-a-zA-Z{_CYRILLIC}0-9=_#/{_LATIN}]|(?:{_PARENS}))"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
_QUERY = "(?:\\?[a-zA-Z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]*[a-zA-Z0-9\\-_&=#/])"
_TAIL = lazy(f"(?::[0-9]+)?(/{_PATH}*)?{_QUERY}?")  # port, path (group 1), query
_TCO = lazy(f"[hH][tT][tT][pP][sS]?://[tT]\\.[cC][oO]/([a-zA-Z0-9]+){_QUERY}?")


class _Tlds(NamedTuple):
    ascii: frozenset[str]
    idn: frozenset[str]
    idn_max: int


_TLDS: _Tlds | None = None


def _tlds() -> _Tlds:
    """Read data/tlds.txt once, on first use."""
    global _TLDS
    text = files("fujisns_guard").joinpath("data/tlds.txt").read_text(encoding="utf-8")
    words = {w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    idn = frozenset(w for w in words if not w.isascii())
    _TLDS = _Tlds(frozenset(w for w in words if w.isascii()), idn, max(map(len, idn), default=0))
    return _TLDS


def _tld_end(text: str, q: int) -> int:
    """End of the TLD (or xn-- label) starting at ``q``, or -1; longer TLDs win, as in the regex."""
    tlds = _TLDS or _tlds()
    n = len(text)
    m = _ASCII_LETTERS.match(text, q)
    if m:  # an ASCII TLD is the whole letter run: a shorter one would be followed by a letter
        e = m.end()
        if m.group().lower() in tlds.ascii and (e == n or text[e] not in _TLD_FOLLOWER):
            return e
    elif q < n and not text[q].isascii():
        for e in range(min(n, q + tlds.idn_max), q, -1):
            if text[q:e].lower() in tlds.idn and (e == n or text[e] not in _TLD_FOLLOWER):
                return e
    p = _PUNYCODE.match(text, q)
    return p.end() if p else -1


def _domain_end(text: str, d: int) -> int:
    """End of validDomain starting at ``d`` (subdomain* domain_name tld), or -1.

    Labels are taken greedily, then given back one by one until a TLD follows, like the regex.
    """
    chain = _LABELS.match(text, d)
    if chain is None:
        return -1
    labels = chain.group().split(".")[:-1]
    for i, label in enumerate(labels):  # a label neither starts nor ends with - or _
        if label[0] in "-_" or label[-1] in "-_":
            del labels[i:]
            break
    dot = d + sum(map(len, labels)) + len(labels) - 1
    for label in reversed(labels):
        if "_" not in label:  # the last label before the TLD (domain_name) has no "_"
            e = _tld_end(text, dot + 1)
            if e >= 0:
                return e
        dot -= len(label) + 1
    return -1


def _ascii_domain_at(text: str, i: int) -> int:
    """End of validAsciiDomain starting at ``i`` ((label.)+ tld), or -1."""
    dots: list[int] = []
    n = len(text)
    while (m := _ASCII_LABEL_RUN.match(text, i)) is not None and m.end() < n and text[m.end()] == ".":
        dots.append(m.end())
        i = m.end() + 1
    for dot in reversed(dots):
        e = _tld_end(text, dot + 1)
        if e >= 0:
            return e
    return -1


def _ascii_domains(domain: str) -> list[tuple[int, int]]:
    """All validAsciiDomain matches in ``domain`` (the regex's global replace loop)."""
    found: list[tuple[int, int]] = []
    i = 0
    while (m := _ASCII_LABEL_RUN.search(domain, i)) is not None:
        e = _ascii_domain_at(domain, m.start())
        if e >= 0:
            found.append((m.start(), e))
            i = e
        else:  # every start inside this run reaches the same dots and fails the same way
            i = m.end()
    return found


def _valid_domain(domain: str) -> bool:
    """twitter-text's idna check: every label, punycode-encoded, is 1..63 characters."""
    if domain.startswith("xn--"):
        if not _ascii_domains(domain):
            return False
    elif domain.isascii():  # the common case; the grammar already keeps labels non-empty
        return len(domain) <= _MAX_LABEL_LENGTH or max(map(len, domain.split("."))) <= _MAX_LABEL_LENGTH
    for label in domain.split("."):
        if not label.isascii():
            try:
                label = "xn--" + label.encode("punycode").decode("ascii")
            except UnicodeError:
                return False
        if not 1 <= len(label) <= _MAX_LABEL_LENGTH:
            return False
    return True


class _Match(NamedTuple):
    start: int  # of the URL (after the preceding character)
    protocol_end: int
    domain_end: int


def _attempt(text: str, s: int) -> _Match | None:
    """(https?://)? domain at ``s``: with the protocol first, as the regex tries it."""
    proto = _PROTOCOL.match(text, s)
    if proto:
        e = _domain_end(text, proto.end())
        if e >= 0:
            return _Match(s, proto.end(), e)
    e = _domain_end(text, s)
    return _Match(s, s, e) if e >= 0 else None


def _match_at(text: str, p: int) -> _Match | None:
    """The regex's attempt at ``p``: a valid preceding character, or else the start of text."""
    m = _attempt(text, p + 1) if p < len(text) and text[p] not in _BAD_PRECEDING else None
    return _attempt(text, 0) if m is None and p == 0 else m


def _search(text: str, pos: int, reverse: str) -> _Match | None:
    """The leftmost match at or after ``pos``.

    Only positions near a domain can match: a domain runs unbroken up to the dot before its
    TLD, so the scan starts at the protocol or the run of domain characters before the next
    candidate dot instead of at every character (O(n^2) on Japanese, where all are domain chars).
    """
    n = len(text)
    scan = pos
    while (dot := _CANDIDATE_DOT.search(text, scan)) is not None:
        k = scan = dot.start()
        scan += 1
        if _tld_end(text, k + 1) < 0:  # every domain ends with .TLD: no match ends here
            continue
        nd = _NOT_DOMAIN.search(reverse, n - k)
        run = 0 if nd is None else n - nd.start()
        if run >= 8 and text[run - 8 : run].lower() == "https://":
            p = run - 9
        elif run >= 7 and text[run - 7 : run].lower() == "http://":
            p = run - 8
        else:
            p = run - 1
        p = max(pos, p, 0)
        while p <= k:
            m = _match_at(text, p)
            if m is not None:
                return m
            p += 1
        pos = max(pos, k + 1)
    return None


def extract_urls(text: str) -> list[tuple[str, int, int]]:
    """URLs as X links them: (url, start, end), half-open code-point offsets into ``text``.

    With a scheme, the URL as written (a t.co link is cut after its slug); without one, only
    the ASCII domains found in it (``これはexample.com`` gives ``example.com``).
    """
    if "." not in text:
        return []
    urls: list[tuple[str, int, int]] = []
    pos = 0
    reverse = text[::-1]
    while (m := _search(text, pos, reverse)) is not None:
        tail = _TAIL.match(text, m.domain_end)
        assert tail is not None  # every part of the tail is optional
        start, end = m.start, tail.end()
        pos = end
        url, domain, path = text[start:end], text[m.protocol_end : m.domain_end], tail.group(1)
        proto_len = m.protocol_end - start
        if not _valid_domain(domain) or (proto_len or len("https://")) + len(url) > _MAX_URL_LENGTH:
            continue
        if proto_len:
            tco = _TCO.match(url) if url[proto_len : proto_len + 5].lower() == "t.co/" else None
            if tco:
                if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url, end = tco.group(), start + tco.end()
            urls.append((url, start, end))
            continue
        if start > 0 and text[start - 1] in "-_./":
            continue
        found = [(domain[a:b], start + a, start + b) for a, b in _ascii_domains(domain)]
        if found and path:  # the last domain carries the path and the query
            last, last_start, _ = found[-1]
            found[-1] = (url.replace(domain, last, 1), last_start, end)
        urls.extend(found)
    return urls
