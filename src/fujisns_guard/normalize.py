"""Two normalized views of a draft, each with a map back to the original code points.

* the **light** view is what Sudachi reads: NFKC per segment (so ｶﾞ → ガ, ㈱ → (株), full-width
  digits → ASCII) with invisible format characters removed. Folding kana here would wreck the
  analysis, so it stays close to the text.
* the **folded** view is what word lists match: the light view with hiragana folded to katakana,
  long-vowel and dash variants after kana unified to ー, spaces or ・ inserted between kana
  letters (キ チ ガ イ, キ・チ・ガ・イ) bridged, and so are single spaces in a run of three or more
  single kanji (取 扱 注 意, 看 護 婦; never 父・兄 or 父 兄).

Every character of a view remembers the original segment it came from (`starts`, `ends`), so a
span found in a view maps back to a span of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .model import Span

# Characters whose NFKC form may differ from themselves, combining marks, half-width voiced marks
# and invisible format characters: only segments containing one of these need work.
# (Half-width voiced marks and variation selectors are marks (M) after the one-to-one table.)
_CANDIDATE = regex.compile(r"[\p{NFKC_QC=N}\p{NFKC_QC=M}\p{M}\p{Cf}\uFF9E\uFF9F]")
# Removed from both views: zero-width and other format characters, variation selectors.
_INVISIBLE = regex.compile(r"[\p{Cf}\uFE00-\uFE0F\U000E0100-\U000E01EF\u180B-\u180F]")
# A character that joins the previous segment instead of starting one.
_JOINER = regex.compile(r"[\p{Mn}\p{Me}\p{Mc}\uFF9E\uFF9F\u1160-\u11FF\uD7B0-\uD7FF]")

_HIRA_TO_KATA = [chr(c + 0x60 if 0x3041 <= c <= 0x3096 else c) for c in range(0x3097)]
_DASHES = "\\-‐‑‒–—―−~〜～"
# A dash or tilde written after kana is a long vowel (ｰ is already ー after NFKC).
_DASH_AFTER_KANA = regex.compile(rf"(?<=[\p{{Hiragana}}\p{{Katakana}}ー][{_DASHES}]*)[{_DASHES}]")
# One or two separators between kana letters (キ チ ガ イ, キ・チ・ガ・イ) dodge filters. Not between
# kanji: 父・兄 and 企業・病院 are ordinary lists, and joining them would invent 父兄 and 業病.
_LETTER = r"[\p{Hiragana}\p{Katakana}ー]"
_BRIDGE = regex.compile(rf"(?<={_LETTER})[ \u3000・･.,_*/|]{{1,2}}(?={_LETTER})")
# Single kanji spaced out (取 扱 注 意, 看 護 婦): a run of three or more kanji, each alone between
# single spaces, is read without the spaces. Spaces only, never ・ (父・兄), and never fewer than
# three (父 兄 stays two words). `_KANJI_CUE` (stdlib `re`) is the cheap test before the run.
_KANJI_CUE = re.compile(r"[\u3400-\u9fff] [\u3400-\u9fff] [\u3400-\u9fff]")
_KANJI_RUN = regex.compile(r"(?<!\p{Han})\p{Han}(?: \p{Han}){2,}(?!\p{Han})")


@dataclass(frozen=True, slots=True)
class View:
    """One normalized view: its text and, per character, the original segment it came from."""

    text: str
    starts: Sequence[int]  # a range when the view is the identity
    ends: Sequence[int]

    def to_original(self, start: int, end: int) -> Span:
        """Map a half-open span of this view to the original text."""
        if not self.text:
            return Span(0, 0)
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return Span(pos, pos)
        return Span(self.starts[start], self.ends[end - 1])


@dataclass(frozen=True, slots=True)
class Normalized:
    """The original draft with its light view (for Sudachi) and folded text (for matching)."""

    original: str
    light: View
    folded_text: str
    folded_to_light: Sequence[int]  # index of the light character each folded one came from

    @property
    def text(self) -> str:
        return self.light.text

    @property
    def folded(self) -> View:
        """The folded text as a view of the original (built on demand: matching needs only
        `folded_to_light_span`)."""
        f2l = self.folded_to_light
        return View(
            self.folded_text,
            tuple(self.light.starts[k] for k in f2l),
            tuple(self.light.ends[k] for k in f2l),
        )

    def folded_to_light_span(self, start: int, end: int) -> Span:
        """Map a folded-view span to the light view."""
        if start >= end:
            pos = self.folded_to_light[start] if start < len(self.folded_to_light) else len(self.light.text)
            return Span(pos, pos)
        return Span(self.folded_to_light[start], self.folded_to_light[end - 1] + 1)


def _one_to_one_table() -> list[str]:
    """NFKC mappings of one character to one character in the ranges drafts use (full-width
    ASCII, half-width katakana, ideographic space, enclosed numbers …): applied with
    `str.translate`, which keeps every offset, before the per-segment pass handles the rest."""
    table = [chr(c) for c in range(0xFFF0)]  # a list indexes faster than a dict in translate
    for lo, hi in ((0x00A0, 0x00FF), (0x2000, 0x218F), (0x2460, 0x24FF), (0x3000, 0x30FF), (0xFF00, 0xFFEF)):
        for code in range(lo, hi + 1):
            ch = chr(code)
            nf = unicodedata.normalize("NFKC", ch)
            if len(nf) == 1 and nf != ch and not _INVISIBLE.match(ch):
                table[code] = nf
    return table


_TABLE = _one_to_one_table()


def light_view(original: str) -> View:
    """NFKC per segment with invisible characters removed, keeping the offset map."""
    translated = original.translate(_TABLE)  # same length: offsets unchanged
    if not _CANDIDATE.search(translated):
        return View(translated, range(len(original)), range(1, len(original) + 1))
    original = translated
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(original)
    while i < n:
        m = _CANDIDATE.search(original, i)
        if m is None:
            _copy(original, i, n, out, starts, ends)
            break
        seg_start = m.start()
        # A candidate may modify its base character: start the segment at the base, passing
        # over invisible characters between them.
        if _JOINER.match(original, seg_start) or _INVISIBLE.match(original, seg_start):
            k = seg_start
            while k > i and (_JOINER.match(original, k - 1) or _INVISIBLE.match(original, k - 1)):
                k -= 1
            seg_start = k - 1 if k > i else k
        _copy(original, i, seg_start, out, starts, ends)
        seg_end = m.start() + 1
        while True:  # absorb following marks, even behind invisible characters
            j = seg_end
            while j < n and _INVISIBLE.match(original, j):
                j += 1
            if j < n and _JOINER.match(original, j):
                seg_end = j + 1
                continue
            break
        segment = _INVISIBLE.sub("", original[seg_start:seg_end])
        if segment:
            normalized = unicodedata.normalize("NFKC", segment)
            normalized = _INVISIBLE.sub("", normalized)
            out.append(normalized)
            starts.extend([seg_start] * len(normalized))
            ends.extend([seg_end] * len(normalized))
        i = seg_end
    return View("".join(out), tuple(starts), tuple(ends))


def _copy(src: str, a: int, b: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    if a < b:
        out.append(src[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))


def fold_text(light: str) -> tuple[str, list[int] | None]:
    """Fold kana, unify long vowels after kana, bridge separators inside words.

    Returns the folded text and, for each folded character, the index of its light character
    (None when nothing was removed: the map is the identity).
    """
    text = _DASH_AFTER_KANA.sub("ー", light.translate(_HIRA_TO_KATA))  # both keep every offset
    kana = _BRIDGE.search(text) is not None
    kanji = _KANJI_CUE.search(text) is not None
    if not kana and not kanji:
        return text, None
    drop = [m.span() for m in _BRIDGE.finditer(text)] if kana else []
    if kanji:
        for m in _KANJI_RUN.finditer(text):
            drop.extend((i, i + 1) for i in range(m.start() + 1, m.end(), 2))
        if not drop:
            return text, None
        drop.sort()
    pieces: list[str] = []
    src: list[int] = []
    pos = 0
    for start, end in drop:
        pieces.append(text[pos:start])
        src.extend(range(pos, start))
        pos = end
    pieces.append(text[pos:])
    src.extend(range(pos, len(text)))
    return "".join(pieces), src


def fold_kana(text: str) -> str:
    """Hiragana → katakana (Sudachi's readings and the folded view are katakana)."""
    return text.translate(_HIRA_TO_KATA)


def fold_term(text: str) -> str:
    """The folded form of a word-list term or exception (same path as drafts)."""
    return fold_text(light_view(text).text)[0]


def normalize(original: str) -> Normalized:
    """Build both views of `original`, each mapped back to it."""
    light = light_view(original)
    folded_text, src = fold_text(light.text)
    return Normalized(original, light, folded_text, range(len(folded_text)) if src is None else src)
