"""Load and validate rules/ and word lists/ (TOML), and hash them for audit.

Rules are validated data with a closed set of kinds (a pydantic discriminated union with
`extra="forbid"`); regexes are compiled at load. Any mistake fails here, naming the file and the
key path (`term[42].reason`), never halfway through a check.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .model import CATEGORIES, DEFAULT_SEVERITY, Severity
from .normalize import fold_term
from .tokenize import seed_term_shapes, term_shape

CLAUSES: frozenset[str] = frozenset(
    """G-RISK-1 G-RISK-2 G-RISK-3 G-RISK-4 G-SCOPE G-ACCT-1 G-ACCT-2 G-ACCT-3 G-OPEN-1 G-OPEN-2
    G-OPEN-3 G-POST-1 G-POST-2a G-POST-2b G-POST-2c G-POST-2d G-POST-3 G-POST-4 G-RULE-1 G-RULE-2
    G-RULE-3 G-RULE-4 G-RULE-5 G-RULE-6 G-RULE-7 G-TROUBLE-1 G-TROUBLE-2 G-TROUBLE-3 G-QUALITY-1
    G-CLOSE-1 G-CLOSE-2 G-CLOSE-3 G-CLOSE-4""".split()
)
_KATAKANA_READING = regex.compile(r"^[ァ-ヶー]+$")


class RuleError(Exception):
    """A rule or word-list file is wrong: one line naming the file, the key path and the reason."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        super().__init__(f"{path}: {key}: {reason}" if key else f"{path}: {reason}")
        self.path, self.key, self.reason = path, key, reason


class _Strict(BaseModel):
    # Schemas are built on first validation: a start that takes the rule set from the cache
    # (load_ruleset) never builds them.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


class Example(_Strict):
    """A text the rule must (expect non-empty) or must not (expect = []) match."""

    text: str
    expect: list[str]
    kind: Literal["post", "reply"] = "post"
    date: str | None = None
    severity: Severity | None = None  # when given, every expected hit has this severity


class _RuleBase(_Strict):
    category: str
    severity: Severity | None = None
    clause: str
    message: str
    reason: str
    suggestions: list[str] = Field(default_factory=list)
    source: str = ""
    reply_only: bool = False
    examples: list[Example] = Field(min_length=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, v: str) -> str:
        if v not in CATEGORIES:
            raise ValueError(f"unknown category {v!r} (one of {', '.join(CATEGORIES)})")
        return v

    @field_validator("clause")
    @classmethod
    def _known_clause(cls, v: str) -> str:
        if v not in CLAUSES:
            raise ValueError(f"unknown clause {v!r} (see guideline/clauses.md)")
        return v

    @field_validator("message", "reason")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v


class WordlistRule(_RuleBase):
    kind: Literal["wordlist"]
    lists: list[str] = Field(min_length=1)  # globs relative to wordlists/


class PatternRule(_RuleBase):
    kind: Literal["pattern"]
    patterns: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)  # a match inside one of these is dropped
    group: int | str = 0  # which group is reported
    view: Literal["light", "folded"] = "light"
    validator: str | None = None
    context: list[str] = Field(default_factory=list)  # at least one must stand near the match
    window: int = 20
    secret: bool = False
    ignore_case: bool = False

    @field_validator("patterns", "exclude")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for i, p in enumerate(v):
            try:
                regex.compile(p, regex.V1)
            except regex.error as exc:
                raise ValueError(f"[{i}] does not compile: {exc}") from None
        return v


