"""Personal information (個人情報): phones, e-mail, postal codes, addresses, names, birth dates,
My Number, corporate numbers, cards, bank accounts, licence plates and sensitive personal
information (要配慮個人情報). docs/detectors.md says what each reports and leaves alone.

Everything runs on the light view (NFKC: full-width digits are ASCII, （）→(), ：→:, ＋→+).
Per draft each rule first asks a cheap cue (a few C-level scans of stdlib `re`, shared by the rules
through `Analysis.cache`); only drafts with a cue pay for libphonenumber, token context or the
policy. Names and addresses are computed once per draft and shared the same way.

Not personal information (issue 4): the account policy's own contacts and addresses, trusted
public bodies' numbers and domains (110, #9110, go.jp, lg.jp …) and officials acting in office.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..lazyre import lazy
from ..model import Analysis, Hit, Token
from ..validators import corporate_number as _valid_corporate_number
from ..validators import luhn as _luhn
from ..validators import my_number as _valid_my_number
from .context import effective_policy

_default_policy: Callable[[], Any] | None
try:  # the policy module is optional for the detectors: without it nothing is excused
    from ..policy import default_policy as _imported_default

    _default_policy = _imported_default
except ImportError:  # pragma: no cover
    _default_policy = None

# --- the account policy (official ⊂ trusted), degrading gracefully ---------------------------


def _policy(a: Analysis) -> Any:
    """The account's policy, else the nationwide defaults (110, #9110, go.jp, lg.jp …)."""
    if a.policy is not None:
        return a.policy
    if _default_policy is None:
        return None
    try:
        return effective_policy(None)  # the defaults, from the rule cache when it has them
    except Exception:  # the defaults missing must not stop the check
        return None


# The policy's answers are memoized per policy object (a weak reference tells a new policy that
# happens to reuse an old one's id from the old one): asking costs ~14 µs, a dict lookup ~0.1 µs.
_MEMO: dict[int, tuple[Any, dict[tuple[str, str], bool]]] = {}


def _ask(policy: Any, method: str, value: str) -> bool:
    entry = _MEMO.get(id(policy))
    if entry is None or entry[0]() is not policy:
        try:
            entry = (weakref.ref(policy), {})
        except TypeError:
            return _call(policy, method, value)
        if len(_MEMO) > 64:
            _MEMO.clear()
        _MEMO[id(policy)] = entry
    memo = entry[1]
    answer = memo.get((method, value))
    if answer is None:
        if len(memo) > 10_000:
            memo.clear()
        answer = memo[(method, value)] = _call(policy, method, value)
    return answer


def _call(policy: Any, method: str, value: str) -> bool:
    fn = getattr(policy, method, None)
    if fn is None:
        return False  # an older policy without this check: nothing is excused
    try:
        return bool(fn(value))
    except Exception:
        return False


def _official_names(policy: Any) -> frozenset[str]:
    fn = getattr(policy, "official_names", None)
    if fn is None:
        return frozenset()
    try:
        return frozenset(_squeeze(n) for n in fn())
    except Exception:
        return frozenset()


def _official_addresses(policy: Any) -> tuple[str, ...]:
    official = getattr(policy, "official", None)
    addresses = getattr(official, "addresses", None) or ()
    return tuple(c for c in (_canon_address(x) for x in addresses if isinstance(x, str)) if c)


def _official_postal_codes(policy: Any) -> tuple[str, ...]:
    """The account's own postal codes, as 7 digits (official.postal_codes)."""
    official = getattr(policy, "official", None)
    codes = getattr(official, "postal_codes", None) or ()
    return tuple(re.sub(r"\D", "", c) for c in codes if isinstance(c, str))


