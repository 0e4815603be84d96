"""The public result types: pydantic models, the schema of `--format json` (docs/report.schema.json).

`Report`, `Finding`, `Decision` … are what the library returns (`fujisns_guard.check`,
`Guard.check`) and what `--format json|sarif`, the chief's log and the web API serialise. The
engine builds their plain twins (`records.py`) and `from_record` turns one into the other without
validation: importing this module imports pydantic, which a plain `guard check FILE` never needs.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import records
from .model import Basis, DraftKind, Route, Severity, construct
from .records import redact


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


def _converter(record: type[records._Record], model: type[BaseModel]) -> Any:
    names = tuple(model.model_fields)
    get = attrgetter(*names)
    return lambda r: construct(model, **dict(zip(names, get(r), strict=True)))


_finding = _converter(records.Finding, Finding)
_sentence = _converter(records.SentenceBasis, SentenceBasis)
_length = _converter(records.PlatformLength, PlatformLength)


def from_record(r: records.Report | Report) -> Report:
    """The public `Report` of an engine record, built without validation (the values are valid);
    a `Report` is returned as it is. Fields are set in declaration order, which is the order
    `model_dump` and JSON output follow."""
    if isinstance(r, Report):
        return r
    d = r.decision
    decision = construct(
        Decision,
        route=d.route,
        basis=d.basis,
        reasons=d.reasons,
        clauses=d.clauses,
        obligations=d.obligations,
        support=d.support,
        sentences=[s if isinstance(s, SentenceBasis) else _sentence(s) for s in d.sentences],
    )
    return construct(
        Report,
        path=r.path,
        kind=r.kind,
        date=r.date,
        findings=[f if isinstance(f, Finding) else _finding(f) for f in r.findings],
        decision=decision,
        ruleset_version=r.ruleset_version,
        platforms=r.platforms,
        lengths=[n if isinstance(n, PlatformLength) else _length(n) for n in r.lengths],
        notes=r.notes,
    )
