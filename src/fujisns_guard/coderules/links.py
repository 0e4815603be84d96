"""Links, mentions and quotes (G-RULE-6 他の投稿の引用・他サイトへのリンクは市の投稿・市のサイトと
誤解されるおそれ).

Every URL of the draft is found once (X's own rules, `twitter_urls.extract_urls`, on the light
view: full-width letters and dots are ASCII there, and a URL ends where Japanese text starts)
and put in exactly one class, in this order:

1. **official** — the account's own domain or a subdomain (`policy.is_official_domain`), or one
   of the account's own registered pages (`registration.*.url`): no finding;
2. **shortener** — a URL shortener (data/links.toml): the destination is hidden;
3. **redirect** — a redirect wrapper (data/links.toml, or any URL whose query carries another
   URL): the address shown is not where it leads. The city's own domain forwarding to an outside
   site is one too;
4. **trusted** — a public body's domain (go.jp, lg.jp, the policy's `[[trusted]]`): info;
5. **lookalike** — a host built to pass for the official or a trusted domain: it contains it
   (`www.city.fuji.shizuoka.jp.example.com`), flattens it (`city-fuji-shizuoka.jp`), misspells
   it by one or two letters, or spells it with look-alike letters (Cyrillic а, Greek ο …);
6. **external** — anything else.

Independently, a URL written with `http://` is `info`. Mentions of other accounts and
quote/repost markers (RT @x, QT, 【引用】, 引用リポスト, …の投稿をシェア) are warnings; the
policy's own account ids are not "other".

Each rule (`link.external`, `link.trusted`, …) reads the same per-draft classification from
`a.cache`, so the URLs are extracted and classified once however many link rules run.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from ..lazyre import lazy
from ..model import Analysis, Hit
from ..policy import AccountPolicy
from ..twitter_urls import extract_urls
from .context import effective_policy

OFFICIAL, SHORTENER, REDIRECT, TRUSTED = "official", "shortener", "redirect", "trusted"
LOOKALIKE, EXTERNAL = "lookalike", "external"

# Look-alike letters of other scripts (Cyrillic, Greek, Latin extensions) → the ASCII letter they imitate.
_CONFUSABLE = str.maketrans(
    {
        **dict(zip("аеорсухіјѕԁһӏԛԝ", "aeopcyxijsdhlqw", strict=True)),  # Cyrillic
        **dict(zip("οαιρνκυχ", "oaipvkux", strict=True)),  # Greek
        **dict(zip("ıɡℓ", "igl", strict=True)),  # Latin look-alikes NFKC keeps
    }
)


class Link(NamedTuple):
    """One URL of the draft (light-view offsets) and its class."""

    url: str
    start: int
    end: int
    host: str
    http: bool  # written with http:// (not https://)
    verdict: str  # OFFICIAL, SHORTENER, REDIRECT, TRUSTED, LOOKALIKE or EXTERNAL
    note: str = ""  # the trusted body, the imitated domain, or the hidden destination
    how: str = ""  # lookalike: contains | flat | spelling | letters; redirect: wrapper | forward


@dataclass(frozen=True, slots=True)
class _Hosts:
    shorteners: frozenset[str]
    wrapper_hosts: frozenset[str]  # wrappers whatever the path
    wrapper_paths: dict[str, tuple[str, ...]]  # host → path prefixes


@dataclass(frozen=True, slots=True)
class _Account:
    """What the link rules need from one policy, computed once per policy."""

    official: tuple[str, ...]
    trusted: tuple[tuple[str, str], ...]  # (domain, body name), longest domain first
    official_set: frozenset[str]
    trusted_names: dict[str, str]  # trusted domain (official ones included) → body name
    own_ids: frozenset[str]  # account ids without @, lower case
    own_pages: tuple[str, ...]  # registered pages as host+path, lower case, no www., no trailing /


@cache
def _hosts() -> _Hosts:
    data = tomllib.loads(files("fujisns_guard").joinpath("data/links.toml").read_text(encoding="utf-8"))
    wrappers = [w.lower() for w in data["redirects"]["wrappers"]]
    paths: dict[str, tuple[str, ...]] = {}
    for w in wrappers:
        if "/" in w:
            host, path = w.split("/", 1)
            paths[host] = (*paths.get(host, ()), "/" + path)
    return _Hosts(
        frozenset(h.lower() for h in data["shorteners"]["hosts"]), frozenset(w for w in wrappers if "/" not in w), paths
    )


def shortener_hosts() -> frozenset[str]:
    """The shortener hosts of data/links.toml (for docs and tests)."""
    return _hosts().shorteners


_ACCOUNTS: dict[int, tuple[AccountPolicy, _Account]] = {}


def _page_key(host: str, path: str) -> str:
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    if host == "twitter.com":
        host = "x.com"
    return (host + path).rstrip("/").lower()


def _account(policy: AccountPolicy) -> _Account:
    cached = _ACCOUNTS.get(id(policy))
    if cached is not None and cached[0] is policy:
        return cached[1]
    trusted: list[tuple[str, str]] = []
    for body in policy.trusted_bodies():
        trusted.extend((d.lower().rstrip("."), body.name) for d in body.domains)
    ids: set[str] = set()
    pages: list[str] = []
    for reg in policy.registration.values():
        if reg.account_id:
            ids.add(unicodedata.normalize("NFKC", reg.account_id).strip().lstrip("@").lower())
        if reg.url and "://" in reg.url:
            parts = urlsplit(reg.url.strip())
            if parts.hostname:
                pages.append(_page_key(parts.hostname, parts.path))
    official = tuple(d.lower() for d in policy.official.domains)
    ordered = tuple(sorted(trusted, key=lambda t: -len(t[0])))
    names = {d: n for d, n in reversed(ordered)} | {d: "市" for d in official}
    acct = _Account(
        official,
        ordered,
        frozenset(official),
        names,
        frozenset(i for i in ids if i),
        tuple(p for p in pages if "/" in p),
    )
    if len(_ACCOUNTS) > 16:
        _ACCOUNTS.clear()
    _ACCOUNTS[id(policy)] = (policy, acct)
    return acct


def _suffixes(host: str) -> list[str]:
    """The host and every parent domain, longest first (a.b.jp, b.jp, jp)."""
    out = [host]
    i = host.find(".")
    while i >= 0:
        out.append(host[i + 1 :])
        i = host.find(".", i + 1)
    return out


def _trusted(host: str, acct: _Account) -> bool:
    return any(s in acct.trusted_names for s in _suffixes(host))


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or limit + 1 once it is sure to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _skeleton(host: str) -> str:
    """The host with punycode decoded and look-alike letters replaced by the ASCII they imitate."""
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except UnicodeError:
            pass
    if host.isascii():
        return host
    return unicodedata.normalize("NFKC", host).lower().translate(_CONFUSABLE)


def _lookalike(host: str, acct: _Account) -> tuple[str, str] | None:
    """(imitated domain or body, how) when `host` passes for an official or trusted domain.

    how: `contains:<the real domain after it>`, `flat`, `spelling` or `letters`."""
    skel = _skeleton(host)
    dotted = "." + skel + "."
    flat = skel.replace(".", "").replace("-", "")
    bare = skel.removeprefix("www.")
    targets = [(d, "市のドメイン", True) for d in acct.official] + [(d, n, False) for d, n in acct.trusted]
    for domain, name, official in targets:
        who = f"{name}（{domain}）"
        if skel != host and _under(skel, domain):
            return who, "letters"
        at = dotted.find("." + domain + ".")
        if at >= 0:  # www.city.fuji.shizuoka.jp.example.com: the real domain comes after it
            return who, "contains:" + dotted[at + len(domain) + 2 : -1]
        labels = domain.split(".")
        if len(labels) >= 3 and "".join(labels[:-1]) in flat:  # city-fuji-shizuoka.jp
            return who, "flat"
        if official and len(domain) >= 8:
            limit = 2 if len(domain) >= 16 else 1
            tail = ".".join(bare.split(".")[-len(labels) :])
            if _distance(tail, domain, limit) <= limit or _distance(bare, domain, limit) <= limit:
                return who, "spelling"
    return None


def _wrapped(query: str) -> str | None:
    """The first URL carried in a query string (the destination of a redirect wrapper)."""
    if "http" not in query.lower() and "%2f" not in query.lower() and "www." not in query:
        return None
    for _, value in parse_qsl(query):
        v = value.strip()
        low = v.lower()
        if low.startswith(("http://", "https://", "//", "www.")):
            return v
    return None


def _host_of(url: str) -> str:
    try:
        host = urlsplit(url if "//" in url[:8] else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")


def _userinfo_lookalike(user: str, acct: _Account) -> str | None:
    """The official or trusted domain written before the `@` of scheme://userinfo@host."""
    user = user.lower().rstrip(".")
    for domain in acct.official:
        if _under(user, domain) or "." + domain in "." + user:
            return f"市のドメイン（{domain}）"
    for domain, name in acct.trusted:
        if _under(user, domain):
            return f"{name}（{domain}）"
    return None


