"""pydantic validates, plain objects run (docs/architecture.md): each plain class the pipeline
runs on has exactly the fields and defaults of the pydantic schema that validates its data, the
front matter's fast path builds exactly what the schema builds, and a policy file is validated
once, then read from the cache wherever it lies."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import pickle
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from fujisns_guard import (
    cachefile,
    frontmatter,
    frontmatter_schema,
    platform_limits,
    platform_schema,
    policy,
    policy_schema,
    ruleset,
    ruleset_schema,
)
from fujisns_guard.frontmatter import FrontMatterError, parse_front_matter
from fujisns_guard.plain import REQUIRED, Record, record_fields
from fujisns_guard.plain import _init as plain_init
from fujisns_guard.plain import field as plain_field
from fujisns_guard.policy import AccountPolicy, PolicyError, load_policy, load_policy_from_pyproject, policy_from_data
from fujisns_guard.schema_common import to_plain

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _plain_fields(cls: type[Record]) -> list[tuple[str, Any]]:
    return record_fields(cls)


def _schema_fields(cls: type[BaseModel], names: dict[str, type]) -> list[tuple[str, Any]]:
    out = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:  # a nested model's default: compared as its twin
            out.append((name, to_plain(info.default_factory(), names)))  # type: ignore[call-arg]
        elif info.default is PydanticUndefined:
            out.append((name, REQUIRED))
        else:
            out.append((name, info.default))
    return out


def _models(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__
    }


PAIRS = [
    (ruleset, ruleset_schema, ruleset.PLAIN_SPECS),
    (policy, policy_schema, policy.PLAIN_MODELS),
    (frontmatter, frontmatter_schema, frontmatter.PLAIN_MODELS),
]


@pytest.mark.parametrize(("plain", "schema", "names"), PAIRS, ids=lambda x: getattr(x, "__name__", ""))
def test_every_plain_twin_has_the_fields_and_defaults_of_its_schema(
    plain: ModuleType, schema: ModuleType, names: dict[str, type]
) -> None:
    assert names, "no twins registered"
    for name, cls in names.items():
        assert getattr(plain, name) is cls
        assert _plain_fields(cls) == _schema_fields(getattr(schema, name), names), name


def test_every_schema_that_is_converted_has_a_twin() -> None:
    """A model added to a schema module needs its plain twin (or a leading _ if it is only an
    input shape that is never run on)."""
    assert {n for n in _models(policy_schema)} == set(policy.PLAIN_MODELS)
    assert {n for n in _models(frontmatter_schema)} == set(frontmatter.PLAIN_MODELS)
    assert {n for n in _models(ruleset_schema) if not n.startswith("_")} == set(ruleset.PLAIN_SPECS)


def test_platform_limit_has_the_fields_of_a_platform_table() -> None:
    assert platform_limits.PlatformLimit._fields == ("platform", *platform_schema.PlatformFile.model_fields)


def test_the_default_policy_and_platforms_are_plain() -> None:
    assert type(policy.default_policy()) is AccountPolicy
    assert all(type(p) is platform_limits.PlatformLimit for p in platform_limits.platforms().values())


def _walk(value: Any) -> Any:
    yield value
    if isinstance(value, Record):
        for name in value._fields:
            yield from _walk(getattr(value, name))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _walk(v)


def test_the_loaded_rule_set_holds_no_pydantic_object() -> None:
    rules = ruleset.load_ruleset(cache=False)
    assert not [v for v in _walk(rules) if isinstance(v, BaseModel)]
    kinds = {type(r.spec) for r in rules.rules}
    assert kinds <= set(ruleset.PLAIN_SPECS.values())
    assert b"pydantic" not in pickle.dumps(rules)


def test_the_rule_cache_file_never_refers_to_pydantic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpickling the rule cache must not import pydantic: no class of it may be in the file."""
    from fujisns_guard.checks import compile_all

    monkeypatch.setenv(cachefile.CACHE_ENV, str(tmp_path))
    compile_all(ruleset.load_ruleset())  # the compilers' derived data and the default policy join it
    (entry,) = tmp_path.glob("*.pickle")
    assert b"pydantic" not in entry.read_bytes()
    assert b"fujisns_guard.policy" in entry.read_bytes()  # the default policy, as a plain object


