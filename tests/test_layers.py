"""The layers of DESIGN.md: a lower module never imports a higher one; checks don't import each
other; nothing imports cli; only tokenize imports sudachipy; only checks/wordlist and
coderules/context (the shared cue scan) import ahocorasick_rs."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "fujisns_guard"

LAYER = {
    "model": 0,
    "records": 0,
    "schema": 0,
    "textpos": 1,
    "lazyre": 1,
    "normalize": 1,
    "tokenize": 1,
    "ruleset": 1,
    "validators": 1,
    "validators_extra": 1,
    "twitter_text": 1,
    "twitter_urls": 1,
    "platform_limits": 1,
    "dates": 1,
    "eras": 1,
    "alert_levels": 1,
    "policy": 1,
    "frontmatter": 1,
    "cachefile": 1,
    "plain": 0,
    "schema_common": 1,
    "ruleset_schema": 1,
    "policy_schema": 1,
    "frontmatter_schema": 1,
    "platform_schema": 1,
    "profile": 1,
    "quotes": 1,
    "checks": 2,
    "coderules": 2,
    "decide": 2,
    "scope": 2,
    "suppress": 2,
    "fix": 2,
    "settings": 2,
    "engine": 3,
    "report": 4,
    "cli": 5,
    "cli_policy": 5,
    "cli_common": 5,
    "cli_index": 5,
    "batch": 5,
    "cli_strip": 5,
    "photos": 1,
    "chieflog": 4,
    "cli_log": 5,
    "cli_serve": 5,
    "web": 5,
    "cli_fix": 5,
}


def _module_name(path: Path) -> str:
    return path.relative_to(SRC).with_suffix("").parts[0]


def _imports(path: Path) -> list[tuple[str, str]]:
    """(top-level package module, full dotted name) of every intra-package or external import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(SRC).with_suffix("").parts
    out: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level])
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:  # `from . import x` at package top
                    target = [a.name for a in node.names][:1]
                if target:
                    out.append((target[0], ".".join(target)))
            elif node.module:
                out.append((node.module.split(".")[0], node.module))
        elif isinstance(node, ast.Import):
            out.extend((a.name.split(".")[0], a.name) for a in node.names)
    return out


def test_layers_are_respected() -> None:
    problems = []
    for path in SRC.rglob("*.py"):
        me = _module_name(path)
        if me in ("__init__", "__main__"):
            continue
        assert me in LAYER, f"add {me} to LAYER in this test"
        for top, full in _imports(path):
            if top in LAYER and top != me and LAYER[top] > LAYER[me]:
                problems.append(f"{path.relative_to(SRC)} imports {full}")
            if top == "cli" and me != "cli" and me != "__main__":
                problems.append(f"{path.relative_to(SRC)} imports cli")
    assert not problems, problems


def test_checks_do_not_import_each_other() -> None:
    for path in (SRC / "checks").glob("*.py"):
        if path.name == "__init__.py":
            continue
        for _top, full in _imports(path):
            assert not full.startswith("checks."), f"{path.name} imports {full}"


def test_single_owners_of_third_party_engines() -> None:
    for path in SRC.rglob("*.py"):
        tops = {t for t, _ in _imports(path)}
        rel = path.relative_to(SRC).as_posix()
        if "sudachipy" in tops:
            assert rel == "tokenize.py", rel
        if "ahocorasick_rs" in tops:  # word lists, and the shared cue scan of the code rules
            assert rel in ("checks/wordlist.py", "coderules/context.py"), rel