def _classify(url: str, start: int, end: int, acct: _Account, hosts: _Hosts) -> Link:
    scheme_less = url.split("://", 1)[1] if "://" in url[:8] else url
    http = url[:7].lower() == "http://"
    try:
        parts = urlsplit("//" + scheme_less)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return Link(url, start, end, "", http, EXTERNAL)
    if parts.username and not acct.official_set.intersection(_suffixes(host)):
        # https://www.city.fuji.shizuoka.jp@evil.example.com/: the browser goes to the host after @
        who = _userinfo_lookalike(parts.username, acct)
        if who is not None:
            return Link(url, start, end, host, http, LOOKALIKE, who, "userinfo:" + host)
    path, query = parts.path, parts.query
    dest = _wrapped(query) if query else None
    dest_host = _host_of(dest) if dest else ""
    suffixes = _suffixes(host)
    if not acct.official_set.isdisjoint(suffixes):
        if dest_host and not _trusted(dest_host, acct):
            return Link(url, start, end, host, http, REDIRECT, dest_host, "forward")
        return Link(url, start, end, host, http, OFFICIAL)
    if acct.own_pages:
        key = _page_key(host, path)
        if any(key == p or key.startswith(p + "/") for p in acct.own_pages):
            return Link(url, start, end, host, http, OFFICIAL, "登録済みの自アカウント")
    if not hosts.shorteners.isdisjoint(suffixes):
        return Link(url, start, end, host, http, SHORTENER)
    wrapper = not hosts.wrapper_hosts.isdisjoint(suffixes) or any(
        path == p or path.startswith((p + "/", p + "?", p + ".")) for sfx in suffixes for p in hosts.wrapper_paths.get(sfx, ())
    )
    if wrapper or (dest_host and not (_trusted(host, acct) and _trusted(dest_host, acct))):
        return Link(url, start, end, host, http, REDIRECT, dest_host, "wrapper")
    for sfx in suffixes:
        name = acct.trusted_names.get(sfx)
        if name is not None:
            return Link(url, start, end, host, http, TRUSTED, name)
    found = _lookalike(host, acct)
    if found is not None:
        return Link(url, start, end, host, http, LOOKALIKE, found[0], found[1])
    return Link(url, start, end, host, http, EXTERNAL)


