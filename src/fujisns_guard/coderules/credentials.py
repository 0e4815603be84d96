"""Credentials (G-RULE-1): a value after a login label, well-known secret shapes, and long
high-entropy strings. Every hit marks ONLY the secret as its span and sets `secret=True`, so the
engine masks it in every output (text, JSON, SARIF, logs, exception messages).

One cheap pass over the draft (`_CUES`) says whether there is any label, long token-like run,
key block or URL at all; the detectors' own regexes only run when there is. Stdlib `re` is used
here (4–5× faster than `regex` on these alternations); every pattern is linear: bounded
quantifiers, no nested repetition.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

from ..lazyre import lazy
from ..model import Analysis, Hit

# --- cheap tests: is there anything to look at? -------------------------------------------------

# Everything these rules look for is ASCII except the Japanese labels, so most cues are tested on
# the draft's ASCII characters alone (`str.encode("ascii", "ignore")`: short, and fast to scan).
# Dropping the Japanese characters may join two ASCII runs: a cue may pass for nothing (the
# detector's own regex then finds nothing), never the other way round.
_JA_LABELS = lazy(
    "パスワ|ぱすわ|暗証|ログイン|ユーザ|利用者ID|アカウントID|認証|確認コード|パスコード|セキュリティコード|合言葉|トークン|"
    "APIキー|シークレット|パ\\s?ス"
)
_EN_LABELS = lazy(
    "|".join(
        v
        for w in ("pass", "pw", "p/w", "p.w", "user", "login", "token", "api", "secret", "bearer", "pin")
        for v in (w, w.title(), w.upper())
    ).encode()
)
# The literal parts of the shapes below (and Discord's ".xxxxxx." middle).
_SHAPE_CUE = lazy(
    rb"AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|AIza|GOCSPX-|gh[pousr]_|github_pat_|xox[abposr]-|_live_|_test_|sk-|npm_|"
    rb"SG\.|EAA|eyJ|:AA|\.[A-Za-z0-9_\-]{6}\.|hooks\.slack|discord"
)
_LONG_RUN = lazy(rb"[A-Za-z0-9+/_\-]{20}")


class _Cues(NamedTuple):
    label: bool
    shape: bool
    url: bool
    block: bool
    long: bool


def _cues(a: Analysis) -> _Cues:
    """What the draft holds, computed once per draft and shared through `a.cache`."""
    cached: _Cues | None = a.cache.get("credentials")
    if cached is not None:
        return cached
    t = a.light
    ascii_only = t.encode("ascii", "ignore")
    found = _Cues(
        label=_EN_LABELS.search(ascii_only) is not None or _JA_LABELS.search(t) is not None,
        shape=_SHAPE_CUE.search(ascii_only) is not None,
        url=b"://" in ascii_only,
        block=b"-----BEGIN" in ascii_only,
        long=_LONG_RUN.search(ascii_only) is not None,
    )
    a.cache["credentials"] = found
    return found


# --- a value after a label -----------------------------------------------------------------------

# Japanese and English labels; full-width forms arrive as ASCII (the light view is NFKC).
_LABELS = (
    r"(?:初期|仮|ログイン|ワンタイム|管理者|Wi-?Fi\s?の?\s?)?パ\s?ス\s?ワ\s?ー\s?ド|パスワ-ド|ぱすわーど|暗証番号|ログインID|ログイン名|"
    r"ユーザー?(?:名|ID)|利用者ID|アカウントID|認証コード|確認コード|認証キー|パスコード|PINコード|セキュリティコード|"
    r"合言葉|(?:アクセス)?トークン|APIキー|シークレット(?:キー)?|password|passwd|passcode|passphrase|pass\s?word|pwd|pw|p/w|p\.w\.?|"
    r"user\s?(?:name|id)|login(?:\s?id)?|(?:access[_\-\s]?|auth[_\-\s]?)?token|api[_\-\s]?key|"
    r"(?:client[_\-\s]?)?secret(?:[_\-\s]?key)?|pin"
)
# The value: printable ASCII without quotes, ending on a letter, digit or symbol (not on . , ) );
# atomic, so that a refused value (12345678のような…) is not retried shorter. Not a placeholder.
_VALUE = (
    r"(?P<v>(?![*xX●○・.…]+(?:[^!-~]|$))"
    r"(?>[!#-&(-~]{3,127}?[A-Za-z0-9!#$%&*+/:;<=>?@\[\]^_`{|}~\-](?=[.,)\"'」』”]*(?:[^!-~]|$))))"
)
_LABELLED = lazy(
    # the first characters of the labels, tested before anything else (fast in `re`)
    r"(?=[初仮ロワ管Wパぱ暗ユ利ア認確合トシPULCSTA])"
    rf"(?<![A-Za-z0-9_])(?P<label>(?:{_LABELS})(?:\s?\([^)\n]{{0,12}}\))?\s{{0,3}}(?:[:=]|は|→|->|\bis\b)"
    rf"|(?<![ァ-ヺー])(?:pass|パス)\s{{0,3}}(?:[:=]|→|->|は)"
    # パスワードを Fuji2026 に変えました: the value must be followed by に変更/に変え/に設定/にし
    rf"|(?:{_LABELS})\s{{0,3}}を(?P<wo>)"
    # with only a space after the label, the value must look like one: letters and digits
    rf"|(?:{_LABELS})\s{{1,3}}(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z]))\s{{0,3}}[「『\"'“]?{_VALUE}"
    r"(?(wo)[」』\"'”]?\s?に(?:変更|変え|設定|し(?!ない|ません|ては)))"
    # an example of a weak password in advice is not a password
    r"(?!\s?(?:のような|のように|など|といった|みたいな|は避け|は危険|は推測|文字|桁))",
    re.I,
)

# The second value of a combined label (ID/PW：<id> / <password>), matched right after the first.
_SECOND_VALUE = lazy(rf"[\"'」』”]?\s{{0,2}}/\s{{0,2}}[「『\"'“]?{_VALUE}")


def credential_line(line: str) -> bool:
    """A label followed by a value on this line (for other rules that must not quote it)."""
    return _LABELLED.search(line) is not None


def labelled_credentials(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """パスワード：Fuji2026!, PW=…, 暗証番号は4649, password = …, token=… (the value only)."""
    if not _cues(a).label:
        return []
    text = a.light
    hits: list[Hit] = []
    for m in _LABELLED.finditer(text):
        s, e = m.span("v")
        label = " ".join(m.group("label").split())
        if text[e - 1] in ":=":  # login -> user: citypro_admin — "user:" is a label, the value follows it
            after = _NEXT_VALUE.match(text, e)
            if after is None:
                continue
            s, e = after.span("v")
        hits.append(Hit("", s, e, text[s:e], f"ラベル「{label}」に続く値", secret=True))
        start = m.start("label")
        if start and text[start - 1] == "/":
            # ID/PW：fujicity / fuji2026, ユーザー名/パスワード：a / b — the second value is a secret too
            second = _SECOND_VALUE.match(text, e)
            if second is not None:
                s2, e2 = second.span("v")
                hits.append(Hit("", s2, e2, text[s2:e2], f"ラベル「…/{label}」の2つ目の値", secret=True))
    if hits:
        hits.extend(_bare_ids(text, hits))
    return hits


_NEXT_VALUE = lazy(r"[ \t]{0,3}" + _VALUE)
# A bare "ID:" is a login ID only on a line that also gives a credential (管理画面 ID: x パスワード: y).
_BARE_ID = lazy(r"(?<![A-Za-z0-9_])(?:ID|Id|ＩＤ)[ \t]?[:：=＝][ \t]?" + _VALUE)


def _bare_ids(text: str, found: list[Hit]) -> list[Hit]:
    lines = {(text.rfind("\n", 0, h.start) + 1, _line_end(text, h.start)) for h in found}
    out: list[Hit] = []
    for lo, hi in lines:
        for m in _BARE_ID.finditer(text, lo, hi):
            s, e = m.span("v")
            if not any(h.start < e and s < h.end for h in found):
                out.append(Hit("", s, e, text[s:e], "パスワードと同じ行の「ID」に続く値（ログインID）", secret=True))
    return out


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


# --- well-known secret shapes ----------------------------------------------------------------

_SHAPES = lazy(
    r"(?=[AGgxsrnSEeMNO0-9])(?<![A-Za-z0-9_\-])(?:"
    r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}"  # AWS access key IDs
    r"|AIza[0-9A-Za-z_\-]{35}|GOCSPX-[A-Za-z0-9_\-]{28}"  # Google API key, OAuth client secret
    r"|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}"  # GitHub
    r"|xox[abposr]-[A-Za-z0-9\-]{10,250}"  # Slack
    r"|(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,250}|sk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,250}"  # Stripe, AI APIs
    r"|npm_[A-Za-z0-9]{36}|SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}|EAA[A-Za-z0-9]{30,400}"  # npm, SendGrid, Meta
    r"|eyJ[A-Za-z0-9_\-]{8,2000}\.eyJ[A-Za-z0-9_\-]{8,4000}\.[A-Za-z0-9_\-]{8,2000}"  # JSON Web Token
    r"|[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}"  # Discord bot token
    r"|[0-9]{8,10}:AA[A-Za-z0-9_\-]{33}"  # Telegram bot token
    r")(?![A-Za-z0-9_\-])"
)
_SHAPE_NAMES = (
    ("AKIA", "AWS アクセスキー"),
    ("ASIA", "AWS アクセスキー"),
    ("AIza", "Google API キー"),
    ("A", "クラウドのアクセスキー"),
    ("GOCSPX", "Google OAuth クライアントシークレット"),
    ("github_pat", "GitHub トークン"),
    ("gh", "GitHub トークン"),
    ("xox", "Slack トークン"),
    ("sk_", "Stripe キー"),
    ("rk_", "Stripe キー"),
    ("sk-", "API キー"),
    ("npm_", "npm トークン"),
    ("SG.", "SendGrid キー"),
    ("EAA", "Meta アクセストークン"),
    ("eyJ", "JSON Web Token"),
    ("M", "Discord ボットトークン"),
    ("N", "Discord ボットトークン"),
    ("O", "Discord ボットトークン"),
)
_WEBHOOK = lazy(
    r"hooks\.slack\.com/services/(?P<v>T[A-Z0-9]{4,20}/B[A-Z0-9]{4,20}/[A-Za-z0-9]{8,64})"
    r"|discord(?:app)?\.com/api/webhooks/(?P<w>[0-9]{5,25}/[A-Za-z0-9_\-]{30,100})"
)
_KEY_BLOCK = lazy(
    r"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:[^\-]|-(?!----END))*"
    r"(?:-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----)?"
)
_URL_USERINFO = lazy(r"://[^\s/:@]{1,64}:(?P<v>[^\s/@]{1,128})@")
_BEARER = lazy(r"(?<![A-Za-z])bearer\s{1,3}(?P<v>[A-Za-z0-9._~+/\-]{16,1000}=*)", re.I)


def _shape_name(value: str) -> str:
    if value[:1].isdigit():
        return "Telegram ボットトークン"
    for prefix, name in _SHAPE_NAMES:
        if value.startswith(prefix):
            return name
    return "既知のトークン形式"


def token_shapes(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Cloud keys, chat/bot tokens, JWTs, private-key blocks, passwords in URLs, bearer tokens."""
    label, shape, url, block, _ = _cues(a)
    text = a.light
    hits: list[Hit] = []
    if shape:
        for m in _SHAPES.finditer(text):
            hits.append(Hit("", m.start(), m.end(), m.group(), f"{_shape_name(m.group())}の形式", secret=True))
        for m in _WEBHOOK.finditer(text):
            g = "v" if m.group("v") is not None else "w"
            hits.append(Hit("", m.start(g), m.end(g), m.group(g), "Webhook URL の秘密の部分", secret=True))
    if block:
        for m in _KEY_BLOCK.finditer(text):
            hits.append(Hit("", m.start(), m.end(), m.group(), "秘密鍵のブロック", secret=True))
    if url:
        for m in _URL_USERINFO.finditer(text):
            hits.append(Hit("", m.start("v"), m.end("v"), m.group("v"), "URL に埋め込まれたパスワード", secret=True))
    if label:
        for m in _BEARER.finditer(text):
            hits.append(Hit("", m.start("v"), m.end("v"), m.group("v"), "Bearer トークン", secret=True))
    return hits


