"""The facts of one sentence: its key content words and its values (dates, times, amounts …).

A draft sentence is *supported* by a published passage when both state the same facts (issue 7,
G-POST-2a). Pages and drafts write the same value differently (８時３０分 / 8:30, 午後5時 / 17時,
令和7年11月3日 / 11月3日, 1,000円 / 千円), so every value is reduced to a canonical form:

| kind | canonical | examples |
|---|---|---|
| date | `M-D`; `Y-M-D` with a year; `Y年`/`Y年度` alone | 11月3日, 11/3 → `11-3`; 令和7年11月3日 → `2025-11-3` |
| weekday | 月 … 日 | 月曜日, 月曜, (月), （月・祝） → `月` |
| time | `HH:MM` (24-hour) | 午後5時 → `17:00`; 8時半 → `08:30`; 正午 → `12:00` |
| amount | integer + 円 | 1,000円, 千円 → `1000円`; 無料 → `0円` |
| number | integer + its counter | 14日以内, 2週間以内 → `14日`; 第45回 → `45回`; 3万人 → `30000人`; 0545-55-2700 → `0545552700` |
| place, name | the token's surface | Sudachi's 固有名詞・地名 / 人名 |
| url | host and path, no scheme, no trailing slash, no fragment | |

Values are found left to right by kind (url, phone, date, time, amount, weekday, number), each
claiming its characters, so the digits of a date, time, amount or phone number are never
counted again as a plain number. Tokens inside a value are not key words.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..eras import BY_NAME
from ..model import Token
from ..normalize import light_view
from ..tokenize import tokenize

VALUE_KINDS: tuple[str, ...] = ("date", "weekday", "time", "number", "amount", "place", "name", "url")

WORDS_FILE = Path(__file__).with_name("words.toml")
_SPELLED_VALUE = re.compile(r"\d+(?:か月|日)")  # canonical numbers only (週間 become 日)


@dataclass(frozen=True, slots=True)
class WordTable:
    """scope/words.toml: which words carry no fact, which are the same word, which are opposites."""

    stop: frozenset[str]  # normalized forms (and surfaces) that carry no fact
    same: dict[str, str]  # variant normalized form → the word both sides use (コンビニ → コンビニエンスストア)
    negated: dict[str, str]  # surface of a verb followed by a negation → word (いりません → 不要)
    adjectival: frozenset[str]  # 形状詞 that are key words (必要, 不要)
    opposite: dict[str, str]  # word → the word stating the opposite fact (必要 ↔ 不要)
    spelled: dict[str, str]  # a number written in words → its canonical value (ひと月 → 1か月)
    digest: str  # sha256 of the file: an index built with another table is refused


def _words_list(entry: dict[str, Any], key: str, where: str) -> list[str]:
    raw = entry.get(key)
    items = raw.split() if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items or not all(isinstance(w, str) and w.strip() for w in items):
        raise ValueError(f"{where}.{key}: 語の一覧（空でない文字列）が必要です")
    return items


def load_words(path: Path = WORDS_FILE) -> WordTable:
    """Read and check the word table; ValueError naming the file and the key on a wrong entry."""
    raw = path.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    stop: set[str] = set()
    same: dict[str, str] = {}
    negated: dict[str, str] = {}
    adjectival: set[str] = set()
    opposite: dict[str, str] = {}
    spelled: dict[str, str] = {}
    known = {"stop", "same", "negated", "adjectival", "opposite", "spelled"}
    for table in data:
        if table not in known:
            raise ValueError(f"{path.name}: {table}: 知らない表です（{', '.join(sorted(known))}）")
    for table in known:
        for n, entry in enumerate(data.get(table, [])):
            where = f"{path.name}: {table}[{n}]"
            allowed = {"reason", "source"} | {
                "stop": {"words"},
                "adjectival": {"words"},
                "opposite": {"words"},
                "same": {"word", "variants"},
                "negated": {"word", "surfaces"},
                "spelled": {"texts", "value"},
            }[table]
            extra = set(entry) - allowed
            if extra:
                raise ValueError(f"{where}: 知らないキー {sorted(extra)}")
            for key in ("reason", "source"):
                if not (isinstance(entry.get(key), str) and entry[key].strip()):
                    raise ValueError(f"{where}.{key}: 空にできません")
            if table in ("stop", "adjectival"):
                words = _words_list(entry, "words", where)
                target = stop if table == "stop" else adjectival
                dup = target & set(words) or len(set(words)) != len(words)
                if dup:
                    raise ValueError(f"{where}.words: 重複しています")
                target.update(words)
            elif table == "opposite":
                words = _words_list(entry, "words", where)
                if len(words) != 2 or words[0] == words[1] or set(words) & set(opposite):
                    raise ValueError(f"{where}.words: 異なる 2 語（ほかの組にない語）が必要です")
                opposite[words[0]], opposite[words[1]] = words[1], words[0]
            elif table == "spelled":
                value = entry.get("value")
                if not (isinstance(value, str) and _SPELLED_VALUE.fullmatch(value)):
                    raise ValueError(f"{where}.value: 数と助数詞（1か月、7日）が必要です")
                for text in _words_list(entry, "texts", where):
                    if text in spelled:
                        raise ValueError(f"{where}: {text} が重複しています")
                    spelled[text] = value
            else:
                word = entry.get("word")
                if not (isinstance(word, str) and word.strip()):
                    raise ValueError(f"{where}.word: 空にできません")
                mapping = same if table == "same" else negated
                for v in _words_list(entry, "variants" if table == "same" else "surfaces", where):
                    if v in mapping or v == word:
                        raise ValueError(f"{where}: {v} が重複しています")
                    mapping[v] = word
    for word in [*same.values(), *negated.values(), *same]:
        if word in stop:
            raise ValueError(f"{path.name}: {word} は stop にもあります")
    if set(same) & set(same.values()):
        raise ValueError(f"{path.name}: same: 言い換え先がほかの言い換え元です")
    for a, b in opposite.items():  # two opposites must never become the same word
        if same.get(a, a) == same.get(b, b):
            raise ValueError(f"{path.name}: opposite: {a} と {b} が same で同じ語になります")
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return WordTable(frozenset(stop), same, negated, frozenset(adjectival), opposite, spelled, digest)


WORDS: WordTable = load_words()
STOP_WORDS: frozenset[str] = WORDS.stop
_SPELLED = re.compile("|".join(map(re.escape, sorted(WORDS.spelled, key=len, reverse=True)))) if WORDS.spelled else None
_CONTENT_POS = ("名詞", "動詞", "形容詞")
_EXCLUDED_NOUN = ("数詞", "代名詞", "固有名詞")
_NEGATION = frozenset(("ず", "ない", "ぬ"))  # normalized forms of the negative auxiliaries

# Length-preserving folding of what NFKC would fold anyway (callers usually pass the light view).
_FOLD = str.maketrans("０１２３４５６７８９：，．／～〜－−‐―（）", "0123456789:,./~~----()")
_SP = r"[ \t\u3000]*"
_DASH = r"[~\-–—ー]"

_URL = re.compile(r"https?://[^\s<>\"'「」『』（）()、。，]+", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\d-])(?:0\d{1,4}-\d{1,4}-\d{3,4}|\(0\d{1,4}\)\d{1,4}-\d{3,4}|0120-\d{2,3}-\d{3})(?![\d-])")
_DATE = re.compile(
    rf"""(?:(?P<era>令和|平成|昭和){_SP}(?P<ey>元|\d{{1,2}}){_SP}年{_SP}|(?P<wy>(?<!\d)(?:19|20)\d{{2}}){_SP}年{_SP})?
    (?<!\d)(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}日(?![間目])
  | (?<![\d/.])(?:(?P<sy>(?:19|20)\d{{2}})[/.-])?(?P<sm>\d{{1,2}})/(?P<sd>\d{{1,2}})(?![\d/])
  | (?:(?P<era2>令和|平成|昭和){_SP}(?P<ey2>元|\d{{1,2}})|(?<!\d)(?P<wy2>(?:19|20)\d{{2}})){_SP}年(?P<fy>度)?
    """,
    re.VERBOSE,
)
# A day continuing a date: 11月3日(土)〜5日(月), 3日・4日, 3日から5日まで
_NEXT_DAY = re.compile(
    rf"{_SP}(?:\(?[月火水木金土日祝・曜]*\)?)?{_SP}(?:{_DASH}|から|・|、|と){_SP}"
    rf"(?:(?P<m>\d{{1,2}}){_SP}月{_SP})?(?P<d>\d{{1,2}}){_SP}日(?![間目])"
)
_TIME = re.compile(
    rf"""(?P<ampm>午前|午後)?{_SP}(?:(?P<h>(?<![\d.])\d{{1,2}}){_SP}時(?!間)(?:{_SP}(?P<mi>\d{{1,2}}){_SP}分(?!間)|(?P<half>半))?
    |(?P<h2>(?<![\d:.])\d{{1,2}}):(?P<mi2>\d{{2}})(?![\d:]))
    |(?P<noon>正午)""",
    re.VERBOSE,
)
_AMOUNT = re.compile(
    r"(?P<n>(?<![\d.,])\d[\d,]*(?:\.\d+)?)(?P<mul>万|千)?円|(?P<kan>[一二三四五六七八九十百千万]+)円|(?P<free>無料)"
)
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_WEEKDAY = re.compile(r"(?P<w>[月火水木金土日])曜(?:日)?|\((?P<wb>[月火水木金土日])(?:[・,、]?(?:祝|休|祝日|振休))?\)")
_COUNTERS = (
    "か月 ヶ月 ケ月 カ月 ヵ月 箇月 週間 時間 分間 日間 年間 箇所 か所 カ所 ヶ所 メートル キロ km kg m % "
    "人 名 回 日 通 件 枚 歳 個 台 年 分 部 階 号 条 項 番 校 園 区 便 袋 本 点 席 組 冊 社 店 万人"
).split()
_MONTHS = {"ヶ月": "か月", "ケ月": "か月", "カ月": "か月", "ヵ月": "か月", "箇月": "か月"}
_MONTHS |= {"か所": "箇所", "カ所": "箇所", "ヶ所": "箇所"}
_NUMBER = re.compile(
    r"(?:第)?(?P<n>(?<![\d.,])\d[\d,]*(?:\.\d+)?)(?P<mul>万|千|億)?(?P<unit>"
    + "|".join(re.escape(c) for c in sorted(_COUNTERS, key=len, reverse=True))
    + r")?"
)
_MULT = {"万": 10_000, "千": 1_000, "億": 100_000_000, None: 1, "": 1}
WEEKDAY_NAMES = "月火水木金土日"


@dataclass(frozen=True, slots=True)
class Facts:
    """Key content words and canonical values of one sentence (see the module docstring)."""

    words: frozenset[str]
    values: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        return not self.words and not self.values


def _int(text: str, mul: str | None = None) -> str:
    digits = text.replace(",", "")
    value = float(digits) * _MULT[mul] if "." in digits else int(digits) * _MULT[mul]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def kanji_number(text: str) -> int:
    """一万五千 → 15000, 千 → 1000, 三百 → 300 (amounts written in kanji)."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            digit = digit * 10 + _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            section += (digit or 1) * _KANJI_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit or 1) * 10_000
            section = digit = 0
    return total + section + digit


