"""The public result types: pydantic models, the schema of `--format json` (docs/report.schema.json).

`Report`, `Finding`, `Decision` … are what the library returns (`fujisns_guard.check`,
`Guard.check`) and what `--format json|sarif`, the chief's log and the web API serialise. The
engine builds their plain twins (`records.py`) and `from_record` turns one into the other without
validation: importing this module imports pydantic, which a plain `guard check FILE` never needs.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from . import records
from .model import Basis, DraftKind, Route, Severity
from .records import redact

_M = TypeVar("_M", bound=BaseModel)


class Finding(BaseModel):
    """One problem in a draft, as users see it. Offsets refer to the ORIGINAL text."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule_id: str
    category: str
    severity: Severity
    start: int
    end: int
    line: int
    column: int
    excerpt: str
    message: str
    reason: str
    suggestions: list[str] = Field(default_factory=list)
    clause: str
    explanation: str = ""
    suppressed: bool = False
    suppression_reason: str | None = None


class SentenceBasis(BaseModel):
    """Why one sentence of the draft may (or may not) be posted without the chief (G-POST-2).

    `role`: `content` needs a basis; `ride_along` (greetings, calls to action, headings, links)
    follows the content; `no_basis` (opinions, forecasts, plans, apologies, corrections) never has
    one. `basis` is the pre-approved basis used, or None; `note` says why (in Japanese)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    line: int
    start: int
    end: int
    text: str
    role: Literal["content", "ride_along", "no_basis"]
    basis: Basis | None = None
    score: float | None = None  # how well the best published passage / FAQ answer matches (0..1)
    support: list[dict[str, Any]] = Field(default_factory=list)
    note: str = ""


class Decision(BaseModel):
    """Where the draft goes next, and why."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    route: Route
    basis: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    clauses: list[str] = Field(default_factory=list)
    obligations: list[str] = Field(default_factory=list)
    support: list[dict[str, Any]] = Field(default_factory=list)
    sentences: list[SentenceBasis] = Field(default_factory=list)


class PlatformLength(BaseModel):
    """The post's length as one platform counts it (G-RULE-7)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    platform: str
    count: int
    limit: int
    unit: str
    over: bool


class Report(BaseModel):
    """The public result of checking one draft."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    path: str = "-"
    kind: DraftKind = "post"
    date: str
    findings: list[Finding] = Field(default_factory=list)
    decision: Decision
    ruleset_version: str
    platforms: list[str] = Field(default_factory=list)
    lengths: list[PlatformLength] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def route(self) -> Route:
        return self.decision.route

    def active(self) -> list[Finding]:
        """Findings that count (not suppressed)."""
        return [f for f in self.findings if not f.suppressed]

    def redacted(self) -> Report:
        """A copy with personal information masked like secrets (`guard check --redact`): the
        excerpts, and the matched text wherever any message, explanation or reason repeats it."""
        return redact(self)


def _made(model: type[_M], values: dict[str, Any]) -> _M:
    """`construct(model, **values)` without the keyword arguments (half the time)."""
    m = model.__new__(model)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


_set = object.__setattr__


def from_record(r: records.Report | Report) -> Report:
    """The public `Report` of an engine record, built without validation (the values are valid);
    a `Report` is returned as it is.

    A record's `__dict__` holds exactly its fields, in declaration order (`plain.Record`;
    tests/test_records.py checks it): the model gets a copy, in the order `model_dump` and the
    JSON output follow, so the output is byte for byte what it was when the engine built models."""
    if isinstance(r, Report):
        return r
    d = r.decision
    decision = d.__dict__.copy()
    if d.sentences:
        decision["sentences"] = [_made(SentenceBasis, s.__dict__.copy()) for s in d.sentences]
    values = r.__dict__.copy()
    values["findings"] = [_made(Finding, f.__dict__.copy()) for f in r.findings]
    values["decision"] = _made(Decision, decision)
    if r.lengths:
        values["lengths"] = [_made(PlatformLength, n.__dict__.copy()) for n in r.lengths]
    return _made(Report, values)