# --- per-draft data, shared by the rules -------------------------------------------------------


# An e-mail address written with its @ disguised (taro[at]docomo.ne.jp): the host after it is not
# a link (the e-mail rule owns the address).
_OBFUSCATED_AT = lazy(r"(?:\[\s?at\s?\]|\(\s?at\s?\)|\{\s?at\s?\}|\[@\]|\(@\)|アット(?:マーク)?|あっと(?:まーく)?|★|☆)\s?$", re.I)
# scheme://userinfo@host…: the extractor stops at the @ (https://www.city…@evil.example.com/).
# No `:` in the userinfo: user:password@host is the credential rule's (and must not be quoted).
_USERINFO_URL = lazy(r"https?://[^\s/?#@:]{1,256}@[A-Za-z0-9][A-Za-z0-9.\-]{0,252}(?:[/?#][!#-&*-;=?-~]*)?", re.I)


def _urls(a: Analysis) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] | None = a.cache.get("links.urls")
    if found is None:
        text = a.light
        found = extract_urls(text) if "." in text else []
        if found and ("at" in text or "@" in text or "アット" in text or "あっと" in text or "★" in text or "☆" in text):
            found = [u for u in found if not _OBFUSCATED_AT.search(text, max(0, u[1] - 12), u[1])]
        if "@" in text and "://" in text:
            found = _with_userinfo(text, found)
        a.cache["links.urls"] = found
    return found


