"""The pydantic schema of the account policy: imported only when a policy must be validated (a
policy file not cached yet, `policy_from_data`, the default policy without the rule cache).
`validate_policy` returns the plain twin (`policy.py`); the messages are policy.py's."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, StringConstraints, ValidationError, field_validator

from . import policy as _plain
from .model import Basis, Severity
from .policy import (
    _EMAIL_OK,
    _HOST_OK,
    _PHONE_OK,
    _POSTAL_JUNK,
    _POSTAL_OK,
    PLACEHOLDER,
    PolicyError,
    PolicyProblem,
    Service,
    error_message,
    key_path,
    normalize_phone,
)
from .schema_common import Strict as _Strict
from .schema_common import to_plain

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# --- the schema ------------------------------------------------------------------------------


def _check_phones(v: list[str]) -> list[str]:
    for i, p in enumerate(v):
        if not _PHONE_OK.match(normalize_phone(p)):
            raise ValueError(f"[{i}] 電話番号として読めません（例 0545-55-2700, 110, #9110）")
    return v


def _check_domains(v: list[str]) -> list[str]:
    out = []
    for i, d in enumerate(v):
        host = d.strip().lower().rstrip(".")
        if not _HOST_OK.match(host):
            raise ValueError(f"[{i}] ドメイン名だけを書いてください（https:// やパスは不要。例 www.city.fuji.shizuoka.jp）")
        out.append(host)
    return out


# Phone numbers and domains are validated the same way wherever the policy lists them.
Phones = Annotated[list[str], AfterValidator(_check_phones)]
Domains = Annotated[list[str], AfterValidator(_check_domains)]


class Owner(_Strict):
    """ア 開設所属・担当."""

    section: str | None = None
    person_in_charge: str | None = None


class Registration(_Strict):
    """オ 登録情報 (and カ its URL) of one service. The password itself never goes here."""

    account_id: str | None = None
    email: str | None = None
    title: str | None = None
    url: str | None = None  # カ 登録URL (reported after registration)
    password_ref: str | None = None  # where the password is kept, never the password

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and PLACEHOLDER not in v and not _EMAIL_OK.match(v.strip()):
            raise ValueError("メールアドレスとして読めません")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and PLACEHOLDER not in v and not re.match(r"^https?://[^\s/]+", v.strip()):
            raise ValueError("https:// で始まる URL を書いてください")
        return v


class Period(_Strict):
    """キ 運用期間. No `end` means open-ended (終了時期未定)."""

    start: _dt.date | None = None
    end: _dt.date | None = None


class ReplyPolicy(_Strict):
    """ク 利用者から寄せられた返信への対応方針."""

    replies: bool | None = None  # does the account answer users at all
    how: str | None = None  # how (and where users should ask instead)


class Approval(_Strict):
    """Approval by the シティプロモーション課長 (G-OPEN-1)."""

    approved_by: str | None = None
    approved_on: _dt.date | None = None


class Contacts(_Strict):
    """The account's own contacts: posting them is not personal information."""

    domains: Domains = Field(default_factory=list)
    phones: Phones = Field(default_factory=list)
    faxes: Phones = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    addresses: list[str] = Field(default_factory=list)
    postal_codes: list[str] = Field(default_factory=list)  # the offices' own codes (417-8601)

    @field_validator("postal_codes")
    @classmethod
    def _postal_codes(cls, v: list[str]) -> list[str]:
        out = []
        for i, c in enumerate(v):
            digits = _POSTAL_JUNK.sub("", unicodedata.normalize("NFKC", c))
            if not _POSTAL_OK.match(digits):
                raise ValueError(f"[{i}] 郵便番号（7桁）として読めません")
            out.append(f"{digits[:3]}-{digits[3:]}")
        return out

    @field_validator("emails")
    @classmethod
    def _emails(cls, v: list[str]) -> list[str]:
        for i, e in enumerate(v):
            if not _EMAIL_OK.match(e.strip()):
                raise ValueError(f"[{i}] メールアドレスとして読めません")
        return [e.strip().lower() for e in v]


