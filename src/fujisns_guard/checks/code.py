"""Rules written in code, for what data cannot say; `CODE_RULES` is a plain registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Analysis, Hit
from ..ruleset import Rule, RuleError

CodeFunction = Callable[[Analysis, Rule, dict[str, Any]], list[Hit]]
CODE_RULES: dict[str, CodeFunction] = {}


def code_rule(name: str) -> Callable[[CodeFunction], CodeFunction]:
    """Register a function under `name` for `kind = "code"` rules."""

    def register(fn: CodeFunction) -> CodeFunction:
        CODE_RULES[name] = fn
        return fn

    return register


def compile_rule(rule: Rule, _ruleset: object) -> Callable[[Analysis], list[Hit]]:
    fn = CODE_RULES.get(rule.spec.function)
    if fn is None:
        raise RuleError(rule.path, "function", f"unknown function {rule.spec.function!r} (one of {', '.join(sorted(CODE_RULES))})")
    params = dict(rule.spec.params)

    def check(a: Analysis) -> list[Hit]:
        return fn(a, rule, params)

    return check
