"""Load and validate rules/ and word lists/ (TOML), and hash them for audit.

Rules are validated data with a closed set of kinds (a pydantic discriminated union with
`extra="forbid"`, `ruleset_schema.py`); regexes are compiled at load. Any mistake fails here,
naming the file and the key path (`term[42].reason`), never halfway through a check.

pydantic validates, plain objects run: what the loader returns, what the rule compilers read and
what the rule cache pickles are the plain classes below, each the twin of the pydantic schema of
the same name (same fields and defaults; tests/test_plain_twins.py). A start that takes the rule
set from the cache never imports pydantic.
"""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from . import cachefile
from .cachefile import CACHE_ENV as CACHE_ENV
from .cachefile import memo as memo
from .model import CATEGORIES, DEFAULT_SEVERITY, Severity
from .normalize import fold_term
from .plain import Record, field
from .tokenize import seed_term_shapes, term_shape

CLAUSES: frozenset[str] = frozenset(
    """G-RISK-1 G-RISK-2 G-RISK-3 G-RISK-4 G-SCOPE G-ACCT-1 G-ACCT-2 G-ACCT-3 G-OPEN-1 G-OPEN-2
    G-OPEN-3 G-POST-1 G-POST-2a G-POST-2b G-POST-2c G-POST-2d G-POST-3 G-POST-4 G-RULE-1 G-RULE-2
    G-RULE-3 G-RULE-4 G-RULE-5 G-RULE-6 G-RULE-7 G-TROUBLE-1 G-TROUBLE-2 G-TROUBLE-3 G-QUALITY-1
    G-CLOSE-1 G-CLOSE-2 G-CLOSE-3 G-CLOSE-4""".split()
)
_KATAKANA_READING = "ァ-ヶー"


class RuleError(Exception):
    """A rule or word-list file is wrong: one line naming the file, the key path and the reason."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        super().__init__(f"{path}: {key}: {reason}" if key else f"{path}: {reason}")
        self.path, self.key, self.reason = path, key, reason


# --- the plain twins of ruleset_schema's models ---------------------------------------------
# Records (plain.py): frozen, made without generated code, unpickled in C (a thousand terms).


class Example(Record):
    """A text the rule must (expect non-empty) or must not (expect = []) match."""

    text: str
    expect: list[str]
    kind: Literal["post", "reply"] = "post"
    date: str | None = None
    severity: Severity | None = None  # when given, every expected hit has this severity


class _RuleBase(Record):
    category: str
    severity: Severity | None = None
    clause: str
    message: str
    reason: str
    suggestions: list[str] = field(default_factory=list)
    source: str = ""
    reply_only: bool = False
    examples: list[Example]


class WordlistRule(_RuleBase):
    kind: Literal["wordlist"]
    lists: list[str]  # globs relative to wordlists/


class PatternRule(_RuleBase):
    kind: Literal["pattern"]
    patterns: list[str]
    exclude: list[str] = field(default_factory=list)  # a match inside one of these is dropped
    group: int | str = 0  # which group is reported
    view: Literal["light", "folded"] = "light"
    validator: str | None = None
    context: list[str] = field(default_factory=list)  # at least one must stand near the match
    window: int = 20
    secret: bool = False
    ignore_case: bool = False


class TokenElement(Record):
    """One position of a token sequence: every given key must match the token."""

    surface: list[str] | None = None
    lemma: list[str] | None = None
    normalized: list[str] | None = None
    pos: list[str] | None = None  # prefixes such as "動詞" or "名詞,固有名詞"
    reading: list[str] | None = None
    optional: bool = False


class TokensRule(_RuleBase):
    kind: Literal["tokens"]
    sequences: list[list[TokenElement]]


class CodeRule(_RuleBase):
    kind: Literal["code"]
    function: str
    params: dict[str, Any] = field(default_factory=dict)


RuleSpec = WordlistRule | PatternRule | TokensRule | CodeRule
PLAIN_SPECS: dict[str, type[Any]] = {
    c.__name__: c for c in (Example, WordlistRule, PatternRule, TokenElement, TokensRule, CodeRule)
}


class Term(Record):
    """One word-list entry (format: DESIGN.md, wordlists/README.md), defaults of its file applied."""

    term: str
    variants: list[str] = field(default_factory=list)
    reading: str | None = None
    category: str
    severity: Severity
    reason: str
    alternatives: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    source: str = ""
    boundary: Literal["morpheme", "word", "any"] = "morpheme"
    list_name: str = ""

    @property
    def spellings(self) -> list[str]:
        return [self.term, *self.variants]


class Rule(Record, kw_only=False):
    """A loaded rule: its id (from its path) and its validated spec."""

    id: str
    spec: Any  # one of the *Rule classes
    path: str

    @property
    def severity(self) -> Severity:
        return self.spec.severity or DEFAULT_SEVERITY[self.spec.category]


class RuleSet(Record, kw_only=False):
    rules: tuple[Rule, ...]
    wordlists: dict[str, tuple[Term, ...]]  # list file name → its terms
    version: str
    files: tuple[str, ...] = ()

    @property
    def cache_key(self) -> str:
        """Its entry in the rule cache, if any (not a field: not compared)."""
        key: str = self.__dict__.get("_cache_key", "")
        return key

    def _keyed(self, key: str) -> RuleSet:
        copy = self.model_copy()
        copy.__dict__["_cache_key"] = key
        return copy

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
    from .ruleset_schema import validate_rule  # pydantic: only when files are read

    rel = path.relative_to(rules_dir)
    shown = f"rules/{rel.as_posix()}"
    data, raw = _read_toml(path, shown)
    spec = validate_rule(data, shown)
    rule_id = ".".join(rel.with_suffix("").parts)
    if rel.parts[0] != spec.category:
        raise RuleError(shown, "category", f"{spec.category!r} does not match its folder {rel.parts[0]!r}")
    return Rule(rule_id, spec, shown), raw


def load_wordlist(path: Path, lists_dir: Path) -> tuple[tuple[Term, ...], bytes]:
    import regex

    from .ruleset_schema import validate_wordlist  # pydantic: only when files are read

    shown = f"wordlists/{path.relative_to(lists_dir).as_posix()}"
    data, raw = _read_toml(path, shown)
    parsed = validate_wordlist(data, shown)
    katakana = regex.compile(f"^[{_KATAKANA_READING}]+$")
    d = parsed.defaults
    terms: list[Term] = []
    for i, t in enumerate(parsed.term):
        key = f"term[{i}]"
        category = t.category or d.category
        if category not in CATEGORIES:
            raise RuleError(shown, f"{key}.category", f"unknown or missing category {category!r}")
        if not t.reason.strip():
            raise RuleError(shown, f"{key}.reason", "must not be empty")
        if t.reading is not None and not katakana.match(t.reading):
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
        ruleset = ruleset._keyed(key)
        _warm_package_data()
        _cache_write(key, (ruleset, _shapes(ruleset), _memo_snapshot()))
    return ruleset


def _shapes(ruleset: RuleSet) -> dict[str, tuple[tuple[str, ...], ...]]:
    spellings = {s for terms in ruleset.wordlists.values() for t in terms for s in t.spellings}
    return {s: tuple(term_shape(s)) for s in sorted(spellings)}


def _warm_package_data() -> None:
    """The package's own data validated once (the default policy, the platform limits) joins the
    rule cache's memos, so that a cached start validates none of it (nor imports pydantic)."""
    from .platform_limits import platforms
    from .policy import default_policy

    for load in (default_policy, platforms):
        try:
            load()
        except Exception:  # broken package data is reported where it is used
            pass


