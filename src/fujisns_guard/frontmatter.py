"""A draft's front matter: metadata between `---` lines at the top, never checked, never posted.

The post body is published verbatim, so everything only the tool should read (platform, kind,
date, suppressions) lives here. The block is TOML, like the rest of the project (YAML retypes
`0120` and `no`). A first line `---` always opens a block: if what follows is not a closed block
of known TOML keys, that is an error, not a guess — a draft starting with a horizontal rule is
rare, and guessing wrong would either check metadata as text or post it.

pydantic validates, plain objects run: `DraftMeta` and `AllowEntry` here are plain twins of the
schema in frontmatter_schema.py (same fields and defaults; tests/test_plain_twins.py). A draft
without front matter never reaches either. A block of the usual form (known keys, values of the
expected types, nothing to coerce) is accepted by `_accept`, which builds exactly what the schema
would; anything else (an error to word, a value pydantic would convert) goes to the schema.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from .lazyre import lazy
from .plain import Record, field
from .policy import SERVICES, Service

_RULE_ID = lazy(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_LINE = lazy(r"[^\r\n]*(?:\r\n|\r|\n|$)")  # (compiled when a draft has front matter)
_HINT = "先頭の --- はメタデータ欄の始まりとして読みます。区切り線なら先頭から外してください"


class FrontMatterError(Exception):
    """The block is unusable: one line naming the key path (or the file line)."""

    def __init__(self, key: str, message: str) -> None:
        self.key, self.message = key, message
        super().__init__(f"front matter {key}: {message}" if key else f"front matter: {message}")


class AllowEntry(Record):
    """Suppress one rule (or a rule-id prefix) or one literal term, with a reason, optionally on one line."""

    rule: str | None = None
    term: str | None = None  # stripped, not empty
    reason: str  # stripped, not empty
    line: int | None = None  # 1-based line of the WHOLE file


class DraftMeta(Record):
    """What the front matter may say; every key is optional."""

    platform: list[Service] | None = None
    kind: Literal["post", "reply"] | None = None
    date: _dt.date | None = None
    account: str | None = None
    attachments: list[str] = field(default_factory=list)
    allow: list[AllowEntry] = field(default_factory=list)


PLAIN_MODELS: dict[str, type[Any]] = {"AllowEntry": AllowEntry, "DraftMeta": DraftMeta}
RULE_ID = _RULE_ID
ALLOW_TARGET = "rule（規則ID）か term（語）のどちらか一方を書いてください"
ALLOW_RULE_FORM = "rule は規則ID（例 personal_info.phone）で書いてください"
ALLOW_CREDENTIAL = "認証情報（credential）の指摘は抑止できません（G-RULE-1）"


class FrontMatter(Record, kw_only=False):
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
    meta = _accept(data)
    if meta is None:
        from .frontmatter_schema import validate_meta  # pydantic: only for an unusual block

        meta = validate_meta(data)
    return meta


_META_KEYS = frozenset(("platform", "kind", "date", "account", "attachments", "allow"))
_ALLOW_KEYS = frozenset(("rule", "term", "reason", "line"))


def _text(value: object) -> bool:
    """A string the schema keeps as it is: not empty, nothing to strip."""
    return type(value) is str and value != "" and value.strip() == value


def _allow(entry: object) -> AllowEntry | None:
    if type(entry) is not dict or not entry.keys() <= _ALLOW_KEYS:
        return None
    rule, term, reason, line = (entry.get(k) for k in ("rule", "term", "reason", "line"))
    if not _text(reason) or (rule is None) == (term is None) or (term is not None and not _text(term)):
        return None
    if line is not None and not (type(line) is int and line >= 1):
        return None
    if rule is not None and not (type(rule) is str and _RULE_ID.match(rule) and rule.split(".")[0] != "credential"):
        return None
    return AllowEntry(rule=rule, term=term, reason=str(reason), line=line)


def _accept(data: Mapping[str, Any]) -> DraftMeta | None:
    """The DraftMeta the schema would return for a block of the usual form, else None (let the
    schema decide, and word the error). tests/test_plain_twins.py compares both on many blocks."""
    if not data.keys() <= _META_KEYS:
        return None
    platform = data.get("platform")
    if platform is not None:
        items = [platform] if type(platform) is str else platform
        if type(items) is not list or not all(type(p) is str for p in items):
            return None
        platform = list(dict.fromkeys(p.strip().lower() for p in items))
        if not all(p in SERVICES for p in platform):
            return None
    kind = data.get("kind")
    if kind is not None and kind not in ("post", "reply"):
        return None
    day = data.get("date")
    if type(day) is _dt.datetime:
        day = day.date()  # a scheduled time: keep the day
    elif day is not None and type(day) is not _dt.date:
        return None
    account = data.get("account")
    if account is not None and type(account) is not str:
        return None
    attachments = data.get("attachments", [])
    if type(attachments) is not list or not all(type(a) is str for a in attachments):
        return None
    raw_allow = data.get("allow", [])
    if type(raw_allow) is not list:
        return None
    allow = [_allow(e) for e in raw_allow]
    if any(e is None for e in allow):
        return None
    return DraftMeta(
        platform=platform,
        kind=kind,
        date=day,
        account=account,
        attachments=list(attachments),
        allow=[e for e in allow if e is not None],
    )


def _check_lines(meta: DraftMeta, closing_line: int, text: str) -> None:
    last = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    for i, entry in enumerate(meta.allow):
        if entry.line is not None and not closing_line < entry.line <= last:
            raise FrontMatterError(
                f"allow[{i}].line", f"本文の行番号（ファイル全体で {closing_line + 1}〜{last} 行目）を書いてください"
            )
