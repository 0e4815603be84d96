"""The account's operation policy (運用ポリシー, guideline G-OPEN-1 ア〜ク) and what detectors need.

Every later check depends on who is posting: the city's own number is not personal information,
its own domain is not an external link. Loading is lenient about *completeness* (a policy that
only lists contacts is usable by the checks) and strict about *form* (unknown keys, wrong types,
secrets). `policy_problems()` reports what G-OPEN-1 requires and is missing, for `guard policy check`.

Secrets never pass: a key named like a password/token anywhere, or a value that looks like one,
is refused before validation, and no message ever repeats a value from the file.

The pydantic schema is `policy_schema.py`, imported only to validate; the pipeline runs on the
plain classes here, and a validated policy file is cached (`load_policy`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from . import cachefile
from .lazyre import lazy
from .model import Basis, Severity
from .plain import Record, field

Service = Literal["x", "facebook", "instagram", "line", "threads", "bluesky", "youtube"]
SERVICES: tuple[str, ...] = ("x", "facebook", "instagram", "line", "threads", "bluesky", "youtube")
BASES: tuple[str, ...] = ("published", "established_fact", "legal_procedure", "faq")
PLACEHOLDER = "★"  # marks a field of the `policy init` template still to be filled in
PYPROJECT_TABLE = "fujisns-guard"

# --- small normalisers ---------------------------------------------------------------------
# (compiled on first use: most are for validating a file, which a start with the cache never does)

_PHONE_JUNK = lazy(r"[\s\-‐‑‒–—―−ーｰ().\[\]（）]")
_PHONE_OK = lazy(r"^(#\d{4}|\d{3,4}|0\d{8,10})$")
_HOST_OK = lazy(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
_EMAIL_OK = lazy(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTAL_JUNK = lazy(r"[\s〒\-‐‑‒–—―−ー]")
_POSTAL_OK = lazy(r"^[0-9]{7}$")


def normalize_phone(text: str) -> str:
    """Digits (and a leading #) of a phone number: full-width folded, hyphens, spaces and
    parentheses removed, +81 turned into the domestic 0 (`+81-545-55-2700` → `0545552700`)."""
    s = _PHONE_JUNK.sub("", unicodedata.normalize("NFKC", text))
    if s.startswith("+81"):
        s = "0" + s[3:]
    return s


def normalize_host(value: str) -> str:
    """Lower-case host name of a host or URL (port, trailing dot and user part removed)."""
    s = unicodedata.normalize("NFKC", value).strip().lower()
    if "://" in s:
        s = urlsplit(s).hostname or ""
    else:
        s = s.split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return s.rstrip(".")


def _under(host: str, domains: Iterable[str]) -> bool:
    """Exact host or a subdomain; `…jp.example.com` is not under `…jp`."""
    return any(host == d or host.endswith("." + d) for d in domains)


# --- the policy, as the pipeline reads it -----------------------------------------------------
# pydantic validates, plain objects run: the classes below are the plain twins of the pydantic
# models of the same name in policy_schema.py (same fields and defaults; tests/test_plain_twins.py).
# A policy file is validated once (policy_schema), then cached as these objects (`load_policy`):
# a start with a cached policy never imports pydantic. Built directly (`AccountPolicy(...)`), they
# are NOT validated: use `policy_from_data` (or `AccountPolicy.model_validate`) for data from
# outside.


class Owner(Record):
    """ア 開設所属・担当."""

    section: str | None = None
    person_in_charge: str | None = None


class Registration(Record):
    """オ 登録情報 (and カ its URL) of one service. The password itself never goes here."""

    account_id: str | None = None
    email: str | None = None
    title: str | None = None
    url: str | None = None  # カ 登録URL (reported after registration)
    password_ref: str | None = None  # where the password is kept, never the password


class Period(Record):
    """キ 運用期間. No `end` means open-ended (終了時期未定)."""

    start: _dt.date | None = None
    end: _dt.date | None = None


class ReplyPolicy(Record):
    """ク 利用者から寄せられた返信への対応方針."""

    replies: bool | None = None  # does the account answer users at all
    how: str | None = None  # how (and where users should ask instead)


class Approval(Record):
    """Approval by the シティプロモーション課長 (G-OPEN-1)."""

    approved_by: str | None = None
    approved_on: _dt.date | None = None


class Contacts(Record):
    """The account's own contacts: posting them is not personal information."""

    domains: list[str] = field(default_factory=list)  # lower-cased host names
    phones: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)  # lower-cased
    addresses: list[str] = field(default_factory=list)
    postal_codes: list[str] = field(default_factory=list)  # the offices' own codes (417-8601)


