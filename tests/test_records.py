"""The engine's plain records (records.py) and the public pydantic results (schema.py) are twins:
the same fields in the same order with the same defaults, both frozen; a record converts to the
public model it stands for, and everything done to one (redaction, suppression) is done alike to
the other."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import typing

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from fujisns_guard import Guard, plain, records, schema
from fujisns_guard.engine import Guard as EngineGuard
from fujisns_guard.frontmatter import AllowEntry
from fujisns_guard.suppress import apply_allows

PAIRS = [
    (getattr(records, name), getattr(schema, name))
    for name in ("Finding", "SentenceBasis", "Decision", "PlatformLength", "Report")
]
DATE = dt.date(2026, 11, 23)
DRAFTS = [
    "11月23日(火)に看護婦を募集します。富士 一郎さんが講師です。パスワード：Zq8vLmN3xT7!\n電話 090-1234-5678 まで。",
    '---\nplatform = ["x"]\n[[allow]]\nterm = "看護婦"\nreason = "引用"\n---\n「看護婦」と書かれたポスターを展示します。\n',
    "市民文化会館でジャズコンサートを開催します。入場は無料です。",
    "---\nkind = 'reply'\n---\nご意見ありがとうございます。",
]


def test_every_public_model_has_a_record() -> None:
    models = {n for n, v in vars(schema).items() if isinstance(v, type) and issubclass(v, BaseModel) and v is not BaseModel}
    assert models == {m.__name__ for _, m in PAIRS}
    assert all(r.__name__ == m.__name__ for r, m in PAIRS)


@pytest.mark.parametrize(("record", "model"), PAIRS, ids=[m.__name__ for _, m in PAIRS])
def test_fields_names_order_defaults_and_types_agree(record: type[records._Record], model: type[BaseModel]) -> None:
    assert list(record._fields) == list(model.model_fields)
    hints = typing.get_type_hints(record)
    required = [n for n in record._fields if n not in record._defaults]
    for name in record._fields:
        info = model.model_fields[name]
        default = record._defaults.get(name, PydanticUndefined)
        factory = default.make if isinstance(default, plain._Factory) else None
        if factory is not None:
            default = PydanticUndefined
        assert (default, factory) == (info.default, info.default_factory), name
        # the same type, the record's classes standing for their pydantic twins
        assert repr(hints[name]).replace("fujisns_guard.records.", "fujisns_guard.schema.") == repr(info.annotation), name
    assert bool(model.model_config.get("frozen"))  # and every record is frozen:
    some = record(**{n: _sample(hints[n]) for n in required})
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(some, record._fields[0], None)
    assert some == record(**{n: _sample(hints[n]) for n in required})
    # the defaults are the model's (a new list each time, like pydantic's default_factory)
    public = model.model_validate({n: _plain(_sample(hints[n])) for n in required})
    assert public.model_dump() == _plain(some)
    factories = [n for n, d in record._defaults.items() if isinstance(d, plain._Factory)]
    for n in factories:
        assert getattr(some, n) is not getattr(record(**{r: _sample(hints[r]) for r in required}), n)


def _sample(hint: object) -> object:
    """A valid value for a required field (the records' required fields are simple)."""
    if hint is str:
        return "x"
    if hint is int:
        return 1
    if hint is bool:
        return True
    if typing.get_origin(hint) is typing.Literal:
        return typing.get_args(hint)[0]
    if isinstance(hint, type) and issubclass(hint, records._Record):
        return hint(
            **{n: _sample(h) for n, h in typing.get_type_hints(hint).items() if n in hint._fields and n not in hint._defaults}
        )
    raise AssertionError(f"no sample for {hint!r}")


def test_records_are_frozen_and_copy_like_pydantic() -> None:
    f = records.Finding(
        rule_id="r",
        category="tone",
        severity="warning",
        start=0,
        end=1,
        line=1,
        column=1,
        excerpt="x",
        message="m",
        reason="r",
        clause="G-RULE-4",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.line = 2  # type: ignore[misc]
    g = f.model_copy(update={"suppressed": True})
    assert (f.suppressed, g.suppressed, g.excerpt) == (False, True, "x")
    assert f.model_copy() == f and f.model_copy() is not f
    assert records.Finding.of(f) is f
    public = schema.from_record(
        records.Report(date="2026-11-23", findings=[f], decision=records.Decision(route="revise"), ruleset_version="v")
    )
    assert records.Finding.of(public.findings[0]) == f


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard()


@pytest.mark.parametrize("text", DRAFTS)
def test_a_record_converts_to_the_report_check_returns(guard: EngineGuard, text: str) -> None:
    record = guard.check_record(text, date=DATE, path="d.txt")
    public = guard.check(text, date=DATE, path="d.txt")
    # from_record copies each record's __dict__: it must hold exactly the fields, in order
    parts = [record, record.decision, *record.findings, *record.decision.sentences, *record.lengths]
    assert all(list(vars(x)) == list(type(x)._fields) for x in parts)
    converted = schema.from_record(record)
    assert type(converted) is schema.Report and converted == public
    assert converted.model_dump_json() == public.model_dump_json()
    assert schema.Report.model_validate_json(converted.model_dump_json()) == public
    assert schema.from_record(public) is public
    # redaction: the same masking on either kind
    assert schema.from_record(record.redacted()).model_dump_json() == public.redacted().model_dump_json()
    assert (record.route, [f.rule_id for f in record.active()]) == (public.route, [f.rule_id for f in public.active()])


def test_records_pickle_for_worker_processes(guard: EngineGuard) -> None:
    record = guard.check_record(DRAFTS[0], date=DATE, platforms=["x"])
    assert record.findings and record.lengths
    back = pickle.loads(pickle.dumps(record))
    assert back == record and type(back.decision) is records.Decision


def test_public_findings_from_outside_the_text_are_taken(guard: EngineGuard) -> None:
    """`extra_findings` (attached photos) may be public `Finding`s: the engine takes either."""
    extra = schema.Finding(
        rule_id="personal_info.photo_gps",
        category="personal_info",
        severity="error",
        start=0,
        end=0,
        line=1,
        column=1,
        excerpt="a.jpg",
        message="m",
        reason="r",
        clause="G-RULE-5",
    )
    record = guard.check_record("本日は晴天です。", date=DATE, extra_findings=[extra])
    assert [type(f) for f in record.findings] == [records.Finding]
    assert guard.check("本日は晴天です。", date=DATE, extra_findings=[extra]).findings == [extra]


def test_suppression_returns_the_kind_it_was_given() -> None:
    f = records.Finding(
        rule_id="discriminatory.terms",
        category="discriminatory",
        severity="error",
        start=0,
        end=3,
        line=1,
        column=1,
        excerpt="看護婦",
        message="m",
        reason="r",
        clause="G-RULE-4",
    )
    allow = [AllowEntry(term="看護婦", reason="引用")]
    [rec] = apply_allows([f], allow)
    [pub] = apply_allows(
        [
            schema.from_record(
                records.Report(date="d", findings=[f], decision=records.Decision(route="revise"), ruleset_version="v")
            ).findings[0]
        ],
        allow,
    )
    assert type(rec) is records.Finding and type(pub) is schema.Finding
    assert rec.suppressed and records.Finding.of(pub) == rec


def test_the_old_import_paths_still_give_the_public_models() -> None:
    import fujisns_guard
    from fujisns_guard import model

    assert model.Report is schema.Report and model.Finding is schema.Finding and model.Decision is schema.Decision
    assert fujisns_guard.Report is schema.Report and fujisns_guard.Guard is EngineGuard
    with pytest.raises(AttributeError):
        _ = model.NoSuchThing  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = fujisns_guard.NoSuchThing  # type: ignore[attr-defined]


def _plain(value: object) -> object:
    """A record as the dict `model_dump` gives for its twin."""
    if isinstance(value, records._Record):
        return {n: _plain(getattr(value, n)) for n in value._fields}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