def test_a_validation_error_still_names_the_file_and_the_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules" / "tone"
    rules.mkdir(parents=True)
    (rules / "x.toml").write_text(
        'kind = "pattern"\ncategory = "tone"\nclause = "G-RULE-2"\nmessage = "m"\nreason = "r"\n'
        'patterns = ["("]\n[[examples]]\ntext = "a"\nexpect = []\n',
        encoding="utf-8",
    )
    with pytest.raises(ruleset.RuleError, match=r"^rules/tone/x.toml: patterns: \[0\] does not compile"):
        ruleset.load_ruleset(tmp_path / "rules", tmp_path / "wordlists", cache=False)


# --- the policy cache --------------------------------------------------------------------------


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cachefile.CACHE_ENV, str(folder))
    return folder


def _copy_example(to: Path) -> Path:
    for name in ("policy", "published", "faq"):
        shutil.copytree(EXAMPLES / name, to / name)
    return to / "policy" / "guard.toml"


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        pytest.fail("validated again")

    monkeypatch.setattr(policy_schema, "validate_policy", refuse)


def test_a_policy_is_validated_once_then_read_from_the_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy_example(tmp_path / "a")
    fresh = policy_from_data(policy._read_toml(path), file=str(path), base_dir=path.parent)
    first = load_policy(path)
    (entry,) = cache.glob("*.policy")
    assert b"pydantic" not in entry.read_bytes()
    assert first == fresh
    _no_validation(monkeypatch)
    second = load_policy(path)
    assert second == fresh and second is not first
    assert second.is_official_phone("0545-55-2700") and second.is_trusted_phone("#9110")
    assert second.scope.published and all(p.startswith(str(tmp_path / "a")) for p in second.scope.published)


