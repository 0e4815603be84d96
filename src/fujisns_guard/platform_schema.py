"""The pydantic schema of data/platforms.toml: imported only when the file is read (no rule cache
yet); `validate_platforms` returns the plain table (`platform_limits.PlatformLimit`)."""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .platform_limits import PlatformLimit, Unit


class PlatformFile(BaseModel):
    """One table of platforms.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str
    limit: int = Field(gt=0)
    unit: Unit
    source: str = Field(min_length=1)
    checked: datetime.date
    hashtag_limit: int | None = Field(default=None, gt=0)
    hashtag_source: str | None = None
    hashtag_checked: datetime.date | None = None
    forbidden: str = ""
    note: str = ""


def validate_platforms(raw: dict[str, Any]) -> dict[str, PlatformLimit]:
    """Every table of the parsed file; a malformed entry raises ValueError naming it."""
    out: dict[str, PlatformLimit] = {}
    for key, table in raw.items():
        try:
            entry = PlatformFile.model_validate(table)
        except ValueError as exc:
            raise ValueError(f"data/platforms.toml [{key}]: {exc}") from None
        if entry.hashtag_limit is not None and not (entry.hashtag_source and entry.hashtag_checked):
            raise ValueError(f"data/platforms.toml [{key}]: hashtag_limit needs hashtag_source and hashtag_checked")
        out[key] = PlatformLimit(key, **entry.model_dump())
    return out
