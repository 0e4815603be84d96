"""Word-list matching with Aho–Corasick automata (ahocorasick_rs).

Two passes, one automaton each, both linear in the draft and independent of the list size:

* the **surface** pass runs over the folded view (kana, width, long vowels folded; invisible
  characters and spaces inserted to dodge the filter removed), then keeps a hit only when it is a
  word of the draft: not excused by an exception around it, on Sudachi morpheme (or word)
  boundaries, read as the term is read, and not a noun term found inside a verb (めくら in
  めくらない);
* the **lemma** pass runs over the dictionary forms of the tokens, to catch conjugated forms of
  terms written in dictionary form (ぶっ殺す → ぶっ殺した).

A term quoted as a word under discussion (「片手落ち」という表現) is reported as `info`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ahocorasick_rs import AhoCorasick, Implementation

from ..lazyre import lazy_regex
from ..model import SEVERITY_RANK, Analysis, Hit
from ..normalize import fold_kana, fold_term
from ..ruleset import Rule, RuleSet, Term, memo
from ..tokenize import fine_parts, term_shape

_INFLECTING = frozenset({"動詞", "形容詞", "助動詞"})
_CONJUGATING = frozenset({"動詞", "形容詞"})
# 「term」という言葉 / 『term』などの表現 …: the term is the subject of the sentence, not used.
_DISCUSSED = lazy_regex(
    r"\s*(?:という|といった|とか|との|など(?:の|と)?|等の|は|も|って)?\s*"
    r"(?:言葉|ことば|表現|呼び方|呼称|言い方|単語|用語|語|差別語|不快語|表記)"
    # a renaming: 「看護婦」から「看護師」に（変わった）, 「A」→「B」へ
    r"|\s*(?:から|→|->)\s*[「『][^」』\n]{1,15}[」』]\s*(?:に|へ|と)"
)
_QUOTES = {"「": "」", "『": "』", "“": "”", '"': '"', "(": ")", "〈": "〉", "《": "》", "【": "】", "'": "'"}


_LemmaIndex = dict[str, list[tuple[int, tuple[str, ...]]]]
_NOUN, _ANY_POS = -1, -2  # markers in the automaton's values (offsets of exceptions are ≥ 0)


class _Surface:
    """The folded spellings and exceptions of one list, and for each what it stands for."""

    __slots__ = ("automaton", "values")

    def __init__(self, keys: list[str], values: list[tuple[tuple[int, int], ...]]) -> None:
        # key index → [(term index, offset in exception | _NOUN | _ANY_POS)]
        self.values = values
        self.automaton = AhoCorasick(keys, implementation=Implementation.DFA)


@dataclass(frozen=True, slots=True)
class _TermInfo:
    term: Term
    reading: str | None


# The folded form of each term and exception (~30 ms for all lists), kept in the rule cache.
_FOLDED = memo("wordlist.fold_term")


def _folded(text: str) -> str:
    folded: str | None = _FOLDED.get(text)
    if folded is None:
        folded = _FOLDED[text] = fold_term(text)
    return folded


def compile_rule(rule: Rule, ruleset: RuleSet) -> Callable[[Analysis], list[Hit]]:
    """Build the automata of a wordlist rule once; return the per-draft check."""
    infos: list[_TermInfo] = []
    surface_keys: dict[str, list[tuple[int, int]]] = {}  # key → [(term index, offset in exception | _NOUN | _ANY_POS)]
    lemma_keys: _LemmaIndex = {}  # last lemma → [(term index, all lemmas)]
    for idx, term in enumerate(ruleset.terms_for(rule)):
        infos.append(_TermInfo(term, fold_kana(term.reading) if term.reading else None))
        folded_spellings = [_folded(s) for s in term.spellings]
        for spelling, key in zip(term.spellings, folded_spellings, strict=True):
            # A spelling with no inflecting morpheme of its own is a noun: never inside a verb.
            noun_only = not any(p in _INFLECTING for p in term_shape(spelling).pos0)
            surface_keys.setdefault(key, []).append((idx, _NOUN if noun_only else _ANY_POS))
        for exc in term.exceptions:
            key = _folded(exc)
            for s in folded_spellings:
                pos = key.find(s)
                while pos != -1:
                    surface_keys.setdefault(key, []).append((idx, pos))
                    pos = key.find(s, pos + 1)
        for spelling in term.spellings:
            shape = term_shape(spelling)
            if shape.pos0 and shape.pos0[-1] in _CONJUGATING and shape.surfaces[-1] == shape.lemmas[-1]:
                lemmas = tuple(fold_kana(x) for x in shape.lemmas)
                lemma_keys.setdefault(lemmas[-1], []).append((idx, lemmas))
    # A deterministic automaton (ahocorasick_rs): one pass in native code whatever the size of the
    # list; pyahocorasick cost 3–5× as much on Japanese text (docs/architecture.md).
    surface = _Surface(list(surface_keys), [tuple(v) for v in surface_keys.values()]) if surface_keys else None
    message = rule.spec.message

    def check(a: Analysis) -> list[Hit]:
        return _check(a, rule.id, message, infos, surface, lemma_keys)

    return check


def _check(
    a: Analysis,
    rule_id: str,
    message: str,
    infos: list[_TermInfo],
    surface: _Surface | None,
    lemma_keys: _LemmaIndex,
) -> list[Hit]:
    found: dict[tuple[int, int, int], str] = {}
    if surface is not None:
        term_hits: list[tuple[int, int, int, bool]] = []
        excused: set[tuple[int, int]] = set()
        values_of = surface.values
        for k, start, end in surface.automaton.find_matches_as_indexes(a.folded, overlapping=True):
            for idx, offset in values_of[k]:
                if offset < 0:
                    term_hits.append((idx, start, end, offset == _NOUN))
                else:
                    excused.add((idx, start + offset))
        ctx = _Context(a) if term_hits else None
        for idx, fs, fe, noun_only in term_hits:
            if ctx is None or (idx, fs) in excused:
                continue
            ls, le = a.norm.folded_to_light_span(fs, fe)
            why = ctx.accept(infos[idx], ls, le, noun_only)
            if why is not None:
                found.setdefault((idx, ls, le), why)
    if lemma_keys:
        for key, value in _lemma_hits(a, lemma_keys):
            found.setdefault(key, value)
    if not found:
        return []
    if len(found) > 1:
        found = _outermost(found, infos)
    ordered = sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    return [_hit(a, rule_id, message, infos[idx].term, ls, le, why) for (idx, ls, le), why in ordered]


def _outermost(found: dict[tuple[int, int, int], str], infos: list[_TermInfo]) -> dict[tuple[int, int, int], str]:
    """Drop a term found inside a longer term of the same list that is at least as severe
    (秘 inside 社外秘): one finding for one word. A more severe term inside stays."""
    spans = [(ls, le, SEVERITY_RANK[infos[idx].term.severity]) for idx, ls, le in found]
    return {
        key: why
        for key, why in found.items()
        if not any(
            s <= key[1] and key[2] <= e and (s, e) != (key[1], key[2]) and rank >= SEVERITY_RANK[infos[key[0]].term.severity]
            for s, e, rank in spans
        )
    }


def _conjugating(a: Analysis) -> list[tuple[int, str]]:
    """(index, folded dictionary form) of every verb and adjective: shared by the rules."""
    found: list[tuple[int, str]] | None = a.cache.get("wordlist.conjugating")
    if found is None:
        toks = a.tokens  # the part-of-speech column and Sudachi's word ids: no Token objects
        idx = [i for i, p in enumerate(toks.pos) if p[0] in _CONJUGATING]
        # one translate for all the dictionary forms (they hold no line break)
        folded = fold_kana("\n".join([toks.lemma(i) for i in idx])).split("\n") if idx else []
        found = list(zip(idx, folded, strict=True))
        a.cache["wordlist.conjugating"] = found
    return found


def _lemma_hits(a: Analysis, index: _LemmaIndex) -> list[tuple[tuple[int, int, int], str]]:
    """Conjugated forms: a verb/adjective whose dictionary form ends a term, preceded by the
    term's other morphemes (compared by dictionary form too)."""
    out = []
    tokens = a.tokens
    for i, lemma in _conjugating(a):
        entries = index.get(lemma)
        if not entries:
            continue
        for idx, lemmas in entries:  # the morphemes before, by dictionary form (no Token objects)
            first = i - len(lemmas) + 1
            if first < 0:
                continue
            if all(fold_kana(tokens.lemma(first + k)) == lemmas[k] for k in range(len(lemmas) - 1)):
                out.append(((idx, tokens.starts[first], tokens.ends[i]), "活用形（辞書形で一致）"))
    return out