class PublicBody(Record):
    """Another public body whose numbers and sites may be posted (prefecture, police, …)."""

    name: str
    domains: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    note: str = ""


class Official(Record):
    """An official whose name may appear in posts (mayor, deputy mayor, announced speakers)."""

    name: str
    role: str = ""
    note: str = ""


class AllowedTerm(Record):
    """A string the city allows, with why (e.g. a place name containing a listed string)."""

    term: str
    reason: str


class StylePreference(Record):
    """A wording the city enforces (障害者 → 障がい者); `info` unless the city raises it."""

    prefer: str
    instead_of: list[str]
    reason: str
    severity: Severity = "info"


class Scope(Record):
    """What the section chief pre-approved (G-POST-2a..d) and how many staff check (G-POST-3).

    Relative paths in `published` and `faq` are resolved against the policy file's folder."""

    approved: list[Basis] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # folders/files of published pages, or URLs
    faq: str | None = None  # the FAQ file (CSV) or URL
    min_checkers: int = 2


class ElectionPeriod(Record):
    name: str = ""
    start: _dt.date
    end: _dt.date


class LogSettings(Record):
    """The chief's log (`guard check --log`, docs/chieflog.md). Credentials are always masked."""

    keep_personal_info: bool = False  # true: personal information is kept in the log


class Elections(Record):
    board_account: bool = False  # the account is the election board's (選挙管理委員会)
    periods: list[ElectionPeriod] = field(default_factory=list)


class _Index(Record, kw_only=False):
    official_phones: frozenset[str]
    trusted_phones: frozenset[str]
    official_domains: tuple[str, ...]
    trusted_domains: tuple[str, ...]
    official_emails: frozenset[str]
    names: tuple[str, ...]


class AccountPolicy(Record):
    """One account's operation policy. Items ア〜ク may be missing here; `policy_problems` says so."""

    account_type: Literal["city", "field"] | None = None  # G-ACCT-1 富士市公式 / G-ACCT-2 分野別
    content: str | None = None  # イ 発信情報の内容
    purpose: str | None = None  # ウ 開設・運用の目的
    services: list[Service] = field(default_factory=list)  # エ
    terms_reviewed: _dt.date | None = None  # G-RULE-7: services' terms last reviewed
    inherit_public_defaults: bool = True  # layer on top of the nationwide trusted bodies
    owner: Owner | None = None  # ア
    registration: dict[Service, Registration] = field(default_factory=dict)  # オ, カ
    period: Period | None = None  # キ
    reply_policy: ReplyPolicy | None = None  # ク
    approval: Approval | None = None
    official: Contacts = field(default_factory=Contacts)
    trusted: list[PublicBody] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    allowed_terms: list[AllowedTerm] = field(default_factory=list)
    style_preferences: list[StylePreference] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)
    elections: Elections = field(default_factory=Elections)
    log: LogSettings = field(default_factory=LogSettings)

    # What the helpers look up, built on first use: it reads the default policy's bodies, which
    # a start takes from the rule cache, after the account's policy was read from its own cache.
    # Not a field (a private attribute): not compared, not copied.
    _index: _Index | None = None

    @classmethod
    def model_validate(cls, data: Mapping[str, Any]) -> AccountPolicy:
        """Validated parsed data (as in a policy file): `policy_from_data` without a file name."""
        return policy_from_data(data)

    @property
    def _ix(self) -> _Index:
        ix = self._index
        if ix is None:
            ix = self.__dict__["_index"] = self._build_index()
        return ix

    def _build_index(self) -> _Index:
        bodies = self.trusted_bodies()
        own_phones = [*self.official.phones, *self.official.faxes]
        official_phones = frozenset(normalize_phone(p) for p in own_phones)
        official_domains = tuple(normalize_host(d) for d in self.official.domains)
        names: list[str] = []
        for o in self.officials:
            names += [o.name, re.sub(r"[\s\u3000]+", "", o.name)]
        return _Index(
            official_phones,
            official_phones | {normalize_phone(p) for b in bodies for p in b.phones},
            official_domains,
            official_domains + tuple(normalize_host(d) for b in bodies for d in b.domains),
            frozenset(e.lower() for e in self.official.emails),
            tuple(dict.fromkeys(names)),
        )

    # --- helpers the detectors use (official ⊂ trusted) ---

    def trusted_bodies(self) -> tuple[PublicBody, ...]:
        """The nationwide defaults (unless `inherit_public_defaults = false`) + this policy's."""
        base = default_policy().trusted if self.inherit_public_defaults else []
        return (*base, *self.trusted)

    def is_official_phone(self, digits: str) -> bool:
        """The account's own phone or fax number (any spelling: full-width, hyphens, +81)."""
        return normalize_phone(digits) in self._ix.official_phones

    def is_trusted_phone(self, digits: str) -> bool:
        """Official, or a public body's number (110, #9110, the prefecture's …)."""
        return normalize_phone(digits) in self._ix.trusted_phones

    def is_official_domain(self, host: str) -> bool:
        """The account's own domain or a subdomain of it (host or URL); look-alikes are not."""
        return _under(normalize_host(host), self._ix.official_domains)

    def is_trusted_domain(self, host: str) -> bool:
        """Official, or under a public body's domain (go.jp, lg.jp, the prefecture's …)."""
        return _under(normalize_host(host), self._ix.trusted_domains)

    def is_official_email(self, addr: str) -> bool:
        """Exactly a listed address: another address at the city's domain may be a person's."""
        return unicodedata.normalize("NFKC", addr).strip().lower() in self._ix.official_emails

    def official_names(self) -> tuple[str, ...]:
        """Names that may appear, each also without spaces (富士 太郎 → 富士太郎)."""
        return self._ix.names

    @property
    def approved_bases(self) -> frozenset[str]:
        return frozenset(self.scope.approved)

    @property
    def min_checkers(self) -> int:
        return self.scope.min_checkers

    @property
    def election_periods(self) -> tuple[ElectionPeriod, ...]:
        return tuple(self.elections.periods)

    def is_election_period(self, day: _dt.date) -> bool:
        return any(p.start <= day <= p.end for p in self.elections.periods)