def test_the_same_policy_elsewhere_resolves_its_scope_there(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached entry keeps the scope's paths as written; each load resolves them against the
    file's own folder (so the index and its staleness look at the right files)."""
    a, b = _copy_example(tmp_path / "a"), _copy_example(tmp_path / "b")
    in_a = load_policy(a)
    _no_validation(monkeypatch)
    in_b = load_policy(b)
    assert len(list(cache.glob("*.policy"))) == 1
    assert in_b.scope.published == [p.replace(str(tmp_path / "a"), str(tmp_path / "b")) for p in in_a.scope.published]
    assert in_b.scope.faq is not None and in_b.scope.faq.startswith(str(tmp_path / "b"))
    assert in_a.model_copy(update={"scope": in_b.scope}) == in_b


def test_a_changed_or_damaged_entry_is_validated_again(tmp_path: Path, cache: Path) -> None:
    path = _copy_example(tmp_path)
    load_policy(path)
    (entry,) = cache.glob("*.policy")
    entry.write_bytes(entry.read_bytes()[:-5] + b"xxxxx")
    assert load_policy(path).is_official_domain("www.city.fuji.shizuoka.jp")
    path.write_text(path.read_text(encoding="utf-8").replace("min_checkers = 2", "min_checkers = 3"), encoding="utf-8")
    assert load_policy(path).min_checkers == 3
    assert len(list(cache.glob("*.policy"))) == 2


def test_a_refused_policy_is_refused_every_time(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "guard.toml"
    path.write_text('services = ["mastodon"]\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PolicyError, match=r"guard.toml: services\[0\]: 次のいずれかを書いてください"):
            load_policy(path)
    assert not list(cache.glob("*.policy"))


def test_a_pyproject_table_is_cached_apart_from_a_whole_file(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.fujisns-guard]\nservices = ["X"]\n[tool.fujisns-guard.scope]\nfaq = "faq.csv"\n', encoding="utf-8")
    for _ in range(2):
        got = load_policy(path)
        assert got.services == ["x"] and got.scope.faq == str(tmp_path / "faq.csv")
        assert load_policy_from_pyproject(path) == got
    path.write_text('[tool.fujisns-guard]\nservices = ["mastodon"]\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"tool.fujisns-guard.services\[0\]"):
        load_policy(path)


def test_without_a_cache_folder_a_policy_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cachefile.CACHE_ENV, "off")
    assert load_policy(_copy_example(tmp_path)).services


def test_plain_policies_pickle_with_their_behaviour(tmp_path: Path) -> None:
    fuji = load_policy(_copy_example(tmp_path))
    assert fuji.is_official_email("koho@city.fuji.shizuoka.jp") in (True, False)  # builds the index
    again = pickle.loads(pickle.dumps(fuji))
    assert again == fuji
    for phone in ("0545-55-2700", "110", "#9110", "090-1234-5678"):
        assert again.is_trusted_phone(phone) == fuji.is_trusted_phone(phone)
    assert again.official_names() == fuji.official_names()


def test_model_validate_and_model_copy_like_the_pydantic_models() -> None:
    board = AccountPolicy.model_validate({"services": [" X "], "elections": {"board_account": True}})
    assert board.services == ["x"] and board.elections.board_account
    assert board.model_copy(update={"services": []}).services == [] and board.services == ["x"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        board.services = []  # type: ignore[misc]


# --- the front matter's fast path ----------------------------------------------------------------

_SCALARS = st.one_of(
    st.sampled_from(["x", " X ", "Facebook", "line", "mastodon", "post", "reply", "Post", "", "  ", "a", "@fuji"]),
    st.sampled_from(["personal_info", "personal_info.phone", "credential.password", "Bad Id", "tone.", "a.b_c"]),
    st.sampled_from(["看護婦", " 看護婦", "理由", "理由 ", "\u3000", "\x1c理由"]),
    st.integers(min_value=-2, max_value=40),
    st.booleans(),
    st.floats(allow_nan=False, width=16),
    st.just(_dt.date(2026, 12, 1)),
    st.just(_dt.datetime(2026, 12, 1, 9, 30)),
    st.just(_dt.datetime(2026, 12, 1, 9, 30, tzinfo=_dt.UTC)),
    st.just(_dt.time(9, 30)),
)
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3))
_ENTRIES = st.dictionaries(st.sampled_from(["rule", "term", "reason", "line", "note"]), _SCALARS, max_size=4)
_ANY_BLOCK = st.dictionaries(
    st.sampled_from(["platform", "kind", "date", "account", "attachments", "allow", "title"]),
    st.one_of(_VALUES, st.lists(_ENTRIES, max_size=3), st.lists(st.one_of(_ENTRIES, _SCALARS), max_size=2)),
    max_size=6,
)
# Blocks close to the usual form (most keys right, one thing sometimes off): the fast path's
# own ground, where it must agree with the schema value for value.
_WORDS = st.sampled_from(["看護婦", "富士 一郎", " 看護婦", "理由 ", "", "  ", "\u3000引用", "\x1c理由", "本人の同意"])
_RULE_IDS = st.sampled_from(["personal_info", "personal_info.phone", "tone.negation", "credential", "Bad", 3])
_LINES = st.one_of(st.integers(-1, 30), st.booleans(), st.just("3"))
_NEAR_ENTRIES = st.one_of(
    st.fixed_dictionaries({"rule": _RULE_IDS, "reason": _WORDS}, optional={"line": _LINES}),
    st.fixed_dictionaries({"term": _WORDS, "reason": _WORDS}, optional={"line": _LINES}),
    st.fixed_dictionaries(
        {}, optional={"rule": _RULE_IDS, "term": _WORDS, "reason": st.one_of(_WORDS, st.integers(0, 2)), "line": _LINES}
    ),
)
_PLATFORMS = st.sampled_from(["x", " X ", "Facebook", "line", "youtube", "mastodon", ""])
_NEAR_BLOCK = st.fixed_dictionaries(
    {},
    optional={
        "platform": st.one_of(_PLATFORMS, st.lists(st.one_of(_PLATFORMS, st.integers(0, 1)), max_size=3)),
        "kind": st.sampled_from(["post", "reply", "Post", 1]),
        "date": st.sampled_from(
            [_dt.date(2026, 12, 1), _dt.datetime(2026, 12, 1, 9, 30), "2026-12-01", _dt.time(9, 30), 20261201]
        ),
        "account": st.sampled_from(["@fuji", "", 5]),
        "attachments": st.lists(st.sampled_from(["poster.png", "", 1]), max_size=2),
        "allow": st.lists(_NEAR_ENTRIES, max_size=3),
        "title": st.just("x"),
    },
)
# Blocks of the usual form only: the fast path must take every one of them.
_GOOD_WORDS = st.sampled_from(["看護婦", "富士 一郎", "本人の同意", "a"])
_GOOD_ENTRIES = st.one_of(
    st.fixed_dictionaries({"rule": st.sampled_from(["personal_info", "tone.negation"]), "reason": _GOOD_WORDS}),
    st.fixed_dictionaries({"term": _GOOD_WORDS, "reason": _GOOD_WORDS}, optional={"line": st.integers(1, 30)}),
)
_USUAL_BLOCK = st.fixed_dictionaries(
    {},
    optional={
        "platform": st.one_of(st.sampled_from(["x", " X ", "line"]), st.lists(st.sampled_from(["x", "Facebook", "X"]))),
        "kind": st.sampled_from(["post", "reply"]),
        "date": st.sampled_from([_dt.date(2026, 12, 1), _dt.datetime(2026, 12, 1, 9, 30)]),
        "account": st.sampled_from(["@fuji", ""]),
        "attachments": st.lists(st.sampled_from(["poster.png", "a b.jpg"]), max_size=2),
        "allow": st.lists(_GOOD_ENTRIES, max_size=3),
    },
)
_BLOCKS = st.one_of(_ANY_BLOCK, _NEAR_BLOCK, _USUAL_BLOCK)


@settings(max_examples=400, deadline=None)
@given(_BLOCKS)
def test_the_fast_path_accepts_only_what_the_schema_builds_the_same(data: dict[str, Any]) -> None:
    fast = frontmatter._accept(data)
    if fast is not None:
        assert frontmatter_schema.validate_meta(data) == fast


@settings(max_examples=100, deadline=None)
@given(_USUAL_BLOCK)
def test_the_usual_blocks_take_the_fast_path(data: dict[str, Any]) -> None:
    assert frontmatter._accept(data) is not None


def test_the_example_drafts_take_the_fast_path() -> None:
    for draft in sorted((EXAMPLES / "drafts").glob("*.txt")):
        text = draft.read_text(encoding="utf-8")
        data = frontmatter.tomllib.loads(text.split("---\n")[1])
        assert frontmatter._accept(data) is not None, draft.name
        assert frontmatter._accept(data) == frontmatter_schema.validate_meta(data)


@pytest.mark.parametrize(
    ("block", "key", "message"),
    [
        ('platform = "mastodon"', "platform[0]", "次のいずれかを書いてください"),
        ("[[allow]]\nreason = 'x'", "allow[0]", "rule（規則ID）か term（語）のどちらか一方"),
        ("[[allow]]\nrule = 'credential'\nreason = 'x'", "allow[0]", "認証情報（credential）の指摘は抑止できません"),
        ("[[allow]]\nterm = 'a'\nreason = '  '", "allow[0].reason", "空にはできません"),
        ("title = 'x'", "title", "知らない項目です"),
        ('date = "tomorrow"', "date", "日付（例 2025-04-01）を書いてください"),
    ],
)
def test_an_unusual_block_is_worded_by_the_schema(block: str, key: str, message: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter(f"---\n{block}\n---\n本文\n")
    assert info.value.key == key and message in info.value.message


def test_a_value_the_schema_converts_is_converted() -> None:
    meta = parse_front_matter('---\ndate = "2026-12-01"\n[[allow]]\nterm = " 看護婦 "\nreason = "引用"\n---\n本文\n').meta
    assert meta is not None and meta.date == _dt.date(2026, 12, 1) and meta.allow[0].term == "看護婦"


# --- plain.Record ---------------------------------------------------------------------------------


class _Point(Record):
    x: int
    tags: list[str] = plain_field(default_factory=list)
    label: str = ""


class _Pair(Record, kw_only=False):
    left: int
    right: int = 0


@pytest.mark.parametrize("built_before", [0, 40])  # generic __init__, then the compiled one
def test_a_record_behaves_as_a_frozen_dataclass(built_before: int) -> None:
    for i in range(built_before):
        _Point(x=i)
        _Pair(i)
    assert built_before == 0 or (_Point.__init__ is not plain_init and _Pair.__init__ is not plain_init)
    a, b = _Point(x=1), _Point(x=1)
    assert a == b and a != _Point(x=2) and a.tags is not b.tags and hash(_Pair(1)) == hash(_Pair(1, 0))
    assert repr(a) == "_Point(x=1, tags=[], label='')"
    assert a.model_copy(update={"label": "b"}) == _Point(x=1, label="b") and a.label == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.x  # type: ignore[misc]
    with pytest.raises(TypeError):
        _Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Point(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        _Point(x=1, y=2)  # type: ignore[call-arg]
    assert pickle.loads(pickle.dumps(a)) == a
    assert _Pair(1) == _Pair(left=1, right=0) and _Pair(1, 2).right == 2
    assert _Pair(1) != (1, 0) and _Point(x=1) != _Pair(1)
    assert record_fields(_Point) == [("x", REQUIRED), ("tags", []), ("label", "")]


def test_a_positional_record_may_not_put_a_required_field_after_a_default() -> None:
    with pytest.raises(TypeError, match="keyword-only"):

        class _Bad(Record, kw_only=False):
            first: int = 0
            second: int
