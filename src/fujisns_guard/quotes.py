"""Quotation brackets in a draft, and what the draft does with what they hold (issue 6, item 5).

Quoting is not using. A word or phrase inside 「…」『…』“…” is not the account's own voice when the
draft either

* **discusses it as language** — 「片手落ち」という言葉／表現／呼び方…, or as an idea —
  「家事は女性の仕事」という固定観念／思い込み…: the quoted text is the subject of the sentence (a
  human-rights post explaining why a word or a stereotype hurts), or
* **reports what someone else said or wrote** — 市長は『計画を進める』と述べました,
  「対応が遅い」とのご意見をいただきました, 「○○が中止になる」という噂が…: the speaker is named or
  implied, the account only relays it (a citizen's complaint quoted in a reply, a rumour quoted in
  order to deny it).

Anything else in brackets (titles such as 「ふじまつり」, emphasis) is `other`: still the account's text.

Pure functions on the light view (NFKC): no Sudachi, no I/O. `quoted_spans` is linear in the
draft and costs ~1 µs when the draft has no bracket (the common case).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Literal

from .lazyre import lazy
from .model import Hit

QuoteKind = Literal["discussed", "reported", "other"]

# Opening → closing bracket. Parentheses and 【】 are not quotation (headings, notes).
PAIRS: dict[str, str] = {"「": "」", "『": "』", "“": "”", "〝": "〟", "〈": "〉", "《": "》"}
_OPEN_CLOSE = lazy("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values())) + "]")

# Right after the closing bracket: the quoted text is a word under discussion.
_DISCUSSED = lazy(
    r"[ \t　]*(?:という|といった|とか|との|などの?|等の|は|も|って|の)?[ \t　]*"
    r"(?:言葉|ことば|コトバ|表現|呼び方|呼称|言い方|言い回し|単語|用語|語|差別語|不快語|表記|書き方|フレーズ|略語|俗語|造語|"
    r"考え方|思い込み|固定観念|決めつけ|偏見|先入観|価値観|ステレオタイプ)"
    # a renaming: 「看護婦」から「看護師」に（変わった）, 「A」→「B」へ
    r"|[ \t　]*(?:から|→|->)[ \t　]*[「『][^」』\n]{1,15}[」』][ \t　]*(?:に|へ|と)"
)

# Verbs (by their stems; サ変 nouns used as verbs) that report speech or writing: と … 述べました.
REPORTING_VERBS = (
    r"(?:述べ|話し|話す|話さ|言っ|言い|言う|言わ|語っ|語り|語る|発表|説明|強調|答弁|回答|答え|発言|主張|指摘|おっしゃ|"
    r"仰っ|申され|申し出|伺っ|聞い|聞き|寄せ|書き込|書い|書か|記し|記さ|投稿|報告|報じ|記載|表明|宣言|説い|叫|尋ね|問われ|"
    r"呼びかけ|訴え|つぶやい|コメント)"
)
# Nouns that name what was said or written: との／という … ご意見.
REPORTING_NOUNS = (
    r"(?:ご?意見|声|ご?要望|ご?質問|ご?相談|お?問い合わせ|ご?指摘|苦情|批判|噂|うわさ|ウワサ|デマ|情報|メール|電話|"
    r"お便り|書き込み|投稿|話|コメント|報道|内容|お申し出|ご?連絡|発言|訴え|主張|回答|お答え|お叱り|ご批判|ご提案|提案)"
)
# Right after the closing bracket: と/って … a reporting verb within a short clause, or
# との/という + a reporting noun.
_REPORTED = lazy(
    r"[ \t　]*(?:(?:と|って|などと|とも)[^。！？!?\n「『]{0,24}?" + REPORTING_VERBS
    + r"|(?:との|という|といった|って|などの)[ \t　]*" + REPORTING_NOUNS + ")"
)

Span = tuple[int, int, QuoteKind]


def quoted_spans(light: str) -> list[Span]:
    """Every bracketed quotation as (start, end, kind): the span covers the brackets and their
    contents; `kind` is `discussed`, `reported` or `other` (see the module doc).

    Nested quotations are returned too (inner ones after the outer one that holds them); an
    opening bracket that is never closed is ignored. Spans are sorted by start.
    """
    if not _OPEN_CLOSE.search(light):
        return []
    out: list[Span] = []
    stack: list[tuple[str, int]] = []  # (expected closer, start)
    for m in _OPEN_CLOSE.finditer(light):
        ch, pos = m.group(), m.start()
        closer = PAIRS.get(ch)
        if closer is not None:
            stack.append((closer, pos))
            continue
        # a closing bracket: close the innermost matching opener (dropping unclosed ones inside)
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == ch:
                start = stack[depth][1]
                del stack[depth:]
                out.append((start, pos + 1, _kind_after(light, pos + 1)))
                break
    out.sort(key=lambda s: (s[0], -s[1]))
    return out


def _kind_after(light: str, end: int) -> QuoteKind:
    if _DISCUSSED.match(light, end):
        return "discussed"
    if _REPORTED.match(light, end):
        return "reported"
    return "other"


def quote_kind(spans: list[Span], start: int, end: int) -> QuoteKind | None:
    """The kind of the outermost quotation wholly containing [start, end) that is `discussed` or
    `reported` (they excuse what they hold), else `other` if an `other` one contains it, else None."""
    found: QuoteKind | None = None
    for s, e, kind in spans:
        if s > start:
            break
        if s <= start and end <= e:
            if kind == "discussed" or kind == "reported":
                return kind
            found = "other"
    return found


def excused(spans: list[Span], start: int, end: int) -> QuoteKind | None:
    """`discussed` or `reported` when [start, end) lies inside such a quotation, else None.

    This is what the engine applies to the findings of word-based rules: inside one of these the
    term is quoted, not used (docs/statements.md).
    """
    kind = quote_kind(spans, start, end)
    return kind if kind in ("discussed", "reported") else None


def inside_any(spans: list[Span], start: int, end: int) -> bool:
    """Whether [start, end) lies inside any quotation (of any kind)."""
    i = bisect_right([s for s, _, _ in spans], start)
    return any(s <= start and end <= e for s, e, _ in spans[:i])


# --- what the engine does with word-based findings in quotations (item 5) ----------------------

# Rules whose findings are about *wording*: a word quoted to be discussed, or someone else's words
# reported, is not the account using it. Personal information, credentials and confidential
# markers stay what they are wherever they stand (a phone number in a quoted complaint is still
# published), and code rules handle quotations themselves.
WORDING_CATEGORIES: frozenset[str] = frozenset({"discriminatory", "broadcast", "accuracy"})
WORD_KINDS: frozenset[str] = frozenset({"wordlist", "pattern", "tokens"})
_WHY = {
    "discussed": "「」で括られ、言葉・考え方として論じられているため info",
    "reported": "「」で括られた他者の発言・意見の引用のため info",
}


def demote_quoted(
    hits: list[tuple[Any, Hit]],
    light: str,
    *,
    kinds: frozenset[str] = WORD_KINDS,
    categories: frozenset[str] = WORDING_CATEGORIES,
) -> list[tuple[Any, Hit]]:
    """The (rule, hit) pairs of one analysed piece, with the findings of word-based wording rules
    that lie inside a discussed or reported quotation turned into `info` (the explanation says
    why). `light` is the piece's light view (the hits' coordinates). Pure; costs nothing when the
    piece has no quotation bracket."""
    if not hits:
        return hits
    spans: list[Span] | None = None
    out: list[tuple[Any, Hit]] = []
    for rule, h in hits:
        spec = rule.spec
        category = h.category or spec.category
        if spec.kind in kinds and category in categories and h.severity != "info" and h.end > h.start:
            if spans is None:
                spans = quoted_spans(light)
            kind = excused(spans, h.start, h.end) if spans else None
            if kind is not None:
                h = h._replace(severity="info", detail=f"{h.detail}。{_WHY[kind]}" if h.detail else _WHY[kind])
        out.append((rule, h))
    return out
