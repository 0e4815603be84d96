"""A draft's front matter: metadata between `---` lines at the top, never checked, never posted.

The post body is published verbatim, so everything only the tool should read (platform, kind,
date, suppressions) lives here. The block is TOML, like the rest of the project (YAML retypes
`0120` and `no`). A first line `---` always opens a block: if what follows is not a closed block
of known TOML keys, that is an error, not a guess — a draft starting with a horizontal rule is
rare, and guessing wrong would either check metadata as text or post it.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from .policy import Service, error_message, key_path

_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HINT = "先頭の --- はメタデータ欄の始まりとして読みます。区切り線なら先頭から外してください"


class FrontMatterError(Exception):
    """The block is unusable: one line naming the key path (or the file line)."""

    def __init__(self, key: str, message: str) -> None:
        self.key, self.message = key, message
        super().__init__(f"front matter {key}: {message}" if key else f"front matter: {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


class AllowEntry(_Strict):
    """Suppress one rule (or a rule-id prefix) or one literal term, with a reason, optionally on one line."""

    rule: str | None = None
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    line: int | None = Field(default=None, ge=1)  # 1-based line of the WHOLE file

    @model_validator(mode="after")
    def _one_target(self) -> AllowEntry:
        if (self.rule is None) == (self.term is None):
            raise ValueError("rule（規則ID）か term（語）のどちらか一方を書いてください")
        if self.rule is not None:
            if not _RULE_ID.match(self.rule):
                raise ValueError("rule は規則ID（例 personal_info.phone）で書いてください")
            if self.rule.split(".")[0] == "credential":
                raise ValueError("認証情報（credential）の指摘は抑止できません（G-RULE-1）")
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


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """`meta` is None when there is no block; `body_start` indexes the ORIGINAL text."""

    meta: DraftMeta | None
    body_start: int = 0
    body_line: int = 1  # 1-based line of the file where the body begins


_NONE = FrontMatter(None, 0, 1)


def _lines(text: str, pos: int) -> Iterator[tuple[int, str, int]]:
    """(start, content without line end, next start) from `pos` on."""
    while pos < len(text):
        m = _LINE.match(text, pos)
        assert m is not None
        line = m.group(0)
        yield pos, line.rstrip("\r\n"), m.end()
        pos = m.end()


def _is_fence(line: str) -> bool:
    return line.rstrip(" \t") == "---"


def parse_front_matter(text: str) -> FrontMatter:
    """Find and validate the block; offsets and line numbers refer to the whole `text`."""
    if not text.startswith(("---", "\ufeff---")):  # the common case, checked for every draft
        return _NONE
    lines = _lines(text, 1 if text.startswith("\ufeff") else 0)
    first = next(lines, None)
    if first is None or not _is_fence(first[1]):
        return FrontMatter(None, 0, 1)
    content_start = first[2]
    for number, (start, line, nxt) in enumerate(lines, start=2):
        if _is_fence(line):
            meta = _parse_block(text[content_start:start])
            _check_lines(meta, number, text)
            return FrontMatter(meta, nxt, number + 1)
    raise FrontMatterError("", f"メタデータ欄が --- で閉じていません。{_HINT}")


def _parse_block(block: str) -> DraftMeta:
    source = block.replace("\r\n", "\n").replace("\r", "\n")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        where = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + 1}", str(exc))
        raise FrontMatterError("", f"TOML として読めません（{where}）。{_HINT}") from None
    try:
        return DraftMeta.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_input=False, include_url=False)[0]
        raise FrontMatterError(key_path(err["loc"]), error_message(err)) from None


def _check_lines(meta: DraftMeta, closing_line: int, text: str) -> None:
    last = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    for i, entry in enumerate(meta.allow):
        if entry.line is not None and not closing_line < entry.line <= last:
            raise FrontMatterError(
                f"allow[{i}].line", f"本文の行番号（ファイル全体で {closing_line + 1}〜{last} 行目）を書いてください"
            )
