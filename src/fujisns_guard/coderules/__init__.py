"""Rules written in code, for what data cannot say (phone parsing, calendars, lengths …).

Each module of this package exports `RULES: dict[str, CodeFunction]`; a rule file names one with
`kind = "code"` and `function = "<name>"`. Discovery is a plain loop over the package's modules:
no plugin framework.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from ..model import Analysis, Hit

CodeFunction = Callable[[Analysis, dict[str, Any]], list[Hit]]
# Optional, per function: called once when a Guard compiles a rule naming it, with the rule's
# params and the kinds of draft it runs on (work better done before the first draft).
PrepareFunction = Callable[[dict[str, Any], tuple[str, ...]], None]


def _discover() -> tuple[dict[str, CodeFunction], dict[str, PrepareFunction]]:
    found: dict[str, CodeFunction] = {}
    prepare: dict[str, PrepareFunction] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in getattr(module, "RULES", {}).items():
            if name in found:
                raise RuntimeError(f"code rule {name!r} defined twice ({info.name})")
            found[name] = fn
        prepare.update(getattr(module, "PREPARE", {}))
    return found, prepare


FUNCTIONS, PREPARE = _discover()