def _year(era: str | None, ey: str | None, wy: str | None) -> int | None:
    if era and ey:
        return BY_NAME[era].offset + (1 if ey == "元" else int(ey))
    return int(wy) if wy else None


def canonical_url(url: str) -> str:
    """`https://WWW.City.jp/a/b/?q#x` → `www.city.jp/a/b?q`: what two links to one page share."""
    url = url.rstrip(".,;:!?)）」』")
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.lower()
    path = parts.path.rstrip("/")
    if path.endswith(("/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0]
    return (parts.netloc.lower() + path + (f"?{parts.query}" if parts.query else "")).rstrip("/")


class _Claims:
    """Character spans already taken by a value (so a date's digits are not a number too)."""

    def __init__(self, n: int) -> None:
        self.taken = bytearray(n)

    def free(self, s: int, e: int) -> bool:
        return not any(self.taken[s:e])

    def take(self, s: int, e: int) -> None:
        self.taken[s:e] = b"\x01" * (e - s)


def _values(text: str) -> tuple[list[tuple[int, str, str]], _Claims]:
    """(position, kind, canonical) of every value of `text`, and which characters they cover."""
    t = text.translate(_FOLD)
    claims = _Claims(len(t))
    found: list[tuple[int, str, str]] = []

    def add(s: int, e: int, kind: str, value: str) -> None:
        claims.take(s, e)
        found.append((s, kind, value))

    for m in _URL.finditer(t):
        add(m.start(), m.end(), "url", canonical_url(m.group()))
    for m in _PHONE.finditer(t):
        if claims.free(m.start(), m.end()):
            add(m.start(), m.end(), "number", re.sub(r"\D", "", m.group()))
    for m in _DATE.finditer(t):
        if not claims.free(m.start(), m.end()):
            continue
        if m.group("m"):
            year = _year(m.group("era"), m.group("ey"), m.group("wy"))
            month, day = int(m.group("m")), int(m.group("d"))
        elif m.group("sm"):
            year = int(m.group("sy")) if m.group("sy") else None
            month, day = int(m.group("sm")), int(m.group("sd"))
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
        else:
            y = _year(m.group("era2"), m.group("ey2"), m.group("wy2"))
            add(m.start(), m.end(), "date", f"{y}年" + ("度" if m.group("fy") else ""))
            continue
        add(m.start(), m.end(), "date", f"{year}-{month}-{day}" if year else f"{month}-{day}")
        end = m.end()
        while (nxt := _NEXT_DAY.match(t, end)) is not None:  # 3日〜5日, 3日・4日
            month = int(nxt.group("m")) if nxt.group("m") else month
            s = nxt.start("m") if nxt.group("m") else nxt.start("d")
            add(s, nxt.end(), "date", f"{year}-{month}-{nxt.group('d')}" if year else f"{month}-{int(nxt.group('d'))}")
            end = nxt.end()
    for m in _TIME.finditer(t):
        if not m.group() or not claims.free(m.start(), m.end()):
            continue
        if m.group("noon"):
            h, mi = 12, 0
        else:
            h = int(m.group("h") or m.group("h2"))
            mi = 30 if m.group("half") else int(m.group("mi") or m.group("mi2") or 0)
            if m.group("ampm") == "午後" and h < 12:
                h += 12
            elif m.group("ampm") == "午前" and h == 12:
                h = 0
        if h > 24 or mi > 59:
            continue
        add(m.start(), m.end(), "time", f"{h:02d}:{mi:02d}")
    for m in _AMOUNT.finditer(t):
        if claims.free(m.start(), m.end()):
            if m.group("free"):
                value = "0"
            elif m.group("kan"):
                value = str(kanji_number(m.group("kan")))
            else:
                value = _int(m.group("n"), m.group("mul"))
            add(m.start(), m.end(), "amount", value + "円")
    for m in _WEEKDAY.finditer(t):
        if claims.free(m.start(), m.end()):
            add(m.start(), m.end(), "weekday", m.group("w") or m.group("wb"))
    if _SPELLED is not None:
        for m in _SPELLED.finditer(t):  # ひと月 = 1か月 (scope/words.toml)
            if claims.free(m.start(), m.end()):
                add(m.start(), m.end(), "number", WORDS.spelled[m.group()])
    for m in _NUMBER.finditer(t):
        if not claims.free(m.start("n"), m.end("n")):
            continue
        unit = m.group("unit") or ""
        number = _int(m.group("n"), m.group("mul"))
        if unit in ("週間", "日間") and number.isdigit():  # 2週間以内 is 14日以内
            number, unit = str(int(number) * (7 if unit == "週間" else 1)), "日"
        add(m.start(), m.end(), "number", number + _MONTHS.get(unit, unit))
    return found, claims


def facts_of(text: str, tokens: Sequence[Token], *, offset: int | None = None) -> Facts:
    """The facts of `text` from its tokens (never tokenizes again).

    `tokens` are Sudachi tokens of `text`; when they index a larger text (a sentence slice of a
    draft's light view), `offset` is where `text` starts in it — by default it is inferred from
    the first token.
    """
    found, claims = _values(text)
    if offset is None:
        offset = 0
        if tokens:
            first = tokens[0]
            if not (first.start < len(text) and text.startswith(first.surface, first.start)):
                at = text.find(first.surface)
                offset = first.start - at if at >= 0 else first.start
    words: set[str] = set()
    table = WORDS
    for i, tok in enumerate(tokens):
        s, e = tok.start - offset, tok.end - offset
        if s < 0 or e > len(text):
            continue
        pos = tok.pos
        if pos[0] not in _CONTENT_POS:
            if pos[0] == "形状詞" and tok.normalized in table.adjectival and claims.free(s, e):
                words.add(tok.normalized)  # 必要, 不要
            continue
        if pos[0] == "名詞" and pos[1] == "固有名詞" and claims.free(s, e):
            kind = "name" if pos[2] == "人名" else "place" if pos[2] == "地名" else ""
            if kind:
                found.append((s, kind, tok.surface))
                continue
        if (pos[0] == "名詞" and pos[1] in _EXCLUDED_NOUN and pos[2] not in ("一般", "組織")) or pos[1] == "数詞":
            continue
        if pos[1] == "代名詞" or not claims.free(s, e):
            continue
        if pos[0] == "動詞" and tok.surface in table.negated and _negated(tokens, i):
            words.add(table.negated[tok.surface])  # いりません → 不要
            continue
        word = tok.normalized
        if word in table.stop or tok.surface in table.stop or not word.strip():
            continue
        words.add(table.same.get(word, word))
    found.sort()
    values = tuple(dict.fromkeys((kind, value) for _, kind, value in found))
    return Facts(frozenset(words), values)


def _negated(tokens: Sequence[Token], i: int) -> bool:
    """The verb tokens[i] is negated: いら|ない, いり|ませ|ん."""
    rest = [t.normalized for t in tokens[i + 1 : i + 3]]
    if rest and rest[0] == "ます":
        rest = rest[1:]
    return bool(rest) and rest[0] in _NEGATION


def facts_of_text(text: str) -> Facts:
    """The facts of raw text (light-normalized, then tokenized once): for index building."""
    light = light_view(text).text
    return facts_of(light, tokenize(light), offset=0)


def same_value(kind: str, a: str, b: str) -> bool:
    """Whether two canonical values of `kind` state the same fact (a date without a year
    matches the same month and day of any year)."""
    if a == b:
        return True
    if kind == "date" and "-" in a and "-" in b:
        pa, pb = a.split("-"), b.split("-")
        if pa[-2:] != pb[-2:]:
            return False
        return len(pa) == 2 or len(pb) == 2
    return False


def show_value(kind: str, value: str) -> str:
    """A canonical value written for staff: `11-3` → 11月3日, `火` → 火曜日, `08:30` → 8時30分."""
    if kind == "date" and "-" in value:
        parts = value.split("-")
        head = f"{parts[0]}年" if len(parts) == 3 else ""
        return f"{head}{int(parts[-2])}月{int(parts[-1])}日"
    if kind == "weekday":
        return f"{value}曜日"
    if kind == "time" and ":" in value:
        h, mi = value.split(":")
        return f"{int(h)}時" + (f"{int(mi)}分" if mi != "00" else "")
    return value


KIND_LABELS: dict[str, str] = {
    "date": "日付",
    "weekday": "曜日",
    "time": "時刻",
    "number": "数",
    "amount": "金額",
    "place": "場所",
    "name": "名前",
    "url": "URL",
}
