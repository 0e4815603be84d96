"""The library's contract: `Report.model_dump_json()` is the `--format json` object, the JSON
Schema in docs/report.schema.json is the one generated from `Report`, the examples of
docs/api.md run, and a `Guard` shared across threads gives the same reports.

After changing `Report` (or `Finding`, `Decision` …), regenerate the schema:

    python tests/test_api_contract.py --write
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from fujisns_guard import Guard, Report
from fujisns_guard.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "report.schema.json"
API_DOC = ROOT / "docs" / "api.md"
DATE = dt.date(2026, 11, 1)

DRAFT = (
    '---\nplatform = ["x"]\n[[allow]]\nterm = "富士 一郎"\nreason = "本人の同意を得て公表済み"\n---\n'
    "11月23日(火)に看護婦を募集します。富士 一郎さんが講師です。パスワード：Zq8vLmN3xT7!\r\n"
    "子供向けの教室もあります。詳しくは http://example.com/ まで。\n"
)


def generate_schema() -> str:
    """docs/report.schema.json: the JSON Schema of one Report (`--format json` is a list of them)."""
    schema = Report.model_json_schema(mode="serialization")
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated from fujisns_guard.model.Report by `python tests/test_api_contract.py --write`; "
        "`guard check --format json` prints a list of these objects (docs/output.md).",
        **schema,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.is_file(), "run: python tests/test_api_contract.py --write"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generate_schema(), (
        "Report changed: run `python tests/test_api_contract.py --write` and commit docs/report.schema.json"
    )


@pytest.fixture(scope="module")
def cli_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("contract")
    draft = folder / "draft.md"
    draft.write_bytes(DRAFT.encode("utf-8"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder):  # no guard.toml here: no city policy, like Guard()
        code = main(["check", str(draft), "--format", "json", "--date", DATE.isoformat()], out, err)
    assert code == 1, err.getvalue()
    [obj] = json.loads(out.getvalue())
    return draft, obj


def test_model_dump_json_is_the_cli_json_object(guard: Guard, cli_report: tuple[Path, dict[str, Any]]) -> None:
    draft, obj = cli_report
    report = guard.check(draft.read_bytes().decode("utf-8"), path=str(draft), date=DATE)
    assert json.loads(report.model_dump_json()) == obj
    assert Report.model_validate_json(report.model_dump_json()) == report  # and it reads back
    assert obj["findings"] and any(f["suppressed"] for f in obj["findings"])  # the contract covers a real report


def test_reports_validate_against_the_schema(cli_report: tuple[Path, dict[str, Any]]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    _draft, obj = cli_report
    validator.validate(obj)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**obj, "findings": [{**obj["findings"][0], "severity": "fatal"}]})


def test_guard_shared_across_threads_with_different_options(guard: Guard) -> None:
    """Per-call options (kind, date, platforms) touch the Guard's memo dicts from every thread."""
    jobs = [
        (
            f"{i}件目：11月{20 + i % 5}日(火)に看護婦を募集します。",
            "reply" if i % 2 else "post",
            dt.date(2026, 1 + i % 12, 1),
            ["x"] if i % 3 else None,
        )
        for i in range(48)
    ]

    def run(job: tuple[str, Any, dt.date, list[str] | None]) -> dict[str, Any]:
        text, kind, date, platforms = job
        return guard.check(text, kind=kind, date=date, platforms=platforms).model_dump()

    expected = [run(j) for j in jobs]
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(run, jobs)) == expected


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_the_examples_of_docs_api_md_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples name files of the repository (examples/policy/guard.toml)
    blocks = _python_blocks(API_DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    for i, block in enumerate(blocks):
        out = io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        namespace: dict[str, Any] = {"__name__": f"api_md_{i}"}
        exec(compile(block, f"docs/api.md[{i}]", "exec"), namespace)  # the documentation must run


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SCHEMA_FILE.write_text(generate_schema(), encoding="utf-8")
        print(f"wrote {SCHEMA_FILE.relative_to(ROOT)}")
    else:
        print(generate_schema(), end="")
