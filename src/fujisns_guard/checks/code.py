"""`kind = "code"` rules: look the function up in `coderules.FUNCTIONS` and bind the rule id."""

from __future__ import annotations

from collections.abc import Callable

from ..coderules import FUNCTIONS, PREPARE
from ..model import Analysis, Hit
from ..ruleset import Rule, RuleError


def compile_rule(rule: Rule, _ruleset: object) -> Callable[[Analysis], list[Hit]]:
    fn = FUNCTIONS.get(rule.spec.function)
    if fn is None:
        raise RuleError(rule.path, "function", f"unknown function {rule.spec.function!r} (one of {', '.join(sorted(FUNCTIONS))})")
    params = dict(rule.spec.params)
    rule_id = rule.id
    prepare = PREPARE.get(rule.spec.function)
    if prepare is not None:
        prepare(params, ("reply",) if rule.spec.reply_only else ("post", "reply"))

    def check(a: Analysis) -> list[Hit]:
        # Code functions leave rule_id empty; the rule that names them owns the hits.
        hits = fn(a, params)
        return [h._replace(rule_id=rule_id) for h in hits] if hits else hits

    return check
