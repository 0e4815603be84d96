"""How one draft is checked: command line > front matter > policy > defaults.

The most specific, most recent word wins: an option typed now beats what the draft says about
itself, which beats the account's standing policy. Each value records where it came from.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import cast

from .frontmatter import DraftMeta
from .model import DraftKind
from .plain import Record, field
from .policy import SERVICES, AccountPolicy


class DraftSettings(Record):
    kind: DraftKind
    date: _dt.date
    platforms: tuple[str, ...]
    account: str | None
    sources: Mapping[str, str] = field(default_factory=dict)  # kind/date/platforms/account → cli, front matter, policy, default
    notes: tuple[str, ...] = ()  # things worth showing in the report (e.g. a platform outside the policy)


def _given(value: object) -> bool:
    """None, and an empty list (an `append` option never used), mean "not given"."""
    return value is not None and not (isinstance(value, (list, tuple)) and not value)


def resolve_settings(
    cli: Mapping[str, object | None],
    meta: DraftMeta | None,
    policy: AccountPolicy | None,
    *,
    today: _dt.date | None = None,
) -> DraftSettings:
    """`cli` keys: kind ("post"/"reply"), date (date or YYYY-MM-DD), platforms (list), account;
    pass None for an option that was not given (e.g. `--reply` absent → kind None, not "post")."""
    sources: dict[str, str] = {}

    def pick(name: str, from_meta: object, from_policy: object, default: object) -> object:
        for source, value in (("cli", cli.get(name)), ("front matter", from_meta), ("policy", from_policy)):
            if _given(value):
                sources[name] = source
                return value
        sources[name] = "default"
        return default

    kind = pick("kind", meta.kind if meta else None, None, "post")
    if kind not in ("post", "reply"):
        raise ValueError(f"kind は post か reply です: {kind!r}")
    day = pick("date", meta.date if meta else None, None, today or _dt.date.today())
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day)
    services = list(policy.services) if policy is not None else []
    platforms = _platforms(pick("platforms", meta.platform if meta else None, services, []))
    account = pick("account", meta.account if meta else None, None, None)
    outside = [p for p in platforms if services and p not in services]
    notes = tuple(f"投稿先 {p} は運用ポリシーのサービス（エ）にありません" for p in outside)
    return DraftSettings(
        kind="reply" if kind == "reply" else "post",
        date=cast(_dt.date, day),
        platforms=platforms,
        account=None if account is None else str(account),
        sources=sources,
        notes=notes,
    )


def _platforms(value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(cast(Iterable[str], value))
    out = tuple(dict.fromkeys(str(p).strip().lower() for p in items))
    unknown = [p for p in out if p not in SERVICES]
    if unknown:
        raise ValueError(f"知らない投稿先です: {', '.join(unknown)}（{', '.join(SERVICES)}）")
    return out
