"""Renderers: pure functions from reports to text; `FORMATS` is the registry the CLI uses.

Only the text renderer is imported with the package: `json` and `sarif` (which needs the rule
files, the fix planner and importlib.metadata) are imported when a report is rendered in them, so
that `guard check` starts without them (docs/performance.md, cold start).

The renderers of `FORMATS` take the engine's records (`records.Report`) or the public reports:
text renders either as it is (no pydantic); json and sarif serialise the public pydantic
`Report`, made from the records here (`schema.from_record`: the output is the same byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .text import render_text

if TYPE_CHECKING:
    from ..records import AnyReport
    from .json import render_json
    from .sarif import render_sarif

Renderer = Callable[[Sequence["AnyReport"], dict[str, str]], str]


def _render_json(reports: Sequence[AnyReport], sources: dict[str, str]) -> str:
    from ..schema import from_record
    from .json import render_json

    return render_json([from_record(r) for r in reports], sources)


def _render_sarif(reports: Sequence[AnyReport], sources: dict[str, str]) -> str:
    from ..schema import from_record
    from .sarif import render_sarif

    return render_sarif([from_record(r) for r in reports], sources)


FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": _render_json,
    "sarif": _render_sarif,
}

__all__ = ["FORMATS", "Renderer", "render_json", "render_sarif", "render_text"]


def __getattr__(name: str) -> Any:
    """`report.render_json` and `report.render_sarif` as before, imported on first use."""
    if name == "render_json":
        from .json import render_json

        return render_json
    if name == "render_sarif":
        from .sarif import render_sarif

        return render_sarif
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