# --- long random-looking strings -----------------------------------------------------------------

# A maximal run of base64/base64url characters (a plain class: `re` scans it fast); the checks
# that it is not part of a hashtag, a handle, a host or a file name are done in Python.
_CANDIDATE = lazy(r"[A-Za-z0-9+/_\-]{20,2000}={0,2}")
_NOT_BEFORE = frozenset(".@#%&?~=")
_HEX_OR_DIGITS = lazy(r"[0-9A-Fa-f\-]+|[0-9_\-/]+")
_DIGIT = lazy(r"[0-9]")
# A value right after a label is labelled_credentials' finding.
_LABEL_BEFORE = lazy(
    rf"(?:{_LABELS}|pass|パス|(?:チャネル)?シークレット)(?:\s?\([^)\n]{{0,12}}\))?"
    r"(?:\s{0,3}(?:[:=]|は|を|→|->|\bis\b)\s{0,3}[「『\"'“]?|\s{1,3})$"
    r"|bearer\s{1,3}$",
    re.I,
)

MIN_LENGTH = 20
MIN_ENTROPY = 3.7  # bits per character
MIN_RUN_RATIO = 0.4  # runs of one character class per character: random ≈ 0.6, CamelCase words ≈ 0.3


def _entropy(s: str) -> float:
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _class(ch: str) -> int:
    if "a" <= ch <= "z":
        return 0
    if "A" <= ch <= "Z":
        return 1
    if "0" <= ch <= "9":
        return 2
    return 3