PLAIN_MODELS: dict[str, type[Any]] = {
    c.__name__: c
    for c in (
        Owner,
        Registration,
        Period,
        ReplyPolicy,
        Approval,
        Contacts,
        PublicBody,
        Official,
        AllowedTerm,
        StylePreference,
        Scope,
        ElectionPeriod,
        LogSettings,
        Elections,
        AccountPolicy,
    )
}


def _resolve(p: str, base: Path | None) -> str:
    if base is None or re.match(r"^[a-z]+://", p) or Path(p).is_absolute():
        return p
    return str((Path(base) / p).resolve())


def _anchor(policy: AccountPolicy, base_dir: Path | None) -> AccountPolicy:
    """The policy with its scope's relative paths resolved against the policy file's folder
    (done at every load, cached or not: the same bytes in another folder name other files)."""
    scope = policy.scope
    if base_dir is None or not (scope.published or scope.faq):
        return policy
    published = [_resolve(p, base_dir) for p in scope.published]
    faq = None if scope.faq is None else _resolve(scope.faq, base_dir)
    return policy.model_copy(update={"scope": scope.model_copy(update={"published": published, "faq": faq})})


# --- problems and errors --------------------------------------------------------------------

LETTERS = {
    "owner": "ア",
    "content": "イ",
    "purpose": "ウ",
    "services": "エ",
    "registration": "オ",
    "period": "キ",
    "reply_policy": "ク",
}


def letter_for(key: str) -> str:
    """The G-OPEN-1 item (ア〜ク) a key path belongs to, or `-`."""
    head = re.split(r"[.\[]", key, maxsplit=1)[0]
    if head == "registration" and key.endswith(".url"):
        return "カ"
    return LETTERS.get(head, "-")


class PolicyProblem(Record, kw_only=False):
    """One missing/invalid item (error) or a reminder (warning). `message` never holds a value."""

    key: str
    message: str
    level: Literal["error", "warning"] = "error"
    clause: str = "G-OPEN-1"

    @property
    def letter(self) -> str:
        return letter_for(self.key)


class PolicyError(Exception):
    """A policy file that cannot be used: one line naming the file and the key path."""

    def __init__(self, file: str, problems: list[PolicyProblem], prefix: str = "") -> None:
        self.file, self.problems, self.prefix = file, problems, prefix
        first = problems[0]
        key = prefix + first.key if first.key else prefix.rstrip(".")
        more = f"（ほか{len(problems) - 1}件。guard policy check で一覧できます）" if len(problems) > 1 else ""
        text = f"{file}: {key}: {first.message}{more}" if key else f"{file}: {first.message}{more}"
        super().__init__(" ".join(text.split("\n")))