def _squeeze(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


# --- small text helpers ------------------------------------------------------------------------

_SENTENCE_END = frozenset("。！？!?\n")


def _sentence(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence (or line) around [s, e)."""
    lo = s
    while lo > 0 and text[lo - 1] not in _SENTENCE_END:
        lo -= 1
    hi = e
    n = len(text)
    while hi < n and text[hi] not in _SENTENCE_END:
        hi += 1
    return lo, hi


def _shown(a: Analysis, s: int, e: int) -> str:
    """The original text of a light-view span, as staff typed it (０９０－… rather than 090-…)."""
    o = a.norm.light.to_original(s, e)
    return a.original[o[0] : o[1]]


def _line_before(text: str, s: int, width: int) -> str:
    lo = max(0, s - width)
    nl = text.rfind("\n", lo, s)
    return text[(nl + 1 if nl != -1 else lo) : s]


# Words that place a number or address with an organisation (a business line, not a person's).
_ORG = lazy(
    r"株式会社|\(株\)|有限会社|\(有\)|合同会社|法人|協会|協議会|連合会|組合|事務局|センター|事務所|病院|クリニック|"
    r"医院|診療所|薬局|学校|幼稚園|保育園|こども園|公民館|図書館|博物館|美術館|会館|ホール|商店|店|商工会|会議所|"
    r"窓口|受付|課|係|相談室|署|団体|委員会|案内所|ホテル|旅館|駅|本部|支所|出張所|代表|FAX|Fax|fax|ファクス|ファックス"
)
# Words that tie a number or address to a private person.
_PERSONAL = lazy(r"自宅|宅|個人|私の|携帯|さん|様|氏|くん|ちゃん|住人|在住|お住まい|方\s*$")
_HONORIFICS = frozenset(("さん", "様", "氏", "くん", "ちゃん"))


def _personal_before(a: Analysis, s: int, before: str) -> re.Match[str] | None:
    """A word tying the text before offset `s` to a private person. An honorific counts only
    where Sudachi ends a word with it: the さん of ふじさんめっせ (a venue) is followed by the rest
    of the name, which Sudachi reads as a verb."""
    base = s - len(before)
    for m in _PERSONAL.finditer(before):
        if m.group() in _HONORIFICS:
            k = _token_at(a, base + m.end())
            toks = a.tokens
            if 0 <= k < len(toks) and toks[k].start == base + m.end() and toks[k].pos[0] in ("動詞", "形容詞"):
                continue  # inside a name: ふじ/さん/めっせ
        return m
    return None


# --- per-draft facts shared by several rules ----------------------------------------------------


@dataclass(slots=True)
class _Name:
    start: int
    end: int
    text: str
    context: str  # why it is taken for a person's name
    official: bool  # an official acting in office, or listed in the policy
    full: bool  # family and given name


@dataclass(slots=True)
class _Address:
    start: int
    end: int
    level: str  # "lot" (番地・号: a dwelling) or "area" (丁目 only)
    severity: str | None  # None: official (not reported)
    why: str


# Cheap tests saying whether a detector has anything to look at, each run at most once per draft:
# most posts hold no phone, account, birth date or address, and those detectors then cost nothing
# more. Word cues are plain alternations of literals and digit cues start with a digit class, the
# two shapes `re` scans fastest (IGNORECASE, leading lookbehinds or groups cost 5–20× more).
# One scan for the digit cues: a run of ≥ 10 digits and separators (phones, My Number, cards,
# 法人番号), a digit then a dash or 番 then a digit (lot numbers 1-2-3, 1番2号), a digit then one
# plate hiragana then a digit (500 さ 12-34).
_DIGIT_CUES = lazy(r"[0-9](?:[0-9 \-‐‑‒–—―−ー().]{9,}|[-‐‑‒–—―−ー番][0-9]| ?[あ-ろわを] ?[0-9・.])")
_DASHES = frozenset("-‐‑‒–—―−ー")
_TOWN_NUM_CUE = lazy(r"[町村字] ?[0-9]")
_BANK_CUE = lazy(r"口座|普通|当座|貯蓄|記号|ゆうちょ")
_BIRTH_WORDS = ("生まれ", "生年月日", "誕生日")


def _is_kana_kanji(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or ch == "々"


def _digit_cues(t: str) -> dict[str, bool]:
    """num (≥ 10 digits), num12 (≥ 12), lot (今泉1-2-3, 1番2号, 蓼原町1750, 丁目, 番地), plate."""
    num = num12 = plate = False
    lot = "丁目" in t or "番地" in t or _TOWN_NUM_CUE.search(t) is not None
    for m in _DIGIT_CUES.finditer(t):
        run = m.group()
        s = m.start()
        if len(run) >= 10:  # the first alternative (the others are at most 5 characters)
            digits = sum(ch.isdigit() for ch in run)
            num = num or digits >= 10
            num12 = num12 or digits >= 12
            if not lot and s and _is_kana_kanji(t[s - 1]) and any(ch in _DASHES for ch in run):
                lot = True
        elif run[1] in _DASHES or run[1] == "番":
            if not lot:
                while s > 0 and t[s - 1].isdigit():
                    s -= 1
                lot = run[1] == "番" or (s > 0 and _is_kana_kanji(t[s - 1]))
        else:
            plate = True
    return {"num": num, "num12": num12, "lot": lot, "plate": plate}


def _birth_cue(t: str) -> bool:
    """生まれ, 生年月日, 誕生日, or 生 right after a date (H2.4.1生, 1990年4月1日生)."""
    if any(w in t for w in _BIRTH_WORDS):
        return True
    i = t.find("生")
    while i > 0:
        prev = t[i - 1] if t[i - 1] != " " else t[i - 2 : i - 1]
        if prev.isdigit() or prev == "日":
            return True
        i = t.find("生", i + 1)
    return False


# Context next to a name: an honorific, 宅, an age in brackets after it; 担当・係 before it.
_NAME_CUE = lazy(
    r"さん|様|さま|氏|くん|君|ちゃん|殿|先生|宅|担当者?|係員?|\([0-9]|\(\s?[小中高]\s?[0-9]|年生の|年生|年の"
    r"|息子|娘|長男|長女|次男|次女|三男|三女|孫"
)
# …小学校3年の / …中2年生: a name right after a school year (checked before the cue word)
_GRADE_BEFORE = lazy(r"(?:小学校?|中学校?|高等学校|高校|小|中|高|学園|学院)\s?[0-9]{1,2}$")
_AFTER_GRADE = frozenset({"年の", "年生の", "年生"})
_CUE_TESTS: dict[str, Callable[[str], bool]] = {
    "name": lambda t: _NAME_CUE.search(t) is not None,
    "bank": lambda t: _BANK_CUE.search(t) is not None,
    "birth": _birth_cue,
    "postal": lambda t: "〒" in t or "郵便番号" in t,
    "mail": lambda t: "@" in t or "(at)" in t or "[at]" in t,
}
_DIGIT_KINDS = frozenset({"num", "num12", "lot", "plate"})


@dataclass(slots=True)
class _Facts:
    """What several rules need about one draft: its text, the cues found so far, names, addresses."""

    text: str
    cues: dict[str, bool]
    names: list[_Name] | None = None
    addresses: list[_Address] | None = None

    def cue(self, kind: str) -> bool:
        found = self.cues.get(kind)
        if found is None:
            if kind in _DIGIT_KINDS:
                self.cues.update(_digit_cues(self.text))
                return self.cues[kind]
            found = self.cues[kind] = _CUE_TESTS[kind](self.text)
        return found


def _facts(a: Analysis) -> _Facts:
    """The facts of this draft, shared by the code rules of one check through `a.cache`."""
    facts: _Facts | None = a.cache.get("personal_info")
    if facts is None:
        facts = a.cache["personal_info"] = _Facts(a.light, {})
    return facts


def _names(a: Analysis) -> list[_Name]:
    facts = _facts(a)
    if facts.names is None:
        facts.names = _find_names(a)
    return facts.names


def _addresses(a: Analysis) -> list[_Address]:
    facts = _facts(a)
    if facts.addresses is None:
        facts.addresses = _find_addresses(a)
    return facts.addresses


def _token_at(a: Analysis, offset: int) -> int:
    """Index of the token covering `offset` of the light view (-1 before the first)."""
    return bisect_right(a.tokens.starts, offset) - 1


# --- phone numbers ----------------------------------------------------------------------------

# A candidate: starts with 0, (0 or +81, digits and the separators Japanese text uses (hyphens of
# every width, the long-vowel mark typed for a hyphen, spaces, parentheses, dots), ends on a digit.
# Not after letters, digits, '/', '.', '=', '#' … (URLs, decimals, #9110), except TEL/FAX labels.
_PHONE = lazy(
    r"(?=[TtFfPpMm0(+])"  # the first characters, tested before anything else (much faster in `re`)
    r"(?:(?<![A-Za-z])(?:TEL|Tel|tel|FAX|Fax|fax|PHONE|Phone|phone|MOBILE|Mobile|mobile)[.:]?\s?|(?<![0-9A-Za-z_@/.=&?#%+\-]))"
    r"(?P<c>(?:\+\s?81|\(\s?0|0)[0-9\-‐‑‒–—―−ー ().]{7,24}[0-9])"
    r"(?![0-9A-Za-z@_]|[.,][0-9])",
)
# Labels saying the digits that follow are some other number.
_NOT_PHONE_BEFORE = lazy(
    r"(?:(?:受付|会員|管理|整理|登録|申込|注文|証明書|保険者|記号|お客様|伝票|追跡|口座|法人|個人|請求)番号|"
    r"No\.?|NO\.?|ID|口座|普通|当座)\s?[:#]?\s?$"
)


class PhoneType:
    """libphonenumber's `PhoneNumberType` values (tests/test_cold_start.py checks them against the
    library): the library itself is imported only when a draft holds a candidate number, which
    keeps ~30 ms off every start."""

    FIXED_LINE = 0
    MOBILE = 1
    FIXED_LINE_OR_MOBILE = 2
    TOLL_FREE = 3
    PREMIUM_RATE = 4
    SHARED_COST = 5
    VOIP = 6
    PERSONAL_NUMBER = 7
    PAGER = 8
    UAN = 9
    VOICEMAIL = 10
    UNKNOWN = 99


_MOBILE = frozenset({PhoneType.MOBILE, PhoneType.PAGER, PhoneType.PERSONAL_NUMBER})
_BUSINESS = frozenset(
    {
        PhoneType.TOLL_FREE,
        PhoneType.SHARED_COST,
        PhoneType.UAN,
        PhoneType.PREMIUM_RATE,
        PhoneType.VOICEMAIL,
    }
)
_TYPE_LABEL = {
    PhoneType.MOBILE: "携帯電話",
    PhoneType.PAGER: "携帯・無線呼出し",
    PhoneType.PERSONAL_NUMBER: "パーソナル番号",
    PhoneType.FIXED_LINE: "固定電話",
    PhoneType.FIXED_LINE_OR_MOBILE: "固定または携帯電話",
    PhoneType.VOIP: "IP電話（050）",
    PhoneType.TOLL_FREE: "フリーダイヤル",
    PhoneType.SHARED_COST: "ナビダイヤル",
    PhoneType.UAN: "ナビダイヤル等の統一番号",
    PhoneType.PREMIUM_RATE: "情報料代理徴収番号",
    PhoneType.VOICEMAIL: "ボイスメール",
}


# Every Japanese numbering range in libphonenumber's metadata is a pattern on the first digits of
# the national number followed by free digits (fixed line: 3 digits + \d{6}, mobile [6-9]0[1-9] +
# \d{7}, 0120: 120 + \d{6} …), so the library's answer for one number holds for every number with
# the same first 6 digits and length. Asking it once per (prefix, length) keeps a post with a new
# number at ~1 µs instead of ~17 µs. tests/test_personal_info.py checks the assumption against
# the installed metadata.
TYPE_PREFIX = 6
_TYPES: dict[tuple[str, int], int] = {}


def number_type(domestic: str) -> int:
    """libphonenumber's type of a domestic number (0 + national number); UNKNOWN if invalid."""
    nsn = domestic[1:]
    key = (nsn[:TYPE_PREFIX], len(nsn))
    kind = _TYPES.get(key)
    if kind is None:
        import phonenumbers

        kind = phonenumbers.number_type(phonenumbers.PhoneNumber(country_code=81, national_number=int(nsn)))
        if len(_TYPES) > 100_000:
            _TYPES.clear()
        _TYPES[key] = kind
    return kind


@lru_cache(maxsize=4096)
def _numbers_in(candidate: str) -> tuple[tuple[int, int, str, int], ...]:
    """(start, end, domestic digits, number type) of every valid Japanese number in a candidate.

    Google's libphonenumber (phonenumberslite) decides: it knows every Japanese numbering range
    and its type. A candidate holding one number (10–11 digits) is checked directly against the
    metadata; anything else goes through the library's matcher, which splits numbers written side
    by side and refuses dates and times (~150 µs, rare)."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    domestic = "0" + digits[2:] if candidate.lstrip("( ").startswith("+") else digits
    if domestic.startswith("0") and 10 <= len(domestic) <= 11:
        kind = number_type(domestic)
        if kind == PhoneType.UNKNOWN:
            return ()
        start = 0
        while start < len(candidate) and not (candidate[start].isdigit() or candidate[start] == "+"):
            start += 1
        if start and ")" in candidate[start:]:
            start = candidate.index("(")  # (0545)55-2700: the bracket belongs to the number
        return ((start, len(candidate), domestic, kind),)
    import phonenumbers

    out: list[tuple[int, int, str, int]] = []
    for m in phonenumbers.PhoneNumberMatcher(candidate, "JP", leniency=phonenumbers.Leniency.VALID):
        n = m.number
        if n.country_code != 81:
            continue
        start, raw = m.start, m.raw_string
        if raw.startswith("(") and ")" not in raw:  # （090 1234 5678）: the bracket is the text's
            start += 1 + len(raw[1:]) - len(raw[1:].lstrip())
        out.append((start, m.end, "0" + str(n.national_number), phonenumbers.number_type(n)))
    return tuple(out)


# Shapes the candidate scan does not take: ０９０の１２３４の５６７８ (read out), and a line break
# right after a hyphen (090-1234-\n5678). Starts with a literal 0, which `re` looks for fast.
_PHONE_ODD = lazy(
    r"0(?<![0-9]0)[0-9]{1,4}(?:の[0-9]{1,4}の|[-‐‑‒–—―−ー]\n?[0-9]{1,4}[-‐‑‒–—―−ー]\n?)[0-9]{4}(?![0-9])"
)


def _odd_phones(a: Analysis, policy: Any) -> list[Hit]:
    hits: list[Hit] = []
    text = a.light
    for m in _PHONE_ODD.finditer(text):
        cand = m.group()
        if "の" not in cand and "\n" not in cand:
            continue  # 090-1234-5678: the candidate scan's
        digits = "".join(ch for ch in cand if ch.isdigit())
        if not 10 <= len(digits) <= 11 or _NOT_PHONE_BEFORE.search(_line_before(text, m.start(), 12)):
            continue
        if policy is None:
            policy = _policy(a) or False
        if policy and _ask(policy, "is_trusted_phone", digits):
            continue
        kind = number_type(digits)
        if kind != PhoneType.UNKNOWN:
            hits.append(_phone_hit(a, m.start(), m.end(), digits, kind))
    return hits


def phone_numbers(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    text = a.light
    odd = "の" in text or "\n" in text
    if not _facts(a).cue("num"):
        return _odd_phones(a, None) if odd else []
    policy: Any = None
    hits: list[Hit] = []
    for m in _PHONE.finditer(text):
        cand = m.group("c")
        digits = "".join(ch for ch in cand if ch.isdigit())
        if len(digits) < 10:
            continue
        base = m.start("c")
        if _NOT_PHONE_BEFORE.search(_line_before(text, base, 12)):
            continue
        if policy is None:
            policy = _policy(a) or False
        domestic = "0" + digits[2:] if cand.lstrip("( ").startswith("+") else digits
        if policy and _ask(policy, "is_trusted_phone", domestic):
            continue  # the account's own number or a public body's (official ⊂ trusted): not parsed
        for s, e, found, kind in _numbers_in(cand):
            if found != domestic and policy and _ask(policy, "is_trusted_phone", found):
                continue  # one of two numbers written side by side
            hits.append(_phone_hit(a, base + s, base + e, found, kind))
    if odd:
        hits.extend(_odd_phones(a, policy))
    return hits


def _phone_hit(a: Analysis, s: int, e: int, digits: str, kind: int) -> Hit:
    text = a.light
    label = _TYPE_LABEL.get(kind, "電話番号")
    matched = _shown(a, s, e)
    before = _line_before(text, s, 30)
    why = f"phonenumbers で有効な日本の番号（{label}、{digits[:3]}…）"
    if kind in _MOBILE:
        return Hit(
            "",
            s,
            e,
            text[s:e],
            why + "。携帯電話の番号は個人のものとして扱う",
            severity="error",
            message=f"個人の携帯電話番号と思われる「{matched}」が含まれています。",
        )
    org = _ORG.search(before)
    personal = _personal_before(a, s, before)
    if kind in _BUSINESS:
        return Hit(
            "",
            s,
            e,
            text[s:e],
            why + "。事業者向けの番号",
            severity="error" if personal else "warning",
            message=f"{label}の番号「{matched}」が含まれています。公開してよい番号か確認してください。",
        )
    if org and not personal:
        return Hit(
            "",
            s,
            e,
            text[s:e],
            why + f"。直前に団体・施設を示す語「{org.group()}」",
            severity="warning",
            message=f"団体・施設の電話番号と思われる「{matched}」が含まれています。公開してよい番号か確認してください。",
        )
    return Hit(
        "",
        s,
        e,
        text[s:e],
        why + ("。直前に個人を示す語「" + personal.group() + "」" if personal else ""),
        severity="error",
        message=f"電話番号「{matched}」（{label}）が含まれています。市の公式の連絡先ではありません。",
    )


# --- e-mail addresses ---------------------------------------------------------------------------

_EMAIL = lazy(
    r"(?<![A-Za-z0-9._%+\-])"
    r"(?P<local>[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63}))"
    r"(?:@|\s?[\[(](?i:at)[\])]\s?)"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24})"
    r"(?![A-Za-z\-]|\.[A-Za-z0-9])",  # digits may follow: ｋｏｈｏ＠ｅｘａｍｐｌｅ．ｊｐ１１月…
    0,
)
_FREE_MAIL = (
    "gmail.com",
    "googlemail.com",
    "yahoo.co.jp",
    "ymail.ne.jp",
    "icloud.com",
    "me.com",
    "mac.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "live.jp",
    "live.com",
    "msn.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "ymobile.ne.jp",
    "rakuten.jp",
    "nifty.com",
    "biglobe.ne.jp",
    "ocn.ne.jp",
    "so-net.ne.jp",
    "aol.com",
    "proton.me",
)
_ROLE_LOCAL = lazy(
    r"^(?:info|information|contact|support|office|jimukyoku|toiawase|otoiawase|inquiry|inquiries|koho|kouhou|"
    r"press|webmaster|event|events|entry|moshikomi|uketsuke|desk|center|soudan|sodan|sales|mail|admin)"
    r"(?:[._\-]?[a-z0-9]*)$",
    re.I,
)


def email_addresses(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    if not _facts(a).cue("mail"):
        return []
    text = a.light
    policy = _policy(a)
    hits: list[Hit] = []
    for m in _EMAIL.finditer(text):
        s, e = m.span()
        if _in_url_userinfo(text, s):
            continue  # user:password@host is the credential rules' business
        local, host = m.group("local"), m.group("host").lower()
        addr = f"{local}@{host}"
        if policy and _ask(policy, "is_official_email", addr):
            continue
        matched = _shown(a, s, e)
        if policy and _ask(policy, "is_official_domain", host):
            hits.append(
                Hit(
                    "",
                    s,
                    e,
                    text[s:e],
                    "市のドメインだが運用ポリシーに登録された公式アドレスではない",
                    severity="warning",
                    message=f"「{matched}」は市のドメインですが、登録された公式アドレスではありません。職員個人のアドレスではありませんか。",
                )
            )
            continue
        if policy and _ask(policy, "is_trusted_domain", host):
            continue  # a public body's address (go.jp, lg.jp, the prefecture's …)
        free = any(host == d or host.endswith("." + d) for d in _FREE_MAIL)
        if not free and _ROLE_LOCAL.match(local):
            hits.append(
                Hit(
                    "",
                    s,
                    e,
                    text[s:e],
                    f"団体の窓口アドレスと思われる（{local}@）",
                    severity="warning",
                    message=f"メールアドレス「{matched}」が含まれています。公開してよい団体の窓口アドレスか確認してください。",
                )
            )
            continue
        why = "個人向けのメールサービス" if free else "市の公式アドレスでも公的機関のドメインでもない"
        hits.append(
            Hit(
                "",
                s,
                e,
                text[s:e],
                why,
                severity="error",
                message=f"メールアドレス「{matched}」が含まれています。個人の連絡先は投稿できません。",
            )
        )
    return hits


def _in_url_userinfo(text: str, s: int) -> bool:
    lo = s
    while lo > 0 and not text[lo - 1].isspace() and s - lo < 200:
        lo -= 1
    run = text[lo:s]
    return "://" in run and not run.lower().startswith("mailto:")


# --- postal codes and street addresses ----------------------------------------------------------

_POSTAL = lazy(r"(?:〒\s?|郵便番号\s?:?\s?)(?P<code>[0-9]{3}\s?[-‐‑‒–—―−ー]?\s?[0-9]{4})(?![0-9])")
_NUM = r"(?:[0-9]{1,5}|[一二三四五六七八九十〇]{1,3})"
_DASH = r"\s?[-‐‑‒–—―−ー]\s?"
_LOT = lazy(
    rf"(?P<chome>{_NUM}\s?丁目)(?:\s?(?P<lot1>{_NUM}\s?(?:番地?|{_DASH}|の)\s?(?:{_NUM}\s?号?)?(?:{_DASH}{_NUM})?))?"
    rf"|(?P<lot2>{_NUM}\s?番地(?:\s?の\s?{_NUM}|{_DASH}{_NUM})?)"
    rf"|(?P<lot3>{_NUM}\s?番\s?{_NUM}\s?号)"
    rf"|(?P<lot4>[0-9]{{1,5}}(?:{_DASH}[0-9]{{1,5}}){{1,3}}(?:\s?号)?)"
    r"|(?P<bare>[0-9]{1,5})(?![0-9年月日時分秒人名円回歳才件台個階枚本冊点%m万億千百十.,:/号番丁〜~\-])",
)
# Not 字: 数字・文字・漢字 end in 字 too (数字４桁 is not a lot number); 大字・字 as tokens are
# checked by name.
_PLACE_SUFFIX = ("都", "道", "府", "県", "市", "郡", "区", "町", "村")
_TOWN_END = ("町", "村")
_VENUE = lazy(
    r"(?:会場|場所|所在地|開催地|集合|アクセス|(?:会場|施設|館|センター|ホール|事務所|店|市役所|公民館)の?\s?住所\s?:?\s?$)|"
    r"(?:館|センター|ホール|公園|会館|体育館|図書館|公民館|市役所|役場|庁舎|学校|病院|駅|神社|寺|広場|プラザ|"
    r"施設|事務所|店|めっせ|スタジアム|アリーナ)\s?[(:]?\s?$"
)
_KANJI_NUMBER = lazy(r"[〇一二三四五六七八九十百千]+")
_KANJI_VALUE = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNIT = {"十": 10, "百": 100, "千": 1000}


def _kanji_to_int(s: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23, 百五 → 105, 一〇〇 → 100."""
    if all(ch in _KANJI_VALUE for ch in s):
        return int("".join(str(_KANJI_VALUE[ch]) for ch in s))
    total, digit = 0, 0
    for ch in s:
        if ch in _KANJI_UNIT:
            total += (digit or 1) * _KANJI_UNIT[ch]
            digit = 0
        else:
            digit = _KANJI_VALUE[ch]
    return total + digit


_PERSONAL_AFTER = lazy(r"\s?(?:に|の)?\s?(?:お住まい|在住|住む|自宅|宅|方)")
_ADDR_JUNK = lazy(r"[\s\u3000]")
_ADDR_SEP = lazy(r"(?:丁目|番地の|番地|番|号|の|[-‐‑‒–—―−ー])")


def _canon_address(text: str) -> str:
    """Comparable form of an address: NFKC, no spaces, kanji numerals as digits, 丁目・番地・号 as '-'."""
    s = _ADDR_JUNK.sub("", unicodedata.normalize("NFKC", text))
    s = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group())), s)
    s = _ADDR_SEP.sub("-", s)
    s = re.sub(r"-+", "-", s).strip("-")
    s = re.sub(r"^.{2,3}?[都道府県](?=.+[市郡区町村])", "", s)
    return s


