"""Renderers: pure functions from reports to text; `FORMATS` is the registry the CLI uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Report
from .json import render_json
from .sarif import render_sarif
from .text import render_text

Renderer = Callable[[Sequence[Report], dict[str, str]], str]

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
}
