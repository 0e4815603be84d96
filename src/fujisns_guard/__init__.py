"""fujisns_guard: check a Japanese municipal social-media draft before it is posted.

    from fujisns_guard import check, Guard
    report = check("看護婦さんを募集します")

The names below are imported on first use (PEP 562), so that importing one module of the package
(`fujisns_guard.cli`, `fujisns_guard.tokenize` …) does not import the engine and pydantic with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Guard as Guard
    from .engine import check as check
    from .schema import Decision as Decision
    from .schema import Finding as Finding
    from .schema import Report as Report

__all__ = ["Decision", "Finding", "Guard", "Report", "check"]
__version__ = "0.1.0"

_LAZY = {"Guard": ".engine", "check": ".engine", "Decision": ".schema", "Finding": ".schema", "Report": ".schema"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
