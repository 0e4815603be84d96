"""The pydantic schemas of rule files and word lists: imported only when files are read (a rule
cache miss). `validate_rule` returns the plain twin (`ruleset.py`) of the validated spec."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal, NoReturn

import regex
from pydantic import Field, ValidationError, field_validator

from .model import CATEGORIES, Severity
from .ruleset import CLAUSES, PLAIN_SPECS, RuleError, RuleSpec
from .schema_common import Strict as _Strict
from .schema_common import to_plain


class Example(_Strict):
    """A text the rule must (expect non-empty) or must not (expect = []) match."""

    text: str
    expect: list[str]
    kind: Literal["post", "reply"] = "post"
    date: str | None = None
    severity: Severity | None = None  # when given, every expected hit has this severity


class _RuleBase(_Strict):
    category: str
    severity: Severity | None = None
    clause: str
    message: str
    reason: str
    suggestions: list[str] = Field(default_factory=list)
    source: str = ""
    reply_only: bool = False
    examples: list[Example] = Field(min_length=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, v: str) -> str:
        if v not in CATEGORIES:
            raise ValueError(f"unknown category {v!r} (one of {', '.join(CATEGORIES)})")
        return v

    @field_validator("clause")
    @classmethod
    def _known_clause(cls, v: str) -> str:
        if v not in CLAUSES:
            raise ValueError(f"unknown clause {v!r} (see guideline/clauses.md)")
        return v

    @field_validator("message", "reason")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v


class WordlistRule(_RuleBase):
    kind: Literal["wordlist"]
    lists: list[str] = Field(min_length=1)  # globs relative to wordlists/


class PatternRule(_RuleBase):
    kind: Literal["pattern"]
    patterns: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)  # a match inside one of these is dropped
    group: int | str = 0  # which group is reported
    view: Literal["light", "folded"] = "light"
    validator: str | None = None
    context: list[str] = Field(default_factory=list)  # at least one must stand near the match
    window: int = 20
    secret: bool = False
    ignore_case: bool = False

    @field_validator("patterns", "exclude")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for i, p in enumerate(v):
            try:
                regex.compile(p, regex.V1)
            except regex.error as exc:
                raise ValueError(f"[{i}] does not compile: {exc}") from None
        return v


class TokenElement(_Strict):
    """One position of a token sequence: every given key must match the token."""

    surface: list[str] | None = None
    lemma: list[str] | None = None
    normalized: list[str] | None = None
    pos: list[str] | None = None  # prefixes such as "動詞" or "名詞,固有名詞"
    reading: list[str] | None = None
    optional: bool = False

    @field_validator("surface", "lemma", "normalized", "pos", "reading", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class TokensRule(_RuleBase):
    kind: Literal["tokens"]
    sequences: list[list[TokenElement]] = Field(min_length=1)


class CodeRule(_RuleBase):
    kind: Literal["code"]
    function: str
    params: dict[str, Any] = Field(default_factory=dict)


_Spec = Annotated[WordlistRule | PatternRule | TokensRule | CodeRule, Field(discriminator="kind")]


class _RuleFile(_Strict):
    rule: _Spec


class _TermIn(_Strict):
    term: str = Field(min_length=1)
    variants: list[str] = Field(default_factory=list)
    reading: str | None = None
    category: str | None = None
    severity: Severity | None = None
    reason: str
    alternatives: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    source: str | None = None
    boundary: Literal["morpheme", "word", "any"] | None = None


class _Defaults(_Strict):
    category: str | None = None
    severity: Severity | None = None
    source: str = ""
    boundary: Literal["morpheme", "word", "any"] = "morpheme"


class _WordlistFile(_Strict):
    """A word list as written: its defaults and its terms (ruleset.load_wordlist applies them)."""

    defaults: _Defaults = Field(default_factory=_Defaults)
    term: list[_TermIn] = Field(default_factory=list)


def _key_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"WordlistRule", "PatternRule", "TokensRule", "CodeRule"} or str(part).startswith("function-"):
            continue
        elif part in {"wordlist", "pattern", "tokens", "code"} and out == "rule":
            continue
        else:
            out += ("." if out else "") + str(part)
    return out.removeprefix("rule.").removeprefix("rule")


def _raise_validation(path: str, exc: ValidationError) -> NoReturn:
    err = exc.errors()[0]
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    raise RuleError(path, _key_path(err.get("loc", ())), msg) from None


def validate_rule(data: dict[str, Any], shown: str) -> RuleSpec:
    """The plain spec of a rule file's data, or RuleError naming `shown` and the key path."""
    try:
        spec = _RuleFile.model_validate({"rule": data}).rule
    except ValidationError as exc:
        _raise_validation(shown, exc)
    plain: RuleSpec = to_plain(spec, PLAIN_SPECS)
    return plain


def validate_wordlist(data: dict[str, Any], shown: str) -> _WordlistFile:
    """A word list's data validated (RuleError naming `shown` and the key path)."""
    try:
        return _WordlistFile.model_validate(data)
    except ValidationError as exc:
        _raise_validation(shown, exc)