class TokenElement(_Strict):
    """One position of a token sequence: every given key must match the token."""

    surface: list[str] | None = None
    lemma: list[str] | None = None
    normalized: list[str] | None = None
    pos: list[str] | None = None  # prefixes such as "動詞" or "名詞,固有名詞"
    reading: list[str] | None = None
    optional: bool = False

    @field_validator("surface", "lemma", "normalized", "pos", "reading", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class TokensRule(_RuleBase):
    kind: Literal["tokens"]
    sequences: list[list[TokenElement]] = Field(min_length=1)


class CodeRule(_RuleBase):
    kind: Literal["code"]
    function: str
    params: dict[str, Any] = Field(default_factory=dict)


RuleSpec = Annotated[WordlistRule | PatternRule | TokensRule | CodeRule, Field(discriminator="kind")]


class _RuleFile(_Strict):
    rule: RuleSpec


class Term(_Strict):
    """One word-list entry (format: DESIGN.md, wordlists/README.md)."""

    term: str
    variants: list[str] = Field(default_factory=list)
    reading: str | None = None
    category: str
    severity: Severity
    reason: str
    alternatives: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    source: str = ""
    boundary: Literal["morpheme", "word", "any"] = "morpheme"
    list_name: str = ""

    @property
    def spellings(self) -> list[str]:
        return [self.term, *self.variants]


class _TermIn(_Strict):
    term: str = Field(min_length=1)
    variants: list[str] = Field(default_factory=list)
    reading: str | None = None
    category: str | None = None
    severity: Severity | None = None
    reason: str
    alternatives: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    source: str | None = None
    boundary: Literal["morpheme", "word", "any"] | None = None


class _Defaults(_Strict):
    category: str | None = None
    severity: Severity | None = None
    source: str = ""
    boundary: Literal["morpheme", "word", "any"] = "morpheme"


class _WordlistFile(_Strict):
    defaults: _Defaults = Field(default_factory=_Defaults)
    term: list[_TermIn] = Field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """A loaded rule: its id (from its path) and its validated spec."""

    id: str
    spec: Any  # one of the *Rule models
    path: str

    @property
    def severity(self) -> Severity:
        return self.spec.severity or DEFAULT_SEVERITY[self.spec.category]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    wordlists: dict[str, tuple[Term, ...]]  # list file name → its terms
    version: str
    files: tuple[str, ...] = field(default=())
    cache_key: str = field(default="", compare=False)  # its entry in the rule cache, if any

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def terms_for(self, rule: Rule) -> list[Term]:
        """The terms of every word list a wordlist rule names (globs), in file order."""
        out: list[Term] = []
        for pattern in rule.spec.lists:
            for name in sorted(self.wordlists):
                if Path(name).match(pattern):
                    out.extend(self.wordlists[name])
        return out


def default_data_dir(name: str) -> Path:
    """`rules` or `wordlists`: inside the installed wheel, else at the top of the checkout."""
    packaged = resources.files("fujisns_guard") / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name


def _key_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"WordlistRule", "PatternRule", "TokensRule", "CodeRule"} or str(part).startswith("function-"):
            continue
        elif part in {"wordlist", "pattern", "tokens", "code"} and out == "rule":
            continue
        else:
            out += ("." if out else "") + str(part)
    return out.removeprefix("rule.").removeprefix("rule")


def _raise_validation(path: str, exc: ValidationError) -> None:
    err = exc.errors()[0]
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    raise RuleError(path, _key_path(err.get("loc", ())), msg) from None


