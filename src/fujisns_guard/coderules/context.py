"""What the statement rules (issue 6) share about one draft: sentences, quotations, token lookup,
and the cheap literal prefilters every rule runs first.

The per-draft data is built once, by the first rule that needs it, and kept in `Analysis.cache`;
its parts (quotations, sentences) are computed only when asked for. Every rule checks a cheap
textual precondition before asking, so a draft none of them is about never pays for it. Exports
no rules.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from operator import attrgetter
from typing import Any

from ..lazyre import lazy
from ..model import Analysis, Token
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
_START = attrgetter("start")

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


def trie_regex(strings: list[str] | set[str] | frozenset[str]) -> str:
    """A regex matching exactly the given literal strings, factored as a trie (い(?:いかげん|ずれ)…):
    `re` tries a flat alternation's members one by one at every candidate place, a trie only
    the branch of the character there — about twice as fast for fifty short strings."""
    trie: dict[str, dict[str, Any]] = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class _Union:
    """The strings of every CueSet used on one kind of draft, searched ONCE per draft (CueSet).

    Thread-safe: registering and rebuilding happen under a lock and publish one immutable
    snapshot; a scan reads the snapshot it starts with."""

    def __init__(self, kind: str) -> None:
        self.cache_key = f"statements.cues.{kind}"
        # the string sets registered, by content: rules rebuilt by another Guard share them
        self.members: frozenset[frozenset[str]] = frozenset()
        self._lock = threading.Lock()
        self._keyed: dict[str, tuple[tuple[str, int], ...]] = {}  # key character → (string, offset)
        self._common: frozenset[str] = frozenset()
        # (version, key class, common trie, keyed) — replaced whole, never mutated, always
        # compiled. It is rebuilt by the first scan after sets were added (`_compile`), so that
        # the sets registered in advance (`CueSet.register`: the phrase rules, when a Guard is
        # built) cost one compilation, not one each.
        self._snapshot: tuple[int, re.Pattern[str] | None, re.Pattern[str] | None, dict[str, tuple[tuple[str, int], ...]]]
        self._snapshot = (0, None, None, {})
        self._version = 0  # of the registered sets; the snapshot catches up at the next scan

    def add(self, cues: CueSet) -> None:
        with self._lock:
            if cues.strings in self.members:
                return
            keyed = dict(self._keyed)
            for ch, entries in cues.at.items():
                have = keyed.get(ch, ())
                keyed[ch] = have + tuple(e for e in entries if e not in have)
            self._keyed = keyed
            self._common = self._common | frozenset(cues.common)
            self._version += 1
            self.members = self.members | {cues.strings}

    def _compile(self) -> tuple[int, re.Pattern[str] | None, re.Pattern[str] | None, dict[str, tuple[tuple[str, int], ...]]]:
        """The latest snapshot, its regexes compiled."""
        with self._lock:
            if self._snapshot[0] != self._version:
                keyed = self._keyed
                keys = re.compile("[" + "".join(re.escape(c) for c in sorted(keyed)) + "]") if keyed else None
                common = re.compile(trie_regex(self._common)) if self._common else None
                self._snapshot = (self._version, keys, common, keyed)
            return self._snapshot

    def scan(self, a: Analysis) -> tuple[frozenset[str], bool]:
        """(the keyed strings present in the draft, whether any common string is), once per draft."""
        snapshot = self._snapshot
        if snapshot[0] != self._version:
            snapshot = self._compile()
        version, keys, common, keyed = snapshot
        got = a.cache.get(self.cache_key)
        if got is not None and got[0] == version:
            return got[1], got[2]
        light = a.light
        found: set[str] = set()
        if keys is not None:
            for m in keys.finditer(light):
                p = m.start()
                for string, k in keyed[m.group()]:
                    if p >= k and light.startswith(string, p - k):
                        found.add(string)
        common_any = common is not None and common.search(light) is not None
        result = frozenset(found)
        a.cache[self.cache_key] = (version, result, common_any)
        return result, common_any


# One union per kind of draft: a cue set joins the union of the kinds it is used on, so the cue
# words of the reply-only rules (あなた, それは …) cost nothing on posts.
_UNIONS = {"post": _Union("post"), "reply": _Union("reply")}


def _keyable(ch: str) -> bool:
    """A character worth keying a string on: not a common hiragana."""
    return not ("\u3041" <= ch <= "\u309f") or ch in _RARE_HIRAGANA


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


# How each set of cue strings is keyed (rarity of every character: ~1 ms a rule), kept in the rule
# cache across starts. Values are never mutated.
_SPLITS: dict[frozenset[str], tuple[dict[str, list[tuple[str, int]]], list[str]]] = memo("context.cue_splits")


class CueSet:
    """An exact search for any of a set of literal strings, shared by every rule of issue 6.

    Each rule doing its own regex scan for its cue words costs 1–5 µs per 160-character post (an
    alternation of literals starting with common characters tries every の, で, か …), and there
    are nineteen rules. Instead every CueSet registers its strings in one union, and the first
    rule to ask scans the draft ONCE for all of them:

    * a string with a character other than a common hiragana is keyed on its rarest such
      character (by its rank among the common ones): one character-class scan finds where the key
      characters are, and `str.startswith` checks the few places — the set of keyed strings
      present is exact, and a set asking intersects it with its own (in C, usually empty);
    * the rest (らしい, かも …: common characters only) are searched with one alternation; when
      it finds nothing, none is present, and when it finds something, each set asking searches
      its own ones.

    """

    __slots__ = ("_common", "_keyed", "at", "common", "strings")

    def __init__(self, strings: frozenset[str] | set[str] | tuple[str, ...]) -> None:
        self.strings = frozenset(s for s in strings if s)
        split = _SPLITS.get(self.strings)
        if split is None:
            at: dict[str, list[tuple[str, int]]] = {}
            common: list[str] = []
            for s in sorted(self.strings, key=lambda x: (-len(x), x)):
                k = max(range(len(s)), key=lambda i: (_keyable(s[i]), char_rarity(s[i])))
                if _keyable(s[k]):
                    at.setdefault(s[k], []).append((s, k))
                else:
                    common.append(s)
            split = _SPLITS[self.strings] = (at, common)
        at, common = split
        self.at = at
        self.common = common
        self._keyed = frozenset(x for entries in at.values() for x, _ in entries)
        self._common = lazy(trie_regex(common)) if common else None

    def register(self, kind: str) -> None:
        """Join the union of a kind of draft now rather than at the first `find`."""
        union = _UNIONS["reply" if kind == "reply" else "post"]
        if self.strings not in union.members:
            union.add(self)

    def present(self, a: Analysis) -> tuple[frozenset[str], bool]:
        """(this set's keyed strings present in the draft, whether the shared scan saw any common
        string at all — this set's own common strings then still need a search)."""
        union = _UNIONS["reply" if a.kind == "reply" else "post"]
        if self.strings not in union.members:
            union.add(self)
        found, common_any = union.scan(a)
        return self._keyed & found, common_any and self._common is not None

    def find(self, a: Analysis) -> str | None:
        """One of the strings found in the draft's light view, or None."""
        union = _UNIONS["reply" if a.kind == "reply" else "post"]
        if self.strings not in union.members:
            union.add(self)  # the first time this set is used on this kind of draft
        found, common_any = union.scan(a)
        hit = self._keyed & found  # a set intersection in C: usually empty
        if hit:
            return min(hit)
        if common_any and self._common is not None:
            m = self._common.search(a.light)
            if m is not None:
                return m.group()
        return None

    def search(self, text: str) -> str | None:
        """The same search in any text, without the shared scan (tests, one-off use)."""
        for s in sorted(self.strings):
            if s in text:
                return s
        return None


class Context:
    """Sentences, quotations and token lookup of one draft (light view), each computed on first use."""

    __slots__ = ("_quotes", "_sentence_starts", "_sentences", "light", "tokens")

    def __init__(self, light: str, tokens: tuple[Token, ...]) -> None:
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
        return bisect_right(self.tokens, pos, key=_START) - 1

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
