"""What is already published (issue 7): the facts of a sentence, the published-content index and
the basis of each sentence.

`facts.facts_of` reduces a sentence to key words and canonical values; `index.PublishedIndex.lookup`
finds the published passage or FAQ answer stating the same facts (docs/scope.md);
`basis.classify` gives each sentence its role and possible bases (docs/decision.md).

The names below are imported on first use: `import fujisns_guard` must not pay for the index.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "Facts": "facts",
    "facts_of": "facts",
    "facts_of_text": "facts",
    "IndexError_": "index",
    "IndexSources": "index",
    "IndexStats": "index",
    "PublishedIndex": "index",
    "Support": "index",
    "build_index": "index",
    "index_path_for": "index",
    "load_for_policy": "index",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