class _Context:
    """Token boundaries of one draft, with fine (mode A) splits computed only where needed."""

    def __init__(self, a: Analysis) -> None:
        self.a = a
        self.token_starts = a.tokens.starts
        self._fine: dict[int, list[tuple[int, int, str]]] = {}

    def _token_at(self, pos: int) -> int:
        return bisect_right(self.token_starts, pos) - 1

    def _fine_of(self, ti: int) -> list[tuple[int, int, str]]:
        parts = self._fine.get(ti)
        if parts is None:
            parts = fine_parts(self.a.tokens[ti])
            self._fine[ti] = parts
        return parts

    def _units(self, ls: int, le: int, fine: bool) -> list[tuple[int, int, str]] | None:
        """The (fine) morphemes exactly covering [ls, le), or None if it cuts one."""
        units: list[tuple[int, int, str]] = []
        ti = self._token_at(ls)
        if ti < 0:
            return None
        while ti < len(self.a.tokens) and self.a.tokens[ti].start < le:
            t = self.a.tokens[ti]
            if t.start >= ls and t.end <= le:
                units.append((t.start, t.end, t.reading))
            elif fine:
                units.extend(p for p in self._fine_of(ti) if p[0] < le and p[1] > ls)
            else:
                return None
            ti += 1
        if not units or units[0][0] != ls or units[-1][1] != le:
            return None
        return units

    def accept(self, info: _TermInfo, ls: int, le: int, noun_only: bool) -> str | None:
        """Why the hit counts, or None when it is part of an innocent word."""
        term = info.term
        toks = self.a.tokens
        bridged = (le - ls) > len(fold_term(self.a.light[ls:le]))  # spaces inserted to dodge
        if bridged:
            # キ チ ガ イ: the letters are separate morphemes; only the outer ends must be
            # word boundaries, and no reading can be checked.
            if self._units(ls, le, fine=True) is None:
                return None
            return f"境界={term.boundary}、文字間の空白・記号を除いて一致"
        if noun_only and toks:
            ti = max(self._token_at(ls), 0)
            while ti < len(toks) and toks[ti].start < le:
                if toks[ti].pos[0] in _INFLECTING:
                    return None  # めくら inside めくらない
                ti += 1
        units = None
        if term.boundary != "any" or info.reading:
            units = self._units(ls, le, fine=term.boundary != "word")
            if units is None:
                return None
        why = f"境界={term.boundary}"
        if info.reading:
            assert units is not None
            read = fold_kana("".join(u[2] for u in units))
            if read != info.reading:
                return None
            why += f"、読み={info.reading}"
        return why


def _discussed(light: str, ls: int, le: int) -> bool:
    """The term stands alone in quotation brackets followed by 「という言葉」 and the like."""
    if ls == 0 or le >= len(light):
        return False
    close = _QUOTES.get(light[ls - 1])
    if close is None:
        return False
    end = light.find(close, le, le + 5)  # bounded: a draft with many hits stays linear
    if end == -1:
        return False
    return bool(_DISCUSSED.match(light, end + 1))


def _hit(a: Analysis, rule_id: str, message: str, term: Term, ls: int, le: int, why: str) -> Hit:
    matched = a.light[ls:le]
    severity: str = term.severity
    detail = f"語リスト {term.list_name}:「{term.term}」に一致（{why}）"
    if term.source:
        detail += f"。出典: {term.source}"
    if _discussed(a.light, ls, le):
        severity = "info"
        detail += "。「」で括られ、言葉として論じられているため info"
    alts = "、".join(f"「{x}」" for x in term.alternatives) or "（言い換えを検討）"
    return Hit(
        rule_id,
        ls,
        le,
        matched,
        detail,
        category=term.category,
        severity=severity,
        message=message.format(match=matched, term=term.term, alternatives=alts),
        reason=term.reason,
        suggestions=tuple(term.alternatives),
    )