def _is_official_address(canon: str, official: tuple[str, ...]) -> bool:
    if not canon:
        return False
    for o in official:
        if canon == o or o.endswith(canon) or canon.endswith(o):
            return True
    return False


def _is_place(text: str, t: Token) -> bool:
    pos = t.pos
    return pos[0] == "名詞" and (pos[2] == "地名" or text[t.end - 1] in _PLACE_SUFFIX or text[t.start : t.end] in ("大字", "字"))


# Where a lot number may start: a number followed by 丁目・番・a dash, or a bare number after 町・村・字.
_LOT_START = lazy(
    r"(?=[0-9一二三四五六七八九十〇 ])(?<![0-9一二三四五六七八九十〇])"
    r"[0-9一二三四五六七八九十〇]{1,5}[ ]?(?:丁目|番|[-‐‑‒–—―−ー][ ]?[0-9])"
    r"|(?<=[町村字])[ ]?[0-9]"
)


def _find_addresses(a: Analysis) -> list[_Address]:
    """Cue-driven: a lot number is looked for only right after a place-name token."""
    out: list[_Address] = []
    facts = _facts(a)
    if not facts.cue("lot"):
        return out
    text, toks = a.light, a.tokens
    official: tuple[str, ...] | None = None
    covered = -1
    for c in _LOT_START.finditer(text):
        s = c.start() + (1 if text[c.start()] == " " else 0)
        if s < covered:
            continue
        k = _token_at(a, s)
        i = k - 1 if k >= 0 and toks[k].start == s else k  # the token before the number
        if i < 0 or (toks[i].end != s and text[toks[i].end : s].strip()):
            continue
        t = toks[i]
        pos = t.pos
        if pos[0] != "名詞":
            continue
        person = pos[2] == "人名"
        after_aza = i > 0 and text[toks[i - 1].start : toks[i - 1].end] in ("大字", "字")
        if not (person or after_aza or _is_place(text, t)):
            continue
        m = _LOT.match(text, s)
        if m is None:
            continue
        kind = "chome" if m.group("chome") and not m.group("lot1") else ("bare" if m.group("bare") else "lot")
        if person and not after_aza and kind not in ("chome", "lot"):
            continue  # 今泉 is a place and a surname: before 丁目・番地 it is the place
        if kind == "bare" and not (text[t.end - 1] in _TOWN_END or after_aza or text[t.start : t.end] in ("大字", "字")):
            continue
        first = i
        while first > 0 and _is_place(text, toks[first - 1]):
            first -= 1
        start, end = toks[first].start, m.end()
        covered = end
        pm = _postal_before(text, start)
        if pm is not None:
            start = pm
        level = "area" if kind == "chome" else "lot"
        if official is None:
            official = _official_addresses(_policy(a))
        if _is_official_address(_canon_address(text[toks[first].start : end]), official):
            out.append(_Address(start, end, level, None, "運用ポリシーの公式の住所"))
            continue
        before = _line_before(text, start, 20)
        personal = _personal_before(a, start, before) or _PERSONAL_AFTER.match(text, end)
        if personal:
            out.append(_Address(start, end, level, "error", f"個人を示す語「{personal.group()}」"))
        elif _VENUE.search(before):
            out.append(_Address(start, end, level, "info", "会場・施設の所在地と思われる"))
        elif _ORG.search(before):
            out.append(_Address(start, end, level, "warning", "団体・事業所の所在地と思われる"))
        else:
            out.append(_Address(start, end, level, "error", "番地・号まで特定できる住所"))
    return out