def _with_userinfo(text: str, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    extra = []
    for m in _USERINFO_URL.finditer(text):
        url = m.group().rstrip(".,;:!?'\"")
        extra.append((url, m.start(), m.start() + len(url)))
    if not extra:
        return found
    kept = [u for u in found if not any(s < u[2] and u[1] < e for _, s, e in extra)]
    return sorted(kept + extra, key=lambda u: u[1])


def url_spans(a: Analysis) -> list[tuple[int, int]]:
    """(start, end) of every URL in the light view (dates inside URLs are not dates)."""
    return [(s, e) for _, s, e in _urls(a)]


def links(a: Analysis) -> list[Link]:
    """Every URL of the draft, classified (computed once per draft)."""
    found: list[Link] | None = a.cache.get("links.classified")
    if found is None:
        urls = _urls(a)
        if urls:
            acct, hosts = _account(effective_policy(a.policy)), _hosts()
            found = [_classify(u, s, e, acct, hosts) for u, s, e in urls]
        else:
            found = []
        a.cache["links.classified"] = found
    return found


def _hit(link: Link, message: str, detail: str) -> Hit:
    return Hit("", link.start, link.end, link.url, detail=detail, message=message)


# --- the rules ---------------------------------------------------------------------------------


def external_links(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    return [
        _hit(
            k,
            f"「{k.host}」は市のサイトではありません。市のサイト・市の見解と誤解されないよう、"
            "外部サイトであることを書き添えるか、市のページへのリンクにしてください。",
            f"外部ドメイン {k.host}",
        )
        for k in links(a)
        if k.verdict == EXTERNAL
    ]


def trusted_links(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    return [
        _hit(
            k,
            f"「{k.host}」は{k.note}のサイトです（公的機関。市のサイトではありません）。",
            f"信頼できる公的機関のドメイン: {k.note}",
        )
        for k in links(a)
        if k.verdict == TRUSTED
    ]


_FAKE = "公式のサイトに見せかけた偽サイトのおそれがあります。"
_LOOKALIKE_MESSAGES = {
    "contains": "「{host}」は{who}を名前に含んでいますが、末尾の「{owner}」の別のドメインです。" + _FAKE,
    "flat": "「{host}」は{who}に似せた別のドメインです。" + _FAKE,
    "spelling": "「{host}」は{who}と1〜2文字だけ綴りが違う別のドメインです。打ち間違いか、" + _FAKE,
    "letters": "「{host}」は{who}と見た目が同じ別の文字（キリル文字・ギリシャ文字など）を使った別のドメインです。" + _FAKE,
    "userinfo": "このURLは{who}に見えますが、「@」より前はユーザー名として無視され、実際には「{owner}」へ移動します。"
    + _FAKE,
}


def lookalike_links(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    return [
        _hit(
            k,
            _LOOKALIKE_MESSAGES[k.how.split(":")[0]].format(host=k.host, who=k.note, owner=k.how.partition(":")[2]),
            f"似せたドメイン（{k.how}）: {k.note}",
        )
        for k in links(a)
        if k.verdict == LOOKALIKE
    ]


_DIRECT = "行き先のURLを直接載せてください。"


def redirect_links(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    out = []
    policy = effective_policy(a.policy)
    for k in links(a):
        if k.verdict != REDIRECT:
            continue
        if k.how == "forward":
            msg = (
                f"市のドメインのURLですが、外部サイト「{k.note}」へ転送されます。読む人には市のページに見えます。"
                "行き先のURLを直接、外部サイトと分かるように載せてください。"
            )
        elif k.note and policy.is_official_domain(k.note):
            msg = (
                f"「{k.host}」を経由して市のサイト（{k.note}）へ転送するリンクです。"
                "行き先が隠れ、偽サイトと区別できません。市のURLを直接載せてください。"
            )
        elif k.note:
            msg = f"「{k.host}」を経由して「{k.note}」へ転送するリンクです。読む人には行き先が見えません。{_DIRECT}"
        else:
            msg = f"「{k.host}」は転送用のURLで、読む人には行き先が見えません。{_DIRECT}"
        out.append(_hit(k, msg, f"転送用URL（{k.how}）: {k.host} → {k.note or '不明'}"))
    return out


def shortener_links(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    return [
        _hit(
            k,
            f"「{k.host}」は短縮URLで、行き先が見えません（投稿後に行き先を変えることもできます）。元のURLを載せてください。",
            f"短縮URLサービス {k.host}（data/links.toml）",
        )
        for k in links(a)
        if k.verdict == SHORTENER
    ]


def http_links(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    return [
        Hit(
            "",
            k.start,
            k.start + 7,
            k.url[:7],
            detail=f"http:// のURL: {k.host}",
            message=f"「{k.host}」へのリンクが http:// です。https:// で開けるなら https:// にしてください"
            "（通信が暗号化されず、途中で書き換えられるおそれ）。",
        )
        for k in links(a)
        if k.http
    ]


# --- mentions and quotes -----------------------------------------------------------------------

# @handle as X, Instagram, Threads and Bluesky write them (Bluesky handles are domains); not in an
# e-mail address (a letter or digit before @), not a price (@100円).
_MENTION = lazy(r"@(?<![A-Za-z0-9_!#$%&*@.+\-/]@)([A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,98}[A-Za-z0-9_])?)")
_LEADING_MENTIONS = lazy(r"\s*(?:@[A-Za-z0-9_.\-]+\s*)+")
# The words every quote marker holds: most posts have none, and the full pattern is not run.
_QUOTE_CUE = lazy(r"RT|QT|引用|転載|リポスト|リツイート|再投稿|シェア|拡散|共有|紹介")
_QUOTE = lazy(
    r"(?=[RQ【\[〈《(引転以よか投ポツリ再])"
    r"(?:(?<![A-Za-z0-9_])(?:RT|QT)[ \t]?(?:[:][ \t]?)?@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?"  # RT @x, QT: @x
    r"|(?<![A-Za-z0-9_])(?:RT|QT)[ \t]?:"  # RT: (no handle)
    r"|[【\[〈《(]\s*(?:引用|転載|リポスト|リツイート|RT|QT|再投稿|シェア|拡散)\s*[】\]〉》)]"  # 【引用】
    r"|引用(?:元|リポスト|リツイート|ポスト|RT|ツイート)|転載元|以下[、,]?\s?(?:引用|転載)|引用[ \t]?:"
    r"|(?:より|から)(?:の)?(?:引用|転載)"
    r"|(?:投稿|ポスト|ツイート)を(?:引用|リポスト|リツイート|シェア|転載|共有|紹介)(?!して(?:くださ|下さ|ね)|をお願い|お願い)"
    r"|(?:リポスト|リツイート|RT|再投稿)(?:します|いたします|させていただきます|しました|させていただきました))"
)


def _quotes(a: Analysis) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] | None = a.cache.get("links.quotes")
    if found is None:
        found = []
        text = a.light
        for m in _QUOTE.finditer(text) if _QUOTE_CUE.search(text) else ():
            if found and m.start() <= found[-1][1]:  # 投稿を引用|リポストします: one marker
                found[-1] = (found[-1][0], m.end())
            else:
                found.append(m.span())
        a.cache["links.quotes"] = found
    return found


def _is_own(handle: str, acct: _Account, policy: AccountPolicy) -> bool:
    h = handle.lower()
    return h in acct.own_ids or ("." in h and policy.is_official_domain(h))


def mentions(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """@mentions of other accounts (not the account's own ids, not inside URLs or quotes)."""
    text = a.light
    if "@" not in text:
        return []
    policy = effective_policy(a.policy)
    acct = _account(policy)
    skip = url_spans(a) + _quotes(a)
    if a.kind == "reply":  # the account replied to, written first, is the addressee
        lead = _LEADING_MENTIONS.match(text)
        if lead:
            skip.append(lead.span())
    out = []
    for m in _MENTION.finditer(text):
        handle = m.group(1).rstrip(".-")
        if handle.isdigit() or any(s <= m.start() < e for s, e in skip) or _is_own(handle, acct, policy):
            continue
        end = m.start() + 1 + len(handle)
        out.append(
            Hit(
                "",
                m.start(),
                end,
                text[m.start() : end],
                detail=f"他のアカウントへの言及: @{handle}",
                message=f"「@{handle}」は他のアカウントへの言及です。その投稿や意見が市の見解と誤解されないか確認してください。",
            )
        )
    return out


def quotes(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Quote and repost markers (RT @x, QT, 【引用】, 引用リポスト, …の投稿をシェアします)."""
    text = a.light
    return [
        Hit(
            "",
            s,
            e,
            text[s:e],
            detail="引用・再投稿の表示",
            message=f"「{text[s:e]}」は他のアカウントの投稿の引用・再投稿です。市の投稿・市の見解と誤解されないよう、出典を明記し、内容を確認してください。",
        )
        for s, e in _quotes(a)
    ]


RULES = {
    "external_links": external_links,
    "trusted_links": trusted_links,
    "lookalike_links": lookalike_links,
    "redirect_links": redirect_links,
    "shortener_links": shortener_links,
    "http_links": http_links,
    "mentions": mentions,
    "quotes": quotes,
}
