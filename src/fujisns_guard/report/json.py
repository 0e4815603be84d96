"""`--format json`: a list with one Report object per input (docs/output.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Report


def render_json(reports: Sequence[Report], _sources: dict[str, str]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in reports], ensure_ascii=False, indent=2) + "\n"