def _postal_before(text: str, start: int) -> int | None:
    window = text[max(0, start - 16) : start]
    m = re.search(r"(?:〒\s?|郵便番号\s?:?\s?)[0-9]{3}\s?[-‐‑‒–—―−ー]?\s?[0-9]{4}\s?$", window)
    return start - len(window) + m.start() if m else None


def street_addresses(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    hits: list[Hit] = []
    for ad in _addresses(a):
        if ad.level != "lot" or ad.severity is None:
            continue
        matched = _shown(a, ad.start, ad.end)
        hits.append(
            Hit(
                "",
                ad.start,
                ad.end,
                a.light[ad.start : ad.end],
                ad.why,
                severity=ad.severity,
                message=(
                    f"住所「{matched}」が含まれています。"
                    + (
                        "会場・施設の所在地なら問題ありません。"
                        if ad.severity == "info"
                        else "団体の所在地なら公開してよいか確認してください。"
                        if ad.severity == "warning"
                        else "個人の住所は投稿できません。"
                    )
                ),
            )
        )
    return hits


def postal_codes(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    facts = _facts(a)
    if not facts.cue("postal"):
        return []
    text = a.light
    hits: list[Hit] = []
    official: tuple[str, ...] | None = None
    for m in _POSTAL.finditer(text):
        s, e = m.span()
        if any(ad.start <= s and e <= ad.end for ad in _addresses(a)):
            continue  # part of an address: the address rule reports (or excuses) it
        if official is None:
            official = _official_addresses(_policy(a))
        code = re.sub(r"\D", "", m.group("code"))
        if code in _official_postal_codes(_policy(a)):
            continue  # the account's own code (市役所 417-8601)
        follow = _canon_address(text[e : e + 40].split("\n", 1)[0])
        if any(code in o.replace("-", "") for o in official) or (
            follow and any(follow.startswith(o[: max(4, len(o) // 2)]) for o in official)
        ):
            continue
        hits.append(
            Hit(
                "",
                s,
                e,
                text[s:e],
                "〒・郵便番号の表示に続く7桁",
                severity="warning",
                message=f"郵便番号「{_shown(a, s, e)}」が含まれています。個人の住所の一部なら削除してください。",
            )
        )
    return hits


# --- person names -------------------------------------------------------------------------------

_HONORIFICS = frozenset({"さん", "様", "さま", "氏", "くん", "君", "ちゃん", "殿", "先生"})
_ROLES = frozenset(
    """市長 副市長 知事 副知事 議長 副議長 議員 市議 県議 市議会議員 県議会議員 国会議員 教育長 大臣 首相 総理
    長官 町長 村長 区長 署長 局長 部長 次長 課長 所長 館長 園長 校長 院長 会長 理事長 社長 委員長 団長 消防長
    代表 代表取締役 市長職務代理者""".split()
)
_AGE_AFTER = lazy(r"\s?\(\s?[0-9]{1,3}\s?(?:歳|才)?\s?\)|\s?[0-9]{1,3}\s?(?:歳|才)(?!\s?(?:以上|以下|未満|から|まで))")
_SKIP_POS = frozenset({"空白", "補助記号"})


def _is_name_token(t: Token) -> bool:
    return len(t.pos) > 2 and t.pos[2] == "人名"


# a family member's name follows (息子の翔太): a private person by definition
_FAMILY = frozenset({"息子", "娘", "長男", "長女", "次男", "次女", "三男", "三女", "孫"})
_BEFORE_NAME = frozenset({"担当", "担当者", "係", "係員"}) | _FAMILY
# a school year in brackets after a name: 翔太（小3）
_GRADE_AFTER = lazy(r"\s?\(\s?[小中高]\s?[0-9]\s?(?:年生?)?\s?\)")
# Cheap string tests that rule a context word out before any token is looked at: 皆様, お客様,
# お子さん, 自宅, 同様, 関係, 校長先生, 様子, 氏名, 係長 …
_NOT_A_NAME: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "さん": (("皆", "みな", "お子", "奥", "父", "母", "兄", "姉", "客", "嬢"), ()),
    "様": (("皆", "客", "同", "模", "仕", "一", "神", "王", "殿", "各位"), ("子", "式", "々", "相")),
    "さま": (("皆", "みな", "客", "お子", "奥"), ()),
    "ちゃん": (("赤", "お子", "坊"), ()),
    "宅": (("自", "住", "帰", "在", "社", "別", "邸", "お"), ("配", "地", "建")),
    "係": (("関", "担当"), ("長", "る", "り", "わ")),
    "係員": (("関",), ()),
    "先生": (("長",), ("方",)),
    "氏": ((), ("名", "神")),
    "君": (("諸", "貴", "主"), ()),
}
_SECTION_CHARS = frozenset("課係室局")
_BETWEEN = frozenset({"の", "・", ":", "：", "は"})


def _find_names(a: Analysis) -> list[_Name]:
    """Cue-driven: only the tokens next to a context word (さん, 様, （35）, 担当の …) are looked at."""
    facts = _facts(a)
    out: list[_Name] = []
    if not facts.cue("name"):
        return out
    toks, text = a.tokens, a.light
    n = len(toks)
    seen: set[int] = set()
    officials: frozenset[str] | None = None
    for m in _NAME_CUE.finditer(text):
        at = m.start()
        excl = _NOT_A_NAME.get(m.group())
        if excl is not None and (text.endswith(excl[0], max(0, at - 2), at) or text.startswith(excl[1], m.end())):
            continue
        cue = m.group()
        forward = cue in _BEFORE_NAME or cue in _AFTER_GRADE
        context = ""
        if cue in _AFTER_GRADE:
            grade = _GRADE_BEFORE.search(text, max(0, at - 12), at)
            if grade is None:
                continue  # 2026年の…
            context = f"学校・学年「{grade.group()}{cue.rstrip('の')}」の後"
        elif cue in _BEFORE_NAME and not _SECTION_CHARS.isdisjoint(text[m.end() : m.end() + 8]):
            continue  # 担当の保険年金課
        k = _token_at(a, at)
        if k < 0 or toks[k].start != m.start():
            continue  # inside a longer word (様子, 関係)
        if forward:
            if cue in _BEFORE_NAME and toks[k].end != m.end():
                continue
            i = k + 1
            while i < n and i - k < 3 and (toks[i].pos[0] in _SKIP_POS or text[toks[i].start : toks[i].end] in _BETWEEN):
                i += 1
        else:
            i = k - 1
            while i >= 0 and toks[i].pos[0] == "空白":
                i -= 1
        if i < 0 or i >= n or (not _is_name_token(toks[i]) and not _surname_as_place(toks, i)):
            continue
        while i > 0 and (
            _is_name_token(toks[i - 1])
            or _surname_as_place(toks, i - 1)
            or (
                toks[i - 1].pos[0] == "空白"
                and i > 1
                and toks[i].pos[3] == "名"
                and (_is_name_token(toks[i - 2]) or toks[i - 2].pos[2] == "地名")
            )
        ):
            i -= 2 if toks[i - 1].pos[0] == "空白" else 1
        if i in seen:
            continue
        seen.add(i)
        if officials is None:
            officials = _official_names(_policy(a))
        name = _name_at(a, i, officials, context)
        if name is not None:
            out.append(name)
    out.sort(key=lambda nm: nm.start)
    return out


def _surname_as_place(toks: Sequence[Token], i: int) -> bool:
    """小長井/地名 + 義正/人名,名 (or 富士 太郎 with a space): a family name Sudachi took for a place."""
    if toks[i].pos[2] != "地名":
        return False
    j = i + 2 if i + 2 < len(toks) and toks[i + 1].pos[0] == "空白" else i + 1
    return j < len(toks) and _is_name_token(toks[j]) and toks[j].pos[3] == "名"


def _name_at(a: Analysis, i: int, officials: frozenset[str], cue_context: str = "") -> _Name | None:
    """The name starting at token i, with why it is one and whether it is an official's."""
    toks, text = a.tokens, a.light
    n = len(toks)
    t = toks[i]
    pos = t.pos
    j = i + 1
    full = _surname_as_place(toks, i) or (pos[3] == "姓" and j < n and _is_name_token(toks[j]) and toks[j].pos[3] == "名")
    while j < n and _is_name_token(toks[j]) and j - i < 3:
        j += 1
    if j < n and toks[j].pos[0] == "空白" and j + 1 < n and _is_name_token(toks[j + 1]) and toks[j + 1].pos[3] == "名":
        j += 2  # 山田 太郎, 富士 太郎
        full = True
        while j < n and _is_name_token(toks[j]) and j - i < 4:
            j += 1
    s, e = t.start, toks[j - 1].end
    context = ""
    k = j
    while k < n and toks[k].pos[0] == "空白":
        k += 1
    nxt = text[toks[k].start : toks[k].end] if k < n else ""
    if nxt in _HONORIFICS:
        context = f"敬称「{nxt}」"
    elif nxt in ("宅", "家"):
        context = f"「{nxt}」"
    age = _AGE_AFTER.match(text, toks[k].end if context else e)
    if age and not context:
        context = "年齢"
    if not context and _GRADE_AFTER.match(text, e):
        context = "学年"
    role_after = nxt in _ROLES
    b = i - 1
    while b >= 0 and i - b < 3 and (toks[b].pos[0] in _SKIP_POS or text[toks[b].start : toks[b].end] in _BETWEEN):
        b -= 1
    prev = text[toks[b].start : toks[b].end] if b >= 0 else ""
    role_before = prev in _ROLES
    if not context and prev in _BEFORE_NAME:
        context = f"「{prev}」の後"
    if not context and cue_context:
        context = cue_context
    if not context and full:
        context = "姓と名"
    if not (context or role_after or role_before):
        return None
    name = text[s:e]
    official = role_after or role_before or _squeeze(name) in officials
    return _Name(s, e, name, context or "役職", official, full)


_IDENTIFYING = lazy(
    r"(?P<age>\(\s?[0-9]{1,3}\s?(?:歳|才)?\s?\)|[0-9]{1,3}\s?(?:歳|才)(?!\s?(?:以上|以下|未満|から|まで)))"
    r"|(?P<school>(?:小学校?|中学校?|高等学校|高校|大学|幼稚園|保育園|保育所|こども園|学園)(?:\s?[0-9]\s?年|の|に通う|に在学|在学|在籍)"
    r"|(?:小|中)\s?[0-9]\s?年|\(\s?(?:小|中|高)\s?[0-9]\s?(?:年生?)?\s?\))"
    r"|(?P<address>[0-9一二三四五六七八九十]\s?丁目|番地|在住|にお住まい|に住む|宅)"
    r"|(?P<work>株式会社|\(株\)|有限会社|に勤め|勤務|の社員|の従業員|会社員|に勤務)"
    r"|(?P<contact>@|0[0-9]{1,4}\s?-\s?[0-9]{1,4}\s?-\s?[0-9]{3,4})",
)
_IDENT_LABEL = {"age": "年齢", "school": "学校", "address": "住所", "work": "勤務先", "contact": "連絡先"}


# A name right after a role label (講師：山田太郎さん) is announced in the notice itself.
_ANNOUNCED = lazy(
    r"(?:講師|登壇者|出演者?|ゲスト|司会者?|演者|講演者?|パネリスト|コーディネーター|指揮|演奏)\s?[:：]\s?$"
)


def person_names(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    names = _names(a)
    if not names:
        return []
    text = a.light
    hits: list[Hit] = []
    for nm in names:
        if nm.official:
            continue  # officials acting in office (or listed in the policy) are not personal information
        lo, hi = _sentence(text, nm.start, nm.end)
        shown = _shown(a, nm.start, nm.end)
        found = [
            (_IDENT_LABEL[str(m.lastgroup)], m.group())
            for m in _IDENTIFYING.finditer(text, lo, hi)
            if not (nm.start <= m.start() < nm.end)
        ]
        announced = _ANNOUNCED.search(_line_before(text, nm.start, 16)) is not None
        if announced and all(k == "勤務先" for k, _ in found):
            severity, detail = "info", f"人名（{nm.context}）、講師・出演者などとして告知"
            message = f"講師・出演者などとして「{shown}」の名前が告知されています。本人の了承を確認してください。"
        elif found:
            kinds = "・".join(dict.fromkeys(k for k, _ in found))
            severity, detail = "error", f"人名（{nm.context}）と同じ文に{kinds}（「{found[0][1]}」）"
            message = f"個人名「{shown}」が{kinds}とともに書かれています。個人を特定できる情報は投稿できません。"
        else:
            severity, detail = "warning", f"人名（{nm.context}）"
            message = f"個人名「{shown}」が含まれています。本人の同意と公開の必要性を確認してください。"
        hits.append(Hit("", nm.start, nm.end, nm.text, detail, severity=severity, message=message))
    return hits


# --- My Number ------------------------------------------------------------------------------

_TWELVE = lazy(r"(?=[0-9])(?<![0-9])(?<![0-9][ \-])(?P<a>[0-9]{4})(?P<sep>[ \-]?)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9]|[ \-][0-9])")
_MY_NUMBER_CONTEXT = lazy(r"マイナンバー|個人番号|マイナ番号|通知カード")


def my_numbers(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    if not _facts(a).cue("num12"):
        return []
    text = a.light
    hits: list[Hit] = []
    for m in _TWELVE.finditer(text):
        s, e = m.span()
        if not _valid_my_number(m.group()):
            continue
        if m.group("sep"):
            why = "4桁-4桁-4桁の形、検査用数字が正しい"
        else:
            window = text[max(0, s - 20) : e + 10]
            ctx = _MY_NUMBER_CONTEXT.search(window)
            if ctx is None:
                continue  # about 1 in 10 random 12-digit strings pass the check digit
            why = f"検査用数字が正しく、近くに「{ctx.group()}」"
        hits.append(
            Hit(
                "",
                s,
                e,
                text[s:e],
                why,
                severity="error",
                secret=True,
                message="個人番号（マイナンバー）と思われる12桁の番号が含まれています。",
            )
        )
    return hits


# --- card, bank account, corporate number, birth date, licence plate -------------------------

_CARD = lazy(
    r"(?=[3-6])(?<![0-9])(?:[3-6][0-9]{3}(?:[ \-][0-9]{4}){3}|3[47][0-9]{2}[ \-][0-9]{6}[ \-][0-9]{5}|[3-6][0-9]{13,18})"
    r"(?![0-9]|[ \-][0-9])"
)


def card_numbers(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """14–19 digits from a card network's range (3–6), grouped 4-4-4-4 / 4-6-5 or together, Luhn-valid."""
    if not _facts(a).cue("num12"):
        return []
    text = a.light
    return [
        Hit("", m.start(), m.end(), m.group(), "カード会社の番号帯・桁数、Luhn の検査用数字が正しい", secret=True)
        for m in _CARD.finditer(text)
        if _luhn(m.group())
    ]


_BANK = lazy(
    r"(?:口座番号|口座|普通預金|当座預金|貯蓄預金|普通|当座)\s?(?:番号)?\s?(?::|は|=)?\s?(?:No\.?\s?)?(?P<v>[0-9]{7})(?![0-9])"
    r"|(?:記号|ゆうちょ(?:銀行)?)\s?:?\s?(?P<y>1[0-9]{4}\s?-?\s?(?:番号\s?:?\s?)?[0-9]{6,8})(?![0-9])"
)
# A public body's account for donations (名義 富士市, 日本赤十字社, 共同募金会 …) may be posted.
_PUBLIC_HOLDER = lazy(
    r"(?:名義|受取人|加入者名)\s?人?\s?:?\s?[^\n]{0,16}?(?:市|町|村|県|会計管理者|共同募金会|赤十字|社会福祉協議会)"
)
_DONATION = lazy(r"義援金|寄附金|寄付金|ふるさと納税")


def bank_accounts(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """7 digits after 口座番号・普通・当座, or ゆうちょ's 記号 + 番号, unless a public body's account."""
    if not _facts(a).cue("bank"):
        return []
    text = a.light
    hits: list[Hit] = []
    for m in _BANK.finditer(text):
        group = "v" if m.group("v") is not None else "y"
        s, e = m.span(group)
        line_end = text.find("\n", e)
        after = text[e : min(e + 60, line_end if line_end != -1 else len(text))]
        if _PUBLIC_HOLDER.search(after) or _DONATION.search(_line_before(text, m.start(), 60)):
            continue
        hits.append(Hit("", s, e, text[s:e], f"「{text[m.start() : s].strip()}」に続く口座番号の桁数"))
    return hits


_CORPORATE = lazy(r"(?=[0-9T])(?<![0-9A-Za-z])T?\s?(?P<v>[0-9]{13})(?![0-9])")
_CORPORATE_CONTEXT = lazy(r"法人番号|登録番号|インボイス|適格請求書")


def corporate_numbers(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """13 digits with a valid check digit next to 法人番号・登録番号 (public: info)."""
    if not _facts(a).cue("num12"):
        return []
    text = a.light
    if _CORPORATE_CONTEXT.search(text) is None:
        return []
    hits: list[Hit] = []
    for m in _CORPORATE.finditer(text):
        s, e = m.span("v")
        if not _valid_corporate_number(m.group("v")):
            continue
        ctx = _CORPORATE_CONTEXT.search(text, max(0, s - 25), e + 25)
        if ctx is None:
            continue  # 1 in 9 random 13-digit strings passes the check digit
        hits.append(Hit("", s, e, text[s:e], f"検査用数字が正しく、近くに「{ctx.group()}」"))
    return hits


_DATE_Y = r"(?:[0-9]{4}|(?:昭和|平成|令和|[SHR])\s?(?:[0-9]{1,2}|元))\s?[年./\-]\s?[0-9]{1,2}\s?[月./\-]\s?[0-9]{1,2}\s?日?"
_BIRTH = lazy(
    rf"(?:生年月日|誕生日|生まれ)\s?(?::|は|=)?\s?(?P<a>{_DATE_Y})"
    rf"|(?P<b>{_DATE_Y})\s?(?:に)?生(?:まれ)?(?![\u4e00-\u9fff々])(?:た|の)?"
    r"(?!\s?(?:の)?\s?(?:方|人|子|お子|児童|生徒|乳|幼|皆|男|女|者|市民|世代|以降|以前|まで|から|~|〜|-))"
)
_RANGE_BEFORE = ("から", "~", "〜", "-", "・", "、", "及び", "および", "または")


def birth_dates(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """A date with its year given as someone's birth date; eligibility ranges are not."""
    if not _facts(a).cue("birth"):
        return []
    text = a.light
    hits: list[Hit] = []
    for m in _BIRTH.finditer(text):
        group = "a" if m.group("a") is not None else "b"
        s, e = m.span(group)
        if group == "b" and text[max(0, s - 4) : s].rstrip().endswith(_RANGE_BEFORE):
            continue  # the second date of a range: 平成30年4月2日～平成31年4月1日生まれの方
        value = text[s:e].rstrip()
        hits.append(Hit("", s, s + len(value), value, "年を含む日付が生年月日として書かれている"))
    return hits


_PLATE = lazy(
    r"(?<![\u4e00-\u9fff々])[\u4e00-\u9fff々]{1,4}\s?[0-9]{1,3}\s?"
    r"[あいうえかきくけこさすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるろれわを]\s?"
    r"(?:[0-9]{1,2}\s?-\s?[0-9]{2}|[0-9]{4}|[・.]{1,3}\s?[0-9]{1,3})(?![0-9])"
)


def licence_plates(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Region, class number, one hiragana, serial: 富士 500 さ 12-34, 品川530す・・12."""
    if not _facts(a).cue("plate"):
        return []
    return [Hit("", m.start(), m.end(), m.group(), "地名・分類番号・ひらがな・一連番号の並び") for m in _PLATE.finditer(a.light)]


# --- sensitive personal information (要配慮個人情報) ----------------------------------------

_SENSITIVE_WORDS: dict[str, tuple[str, ...]] = {
    "illness": (
        "病気",
        "入院",
        "通院",
        "療養",
        "闘病",
        "持病",
        "病名",
        "病歴",
        "がん",
        "癌",
        "白血病",
        "認知症",
        "うつ病",
        "鬱病",
        "精神疾患",
        "統合失調症",
        "依存症",
        "感染",
        "陽性",
        "発症",
        "診断され",
        "手術",
        "病休",
        "休職",
        "体調不良",
    ),
    "disability": ("障害", "障がい", "障碍", "車いす", "車椅子"),
    "crime": ("逮捕", "前科", "容疑", "書類送検", "起訴", "有罪", "服役", "刑務所", "犯罪歴", "補導", "懲戒"),
    "victim": (
        "被害",
        "被災",
        "焼死",
        "火災",
        "火事",
        "亡くなり",
        "亡くなっ",
        "亡くなる",
        "亡くなられ",
        "死亡",
        "重傷",
        "軽傷",
        "負傷",
        "けが",
        "怪我",
        "虐待",
        "DV",
        "ストーカー",
        "いじめ",
    ),
    "origin": ("人種", "民族", "国籍", "帰化", "本籍", "部落", "同和"),
    "creed": ("宗教", "信仰", "信者", "信徒", "入信", "宗派", "支持政党", "政治信条"),
    "status": ("生活保護", "ひとり親", "母子家庭", "父子家庭", "ホームレス"),
}
_SENSITIVE_KIND = {w: kind for kind, words in _SENSITIVE_WORDS.items() for w in words}
# A plain alternation of literals (no groups): `re` then skips ahead on the set of first characters.
_SENSITIVE = lazy("|".join(sorted(map(re.escape, _SENSITIVE_KIND), key=lambda w: (-len(w), w))))
# A sensitive word inside a service or campaign name is about everyone, not about someone.
_GENERIC_TAIL = lazy(
    r"(?:者|児|症)?(?:支援|福祉|施策|相談|窓口|対策|予防|検診|教室|講座|セミナー|週間|月間|サロン|カフェ|手当|"
    r"基金|制度|センター|計画|条例|法|防止|啓発|ワクチン|保険|世帯の方|受給世帯|のある方|のある人|をお持ちの|"
    r"の方|の人|者の方|者等|者向け|者への|などの|等の)"
)
_SENSITIVE_LABEL = {
    "illness": "病歴・心身の状態",
    "disability": "障害",
    "crime": "犯罪の経歴",
    "victim": "被害を受けた事実",
    "origin": "人種・門地",
    "creed": "信条",
    "status": "社会的身分",
}
# A member of staff or another identifiable person referred to by context.
_STAFF = lazy(r"職員|社員|担当者|係長|主任|教員|教諭|保育士|同僚|当課の|当係の|うちの課")
_STAFF_EVENT = lazy(
    r"病気(?:で|のため|により)|入院|療養|休職|病休|病気休暇|感染(?:し|して|した|が(?:確認|判明))|陽性|体調不良|"
    r"逮捕|懲戒|書類送検|容疑|亡くな"
)
_AGE = lazy(
    r"(?<![0-9])[0-9]{1,3}\s?(?:歳|才)(?!\s?(?:以上|以下|未満|から|まで|~|〜|-|以降|前後|頃|ごろ|くらい|程度|の方|の人|の皆|児))"
    r"|(?:男性|女性|男児|女児|男子|女子|児童|生徒|園児|住人|住民|方|さん|様|氏|人)\s?\(\s?[0-9]{1,3}\s?\)"
    r"|[0-9]0\s?(?:代|歳代)(?:の)?(?:男性|女性|男|女)",
)
# Street level: a district of a town (丁目) or a lot; "市内在住" or "自宅" identify nobody.
_PLACE = lazy(r"[0-9一二三四五六七八九十]\s?丁目|番地")
_GRADE = lazy(r"(?:小学校|中学校|高校|高等学校|小|中)\s?[0-9]\s?年")


def sensitive_personal_info(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    text = a.light
    first = _SENSITIVE.search(text)
    if first is None:
        return []
    hits: list[Hit] = []
    done: set[int] = set()
    for m in _SENSITIVE.finditer(text, first.start()):
        s, e = m.span()
        if _GENERIC_TAIL.match(text, e) or not _sensitive_word_ok(text, m.group(), s, e):
            continue
        lo, hi = _sentence(text, s, e)
        if lo in done:
            continue
        who = _identified(a, text, lo, hi, m)
        if who is None:
            continue
        done.add(lo)
        label = _SENSITIVE_LABEL[_SENSITIVE_KIND[m.group()]]
        hits.append(
            Hit(
                "",
                s,
                e,
                text[s:e],
                f"{who}と同じ文に{label}（「{m.group()}」）",
                severity="error",
                message=f"特定の個人の{label}（要配慮個人情報）と思われる「{_shown(a, s, e)}」が含まれています。",
            )
        )
    return hits


def _sensitive_word_ok(text: str, word: str, s: int, e: int) -> bool:
    """Kana words need their neighbours: がん is not がんばる, けが is not わけが, 感染 is an event."""
    if word in ("がん", "けが") and s and "ぁ" <= text[s - 1] <= "ゖ":
        return False
    if word == "がん" and e < len(text) and text[e] in "ばこもぐじらりめ":
        return False
    if word == "感染":
        return text.startswith(("し", "が確認", "が判明"), e)
    return True


def _identified(a: Analysis, text: str, lo: int, hi: int, m: re.Match[str]) -> str | None:
    """How the person the sentence speaks of can be identified, or None."""
    for nm in _names(a):
        if lo <= nm.start < hi:
            return f"人名「{nm.text}」"
    if _SENSITIVE_KIND[m.group()] in ("illness", "crime", "victim") and _STAFF_EVENT.match(text, m.start()):
        st = _STAFF.search(text, lo, hi)
        if st:
            return f"職員を示す語「{st.group()}」"
    clues = []
    age = _AGE.search(text, lo, hi)
    if age:
        clues.append(f"年齢「{age.group()}」")
    place = _PLACE.search(text, lo, hi)
    if place is None:
        for ad in _addresses(a):
            if lo <= ad.start < hi:
                clues.append(f"住所「{text[ad.start : ad.end]}」")
                break
    else:
        clues.append(f"場所「{place.group()}」")
    grade = _GRADE.search(text, lo, hi)
    if grade:
        clues.append(f"学校・学年「{grade.group()}」")
    if len(clues) >= 2:
        return "・".join(clues)
    return None


RULES: dict[str, Callable[[Analysis, dict[str, Any]], list[Hit]]] = {
    "phone_numbers": phone_numbers,
    "email_addresses": email_addresses,
    "postal_codes": postal_codes,
    "street_addresses": street_addresses,
    "person_names": person_names,
    "my_numbers": my_numbers,
    "card_numbers": card_numbers,
    "bank_accounts": bank_accounts,
    "corporate_numbers": corporate_numbers,
    "birth_dates": birth_dates,
    "licence_plates": licence_plates,
    "sensitive_personal_info": sensitive_personal_info,
}