class PublicBody(_Strict):
    """Another public body whose numbers and sites may be posted (prefecture, police, …)."""

    name: Text
    domains: Domains = Field(default_factory=list)
    phones: Phones = Field(default_factory=list)
    note: str = ""


class Official(_Strict):
    """An official whose name may appear in posts (mayor, deputy mayor, announced speakers)."""

    name: Text
    role: str = ""
    note: str = ""


class AllowedTerm(_Strict):
    """A string the city allows, with why (e.g. a place name containing a listed string)."""

    term: Text
    reason: Text


class StylePreference(_Strict):
    """A wording the city enforces (障害者 → 障がい者); `info` unless the city raises it."""

    prefer: Text
    instead_of: list[Text] = Field(min_length=1)
    reason: Text
    severity: Severity = "info"


class Scope(_Strict):
    """What the section chief pre-approved (G-POST-2a..d) and how many staff check (G-POST-3).

    Relative paths in `published` and `faq` are resolved against the policy file's folder, by
    the loader (policy._anchor), not here: a cached policy is read from another folder too."""

    approved: list[Basis] = Field(default_factory=list)
    published: list[str] = Field(default_factory=list)  # folders/files of published pages, or URLs
    faq: str | None = None  # the FAQ file (CSV) or URL
    min_checkers: int = Field(default=2, ge=1)


class ElectionPeriod(_Strict):
    name: str = ""
    start: _dt.date
    end: _dt.date


class LogSettings(_Strict):
    """The chief's log (`guard check --log`, docs/chieflog.md). Credentials are always masked."""

    keep_personal_info: StrictBool = False  # true: personal information is kept in the log


class Elections(_Strict):
    board_account: bool = False  # the account is the election board's (選挙管理委員会)
    periods: list[ElectionPeriod] = Field(default_factory=list)


class AccountPolicy(_Strict):
    """One account's operation policy. Items ア〜ク may be missing here; `policy_problems` says so."""

    account_type: Literal["city", "field"] | None = None  # G-ACCT-1 富士市公式 / G-ACCT-2 分野別
    content: str | None = None  # イ 発信情報の内容
    purpose: str | None = None  # ウ 開設・運用の目的
    services: list[Service] = Field(default_factory=list)  # エ
    terms_reviewed: _dt.date | None = None  # G-RULE-7: services' terms last reviewed
    inherit_public_defaults: bool = True  # layer on top of the nationwide trusted bodies
    owner: Owner | None = None  # ア
    registration: dict[Service, Registration] = Field(default_factory=dict)  # オ, カ
    period: Period | None = None  # キ
    reply_policy: ReplyPolicy | None = None  # ク
    approval: Approval | None = None
    official: Contacts = Field(default_factory=Contacts)
    trusted: list[PublicBody] = Field(default_factory=list)
    officials: list[Official] = Field(default_factory=list)
    allowed_terms: list[AllowedTerm] = Field(default_factory=list)
    style_preferences: list[StylePreference] = Field(default_factory=list)
    scope: Scope = Field(default_factory=Scope)
    elections: Elections = Field(default_factory=Elections)
    log: LogSettings = Field(default_factory=LogSettings)

    @field_validator("services", mode="before")
    @classmethod
    def _lower_services(cls, v: Any) -> Any:
        if isinstance(v, list):
            return list(dict.fromkeys(s.strip().lower() if isinstance(s, str) else s for s in v))
        return v


def _validation_problems(exc: ValidationError) -> list[PolicyProblem]:
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        key = key_path(err["loc"])
        msg = error_message(err)
        m = re.match(r"^\[(\d+)\] (.*)$", msg)  # a list validator names the item
        if m:
            key, msg = f"{key}[{m.group(1)}]", m.group(2)
        out.append(PolicyProblem(key, msg))
    return out


def validate_policy(data: Mapping[str, Any], file: str, prefix: str = "") -> _plain.AccountPolicy:
    """The plain policy of already-parsed data (scope paths as written), or PolicyError naming
    `file` and every invalid key path."""
    try:
        model = AccountPolicy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(file, _validation_problems(exc), prefix) from None
    plain: _plain.AccountPolicy = to_plain(model, _plain.PLAIN_MODELS)
    return plain