def _read_toml(path: Path, shown: str) -> tuple[dict[str, Any], bytes]:
    try:
        raw = path.read_bytes()
        return tomllib.loads(raw.decode("utf-8")), raw
    except UnicodeDecodeError:
        raise RuleError(shown, "", "not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(shown, "", f"TOML syntax: {exc}") from None
    except OSError as exc:
        raise RuleError(shown, "", exc.strerror or str(exc)) from None


def load_rule(path: Path, rules_dir: Path) -> tuple[Rule, bytes]:
    rel = path.relative_to(rules_dir)
    shown = f"rules/{rel.as_posix()}"
    data, raw = _read_toml(path, shown)
    try:
        spec = _RuleFile.model_validate({"rule": data}).rule
    except ValidationError as exc:
        _raise_validation(shown, exc)
        raise  # pragma: no cover - _raise_validation always raises
    rule_id = ".".join(rel.with_suffix("").parts)
    if rel.parts[0] != spec.category:
        raise RuleError(shown, "category", f"{spec.category!r} does not match its folder {rel.parts[0]!r}")
    return Rule(rule_id, spec, shown), raw


def load_wordlist(path: Path, lists_dir: Path) -> tuple[tuple[Term, ...], bytes]:
    shown = f"wordlists/{path.relative_to(lists_dir).as_posix()}"
    data, raw = _read_toml(path, shown)
    try:
        parsed = _WordlistFile.model_validate(data)
    except ValidationError as exc:
        _raise_validation(shown, exc)
        raise  # pragma: no cover
    d = parsed.defaults
    terms: list[Term] = []
    for i, t in enumerate(parsed.term):
        key = f"term[{i}]"
        category = t.category or d.category
        if category not in CATEGORIES:
            raise RuleError(shown, f"{key}.category", f"unknown or missing category {category!r}")
        if not t.reason.strip():
            raise RuleError(shown, f"{key}.reason", "must not be empty")
        if t.reading is not None and not _KATAKANA_READING.match(t.reading):
            raise RuleError(shown, f"{key}.reading", "must be katakana")
        spellings = [fold_term(s) for s in (t.term, *t.variants)]
        if not all(spellings):
            raise RuleError(shown, f"{key}.term", "is empty after normalization")
        for j, exc_text in enumerate(t.exceptions):
            folded = fold_term(exc_text)
            if not any(s in folded for s in spellings):
                raise RuleError(shown, f"{key}.exceptions[{j}]", f"{exc_text!r} does not contain the term")
            if folded in spellings:
                raise RuleError(shown, f"{key}.exceptions[{j}]", "is the term itself")
        severity = t.severity or d.severity or DEFAULT_SEVERITY[category]
        terms.append(
            Term(
                term=t.term,
                variants=t.variants,
                reading=t.reading,
                category=category,
                severity=severity,
                reason=t.reason,
                alternatives=t.alternatives,
                exceptions=t.exceptions,
                source=t.source if t.source is not None else d.source,
                boundary=t.boundary or d.boundary,
                list_name=path.stem,
            )
        )
    return tuple(terms), raw


def load_ruleset(rules_dir: Path | None = None, lists_dir: Path | None = None, *, cache: bool = True) -> RuleSet:
    """Load every rule and word list; raise RuleError on the first problem.

    With `cache`, a rule set loaded before from the very same files (and the same code, Python
    and Sudachi dictionary) is taken from the user's cache folder instead of being parsed and
    validated again; see `_cache_key` and `_cache_read` for when it is trusted.
    """
    rules_dir = rules_dir or default_data_dir("rules")
    lists_dir = lists_dir or default_data_dir("wordlists")
    if not rules_dir.is_dir():
        raise RuleError(str(rules_dir), "", "rules folder not found")
    key = _cache_key(rules_dir, lists_dir) if cache and _cache_dir() is not None else None
    if key is not None:
        cached = _cache_read(key)
        if cached is not None:
            ruleset, shapes, memos = cached
            seed_term_shapes(shapes)
            _seed_memos(key, memos)
            return ruleset
    ruleset = _load_ruleset(rules_dir, lists_dir)
    if key is not None:
        ruleset = RuleSet(ruleset.rules, ruleset.wordlists, ruleset.version, ruleset.files, key)
        spellings = {s for terms in ruleset.wordlists.values() for t in terms for s in t.spellings}
        _cache_write(key, (ruleset, {s: tuple(term_shape(s)) for s in sorted(spellings)}, _memo_snapshot()))
    return ruleset


# Derived data the rule compilers compute from the rules' own text (a phrase pattern's cue strings,
# a term's folded form …): pure functions of their key, kept in named dicts that the rule cache
# saves with the rule set (`save_memos`, called once all rules are compiled) and seeds on load.
_MEMOS: dict[str, dict[Any, Any]] = {}
_SAVED: dict[str, dict[str, int]] = {}  # cache key → sizes of the memos as last read or written


def memo(name: str) -> dict[Any, Any]:
    """The process-wide memo `name` (values must pickle; keys: strings or tuples of them)."""
    return _MEMOS.setdefault(name, {})


def _memo_snapshot() -> dict[str, dict[Any, Any]]:
    return {name: dict(values) for name, values in _MEMOS.items()}


def _seed_memos(key: str, memos: dict[str, dict[Any, Any]]) -> None:
    for name, values in memos.items():
        target = memo(name)
        for k, v in values.items():
            target.setdefault(k, v)
    _SAVED[key] = {name: len(values) for name, values in _MEMOS.items()}


def save_memos(ruleset: RuleSet) -> None:
    """Write the rule cache again when the compilers added derived data since it was read."""
    key = ruleset.cache_key
    if not key or _cache_dir() is None:
        return
    sizes = {name: len(values) for name, values in _MEMOS.items()}
    if _SAVED.get(key) == sizes:
        return
    spellings = {s for terms in ruleset.wordlists.values() for t in terms for s in t.spellings}
    _cache_write(key, (ruleset, {s: tuple(term_shape(s)) for s in sorted(spellings)}, _memo_snapshot()))
    _SAVED[key] = sizes


def _load_ruleset(rules_dir: Path, lists_dir: Path) -> RuleSet:
    digest = hashlib.sha256()
    rules: list[Rule] = []
    files: list[str] = []
    for path in sorted(rules_dir.rglob("*.toml")):
        rule, raw = load_rule(path, rules_dir)
        rules.append(rule)
        files.append(rule.path)
        digest.update(rule.path.encode() + b"\0" + raw + b"\0")
    wordlists: dict[str, tuple[Term, ...]] = {}
    seen: dict[str, str] = {}
    if lists_dir.is_dir():
        for path in sorted(lists_dir.rglob("*.toml")):
            terms, raw = load_wordlist(path, lists_dir)
            name = path.relative_to(lists_dir).as_posix()
            shown = f"wordlists/{name}"
            for i, t in enumerate(terms):
                for s in t.spellings:
                    key = fold_term(s)
                    if key in seen:
                        raise RuleError(shown, f"term[{i}]", f"duplicate of {s!r} in {seen[key]}")
                    seen[key] = shown
            wordlists[name] = terms
            files.append(shown)
            digest.update(shown.encode() + b"\0" + raw + b"\0")
    ruleset = RuleSet(tuple(rules), wordlists, "sha256:" + digest.hexdigest()[:16], tuple(files))
    for rule in rules:
        if rule.spec.kind == "wordlist" and not ruleset.terms_for(rule):
            raise RuleError(rule.path, "lists", "names no existing word list")
    return ruleset


# --- The rule cache -------------------------------------------------------------------------
# Parsing and validating 60-odd TOML files and analysing a thousand word-list terms with Sudachi
# took about a third of a `guard check` start. The result depends only on the bytes of those
# files, on this package's code that reads them and derives data from them (size and time of
# every module of the package), on Python and on the Sudachi dictionary: all of them go into
# the key. The file is trusted only when this user owns it and its folder, nobody else can write
# either, and the SHA-256 in its header matches its body; anything else (missing, corrupt,
# foreign, unwritable folder) falls back to loading the files, silently.

CACHE_ENV = "FUJISNS_GUARD_CACHE"  # a folder for the cache, or "off"
_CACHE_MAGIC = b"fujisns-guard rule cache 2\n"
_CACHE_KEEP = 16  # files kept in the folder (the rule sets used most recently)


def _cache_dir() -> Path | None:
    import os

    where = os.environ.get(CACHE_ENV, "")
    if where.lower() in ("off", "0", "no", "false"):
        return None
    if where:
        return Path(where)
    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home() != Path("/") else "")
    return Path(base) / "fujisns_guard" if base else None


