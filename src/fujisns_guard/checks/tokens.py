"""Token-sequence rules: patterns over Sudachi's surface, lemma, normalized form, POS, reading.

Japanese has no word boundaries for a regex to see; a sequence of morphemes does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Analysis, Hit, Token
from ..ruleset import Rule, TokenElement


def _matches(el: TokenElement, t: Token) -> bool:
    if el.surface is not None and t.surface not in el.surface:
        return False
    if el.lemma is not None and t.lemma not in el.lemma:
        return False
    if el.normalized is not None and t.normalized not in el.normalized:
        return False
    if el.reading is not None and t.reading not in el.reading:
        return False
    if el.pos is not None:
        pos = ",".join(t.pos)
        if not any(pos.startswith(p) for p in el.pos):
            return False
    return True


def _match_at(seq: list[TokenElement], tokens: Sequence[Token], i: int) -> int | None:
    """Index after the match of `seq` starting at token i, or None."""
    if not seq:
        return i
    el, rest = seq[0], seq[1:]
    if i < len(tokens) and _matches(el, tokens[i]):
        end = _match_at(rest, tokens, i + 1)
        if end is not None:
            return end
    if el.optional:
        return _match_at(rest, tokens, i)
    return None


def compile_rule(rule: Rule, _ruleset: object) -> Callable[[Analysis], list[Hit]]:
    sequences = rule.spec.sequences

    def check(a: Analysis) -> list[Hit]:
        hits: list[Hit] = []
        toks = a.tokens
        covered = -1
        for i in range(len(toks)):
            if toks[i].start < covered:
                continue
            for n, seq in enumerate(sequences):
                end = _match_at(seq, toks, i)
                if end is not None and end > i:
                    s, e = toks[i].start, toks[end - 1].end
                    hits.append(Hit(rule.id, s, e, a.light[s:e], f"形態素列{n + 1}に一致"))
                    covered = e
                    break
        return hits

    return check
