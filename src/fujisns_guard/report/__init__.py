"""Renderers: pure functions from reports to text; `FORMATS` is the registry the CLI uses.

Only the text renderer is imported with the package: `json` and `sarif` (which needs the rule
files, the fix planner and importlib.metadata) are imported when a report is rendered in them, so
that `guard check` starts without them (docs/performance.md, cold start).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..model import Report
from .text import render_text

if TYPE_CHECKING:
    from .json import render_json
    from .sarif import render_sarif

Renderer = Callable[[Sequence[Report], dict[str, str]], str]


def _render_json(reports: Sequence[Report], sources: dict[str, str]) -> str:
    from .json import render_json

    return render_json(reports, sources)


def _render_sarif(reports: Sequence[Report], sources: dict[str, str]) -> str:
    from .sarif import render_sarif

    return render_sarif(reports, sources)


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
