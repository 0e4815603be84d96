"""The rule kinds and options no shipped rule uses yet: token sequences, every pattern option,
unknown functions and validators (docs/rules.md promises all of them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fujisns_guard import Guard
from fujisns_guard.ruleset import RuleError

TOKENS = """
kind = "tokens"
category = "tone"
clause = "G-TROUBLE-1"
message = "「{match}」は命令口調です。"
reason = "理由"
sequences = [
  [{ lemma = "ふざける" }],
  [{ surface = ["黙れ", "だまれ"] }],
  [{ pos = "名詞,普通名詞", reading = "バカ" }],
  [{ normalized = "下さる", optional = true }],
  [{ surface = "お", optional = true }, { lemma = "静か" }, { surface = "に" }],
]
[[examples]]
text = "ふざけるな"
expect = ["ふざける"]
[[examples]]
text = "ありがとうございます"
expect = []
"""

PATTERN = """
kind = "pattern"
category = "{category}"
clause = "G-RULE-3"
message = "「{{match}}」"
reason = "理由"
{extra}
[[examples]]
text = "x"
expect = []
[[examples]]
text = "y"
expect = ["y"]
"""


def _guard(tmp_path: Path, files: dict[str, str]) -> Guard:
    for name, text in files.items():
        path = tmp_path / "rules" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "wordlists").mkdir(exist_ok=True)
    return Guard(rules_dir=tmp_path / "rules", wordlists_dir=tmp_path / "wordlists")


def _found(guard: Guard, text: str) -> list[tuple[str, str]]:
    return [(f.rule_id, text[f.start : f.end]) for f in guard.check(text).findings]


def test_token_sequences_match_lemma_surface_pos_and_reading(tmp_path: Path) -> None:
    guard = _guard(tmp_path, {"tone/seq.toml": TOKENS})
    assert _found(guard, "ふざけた対応です。") == [("tone.seq", "ふざけ")]  # a conjugated form, by lemma
    assert _found(guard, "黙れと言われた。") == [("tone.seq", "黙れ")]
    assert _found(guard, "バカにしないで") == [("tone.seq", "バカ")]
    assert _found(guard, "ご確認下さい。") == [("tone.seq", "下さい")]  # by normalized form (下さる)
    assert _found(guard, "会場へお越しいただけます。") == []


def test_an_optional_element_is_taken_when_present(tmp_path: Path) -> None:
    guard = _guard(tmp_path, {"tone/seq.toml": TOKENS})
    assert _found(guard, "お静かにお願いします。") == [("tone.seq", "お静かに")]
    assert _found(guard, "静かにしてね。") == [("tone.seq", "静かに")]
    assert _found(guard, "静かな町です。") == []  # the last element (に) is not optional


def test_pattern_options_exclude_group_context_validator_case_and_folded(tmp_path: Path) -> None:
    files = {
        "personal_info/card.toml": PATTERN.format(
            category="personal_info",
            extra="patterns = ['(?<![0-9])([0-9]{4})-([0-9]{4})-([0-9]{4})-([0-9]{4})(?![0-9])']\n"
            "exclude = ['見本[^。]*']\nvalidator = 'luhn'\ncontext = ['カード']\nwindow = 10\nsecret = true",
        ).replace('text = "y"\nexpect = ["y"]', 'text = "カード 4111-1111-1111-1111"\nexpect = ["4111-1111-1111-1111"]'),
        "personal_info/code.toml": PATTERN.format(
            category="personal_info", extra="patterns = ['ID:(?<id>[a-z]+)']\ngroup = 'id'\nignore_case = true"
        ).replace('text = "y"\nexpect = ["y"]', 'text = "id:abc"\nexpect = ["abc"]'),
        "tone/kana.toml": PATTERN.format(category="tone", extra="patterns = ['バカ']\nview = 'folded'").replace(
            'text = "y"\nexpect = ["y"]', 'text = "バカ"\nexpect = ["バカ"]'
        ),
    }
    guard = _guard(tmp_path, files)
    card = "カード 4111-1111-1111-1111"
    report = guard.check(card)
    [f] = [f for f in report.findings if f.rule_id == "personal_info.card"]
    assert card[f.start : f.end] == "4111-1111-1111-1111" and "******" in f.excerpt  # secret: masked
    assert "検証 luhn 合格" in f.explanation and "文脈語あり" in f.explanation
    assert _found(guard, "カード 4111-1111-1111-1112") == []  # fails the check digit
    assert _found(guard, "番号 4111-1111-1111-1111") == []  # no context word near
    assert _found(guard, "カード見本 4111-1111-1111-1111。") == []  # excluded
    assert _found(guard, "Id:XyZ を入力") == [("personal_info.code", "XyZ")]  # named group, any case
    assert _found(guard, "ﾊﾞｶ") == [("tone.kana", "ﾊﾞｶ")]  # folded view, mapped back to the original


def test_nested_pattern_hits_are_reported_once(tmp_path: Path) -> None:
    rule = PATTERN.format(category="tone", extra="patterns = ['あいう', 'い']").replace(
        'text = "y"\nexpect = ["y"]', 'text = "あいう"\nexpect = ["あいう"]'
    )
    guard = _guard(tmp_path, {"tone/nest.toml": rule})
    assert _found(guard, "あいうとい") == [("tone.nest", "あいう"), ("tone.nest", "い")]


def test_unknown_validator_and_function_fail_at_load(tmp_path: Path) -> None:
    bad_validator = PATTERN.format(category="tone", extra="patterns = ['y']\nvalidator = 'nope'")
    with pytest.raises(RuleError, match="unknown validator 'nope'"):
        _guard(tmp_path / "a", {"tone/v.toml": bad_validator})
    bad_function = (
        'kind = "code"\ncategory = "tone"\nclause = "G-RULE-4"\nfunction = "no_such_function"\nmessage = "m"\nreason = "r"\n'
        '[[examples]]\ntext = "x"\nexpect = []\n[[examples]]\ntext = "y"\nexpect = ["y"]\n'
    )
    with pytest.raises(RuleError, match="unknown function 'no_such_function'") as info:
        _guard(tmp_path / "b", {"tone/f.toml": bad_function})
    assert "\n" not in str(info.value)
