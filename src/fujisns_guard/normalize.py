"""Two normalized views of a draft, each with a map back to the original code points.

* the **light** view is what Sudachi reads: NFKC per segment (so ｶﾞ → ガ, ㈱ → (株), full-width
  digits → ASCII) with invisible format characters removed. Folding kana here would wreck the
  analysis, so it stays close to the text.
* the **folded** view is what word lists match: the light view with hiragana folded to katakana,
  long-vowel and dash variants after kana unified to ー, and spaces or ・ inserted between the
  letters of a word (キ チ ガ イ, キ・チ・ガ・イ) bridged.

Every character of a view remembers the original segment it came from (`starts`, `ends`), so a
span found in a view maps back to a span of the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from .model import Span

# Characters whose NFKC form may differ from themselves, combining marks, half-width voiced marks
# and invisible format characters: only segments containing one of these need work.
_CANDIDATE = regex.compile(
    r"[\p{NFKC_QC=N}\p{NFKC_QC=M}\p{Mn}\p{Me}\p{Mc}\p{Cf}\uFF9E\uFF9F\u1160-\u11FF\uD7B0-\uD7FF"
    r"\uFE00-\uFE0F\U000E0100-\U000E01EF\u180B-\u180F]"
)
# Removed from both views: zero-width and other format characters, variation selectors.
_INVISIBLE = regex.compile(r"[\p{Cf}\uFE00-\uFE0F\U000E0100-\U000E01EF\u180B-\u180F]")
# A character that joins the previous segment instead of starting one.
_JOINER = regex.compile(r"[\p{Mn}\p{Me}\p{Mc}\uFF9E\uFF9F\u1160-\u11FF\uD7B0-\uD7FF]")

_KANA_OR_KANJI = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}ー々〆]")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_KATAKANA = regex.compile(r"\p{Katakana}")
# Long-vowel look-alikes written after kana (ｰ is already ー after NFKC).
_DASHES = frozenset("-‐‑‒–—―−~〜～ｰ一")
# Separators inserted between the letters of a word to dodge filters.
_BRIDGEABLE = frozenset(" \u3000・･.,_*/\\|")


@dataclass(frozen=True, slots=True)
class View:
    """One normalized view: its text and, per character, the original segment it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

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
    """The original draft with its light view (for Sudachi) and folded view (for matching)."""

    original: str
    light: View
    folded: View
    folded_to_light: tuple[int, ...]  # index of the light character each folded one came from

    @property
    def text(self) -> str:
        return self.light.text

    def to_original(self, span: Span) -> Span:
        """Map a light-view span to the original text."""
        return self.light.to_original(span.start, span.end)

    def folded_to_light_span(self, start: int, end: int) -> Span:
        """Map a folded-view span to the light view."""
        if start >= end:
            pos = self.folded_to_light[start] if start < len(self.folded_to_light) else len(self.light.text)
            return Span(pos, pos)
        return Span(self.folded_to_light[start], self.folded_to_light[end - 1] + 1)


def light_view(original: str) -> View:
    """NFKC per segment with invisible characters removed, keeping the offset map."""
    if not _CANDIDATE.search(original):
        ids = tuple(range(len(original)))
        return View(original, ids, tuple(i + 1 for i in ids))
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
        # A candidate may modify its base character: start the segment at the base.
        if seg_start > i and _JOINER.match(original, seg_start):
            seg_start -= 1
        _copy(original, i, seg_start, out, starts, ends)
        seg_end = seg_start + 1
        while seg_end < n and _JOINER.match(original, seg_end):
            seg_end += 1
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


def fold_text(light: str) -> tuple[str, list[int]]:
    """Fold kana, unify long vowels after kana, bridge separators inside words.

    Returns the folded text and, for each folded character, the index of its light character.
    """
    out: list[str] = []
    src: list[int] = []
    n = len(light)
    i = 0
    while i < n:
        ch = light[i]
        code = ord(ch)
        if 0x3041 <= code <= 0x3096:  # hiragana → katakana
            ch = chr(code + 0x60)
        elif ch in _DASHES and i and _KANA.match(light[i - 1]) and (ch != "一" or _KATAKANA.match(light[i - 1])):
            ch = "ー"
        elif ch in _BRIDGEABLE and out and _KANA_OR_KANJI.match(out[-1]):
            j = i
            while j < n and light[j] in _BRIDGEABLE:
                j += 1
            if j < n and _KANA_OR_KANJI.match(light[j]) and j - i <= 2:
                i = j  # drop the separators between two letters
                continue
        out.append(ch)
        src.append(i)
        i += 1
    return "".join(out), src


def fold_term(text: str) -> str:
    """The folded form of a word-list term or exception (same path as drafts)."""
    return fold_text(light_view(text).text)[0]


def normalize(original: str) -> Normalized:
    """Build both views of `original`, each mapped back to it."""
    light = light_view(original)
    folded_text, src = fold_text(light.text)
    folded = View(
        folded_text,
        tuple(light.starts[k] for k in src),
        tuple(light.ends[k] for k in src),
    )
    return Normalized(original, light, folded, tuple(src))