_SECRET_MSG = "パスワードなどの秘密は書かないでください。保管場所への参照（password_ref）を書いてください"
_SECRET_VALUE_MSG = "秘密（パスワードやトークン）のような値です。値は書かず、保管場所への参照（password_ref）を書いてください"
_SECRET_WORDS = tuple("password passwd passphrase passcode secret token apikey accesskey privatekey credential".split())
_SECRET_PARTS = {"pw", "pwd", "pass", "pin"}
_SECRET_JA = ("パスワード", "暗証番号", "秘密", "合言葉", "パスコード")
_TOKEN_VALUE = lazy(
    r"ghp_|gho_|github_pat_|xox[abprs]-|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30}"
    r"|EAA[0-9A-Za-z]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY|Bearer\s+[A-Za-z0-9._~+/-]{16,}"
)
_STATED_SECRET = lazy(
    r"(?i)(password|passwd|pass|pw|pwd|パスワード|暗証番号|パス)\s*(?:は|[:：=])\s*[!-~]{4,}(?=$|[\s、。，,）)」])"
)


def is_secret_key(key: str) -> bool:
    """password, passwd, pw, secret, token, api_key, 暗証番号 … — but `*_ref` is a reference."""
    k = unicodedata.normalize("NFKC", key).lower()
    parts = [p for p in re.split(r"[_\-\s.]+", k) if p]
    if parts and parts[-1] in ("ref", "reference"):
        return False
    joined = "".join(parts)
    return any(w in joined for w in _SECRET_WORDS) or any(p in _SECRET_PARTS for p in parts) or any(j in k for j in _SECRET_JA)


def looks_like_secret(value: str, *, strict: bool = False) -> bool:
    """A known token format, or "password: …" written out; `strict` (for password_ref) also
    refuses a password-like string: ASCII, no spaces, ≥ 8 characters, ≥ 3 character classes."""
    if _TOKEN_VALUE.search(value) or _STATED_SECRET.search(value):
        return True
    if not strict or not value.isascii() or any(c.isspace() for c in value) or len(value) < 8:
        return False
    if _EMAIL_OK.match(value) or "://" in value:
        return False
    classes = [any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)]
    classes.append(any(not c.isalnum() for c in value))
    return sum(classes) >= 3


def _walk(node: Any, key: str = "") -> Iterator[tuple[str, str | None, Any]]:
    """(key path, last key or None for an array item, value) for every node below `node`."""
    if isinstance(node, Mapping):
        for k, v in node.items():
            path = f"{key}.{k}" if key else str(k)
            yield path, str(k), v
            yield from _walk(v, path)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield f"{key}[{i}]", None, v
            yield from _walk(v, f"{key}[{i}]")


def find_secrets(data: Mapping[str, Any]) -> list[PolicyProblem]:
    """Secret-named keys anywhere, secret-looking values anywhere (stricter in registration)."""
    out: list[PolicyProblem] = []
    for path, last, value in _walk(data):
        if last is not None and is_secret_key(last):
            out.append(PolicyProblem(path, _SECRET_MSG, clause="G-RULE-1"))
        elif isinstance(value, str):
            strict = path.startswith("registration.") and path.endswith(".password_ref")
            if looks_like_secret(value, strict=strict):
                out.append(PolicyProblem(path, _SECRET_VALUE_MSG, clause="G-RULE-1"))
    return out


_JA_MESSAGES = {
    "missing": "必須の項目がありません",
    "extra_forbidden": "知らない項目です（綴りを確認してください。docs/policy.md）",
    "string_type": "文字列を書いてください",
    "string_too_short": "空にはできません",
    "bool_type": "true か false を書いてください",
    "bool_parsing": "true か false を書いてください",
    "list_type": "配列（[...]）を書いてください",
    "dict_type": "表（[...] の見出し）を書いてください",
    "model_type": "表（[...] の見出し）を書いてください",
    "int_type": "整数を書いてください",
    "int_parsing": "整数を書いてください",
    "date_type": "日付（例 2025-04-01）を書いてください",
    "date_parsing": "日付（例 2025-04-01）を書いてください",
    "date_from_datetime_parsing": "日付（例 2025-04-01）を書いてください",
    "date_from_datetime_inexact": "時刻のない日付（例 2025-04-01）を書いてください",
    "too_short": "少なくとも1つ書いてください",
}


