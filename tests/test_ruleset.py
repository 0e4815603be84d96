"""A broken rule or word-list file fails at load, naming the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from fujisns_guard.ruleset import RuleError, load_ruleset

GOOD_RULE = """
kind = "wordlist"
category = "discriminatory"
clause = "G-RULE-4"
lists = ["discriminatory_*.toml"]
message = "「{match}」"
reason = "理由"
[[examples]]
text = "看護婦"
expect = ["看護婦"]
"""
GOOD_LIST = """
[defaults]
category = "discriminatory"
source = "test"
[[term]]
term = "看護婦"
reason = "旧称"
alternatives = ["看護師"]
"""


def _tree(tmp_path: Path, rule: str = GOOD_RULE, wordlist: str = GOOD_LIST) -> tuple[Path, Path]:
    rules = tmp_path / "rules" / "discriminatory"
    rules.mkdir(parents=True)
    (rules / "terms.toml").write_text(rule, encoding="utf-8")
    lists = tmp_path / "wordlists"
    lists.mkdir()
    (lists / "discriminatory_test.toml").write_text(wordlist, encoding="utf-8")
    return tmp_path / "rules", lists


def _error(tmp_path: Path, **kw: str) -> str:
    rules, lists = _tree(tmp_path, **kw)
    with pytest.raises(RuleError) as info:
        load_ruleset(rules, lists)
    text = str(info.value)
    assert "\n" not in text
    return text


def test_good_tree_loads_and_id_comes_from_path(tmp_path: Path) -> None:
    rs = load_ruleset(*_tree(tmp_path))
    assert [r.id for r in rs.rules] == ["discriminatory.terms"]
    assert rs.version.startswith("sha256:")


def test_version_changes_with_any_data_file(tmp_path: Path) -> None:
    a = load_ruleset(*_tree(tmp_path / "a")).version
    b = load_ruleset(*_tree(tmp_path / "b", wordlist=GOOD_LIST.replace("旧称", "旧い呼称"))).version
    assert a != b


def test_unknown_key(tmp_path: Path) -> None:
    msg = _error(tmp_path, rule='colour = "red"\n' + GOOD_RULE)
    assert msg == "rules/discriminatory/terms.toml: colour: Extra inputs are not permitted"
    msg = _error(tmp_path / "x", rule=GOOD_RULE + 'colour = "red"\n')
    assert msg.startswith("rules/discriminatory/terms.toml: examples[0].colour:")


def test_bad_regex_names_the_pattern(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace('kind = "wordlist"', 'kind = "pattern"').replace(
        'lists = ["discriminatory_*.toml"]', "patterns = ['ok', '(unclosed']"
    )
    assert "patterns: [1] does not compile" in _error(tmp_path, rule=rule)


def test_unknown_clause(tmp_path: Path) -> None:
    assert "clause: unknown clause 'G-NOPE'" in _error(tmp_path, rule=GOOD_RULE.replace("G-RULE-4", "G-NOPE"))


def test_category_must_match_folder(tmp_path: Path) -> None:
    msg = _error(tmp_path, rule=GOOD_RULE.replace('category = "discriminatory"', 'category = "broadcast"'))
    assert "category" in msg


def test_toml_syntax_error(tmp_path: Path) -> None:
    assert "TOML syntax" in _error(tmp_path, rule="kind = ")


def test_empty_reason_in_word_list(tmp_path: Path) -> None:
    msg = _error(tmp_path, wordlist=GOOD_LIST.replace('reason = "旧称"', 'reason = " "'))
    assert msg == "wordlists/discriminatory_test.toml: term[0].reason: must not be empty"


def test_reading_must_be_katakana(tmp_path: Path) -> None:
    msg = _error(tmp_path, wordlist=GOOD_LIST + 'reading = "かんごふ"\n')
    assert "term[0].reading" in msg


def test_exception_must_contain_term(tmp_path: Path) -> None:
    msg = _error(tmp_path, wordlist=GOOD_LIST + 'exceptions = ["看護師長"]\n')
    assert "term[0].exceptions[0]" in msg


def test_duplicate_terms_after_folding(tmp_path: Path) -> None:
    dup = GOOD_LIST + '[[term]]\nterm = "かんごふ"\nreason = "x"\n'
    dup = dup.replace('term = "看護婦"', 'term = "カンゴフ"')
    assert "duplicate" in _error(tmp_path, wordlist=dup)


def test_missing_examples(tmp_path: Path) -> None:
    rule = GOOD_RULE.split("[[examples]]")[0]
    assert "examples" in _error(tmp_path, rule=rule)
