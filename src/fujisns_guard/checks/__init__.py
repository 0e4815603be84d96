"""Detectors, one module per rule kind; `KINDS` maps a rule's `kind` to its compiler."""

from __future__ import annotations

from collections.abc import Callable

from ..coderules.context import effective_policy
from ..model import Analysis, Hit
from ..ruleset import Rule, RuleSet, save_memos
from . import code, pattern, tokens, wordlist

Check = Callable[[Analysis], list[Hit]]

KINDS: dict[str, Callable[[Rule, RuleSet], Check]] = {
    "wordlist": wordlist.compile_rule,
    "pattern": pattern.compile_rule,
    "tokens": tokens.compile_rule,
    "code": code.compile_rule,
}


def compile_all(ruleset: RuleSet) -> list[tuple[Rule, Check]]:
    """Compile every rule of the set (automata, regexes) once; keep what the compilers derived
    in the rule cache for the next start."""
    compiled = [(rule, KINDS[rule.spec.kind](rule, ruleset)) for rule in ruleset.rules]
    try:
        effective_policy(None)  # the default policy joins the cache (its validation is slow)
    except Exception:  # a broken default policy is reported where it is used
        pass
    save_memos(ruleset)
    return compiled