def key_path(loc: Iterable[Any]) -> str:
    """pydantic's loc → `trusted[0].phones`; a dict key error names the key itself."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def error_message(err: Mapping[str, Any]) -> str:
    """A Japanese message for one pydantic error, built without its input value."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        return f"次のいずれかを書いてください: {ctx.get('expected', '')}"
    if kind == "greater_than_equal":
        return f"{ctx.get('ge')} 以上の数を書いてください"
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    return _JA_MESSAGES.get(kind, str(err.get("msg", "不正な値です")))


# --- loading --------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PolicyError(str(path), [PolicyProblem("", f"読めません: {exc.strerror or type(exc).__name__}")]) from None


def _parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PolicyError(str(path), [PolicyProblem("", "UTF-8 で保存してください")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(str(path), [PolicyProblem("", f"TOML として読めません: {exc}")]) from None


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(_read_bytes(path), path)


def _validate(data: Mapping[str, Any], file: str, prefix: str) -> AccountPolicy:
    """Secrets refused first (with every problem found), then the schema; scope paths as written."""
    secrets = find_secrets(data)
    if secrets:
        raise PolicyError(file, secrets, prefix)
    from .policy_schema import validate_policy  # pydantic: only when a policy must be validated

    return validate_policy(data, file, prefix)


def policy_from_data(
    data: Mapping[str, Any], *, file: str = "<policy>", base_dir: Path | None = None, prefix: str = ""
) -> AccountPolicy:
    """Validate already-parsed TOML data (secrets refused first, with every problem found)."""
    return _anchor(_validate(data, file, prefix), base_dir)


def load_policy(path: Path) -> AccountPolicy:
    """A policy file: `guard.toml` (the whole file), or a pyproject.toml's [tool.fujisns-guard]."""
    return _load(path, table=path.name == "pyproject.toml")


def load_policy_from_pyproject(path: Path) -> AccountPolicy:
    """The [tool.fujisns-guard] table of a pyproject.toml (key paths are shown under it)."""
    return _load(path, table=True)


# A policy file is validated once: the plain policy (scope paths as written) is cached under the
# hash of the file's bytes, of how it is read (whole file or pyproject table) and of the package's
# code, in the rule cache's folder and with its trust rules (cachefile.py). The scope's paths are
# resolved against the file's folder at every load. A refused file is never cached.
_POLICY_MAGIC = b"fujisns-guard policy cache 1\n"
_POLICY_SUFFIX = ".policy"


def _policy_key(raw: bytes, table: bool) -> str | None:
    if cachefile.cache_dir() is None:
        return None
    code = cachefile.code_fingerprint()
    if not code:
        return None
    how = b"pyproject-table" if table else b"whole-file"
    return hashlib.sha256(b"policy\0" + code.encode() + b"\0" + how + b"\0" + raw).hexdigest()


def _load(path: Path, *, table: bool) -> AccountPolicy:
    raw = _read_bytes(path)
    key = _policy_key(raw, table)
    if key is not None:
        cached = cachefile.read(_POLICY_MAGIC, key, _POLICY_SUFFIX)
        if isinstance(cached, AccountPolicy):
            return _anchor(cached, path.parent)
    data = _parse_toml(raw, path)
    prefix = ""
    if table:
        data = data.get("tool", {}).get(PYPROJECT_TABLE)
        if not isinstance(data, Mapping):
            raise PolicyError(str(path), [PolicyProblem("", f"[tool.{PYPROJECT_TABLE}] の表がありません")])
        prefix = f"tool.{PYPROJECT_TABLE}."
    policy = _validate(data, str(path), prefix)
    if key is not None:
        cachefile.write(_POLICY_MAGIC, key, _POLICY_SUFFIX, policy)
    return _anchor(policy, path.parent)


def find_policy(folder: Path) -> Path | None:
    """`guard.toml` in `folder`, else its pyproject.toml if that has [tool.fujisns-guard]."""
    guard = folder / "guard.toml"
    if guard.is_file():
        return guard
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return pyproject  # let load_policy report what is wrong with it
        if isinstance(data.get("tool", {}).get(PYPROJECT_TABLE), Mapping):
            return pyproject
    return None


# The nationwide defaults, validated once: a start takes them from the rule cache (this memo is
# saved with it), a start without the cache validates default_policy.toml at first use.
_DEFAULT = cachefile.memo("policy.default")


def default_policy() -> AccountPolicy:
    """Nationwide public numbers and domains only: no city (see default_policy.toml)."""
    got = _DEFAULT.get("default")
    if got is None:
        text = (resources.files("fujisns_guard") / "default_policy.toml").read_text(encoding="utf-8")
        got = _DEFAULT.setdefault("default", policy_from_data(tomllib.loads(text), file="default_policy.toml"))
    return cast(AccountPolicy, got)


def effective_policy(policy: AccountPolicy | None) -> AccountPolicy:
    """What a detector should use: the account's policy, else the defaults (which know no city)."""
    return policy if policy is not None else default_policy()


# --- completeness and reminders (guard policy check) -----------------------------------------


def _missing(value: object) -> bool:
    if value is None or value == [] or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, str) and PLACEHOLDER in value


def _required(policy: AccountPolicy) -> Iterator[tuple[str, object]]:
    owner, period, reply = policy.owner or Owner(), policy.period or Period(), policy.reply_policy or ReplyPolicy()
    yield "owner.section", owner.section
    yield "owner.person_in_charge", owner.person_in_charge
    yield "content", policy.content
    yield "purpose", policy.purpose
    yield "services", policy.services
    for s in policy.services:
        reg = policy.registration.get(s)
        if reg is None:
            yield f"registration.{s}", None
            continue
        for name in ("account_id", "email", "title", "url"):
            yield f"registration.{s}.{name}", getattr(reg, name)
    yield "period.start", period.start
    yield "reply_policy.replies", reply.replies
    yield "reply_policy.how", reply.how


_ENDED = "運用期間は {} に終了しています。アカウントの削除（周知期間を置く）か期間の延長を検討してください"
_ENDING = "運用期間は {} に終わります。延長するか、削除の周知を始めてください"
_TERMS_OLD = "サービス利用規約の確認から1年以上たっています（{}）。確認して日付を更新してください"
_NOT_FOUND = "その場所が見つかりません（ポリシーファイルのフォルダからの相対パスです）"


def _warn(key: str, message: str, clause: str) -> PolicyProblem:
    return PolicyProblem(key, message, "warning", clause)


def policy_problems(policy: AccountPolicy, today: _dt.date | None = None) -> list[PolicyProblem]:
    """Missing ア〜ク items (errors) and reminders (warnings: G-CLOSE-1, G-RULE-7, scope)."""
    today = today or _dt.date.today()
    out = [
        PolicyProblem(key, "未記入です（★ の箇所を書き換えてください）" if value else "ありません（書いてください）")
        for key, value in _required(policy)
        if _missing(value)
    ]
    out += [
        PolicyProblem(f"registration.{s}", "services（エ）にないサービスの登録情報です")
        for s in policy.registration
        if s not in policy.services
    ]
    period = policy.period
    if period and period.start and period.end:
        if period.end < period.start:
            out.append(PolicyProblem("period.end", "終了日が開始日より前です"))
        elif period.end < today:
            out.append(_warn("period.end", _ENDED.format(period.end), "G-CLOSE-1"))
        elif (period.end - today).days <= 30:
            out.append(_warn("period.end", _ENDING.format(period.end), "G-CLOSE-1"))
    reviewed = policy.terms_reviewed
    if reviewed is None:
        out.append(_warn("terms_reviewed", "サービス利用規約を確認した日がありません", "G-RULE-7"))
    elif (today - reviewed).days > 365:
        out.append(_warn("terms_reviewed", _TERMS_OLD.format(reviewed), "G-RULE-7"))
    if policy.approval is None or policy.approval.approved_on is None:
        out.append(_warn("approval.approved_on", "シティプロモーション課長の承認日がありません", "G-OPEN-1"))
    out += _scope_problems(policy.scope)
    out += [
        PolicyProblem(f"elections.periods[{i}].end", "終了日が開始日より前です")
        for i, p in enumerate(policy.elections.periods)
        if p.end < p.start
    ]
    return out


def _scope_problems(scope: Scope) -> list[PolicyProblem]:
    out: list[PolicyProblem] = []
    if "published" in scope.approved and not scope.published:
        out.append(_warn("scope.published", "published を承認するなら公表済みページの場所を書いてください", "G-POST-2a"))
    if "faq" in scope.approved and not scope.faq:
        out.append(_warn("scope.faq", "faq を承認するなら FAQ の場所を書いてください", "G-POST-2d"))
    places = [(f"scope.published[{i}]", p) for i, p in enumerate(scope.published)]
    places += [("scope.faq", scope.faq)] if scope.faq else []
    out += [_warn(key, _NOT_FOUND, "G-POST-2") for key, place in places if "://" not in place and not Path(place).exists()]
    return out
