"""Shared types of the pipeline.

Inside the pipeline the types are plain NamedTuples / frozen dataclasses (pydantic costs about
1 ms per draft on the hot path); the engine's results are plain records (`records.py`). The
public result (`Report`, `Finding`, `Decision` …) is pydantic, in `schema.py`: it is still
importable from here, but only imported on first use, so that importing this module (every
detector does) never imports pydantic (docs/architecture.md, "pydantic validates, plain objects run").
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .schema import Decision as Decision
    from .schema import Finding as Finding
    from .schema import PlatformLength as PlatformLength
    from .schema import Report as Report
    from .schema import SentenceBasis as SentenceBasis

Severity = Literal["error", "warning", "info"]
_M = TypeVar("_M", bound="BaseModel")
Route = Literal["revise", "section_chief", "autonomous"]
DraftKind = Literal["post", "reply"]
Basis = Literal["published", "established_fact", "legal_procedure", "faq"]


class Category(StrEnum):
    """The closed set of finding categories (issue 2, DESIGN.md)."""

    DISCRIMINATORY = "discriminatory"
    BROADCAST = "broadcast"
    PERSONAL_INFO = "personal_info"
    CREDENTIAL = "credential"
    CONFIDENTIAL = "confidential"
    UNOFFICIAL = "unofficial"
    TONE = "tone"
    LINK = "link"
    ACCURACY = "accuracy"
    LENGTH = "length"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)

DEFAULT_SEVERITY: dict[str, Severity] = {
    "discriminatory": "error",
    "broadcast": "error",
    "personal_info": "error",
    "credential": "error",
    "confidential": "error",
    "accuracy": "error",
    "length": "error",
    "unofficial": "warning",
    "tone": "warning",
    "link": "warning",
}

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class Span(NamedTuple):
    """Half-open code-point span [start, end)."""

    start: int
    end: int


class Token:
    """One Sudachi morpheme; `start`/`end` index the light (analysis) view of the draft.

    Offsets and part of speech are read for every morpheme; the strings (surface, dictionary
    form, normalized form, reading) are read from Sudachi only when a detector asks, once each:
    reading all of them for every morpheme would cost more than the analysis itself.
    """

    __slots__ = ("_lemma", "_normalized", "_reading", "end", "morpheme", "offset", "pos", "start", "text")
    _lemma: str
    _normalized: str
    _reading: str

    def __init__(self, morpheme: Any, offset: int, start: int, end: int, pos: tuple[str, ...], text: str = "") -> None:
        self.morpheme = morpheme  # the Sudachi morpheme (for its fine split)
        self.offset = offset  # where its chunk starts in the light view
        self.start = start
        self.end = end
        self.pos = pos
        self.text = text  # the analysed text: the surface is a slice of it, no call into Sudachi
        # The string caches (_lemma …) stay unset until asked for: one store less each.

    @property
    def surface(self) -> str:
        if self.text:
            return self.text[self.start : self.end]
        return str(self.morpheme.surface())

    # The string caches are read with getattr's default: on the first read of each (the common
    # case: most are read once) that costs a third of raising and catching AttributeError.
    @property
    def lemma(self) -> str:
        """Dictionary form (狂っ → 狂う)."""
        value: str | None = getattr(self, "_lemma", None)
        if value is None:
            self._lemma = value = str(self.morpheme.dictionary_form())
        return value

    @property
    def normalized(self) -> str:
        """Sudachi's normalized form (spelling variants folded: きちがい → 気違い)."""
        value: str | None = getattr(self, "_normalized", None)
        if value is None:
            self._normalized = value = str(self.morpheme.normalized_form())
        return value

    @property
    def reading(self) -> str:
        """Katakana reading."""
        value: str | None = getattr(self, "_reading", None)
        if value is None:
            self._reading = value = str(self.morpheme.reading_form())
        return value

    @property
    def oov(self) -> bool:
        return bool(self.morpheme.is_oov())

    def __repr__(self) -> str:
        return f"Token({self.surface!r}, {self.lemma!r}, {self.pos[:2]}, {self.start}-{self.end})"


class Hit(NamedTuple):
    """What a check yields: a span in the light view plus why it matched."""

    rule_id: str
    start: int
    end: int
    matched: str
    detail: str = ""  # the explanation (entry, pattern, validator, context)
    category: str | None = None  # override of the rule's category
    severity: str | None = None  # override of the rule's severity
    message: str | None = None  # override of the rule's message
    reason: str | None = None  # override of the rule's reason
    suggestions: tuple[str, ...] = ()
    secret: bool = False  # mask the matched text in every output


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the detectors read about one draft, computed once.

    `norm` is the `normalize.Normalized` of the body (light view for Sudachi, folded view for
    matching); token offsets index the light view, and each token keeps its Sudachi morpheme so
    that a finer split never needs a second analysis.
    """

    norm: Any
    tokens: tuple[Token, ...]
    kind: str
    date: Any  # datetime.date
    policy: Any  # policy.AccountPolicy or None
    platforms: tuple[str, ...] = ()
    # A long draft is analysed in pieces: `body` is the whole post (what a length limit counts)
    # and `piece_offset` where this piece starts in it. Draft-wide rules report on piece 0 only.
    body: str = ""
    piece_offset: int = 0
    # Derived data several detectors need (e.g. the conjugating tokens), computed once per draft
    # by the first detector that asks; keys are the detector module's names.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def original(self) -> str:
        return str(self.norm.original)

    @property
    def light(self) -> str:
        return str(self.norm.light.text)

    @property
    def folded(self) -> str:
        return str(self.norm.folded_text)


def mask(secret: str) -> str:
    """Show at most the first two characters of a secret (fewer for short ones)."""
    keep = 2 if len(secret) >= 8 else (1 if len(secret) >= 4 else 0)
    return secret[:keep] + "*" * 6


REDACTED_CATEGORIES = frozenset({"personal_info", "credential"})


def construct(cls: type[_M], **values: Any) -> _M:
    """Build a pydantic model from values that are already valid and complete, faster than
    `model_construct` (the hot path builds a Report, a Decision and its findings per draft).
    tests/test_engine_failures.py checks the results validate and compare equal."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


_PUBLIC = frozenset({"Decision", "Finding", "PlatformLength", "Report", "SentenceBasis"})  # schema.py


def __getattr__(name: str) -> Any:
    """`model.Report`, `model.Finding` … (the pydantic results, schema.py), imported on first use."""
    if name in _PUBLIC:
        value = getattr(importlib.import_module(".schema", __package__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
