"""Regular expressions compiled on first use.

Compiling the few hundred module-level patterns of the code rules took about a tenth of a second
at every start (`guard check` on one file), though a typical draft reaches only some of them.
`lazy(...)` returns an object that behaves as the compiled pattern and compiles it the first time
one of its attributes is read; after that the pattern's methods are plain attributes of the
object, so a call costs the same as on the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any, cast, overload

_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")


class _Lazy:
    def __init__(self, engine: Any, pattern: str | bytes, flags: int) -> None:
        self._spec = (engine, pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_spec":
            raise AttributeError(name)
        compiled = self.__dict__.get("compiled")
        if compiled is None:
            engine, pattern, flags = self._spec
            compiled = engine.compile(pattern, flags)
            for attr in _FORWARDED:
                if hasattr(compiled, attr):
                    self.__dict__[attr] = getattr(compiled, attr)
            self.__dict__["compiled"] = compiled
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._spec[1]!r})"


@overload
def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def lazy(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...
def lazy(pattern: str | bytes, flags: int = 0) -> re.Pattern[str] | re.Pattern[bytes]:
    """`re.compile(pattern, flags)`, compiled when first used."""
    return cast(re.Pattern[str], _Lazy(re, pattern, flags))


def lazy_regex(pattern: str, flags: int = 0) -> Any:
    """`regex.compile(pattern, flags)` (the third-party module), compiled when first used."""
    import regex

    return _Lazy(regex, pattern, flags)
