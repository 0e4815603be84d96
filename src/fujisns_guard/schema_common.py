"""What the validating schemas (`*_schema.py`) share: the strict base model and the conversion of
a validated model into its plain twin.

pydantic validates, plain objects run: each schema module is imported only when a file must be
validated (a cache miss, a policy not cached yet, an unusual front matter); what the pipeline runs
on is the plain class of the same name in the module that reads the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    # Schemas are built on first validation (defer_build).
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


def to_plain(value: Any, plain: Mapping[str, type[Any]]) -> Any:
    """`value` with every model replaced by the plain class of the same name in `plain`
    (lists and dicts rebuilt, other values kept: they were validated already)."""
    if isinstance(value, BaseModel):
        cls = plain[type(value).__name__]
        return cls(**{name: to_plain(getattr(value, name), plain) for name in type(value).model_fields})
    if isinstance(value, list):
        return [to_plain(v, plain) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v, plain) for k, v in value.items()}
    return value
