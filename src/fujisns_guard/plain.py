"""Frozen value classes made without generated code: the plain objects the pipeline runs on.

Why not `@dataclass(frozen=True)`: a dataclass compiles five methods per class (`__init__`,
`__repr__`, `__eq__`, `__setattr__`, `__hash__`), ~1.4 ms each class; the forty-odd classes of the
rules, the policy and the front matter took ~40 ms of every start. Every `Record` class shares the
methods of `Record`, which read the class's field names and defaults; only a class built often
gets its own compiled `__init__` (see `_init`), and a start that unpickles its objects from a
cache builds none. Instances keep a `__dict__`: pickle restores it in C, which matters for the
thousand terms of the rule cache, and a class may cache derived data in a private attribute
(`_name`, never a field).

    class Owner(Record):
        section: str | None = None
        tags: list[str] = field(default_factory=list)

Fields are the annotated public names, bases' first; construction is keyword-only unless the
class says `kw_only=False`. Type checkers see a frozen dataclass (`dataclass_transform`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import FrozenInstanceError
from typing import Any, ClassVar, Self, TypeVar, dataclass_transform

_T = TypeVar("_T")
_MISSING: Any = object()


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], _T]) -> _T:
    """A default made anew for every instance, like `dataclasses.field(default_factory=…)`."""
    return _Factory(default_factory)  # type: ignore[return-value]


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class _RecordType(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any], kw_only: bool = True) -> _RecordType:
        own = [
            n
            for n, ann in ns.get("__annotations__", {}).items()
            if not n.startswith("_") and not str(ann).startswith(("ClassVar", "typing.ClassVar"))
        ]
        inherited: tuple[str, ...] = ()
        defaults: dict[str, Any] = {}
        for base in reversed(bases):
            inherited += tuple(n for n in getattr(base, "_fields", ()) if n not in inherited)
            defaults.update(getattr(base, "_defaults", {}))
        names = inherited + tuple(n for n in own if n not in inherited)
        defaults.update({n: ns.pop(n) for n in own if n in ns})
        cls = super().__new__(mcs, name, bases, ns)
        if name == "Record" and not bases:
            return cls
        if not kw_only:  # positional: a required field may not follow one with a default
            given = [n in defaults for n in names]
            if any(given[i] and not given[i + 1] for i in range(len(given) - 1)):
                raise TypeError(f"{name}: a required field follows one with a default: use keyword-only fields")
        cls._fields = names  # type: ignore[attr-defined]
        cls._defaults = defaults  # type: ignore[attr-defined]
        cls._kw_only = kw_only  # type: ignore[attr-defined]
        cls._uses = 0  # type: ignore[attr-defined]
        cls.__init__ = _init  # type: ignore[misc]  # its own: never a base's compiled one
        return cls

    def __init__(cls, name: str, bases: tuple[type, ...], ns: dict[str, Any], kw_only: bool = True) -> None:
        super().__init__(name, bases, ns)


_COMPILE_AFTER = 16  # constructions of a class before its own `__init__` is compiled


def _init(self: Record, *args: Any, **kwargs: Any) -> None:
    """The fields from the arguments (positional only where the class says `kw_only=False`),
    else their defaults; the same errors as a dataclass's `__init__` for missing or unknown ones.

    Generic (no code compiled) for a class's first constructions; a class built more often (the
    engine's findings) then gets its own compiled `__init__` (`_compiled`), ~5× faster a call."""
    cls = type(self)
    uses = cls._uses = cls._uses + 1
    if uses >= _COMPILE_AFTER:
        cls.__init__ = _compiled(cls._fields, cls._defaults, cls._kw_only)  # type: ignore[method-assign]
    names = cls._fields
    if args:
        if cls._kw_only or len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {0 if cls._kw_only else len(names)} positional arguments")
        for n, v in zip(names, args, strict=False):
            if n in kwargs:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {n!r}")
            kwargs[n] = v
    d = self.__dict__
    defaults = cls._defaults
    for n in names:
        if n in kwargs:
            d[n] = kwargs.pop(n)
            continue
        default = defaults.get(n, _MISSING)
        if default is _MISSING:
            raise TypeError(f"{cls.__name__}() missing required argument: {n!r}")
        d[n] = default.make() if isinstance(default, _Factory) else default
    if kwargs:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {next(iter(kwargs))!r}")


def _compiled(names: tuple[str, ...], defaults: dict[str, Any], kw_only: bool) -> Callable[..., None]:
    """An `__init__` for these fields (keyword-only unless `kw_only` is false), storing each."""
    params, body = [], []
    env: dict[str, Any] = {"_MISSING": _MISSING}
    for n in names:
        default = defaults.get(n, _MISSING)
        if isinstance(default, _Factory):
            env[f"_make_{n}"] = default.make
            params.append(f"{n}=_MISSING")
            body.append(f"    d[{n!r}] = _make_{n}() if {n} is _MISSING else {n}")
        else:
            if default is not _MISSING:
                env[f"_default_{n}"] = default
            params.append(n if default is _MISSING else f"{n}=_default_{n}")
            body.append(f"    d[{n!r}] = {n}")
    if kw_only and params:
        params.insert(0, "*")
    source = f"def __init__({', '.join(['self', *params])}):\n    d = self.__dict__\n" + "\n".join(body) + "\n"
    exec(source, env)  # the class's own field names and defaults: nothing from outside
    init: Callable[..., None] = env["__init__"]
    return init


class Record(metaclass=_RecordType):
    """A frozen value: compared and hashed by its fields, `repr` like a dataclass, copied with
    changes by `model_copy(update=…)` (as its pydantic twin is)."""

    _fields: ClassVar[tuple[str, ...]] = ()  # the field names, in order
    _defaults: ClassVar[dict[str, Any]] = {}  # name → default (or `field(default_factory=…)`)
    _kw_only: ClassVar[bool] = True
    _uses: ClassVar[int] = 0  # constructions so far (see _init)

    def _values(self) -> tuple[Any, ...]:
        d = self.__dict__
        return tuple(d[n] for n in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self._values(), strict=True))})"

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A copy with some fields replaced (not validated, like pydantic's)."""
        values = dict(zip(self._fields, self._values(), strict=True))
        values.update(update or {})
        copy: Self = type(self)(**values)
        return copy


def record_fields(cls: type[Record]) -> list[tuple[str, Any]]:
    """(name, default) of each field, in order; a factory's default is made, a required field's
    default is `REQUIRED` (for the tests that keep twins equal)."""
    out = []
    for n in cls._fields:
        default = cls._defaults.get(n, REQUIRED)
        out.append((n, default.make() if isinstance(default, _Factory) else default))
    return out


REQUIRED = "<required>"
