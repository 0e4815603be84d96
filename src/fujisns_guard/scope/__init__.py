"""What is already published (issue 7): the facts of a sentence and the published-content index.

`facts_of` reduces a sentence to key words and canonical values; `PublishedIndex.lookup` finds the
published passage or FAQ answer stating the same facts. Format and rules: docs/scope.md.
"""

from __future__ import annotations

from .facts import Facts, facts_of, facts_of_text
from .index import (
    IndexError_,
    IndexSources,
    IndexStats,
    PublishedIndex,
    Support,
    build_index,
    index_path_for,
    load_for_policy,
)

__all__ = [
    "Facts",
    "IndexError_",
    "IndexSources",
    "IndexStats",
    "PublishedIndex",
    "Support",
    "build_index",
    "facts_of",
    "facts_of_text",
    "index_path_for",
    "load_for_policy",
]
