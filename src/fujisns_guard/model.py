"""Shared types of the pipeline.

Inside the pipeline the types are plain NamedTuples / frozen dataclasses (pydantic costs about
1 ms per draft on the hot path); the engine's results are plain records (`records.py`). The
public result (`Report`, `Finding`, `Decision` …) is pydantic, in `schema.py`: it is still
importable from here, but only imported on first use, so that importing this module (every
detector does) never imports pydantic (docs/architecture.md, "pydantic validates, plain objects run").
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, overload

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
            self._lemma = value = _lemma_of(self.morpheme)
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


_LEMMAS: dict[int, str] = {}
_MAX_LEMMAS = 200_000
_OOV_WORD_IDS = 0xF000_0000  # Sudachi numbers out-of-vocabulary words from here (one id per POS)


def _lemma_of(morpheme: Any) -> str:
    """A morpheme's dictionary form, remembered per Sudachi word id for the process."""
    word = morpheme.word_id()
    lemma = _LEMMAS.get(word)
    if lemma is None:
        lemma = str(morpheme.dictionary_form())
        if word < _OOV_WORD_IDS and len(_LEMMAS) < _MAX_LEMMAS:  # unknown words share their ids
            _LEMMAS[word] = lemma
    return lemma


class Tokens(Sequence[Token]):
    """The tokens of one text, kept as columns; a `Token` object is made only when asked for.

    Sudachi's morphemes are read once each for their part of speech (`pos`) and, when a detector
    first asks, their offsets (`starts`, `ends`); most detectors look only at a few tokens near their cues, so building one
    object per morpheme for every draft (~0.8 µs each, docs/performance.md) is left to the tokens
    actually visited. Slices are tuples of tokens, as before.
    """

    __slots__ = ("_chunks", "_ends", "_made", "_morphemes", "_starts", "pos", "text")

    def __init__(
        self, morphemes: list[Any], pos: list[tuple[str, ...]], text: str, chunks: list[tuple[int, int, int]]
    ) -> None:
        self._morphemes = morphemes
        self.pos = pos
        self.text = text
        # (first token index, start, end in `text`) of each piece Sudachi analysed (one for a post)
        self._chunks = chunks
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        self._made: list[Token | None] = [None] * len(pos)

    @property
    def starts(self) -> list[int]:
        """Where each token starts in the analysed text. Read from Sudachi on first use: four
        drafts in ten never ask (nothing near a cue needs a token's place)."""
        if self._starts is None:
            self._offsets()
        return self._starts  # type: ignore[return-value]

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._offsets()
        return self._ends  # type: ignore[return-value]

    def _offsets(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        ms = self._morphemes
        bounds = self._chunks
        for k, (first, begin, end) in enumerate(bounds):
            last = bounds[k + 1][0] if k + 1 < len(bounds) else len(ms)
            if last == first:
                continue  # an empty text: no token
            chunk = [m.begin() + begin for m in ms[first:last]] if begin else [m.begin() for m in ms[first:last]]
            starts.extend(chunk)
            ends.extend(chunk[1:])
            ends.append(end)
        self._starts, self._ends = starts, ends

    def __len__(self) -> int:
        return len(self.pos)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Token, ...]: ...

    def __getitem__(self, i: int | slice) -> Token | tuple[Token, ...]:
        if type(i) is int:  # the hot case: a detector visits one token
            made = self._made[i]
            return made if made is not None else self._token(i)
        if isinstance(i, slice):
            return tuple(self._token(k) for k in range(*i.indices(len(self.pos))))
        return self._token(i.__index__())

    def _token(self, i: int) -> Token:
        made = self._made[i]  # IndexError for an index out of range, as a tuple raises
        if made is None:
            if i < 0:
                i += len(self.pos)
            offset = 0
            for first, begin, _ in self._chunks:
                if first > i:
                    break
                offset = begin
            made = self._made[i] = Token(self._morphemes[i], offset, self.starts[i], self.ends[i], self.pos[i], self.text)
        return made

    def __iter__(self) -> Iterator[Token]:
        for i in range(len(self.pos)):
            yield self._token(i)

    def lemma(self, i: int) -> str:
        """The dictionary form of token i, without making its `Token` object: remembered per
        Sudachi word id for the process (the same few thousand verbs come back in every draft)."""
        made = self._made[i]
        if made is not None:
            return made.lemma
        return _lemma_of(self._morphemes[i])

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"


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
    tokens: Tokens
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
