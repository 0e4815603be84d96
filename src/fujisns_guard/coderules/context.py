"""What the statement rules (issue 6) share about one draft: sentences, quotations, token lookup,
and the cheap literal prefilters every rule runs first.

The per-draft data is built once, by the first rule that needs it, and kept in `Analysis.cache`;
its parts (quotations, sentences) are computed only when asked for. Every rule checks a cheap
textual precondition before asking, so a draft none of them is about never pays for it. Exports
no rules.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from typing import Any

from ahocorasick_rs import AhoCorasick, Implementation

from ..lazyre import lazy
from ..model import Analysis, Tokens
from ..quotes import REPORTING_NOUNS, REPORTING_VERBS, QuoteKind, Span, quote_kind, quoted_spans
from ..ruleset import memo

_CACHE_KEY = "statements.context"
_SENTENCE_END = lazy(r"[。！？!?\n]+")
# After a statement, within its sentence: it is what someone else said (…と述べました,
# …とのご意見, …とのことです) — not the account's voice.
_REPORTED_AFTER = lazy(
    r"(?:[」』”]?[ \t　]*)(?:(?:と|って|などと|とも)[^。！？!?\n]{0,24}?" + REPORTING_VERBS
    + r"|(?:との|という|といった|って)[ \t　]*" + REPORTING_NOUNS + r"|とのこと)"
)

# The 320 most frequent characters of municipal posts, most frequent first (counted on the
# benchmark corpus and tests/data/clean_sentences.txt, NFKC): a prefilter keyed on one of them
# would pass almost every draft.
_COMMON = (
    "。のま1すいしは日でに()、月ごて20らおくをさだた5ー3:かりが時せン4みな市場/.る申#t館9知"
    "と所8も7け6あ分-予開方l地接集課当eれp合ちw書内き出イ収トめル・込土i種報大避難h民午認へ担区"
    "m間用変ん防確つ子理sa要c催タ水受中前請料人対金健う〜ど警定発険富士指付後更必保※康年【】話情車づ"
    "手休セ問g電駐ス願ナク災別関祝ワ登録ム者岡ベ「」会ペド直カ事ラ図川じ連チoッ限戒火ふわ利届口約ジマっ"
    "ホyレ無窓木票力や展公協住x画危ざ期以解物県提j静よ機令本階東こ路安自可全証意n生通バ類現相談詳整博"
    "rア!吉原個部表育フ員円企混象ポ設始摘ミ示燃交u役上今入訳持道帯室絡高続信望オ見広末希応名送え行歳齢"
    "ロ護週k不ウ央山順立活リビ粗,診援給世体"
)
_COMMON_RANK: dict[str, int] = {}
for _i, _ch in enumerate(_COMMON):
    _COMMON_RANK.setdefault(_ch, _i)


# Hiragana are common in any Japanese text, whatever their rank in the corpus above, except these.
_RARE_HIRAGANA = frozenset("ぁぃぅぇぉゃゅょゎゐゑぢづぬぱぴぷぺぽぞぜゔ")


def char_rarity(ch: str) -> int:
    """How rare a character is in municipal posts: its rank among the common ones, else rarer;
    hiragana (but the rare ones) count as common."""
    rank = _COMMON_RANK.get(ch)
    if rank is not None:
        return rank
    if "\u3041" <= ch <= "\u309f" and ch not in _RARE_HIRAGANA:
        return 100
    return len(_COMMON)


def rarity(text: str) -> int:
    """How rare a string is, for choosing a prefilter: its rarest character, then its length."""
    return max(map(char_rarity, text)) * 10 + len(text) if text else 0


class _Union:
    """The strings of every CueSet used on one kind of draft, searched ONCE per draft (CueSet).

    Thread-safe: registering and rebuilding happen under a lock and publish one immutable
    snapshot; a scan reads the snapshot it starts with."""

    def __init__(self, kind: str) -> None:
        self.cache_key = f"statements.cues.{kind}"
        # the string sets registered, by content: rules rebuilt by another Guard share them
        self.members: frozenset[frozenset[str]] = frozenset()
        self._lock = threading.Lock()
        self._strings: frozenset[str] = frozenset()
        # (version, automaton of every string or None) — replaced whole, never mutated. It is
        # rebuilt by the first scan after sets were added (`_compile`), so that the sets
        # registered in advance (`CueSet.register`: the phrase rules, when a Guard is built) cost
        # one build, not one each.
        self._snapshot: tuple[int, Any] = (0, None)
        self._version = 0  # of the registered sets; the snapshot catches up at the next scan

    def add(self, cues: CueSet) -> None:
        with self._lock:
            if cues.strings in self.members:
                return
            self._strings = self._strings | cues.strings
            self._version += 1
            self.members = self.members | {cues.strings}

    def _compile(self) -> tuple[int, Any]:
        """The latest snapshot, its automaton built."""
        with self._lock:
            if self._snapshot[0] != self._version:
                automaton = None
                if self._strings:
                    automaton = AhoCorasick(sorted(self._strings), implementation=Implementation.DFA, store_patterns=True)
                self._snapshot = (self._version, automaton)
            return self._snapshot

    def scan(self, a: Analysis) -> frozenset[str]:
        """The registered strings present in the draft's light view, found once per draft."""
        snapshot = self._snapshot
        if snapshot[0] != self._version:
            snapshot = self._compile()
        version, automaton = snapshot
        got = a.cache.get(self.cache_key)
        if got is not None and got[0] == version:
            return got[1]  # type: ignore[no-any-return]
        result = frozenset(automaton.find_matches_as_strings(a.light, overlapping=True)) if automaton is not None else frozenset()
        a.cache[self.cache_key] = (version, result)
        return result