def _cache_key(rules_dir: Path, lists_dir: Path) -> str | None:
    """A hash of everything the loaded rule set depends on, or None when a file can't be read."""
    import sys

    from .tokenize import dictionary_fingerprint

    h = hashlib.sha256()
    try:
        for base, label in ((rules_dir, "rules"), (lists_dir, "wordlists")):
            h.update(f"{label}:{base.resolve()}\0".encode())
            if base.is_dir():
                for path in sorted(base.rglob("*.toml")):
                    h.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        here = Path(__file__).parent
        for code in sorted(here.rglob("*.py")):  # the code that reads the rules and derives data
            st = code.stat()
            h.update(f"{code.relative_to(here).as_posix()}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        for data in sorted(here.rglob("*.toml")):  # the default policy and other package data
            h.update(data.relative_to(here).as_posix().encode() + b"\0" + data.read_bytes() + b"\0")
    except OSError:
        return None
    h.update(f"{sys.version}\0{dictionary_fingerprint()}".encode())
    return h.hexdigest()


def _private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no owners)."""
    import os

    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: the folder is under the user's profile
        return True
    st = path.stat()
    return st.st_uid == getuid() and not st.st_mode & 0o022


_Cached = tuple[RuleSet, dict[str, tuple[tuple[str, ...], ...]], dict[str, dict[Any, Any]]]


def _cache_read(key: str) -> _Cached | None:
    import os
    import pickle

    folder = _cache_dir()
    if folder is None:
        return None
    path = folder / f"{key[:32]}.pickle"
    try:
        if not (path.is_file() and _private(folder) and _private(path)):
            return None
        blob = path.read_bytes()
        head, _, rest = blob.partition(b"\n")
        digest, _, payload = rest.partition(b"\n")
        if head + b"\n" != _CACHE_MAGIC or hashlib.sha256(payload).hexdigest().encode() != digest:
            return None
        stored_key, ruleset, shapes, memos = pickle.loads(payload)
    except Exception:  # a cache that can't be used is only a slower start
        return None
    if stored_key != key or not isinstance(ruleset, RuleSet) or not isinstance(shapes, dict) or not isinstance(memos, dict):
        return None
    try:
        os.utime(path)  # recently used: the last to be pruned
    except OSError:
        pass
    return ruleset, shapes, memos


def _cache_write(key: str, value: _Cached) -> None:
    import os
    import pickle
    import tempfile

    folder = _cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        payload = pickle.dumps((key, *value), protocol=pickle.HIGHEST_PROTOCOL)
        blob = _CACHE_MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, folder / f"{key[:32]}.pickle")
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in old[_CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # read-only home, full disk …: just no cache
        return