# Derived data the rule compilers compute from the rules' own text (a phrase pattern's cue strings,
# a term's folded form …): pure functions of their key, kept in named dicts (`memo`, in
# cachefile.py) that the rule cache saves with the rule set (`save_memos`, called once all rules
# are compiled) and seeds on load.
_SAVED: dict[str, dict[str, int]] = {}  # cache key → sizes of the memos as last read or written


def _memo_snapshot() -> dict[str, dict[Any, Any]]:
    return {name: dict(values) for name, values in cachefile.MEMOS.items()}


def _seed_memos(key: str, memos: dict[str, dict[Any, Any]]) -> None:
    for name, values in memos.items():
        target = memo(name)
        for k, v in values.items():
            target.setdefault(k, v)
    _SAVED[key] = {name: len(values) for name, values in cachefile.MEMOS.items()}


def save_memos(ruleset: RuleSet) -> None:
    """Write the rule cache again when the compilers added derived data since it was read."""
    key = ruleset.cache_key
    if not key or _cache_dir() is None:
        return
    sizes = {name: len(values) for name, values in cachefile.MEMOS.items()}
    if _SAVED.get(key) == sizes:
        return
    _cache_write(key, (ruleset, _shapes(ruleset), _memo_snapshot()))
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
# foreign, unwritable folder) falls back to loading the files, silently (cachefile.py).

_CACHE_MAGIC = b"fujisns-guard rule cache 3\n"
_CACHE_SUFFIX = ".pickle"
_cache_dir = cachefile.cache_dir
_private = cachefile.private


def _cache_key(rules_dir: Path, lists_dir: Path) -> str | None:
    """A hash of everything the loaded rule set depends on, or None when a file can't be read."""
    from .tokenize import dictionary_fingerprint

    code = cachefile.code_fingerprint()  # the code that reads the rules and derives data, Python
    if not code:
        return None
    h = hashlib.sha256()
    try:
        for base, label in ((rules_dir, "rules"), (lists_dir, "wordlists")):
            h.update(f"{label}:{base.resolve()}\0".encode())
            if base.is_dir():
                for rel, path in cachefile.files_under(base, ".toml"):
                    with open(path, "rb") as f:
                        h.update(rel.encode() + b"\0" + f.read() + b"\0")
    except OSError:
        return None
    h.update(f"{code}\0{dictionary_fingerprint()}".encode())
    return h.hexdigest()


_Cached = tuple[RuleSet, dict[str, tuple[tuple[str, ...], ...]], dict[str, dict[Any, Any]]]


def _cache_read(key: str) -> _Cached | None:
    value = cachefile.read(_CACHE_MAGIC, key, _CACHE_SUFFIX)
    if not (isinstance(value, tuple) and len(value) == 3):
        return None
    ruleset, shapes, memos = value
    if not isinstance(ruleset, RuleSet) or not isinstance(shapes, dict) or not isinstance(memos, dict):
        return None
    return ruleset, shapes, memos


def _cache_write(key: str, value: _Cached) -> None:
    cachefile.write(_CACHE_MAGIC, key, _CACHE_SUFFIX, value)
