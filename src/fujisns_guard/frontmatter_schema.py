"""The pydantic schema of a draft's front matter: imported only for a block `frontmatter._accept`
does not take as it is (an error to word, a value to convert). `validate_meta` returns the plain
twin (`frontmatter.DraftMeta`); the messages are the policy's (`policy.error_message`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, field_validator, model_validator

from . import frontmatter as _plain
from .frontmatter import ALLOW_CREDENTIAL, ALLOW_RULE_FORM, ALLOW_TARGET, RULE_ID, FrontMatterError
from .policy import Service, error_message, key_path
from .schema_common import Strict as _Strict
from .schema_common import to_plain


class AllowEntry(_Strict):
    """Suppress one rule (or a rule-id prefix) or one literal term, with a reason, optionally on one line."""

    rule: str | None = None
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    line: int | None = Field(default=None, ge=1)  # 1-based line of the WHOLE file

    @model_validator(mode="after")
    def _one_target(self) -> AllowEntry:
        if (self.rule is None) == (self.term is None):
            raise ValueError(ALLOW_TARGET)
        if self.rule is not None:
            if not RULE_ID.match(self.rule):
                raise ValueError(ALLOW_RULE_FORM)
            if self.rule.split(".")[0] == "credential":
                raise ValueError(ALLOW_CREDENTIAL)
        return self


class DraftMeta(_Strict):
    """What the front matter may say; every key is optional."""

    platform: list[Service] | None = None
    kind: Literal["post", "reply"] | None = None
    date: _dt.date | None = None
    account: str | None = None
    attachments: list[str] = Field(default_factory=list)
    allow: list[AllowEntry] = Field(default_factory=list)

    @field_validator("platform", mode="before")
    @classmethod
    def _platforms(cls, v: Any) -> Any:
        v = [v] if isinstance(v, str) else v
        if isinstance(v, list):
            return list(dict.fromkeys(s.strip().lower() if isinstance(s, str) else s for s in v))
        return v

    @field_validator("date", mode="before")
    @classmethod
    def _day(cls, v: Any) -> Any:
        return v.date() if isinstance(v, _dt.datetime) else v  # a scheduled time: keep the day


def validate_meta(data: Mapping[str, Any]) -> _plain.DraftMeta:
    """The plain metadata of a parsed block, or FrontMatterError naming the first bad key path."""
    try:
        model = DraftMeta.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_input=False, include_url=False)[0]
        raise FrontMatterError(key_path(err["loc"]), error_message(err)) from None
    plain: _plain.DraftMeta = to_plain(model, _plain.PLAIN_MODELS)
    return plain