def _runs(s: str) -> int:
    runs, last = 0, -1
    for ch in s:
        c = _class(ch)
        if c != last:
            runs += 1
            last = c
    return runs


def _in_url(text: str, s: int) -> bool:
    """The run at s continues a URL: `://` or `www.` earlier in the same unbroken ASCII run."""
    lo = max(0, s - 400)
    for mark in ("://", "www."):
        j = text.rfind(mark, lo, s)
        if j != -1:
            seg = text[j:s]
            if seg.isascii() and seg.isprintable() and " " not in seg:
                return True
    return False


def _in_key_block(text: str, s: int) -> bool:
    begin = text.rfind("-----BEGIN", 0, s)
    return begin != -1 and text.rfind("-----END", begin, s) == -1


def high_entropy_strings(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """20+ characters mixing upper, lower and digits irregularly, outside URLs, IDs and labels."""
    if not _cues(a).long:
        return []
    text = a.light
    min_length = int(params.get("min_length", MIN_LENGTH))
    min_entropy = float(params.get("min_entropy", MIN_ENTROPY))
    hits: list[Hit] = []
    n = len(text)
    for m in _CANDIDATE.finditer(text):
        s, e = m.span()
        if s and text[s - 1] in _NOT_BEFORE:
            continue  # a hashtag, a handle, a query value, a host's label
        if e < n and (text[e] == "@" or (text[e] == "." and e + 1 < n and text[e + 1].isascii() and text[e + 1].isalnum())):
            continue  # an e-mail's local part, a host, a file name
        value = m.group()
        core = value.rstrip("=")
        if len(core) < min_length or _HEX_OR_DIGITS.fullmatch(core) or _in_url(text, s):
            continue
        if core.islower() or core.isupper() or not _DIGIT.search(core):
            continue  # needs upper case, lower case and digits
        if _runs(core) / len(core) < MIN_RUN_RATIO:
            continue  # words: FujiCitySummerFestival2026
        entropy = _entropy(core)
        if entropy < min_entropy:
            continue
        if _SHAPES.fullmatch(value) or _in_key_block(text, s):
            continue  # token_shapes reports it, or it is part of a link
        if _LABEL_BEFORE.search(text, max(0, s - 40), s):
            continue  # labelled_credentials reports it
        why = f"{len(core)}文字、エントロピー {entropy:.1f} bit/文字、英大文字・小文字・数字が不規則に混在"
        hits.append(Hit("", s, e, value, why, secret=True))
    return hits


RULES: dict[str, Callable[[Analysis, dict[str, Any]], list[Hit]]] = {
    "labelled_credentials": labelled_credentials,
    "token_shapes": token_shapes,
    "high_entropy_strings": high_entropy_strings,
}
