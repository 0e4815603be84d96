"""`--format sarif`: valid SARIF 2.1.0 (the OASIS schema, copied to tests/data/), code-point
columns, levels, rules with help, suppressions, fixes, and no secret anywhere."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.report.sarif import artifact_uri, build_sarif, render_sarif

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
DATE = dt.date(2026, 11, 1)
SECRET = "Zq8vLmN3xT7!"

DRAFTS = {
    "drafts/看護.txt": "𠮷😀看護婦を募集します。\n11月23日(火)に説明会。\n",
    "drafts/secret.txt": f"職員向け。パスワード：{SECRET}\n子供向けの教室です。\n",
    "drafts/allowed.md": '---\n[[allow]]\nterm = "看護婦"\nreason = "歴史資料の引用"\n---\n昔は看護婦と呼ばれていました。\n',
    "drafts/clean.txt": "市民講座のお知らせです。\n",
}


def _validate(log: dict[str, Any]) -> None:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    errors = sorted(cls(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture(scope="module")
def log(guard: Guard) -> dict[str, Any]:
    reports = [guard.check(text, path=path, date=DATE) for path, text in DRAFTS.items()]
    return json.loads(render_sarif(reports, dict(DRAFTS)))


def _results(log: dict[str, Any], path_part: str) -> list[dict[str, Any]]:
    run = log["runs"][0]
    out = []
    for r in run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        if path_part in run["artifacts"][loc["artifactLocation"]["index"]]["properties"]["path"]:
            out.append(r)
    return out


def test_output_validates_against_the_official_schema(log: dict[str, Any]) -> None:
    _validate(log)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_columns_and_offsets_count_code_points_after_astral_characters(log: dict[str, Any]) -> None:
    text = DRAFTS["drafts/看護.txt"]
    [term] = [r for r in _results(log, "看護") if r["ruleId"] == "discriminatory.terms"]
    region = term["locations"][0]["physicalLocation"]["region"]
    # 𠮷 (U+20BB7) and 😀 are one code point each, two UTF-16 code units each.
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (1, 3, 1, 6)
    assert (region["charOffset"], region["charLength"]) == (2, 3)
    assert text[region["charOffset"] : region["charOffset"] + region["charLength"]] == "看護婦"
    assert len(text[:2].encode("utf-16-le")) // 2 == 4  # what utf16CodeUnits would have said
    [day] = [r for r in _results(log, "看護") if r["ruleId"] == "accuracy.dates"]
    region = day["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 7, 10)
    assert text[region["charOffset"] : region["charOffset"] + region["charLength"]] == "(火)"


def test_levels_follow_severities(log: dict[str, Any]) -> None:
    levels = {r["properties"]["severity"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels["error"] == "error"
    assert levels["info"] == "note"  # 子供 → 子ども is a style note
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["defaultConfiguration"]["level"] for r in rules} <= {"error", "warning", "note"}


def test_rules_carry_help_clause_and_source(log: dict[str, Any]) -> None:
    driver = log["runs"][0]["tool"]["driver"]
    rules = driver["rules"]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    terms = next(r for r in rules if r["id"] == "discriminatory.terms")
    assert terms["properties"]["category"] == "discriminatory" and terms["properties"]["clause"] == "G-RULE-4"
    assert "G-RULE-4" in terms["help"]["text"] and "出典" in terms["help"]["text"]
    assert terms["properties"]["source"] and terms["properties"]["source"] in terms["help"]["text"]
    assert terms["shortDescription"]["text"] and terms["fullDescription"]["text"]
    assert not [r["id"] for r in rules if "{" in r["help"]["text"]]  # message placeholders shown as …
    assert len({r["id"] for r in rules}) == len(rules) >= 40  # every shipped rule, once


def test_secrets_are_masked_everywhere(log: dict[str, Any]) -> None:
    dumped = json.dumps(log, ensure_ascii=False)
    assert SECRET[2:] not in dumped and SECRET[3:8] not in dumped
    [cred] = [r for r in _results(log, "secret") if r["properties"]["category"] == "credential"]
    assert "******" in cred["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]


def test_suppressed_findings_are_sarif_suppressions(log: dict[str, Any]) -> None:
    [term] = [r for r in _results(log, "allowed") if r["ruleId"] == "discriminatory.terms"]
    [sup] = term["suppressions"]
    assert sup["kind"] == "inSource" and "歴史資料の引用" in sup["justification"]
    assert term["locations"][0]["physicalLocation"]["region"]["startLine"] == 6  # front matter counted
    assert all("suppressions" not in r for r in _results(log, "看護"))


def test_decisions_and_invocation_are_properties(log: dict[str, Any]) -> None:
    run = log["runs"][0]
    routes = {a["properties"]["path"]: a["properties"]["route"] for a in run["artifacts"]}
    assert routes["drafts/看護.txt"] == "revise" and routes["drafts/allowed.md"] != "revise"
    assert run["invocations"][0]["executionSuccessful"] is True
    assert sum(run["invocations"][0]["properties"]["routes"].values()) == len(DRAFTS)
    assert run["artifacts"][0]["location"]["uri"] == "drafts/%E7%9C%8B%E8%AD%B7.txt"


def test_unambiguous_suggestions_are_sarif_fixes(log: dict[str, Any]) -> None:
    results = _results(log, "看護")
    fixed = {r["ruleId"]: r["fixes"][0]["artifactChanges"][0]["replacements"][0] for r in results if "fixes" in r}
    assert fixed["discriminatory.terms"]["insertedContent"]["text"] == "看護師"
    assert fixed["discriminatory.terms"]["deletedRegion"] == {"charOffset": 2, "charLength": 3}
    assert fixed["accuracy.dates"]["insertedContent"]["text"] == "(月)"
    info = [r for r in log["runs"][0]["results"] if r["level"] == "note"]
    assert info and all("fixes" not in r for r in info)


def test_cli_sarif(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("看護婦を募集します。\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(draft), "--format", "sarif"], out=out, err=err) == 1
    log = json.loads(out.getvalue())
    _validate(log)
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == draft.as_uri()
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["discriminatory.terms"]


def test_a_rule_outside_the_shipped_set_is_described_from_its_findings(guard: Guard) -> None:
    report = guard.check("看護婦を募集します。")
    log = build_sarif([report], {"-": "看護婦を募集します。"}, rules={})
    _validate(log)
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "discriminatory.terms" and rule["properties"]["clause"] == "G-RULE-4"
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "-"


@pytest.mark.parametrize(
    ("path", "uri"),
    [("a b/下書き.txt", "a%20b/%E4%B8%8B%E6%9B%B8%E3%81%8D.txt"), ("/tmp/x.txt", "file:///tmp/x.txt"), ("d\\x.md", "d/x.md")],
)
def test_artifact_uris(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


@settings(max_examples=40)
@given(st.text(alphabet=st.sampled_from(list("𠮷😀あ\r\n ab看護婦")), max_size=30))
def test_regions_slice_the_text_for_any_draft(guard: Guard, text: str) -> None:
    text = text + "看護婦"
    report = guard.check(text, date=DATE)
    log = build_sarif([report], {"-": text})
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for r in log["runs"][0]["results"]:
        region = r["locations"][0]["physicalLocation"]["region"]
        span = text[region["charOffset"] : region["charOffset"] + region["charLength"]]
        assert span == region["snippet"]["text"]
        line = lines[region["startLine"] - 1]
        if region["startLine"] == region["endLine"]:
            assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == span


def test_a_policy_allowed_term_is_an_external_suppression(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "policy" / "guard.toml"
    policy = tmp_path / "guard.toml"
    extra = '\n[[allowed_terms]]\nterm = "看護婦"\nreason = "郷土資料館の展示名"\n'
    policy.write_text(example.read_text(encoding="utf-8") + extra, encoding="utf-8")
    text = "看護婦の歴史展を開きます。"
    report = Guard(str(policy)).check(text)
    log = build_sarif([report], {"-": text})
    _validate(log)
    [term] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "discriminatory.terms"]
    assert term["suppressions"][0]["kind"] == "external" and "郷土資料館の展示名" in term["suppressions"][0]["justification"]


_SECRET_ALPHABET = list("abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%")
_SECRET_CORE = st.text(alphabet=st.sampled_from(_SECRET_ALPHABET), min_size=6, max_size=18)


@settings(max_examples=60)
@given(st.sampled_from(["パスワード：", "パスワード: ", "PW=", "password = ", "暗証番号は"]), _SECRET_CORE)
def test_no_secret_reaches_the_sarif_even_when_another_finding_quotes_it(guard: Guard, label: str, core: str) -> None:
    secret = core + "7!"
    texts = (f"職員向けのお知らせです。{label}{secret}\n本日は晴天です。", f"お知らせ。パスワード: aa2AA2AA2AAAAAAAAA{secret}")
    for text in texts:
        report = guard.check(text)
        assert any(f.category == "credential" for f in report.findings)
        dumped = render_sarif([report], {"-": text})
        assert secret[2:] not in dumped
    # Latin letters are also "a text in another language": that finding quotes the same span
    text = "職員向けのお知らせです。パスワード: aa2AA2AA2AAAAAAAAA7!\n本日は晴天です。"
    report = guard.check(text)
    assert {f.rule_id for f in report.findings if f.start == 19} >= {"credential.labelled"}
    assert "2AA2AA2AAAAAAAAA7!" not in render_sarif([report], {"-": text})