# One union per kind of draft: a cue set joins the union of the kinds it is used on, so the cue
# words of the reply-only rules (あなた, それは …) cost nothing on posts.
_UNIONS = {"post": _Union("post"), "reply": _Union("reply")}


# The nationwide default policy (no account policy given): validating it imports pydantic and
# builds the policy schema, ~30 ms at the first draft of each start; it is kept in the rule cache
# instead (policy.default_policy fills this memo, the rule cache saves and seeds it).
_POLICY = memo("policy.default")


def effective_policy(policy: Any) -> Any:
    """`policy.effective_policy`, the defaults taken from the rule cache when it has them."""
    if policy is not None:
        return policy
    got = _POLICY.get("default")
    if got is None:
        from ..policy import default_policy

        got = default_policy()
    return got


class CueSet:
    """An exact search for any of a set of literal strings, shared by every rule of issue 6.

    Each rule doing its own regex scan for its cue words costs 1–15 µs per 160-character post (an
    alternation of literals starting with common characters tries every の, で, か …), and there
    are nineteen rules. Instead every CueSet registers its strings in one union per kind of
    draft, and the first rule to ask scans the draft ONCE for all of them with an Aho–Corasick
    automaton (ahocorasick_rs: one pass in native code, whatever the number of strings): the set of strings present is
    exact, and a set asking intersects it with its own (in C, usually empty).
    """

    __slots__ = ("strings",)

    def __init__(self, strings: frozenset[str] | set[str] | tuple[str, ...]) -> None:
        self.strings = frozenset(s for s in strings if s)

    def register(self, kind: str) -> None:
        """Join the union of a kind of draft now rather than at the first `find`."""
        union = _UNIONS["reply" if kind == "reply" else "post"]
        if self.strings not in union.members:
            union.add(self)

    def present(self, a: Analysis) -> frozenset[str]:
        """This set's strings present in the draft."""
        union = _UNIONS["reply" if a.kind == "reply" else "post"]
        if self.strings not in union.members:
            union.add(self)  # the first time this set is used on this kind of draft
        return self.strings & union.scan(a)

    def find(self, a: Analysis) -> str | None:
        """One of the strings found in the draft's light view (the first in sorted order), or None."""
        hit = self.present(a)
        return min(hit) if hit else None

    def search(self, text: str) -> str | None:
        """The same search in any text, without the shared scan (tests, one-off use)."""
        for s in sorted(self.strings):
            if s in text:
                return s
        return None


class Context:
    """Sentences, quotations and token lookup of one draft (light view), each computed on first use."""

    __slots__ = ("_quotes", "_sentence_starts", "_sentences", "light", "tokens")

    def __init__(self, light: str, tokens: Tokens) -> None:
        self.light = light
        self.tokens = tokens
        self._quotes: list[Span] | None = None
        self._sentences: list[tuple[int, int]] | None = None
        self._sentence_starts: list[int] = []

    @property
    def quotes(self) -> list[Span]:
        if self._quotes is None:
            self._quotes = quoted_spans(self.light)
        return self._quotes

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentences end at 。！？ and line breaks that are not inside a quotation."""
        if self._sentences is None:
            light = self.light
            quotes = self.quotes
            out: list[tuple[int, int]] = []
            start = 0
            for m in _SENTENCE_END.finditer(light):
                if quotes and any(s < m.start() < e for s, e, _ in quotes):
                    continue  # a 。 inside 「…」 does not end the sentence that quotes it
                if m.end() > start:
                    out.append((start, m.end()))
                start = m.end()
            if start < len(light) or not out:
                out.append((start, len(light)))
            self._sentences = out
            self._sentence_starts = [s for s, _ in out]
        return self._sentences

    def token_at(self, pos: int) -> int:
        """Index of the token holding character `pos` (−1 before the first)."""
        return bisect_right(self.tokens.starts, pos) - 1

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence holding character `pos`."""
        sentences = self.sentences
        i = bisect_right(self._sentence_starts, pos) - 1
        return sentences[max(i, 0)]

    def next_sentence(self, pos: int) -> tuple[int, int] | None:
        sentences = self.sentences
        i = bisect_right(self._sentence_starts, pos)
        return sentences[i] if i < len(sentences) else None

    def quoted(self, start: int, end: int) -> QuoteKind | None:
        """The kind of quotation [start, end) lies in (discussed/reported first), or None."""
        quotes = self.quotes
        return quote_kind(quotes, start, end) if quotes else None

    def reported_after(self, end: int) -> bool:
        """Whether the clause ending at `end` is followed, in its sentence, by と述べ… / とのご意見.
        (The pattern itself stops at 。！？ and line breaks: no sentence split is needed.)"""
        return _REPORTED_AFTER.match(self.light, end) is not None

    def clause_end(self, pos: int) -> int:
        """Where the sentence holding `pos` ends, looking forward only (cheap: no full split)."""
        m = _SENTENCE_END.search(self.light, pos)
        return m.end() if m is not None else len(self.light)

    def not_own_voice(self, start: int, end: int) -> bool:
        """Inside any quotation, or reported speech (…と述べました): not the account's own words."""
        return self.quoted(start, end) is not None or self.reported_after(end)


def context(a: Analysis) -> Context:
    ctx: Context | None = a.cache.get(_CACHE_KEY)
    if ctx is None:
        ctx = Context(a.light, a.tokens)
        a.cache[_CACHE_KEY] = ctx
    return ctx
