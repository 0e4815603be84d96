"""The engine's results as plain records: what `guard check` builds, renders and pickles.

Each record is the twin of the public pydantic model of the same name in `schema.py` (same field
names, order, defaults; frozen like it). pydantic validates, plain objects run: importing pydantic
and building its model classes costs more than a whole check of a post (docs/architecture.md),
so the pipeline, `--format text` and `--jobs` workers use these records, and the pydantic models
are made from them (`schema.from_record`, no validation) only when they are asked for: the
library's `check()`, `--format json|sarif`, the chief's log, the web API.
tests/test_records.py keeps every pair's fields equal.

The records answer `model_copy(update=…)` like their pydantic twins, so that the pure helpers
that copy results (suppressions, redaction, masking of secrets) take either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Self, TypeAlias, TypeVar

from .model import REDACTED_CATEGORIES, Basis, DraftKind, Route, Severity, mask
from .plain import Record, field

if TYPE_CHECKING:
    from . import schema

    AnyFinding: TypeAlias = "Finding | schema.Finding"
    AnyReport: TypeAlias = "Report | schema.Report"

# A finding or a report of either kind (a record or its pydantic twin); a helper typed with it
# returns the kind it was given.
FindingT = TypeVar("FindingT", "Finding", "schema.Finding")
ReportT = TypeVar("ReportT", "Report", "schema.Report")


class _Record(Record):
    """A result record (`plain.Record`: frozen, keyword-only, compared by value, `model_copy`)."""

    @classmethod
    def of(cls, obj: Any) -> Self:
        """The record of a pydantic twin (or any object with the same attributes)."""
        if type(obj) is cls:
            return obj
        return cls(**{n: getattr(obj, n) for n in cls._fields})


class Finding(_Record):
    """One problem in a draft. Offsets refer to the ORIGINAL text."""

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
    suggestions: list[str] = field(default_factory=list)
    clause: str
    explanation: str = ""
    suppressed: bool = False
    suppression_reason: str | None = None


class SentenceBasis(_Record):
    """Why one sentence of the draft may (or may not) be posted without the chief (G-POST-2)."""

    line: int
    start: int
    end: int
    text: str
    role: Literal["content", "ride_along", "no_basis"]
    basis: Basis | None = None
    score: float | None = None
    support: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


class Decision(_Record):
    """Where the draft goes next, and why."""

    route: Route
    basis: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    obligations: list[str] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[SentenceBasis] = field(default_factory=list)


class PlatformLength(_Record):
    """The post's length as one platform counts it (G-RULE-7)."""

    platform: str
    count: int
    limit: int
    unit: str
    over: bool


class Report(_Record):
    """The result of checking one draft."""

    path: str = "-"
    kind: DraftKind = "post"
    date: str
    findings: list[Finding] = field(default_factory=list)
    decision: Decision
    ruleset_version: str
    platforms: list[str] = field(default_factory=list)
    lengths: list[PlatformLength] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def route(self) -> Route:
        return self.decision.route

    def active(self) -> list[Finding]:
        """Findings that count (not suppressed)."""
        return [f for f in self.findings if not f.suppressed]

    def redacted(self) -> Report:
        """A copy with personal information masked like secrets (`guard check --redact`)."""
        return redact(self)


def redact(report: ReportT) -> ReportT:
    """A copy of `report` (a record or its pydantic twin) with personal information masked like
    secrets: the excerpts, and the matched text wherever any message, explanation or reason
    repeats it. One function for both kinds, so that `--redact` prints the same either way."""
    hidden = {
        f.excerpt: mask(f.excerpt)
        for f in report.findings
        if f.category in REDACTED_CATEGORIES and f.excerpt and "******" not in f.excerpt
    }

    def scrub(text: str) -> str:
        for raw in sorted(hidden, key=len, reverse=True):
            text = text.replace(raw, hidden[raw])
        return text

    findings = [
        f.model_copy(
            update={
                "excerpt": hidden.get(f.excerpt, f.excerpt) if f.category in REDACTED_CATEGORIES else f.excerpt,
                "message": scrub(f.message),
                "explanation": scrub(f.explanation),
            }
        )
        for f in report.findings
    ]
    d = report.decision
    sentences = [s.model_copy(update={"text": scrub(s.text), "note": scrub(s.note)}) for s in d.sentences]
    support = [{**e, "sentence": scrub(str(e["sentence"]))} if "sentence" in e else e for e in d.support]
    decision = d.model_copy(update={"reasons": [scrub(r) for r in d.reasons], "sentences": sentences, "support": support})
    return report.model_copy(update={"findings": findings, "decision": decision})
