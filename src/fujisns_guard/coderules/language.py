"""Drafts, or parts of drafts, not in Japanese (issue 6, item 7).

Cities post for foreign residents in English, Portuguese, Chinese, Vietnamese … The word lists,
the statement and tone rules and the name detector read Japanese only: on another language they
find nothing, and "nothing found" must not read as "clean". This rule finds the lines that are
not Japanese, cheaply, by script:

* runs of at least four Latin words (with Portuguese, Spanish and Vietnamese diacritics) that
  read as a sentence — not a name in brackets or in title case (「Fuji International Jazz
  Festival」を開催) — English, Portuguese, Spanish, Tagalog, Indonesian and Vietnamese are told
  apart by their diacritics and a few function words;
* Hangul, Thai, Devanagari (Nepali, Hindi), Cyrillic, Arabic script;
* Han characters without any kana, with characters Japanese does not use (们, 这, 请, 您 …) or
  Chinese function words (的, 是, 了).

URLs, e-mail addresses, mentions and hashtags are ignored (they are Latin in Japanese posts too).

It yields one `warning` per foreign passage (the section chief checks the translation: the route
is `section_chief`) and one `info` naming the checks that could not run on it and those that did
(credentials, phone numbers, links, length are language-independent). A short foreign line with a
URL (Information in other languages: https://…) is only named in the info. Both lists of checks
are data, in the rule's params.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..lazyre import lazy
from ..model import Analysis, Hit
from .credentials import credential_line

# Characters Chinese uses and Japanese does not (simplified forms, a few traditional ones).
_ZH_CHARS = (
    "们这请您吗呢说时间办联门关问题发电话车为从么样应该给讯码开记还进过选务动费资护设疗报约预环节罚单书网页户們這嗎呢妳說麼應"
)
_ZH_ONLY = lazy(f"[{_ZH_CHARS}]")
# Cheap precondition, for the draft and then for each line: a space before a lowercase Latin word
# (not a URL), another script, or a character only Chinese uses. Two scans, each starting with a
# small set of characters (one alternation of both costs twice as much). Most Japanese drafts
# match neither.
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_LATIN_CUE = lazy(r" (?!https?:|www\.)[a-z\u00e0-\u024f\u1e00-\u1eff]{2}")
_SCRIPT_CUE = lazy(r"[\uac00-\ud7a3\u0e01-\u0e5b\u0900-\u097f\u0400-\u04ff\u0600-\u06ff" + _ZH_CHARS + "]")


def _cue(text: str) -> bool:
    return _LATIN_CUE.search(text) is not None or _SCRIPT_CUE.search(text) is not None

# URLs, addresses, mentions, hashtags, and tokens with a digit or an underscore next to letters
# (fuji2026, ghp_1A2b…, koho_fuji): IDs and secrets, never words of a sentence.
_IGNORE = lazy(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[@＠#＃][\w\-]+"
    r"|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]*[A-Za-z])(?=[A-Za-z0-9_]*[0-9_])[A-Za-z0-9_]+"
)
_KANA = lazy(r"[\u3041-\u3096\u30a1-\u30fa]")
_HAN = lazy(r"[\u4e00-\u9fff\u3400-\u4dbf々]")
_LATIN_LETTER = lazy(rf"[{_LATIN}]")
_LATIN_WORD = lazy(rf"[{_LATIN}][{_LATIN}'’]+")
_SCRIPTS: tuple[tuple[str, Any], ...] = (
    ("韓国語", re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")),
    ("タイ語", re.compile(r"[\u0e01-\u0e5b]")),
    ("ネパール語・ヒンディー語", re.compile(r"[\u0900-\u097f]")),
    ("ロシア語など（キリル文字）", re.compile(r"[\u0400-\u04ff]")),
    ("アラビア文字の言語", re.compile(r"[\u0600-\u06ff]")),
)
_ZH_FUNCTION = lazy(r"[的是了在和您]")
_VI_LOWER = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹơưđă"
_VI = lazy(f"[{_VI_LOWER}{_VI_LOWER.upper()}]")
_WORDS: dict[str, frozenset[str]] = {
    "英語": frozenset("the and of to is are for will please you your with on at from this be in city by or not can".split()),
    "ポルトガル語": frozenset(
        "de da do das dos para não você em os as que com por uma é são cidade informações no na ao".split()
    ),
    "スペイン語": frozenset("el los las del para por con usted es está ciudad información y en la que".split()),
    "タガログ語": frozenset("ang mga ng sa na at ay po kayo ninyo lungsod para".split()),
    "インドネシア語": frozenset("yang dan di untuk dengan ini itu akan dari tidak kota anda".split()),
}
_MIN_LATIN_WORDS = 4
# A passage shorter than this on a line with a URL points to translations (Information in other
# languages: https://…): it is named in the info, not reported as a warning.
_SUBSTANTIAL_LETTERS = 80


def _letters(text: str) -> int:
    """Letters of `text` outside URLs, addresses, mentions and hashtags."""
    return sum(c.isalpha() for c in _IGNORE.sub("", text))


_MIN_LATIN_LETTERS = 15


def _latin_language(text: str, words: list[str]) -> str:
    if len(_VI.findall(text)) >= 2:
        return "ベトナム語"
    lowered = [w.lower() for w in words]
    scores = {lang: sum(w in vocab for w in lowered) for lang, vocab in _WORDS.items()}
    if re.search(r"[ãõç]", text):
        scores["ポルトガル語"] += 2
    if re.search(r"[ñ¿¡]", text):
        scores["スペイン語"] += 2
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "ラテン文字の言語"


_LATIN_RUN = lazy(
    rf"(?<![{_LATIN}'’\-])[{_LATIN}][{_LATIN}'’\-]*+(?:[ \t,.:;!?()/&0-9\"“”\-]++[{_LATIN}][{_LATIN}'’\-]*+){{3,}}"
)
_OPENERS, _CLOSERS = "「『【〈《“(", "」』】〉》”)"
_FUNCTION_WORDS = frozenset().union(*_WORDS.values())
_TRAILING = frozenset(" \t0123456789.,:;!?)\"”'’")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _script_language(text: str) -> str | None:
    """Korean, Thai, … or Chinese for a line written in that script (line-level)."""
    kana = len(_KANA.findall(text))
    for name, script in _SCRIPTS:
        n = len(script.findall(text))
        if n >= 3 and n > kana:
            return name
    if kana == 0 and len(_HAN.findall(text)) >= 6 and (_ZH_ONLY.search(text) or len(_ZH_FUNCTION.findall(text)) >= 2):
        return "中国語"
    return None


def _latin_runs(text: str) -> list[tuple[int, int, str]]:
    """Runs of at least four Latin words that read as a sentence, not as a name: not inside
    brackets (「Fuji Jazz Festival」), not all in title case without a function word."""
    out = []
    for m in _LATIN_RUN.finditer(text):
        words = _LATIN_WORD.findall(m.group())
        if len(words) < _MIN_LATIN_WORDS or len(_LATIN_LETTER.findall(m.group())) < _MIN_LATIN_LETTERS:
            continue
        before = text[: m.start()]
        if sum(before.count(c) for c in _OPENERS) > sum(before.count(c) for c in _CLOSERS):
            continue  # a title or name in brackets
        lowered = [w.lower() for w in words]
        titled = sum(w[0].isupper() for w in words)
        if titled >= 0.8 * len(words) and not any(w in _FUNCTION_WORDS for w in lowered[1:]):
            continue  # Fuji International Jazz Festival
        end = m.end()
        while end < len(text) and text[end] in _TRAILING:
            end += 1  # …to January 3.
        while end > m.end() and text[end - 1] in " \t":
            end -= 1
        out.append((m.start(), end, _latin_language(m.group(), words)))
    return out


def line_language(line: str) -> str | None:
    """The language of one line if it holds text that is clearly not Japanese, else None."""
    text = _IGNORE.sub(_blank, line)
    lang = _script_language(text)
    if lang is not None:
        return lang
    runs = _latin_runs(text)
    return runs[0][2] if runs else None


def foreign_passages(light: str) -> list[tuple[int, int, str]]:
    """(start, end, language) of the non-Japanese passages: a whole line in another script, or a
    run of Latin words; passages of one language separated only by spaces and line breaks are
    merged into one."""
    if not _cue(light):
        return []
    found: list[tuple[int, int, str]] = []
    pos = 0
    for line in light.split("\n"):
        base = pos
        pos += len(line) + 1
        if not line.strip() or not _cue(line):
            continue
        text = _IGNORE.sub(_blank, line)
        lang = _script_language(text)
        if lang is not None:
            found.append((base + len(line) - len(line.lstrip()), base + len(line.rstrip()), lang))
            continue
        if credential_line(line):
            continue  # never quote a line that carries a credential (ID/PW：fujicity / fuji2026)
        found.extend((base + s, base + e, lang) for s, e, lang in _latin_runs(text))
    out: list[tuple[int, int, str]] = []
    for s, e, lang in found:
        if out and out[-1][2] == lang and not light[out[-1][1] : s].strip(" \t\n\u3000.,:;!?)"):
            out[-1] = (out[-1][0], e, lang)
        else:
            out.append((s, e, lang))
    return out


def _pointer(light: str, s: int, e: int) -> bool:
    """A short line pointing to translations: it has a URL and few letters."""
    line_s = light.rfind("\n", 0, s) + 1
    line_e = light.find("\n", e)
    line = light[line_s : line_e if line_e != -1 else len(light)]
    return _letters(light[s:e]) < _SUBSTANTIAL_LETTERS and re.search(r"https?://|www\.", line) is not None


def draft_language(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    passages = foreign_passages(a.light)
    if not passages:
        return []
    not_run = "、".join(params.get("not_run", [])) or "日本語の文章を前提とする確認"
    still_run = "、".join(params.get("still_run", []))
    langs = "、".join(dict.fromkeys(lang for _, _, lang in passages))
    whole = not a.light[: passages[0][0]].strip() and not a.light[passages[-1][1] :].strip() and len(passages) == 1
    scope = "この原稿" if whole else "原稿の日本語以外の部分"
    hits: list[Hit] = []
    template = params.get("message")
    for s, e, lang in passages:
        matched = a.light[s:e]
        if _pointer(a.light, s, e):
            continue  # Information in other languages: URL — named in the info only
        excerpt = matched if len(matched) <= 20 else matched[:20] + "…"
        message = (
            template.format(language=lang, match=excerpt)
            if isinstance(template, str)
            else f"{lang}の文章です（「{excerpt}」）。内容と翻訳の正確さを所属長が確認してください。"
        )
        hits.append(Hit("", s, e, matched, f"文字種と機能語から{lang}と判定", severity="warning", message=message))
    info = f"{scope}（{langs}）には、次の確認を実行できませんでした: {not_run}。"
    if still_run:
        info += f"言語によらない確認（{still_run}）は実行しました。"
    hits.append(Hit("", 0, 0, "", f"日本語以外の文章: {langs}", severity="info", message=info))
    return hits


RULES: dict[str, Callable[[Analysis, dict[str, Any]], list[Hit]]] = {"draft_language": draft_language}
