"""The chief's log (G-POST-3, G-POST-4): one JSON line per checked draft, appended crash-safely.

A record says who wrote and who checked a draft, what the tool found and decided, and whether it
may be posted now (`ready_to_post`). Credentials are always masked in it; personal information
is masked unless the policy's `[log] keep_personal_info = true`. The section chief reviews the
log (`pending`, `render_review`) and confirms records by appending a `confirm` record: the file
is only ever appended to, never rewritten.

Appending (`append`): the whole line is encoded first and written with ONE `os.write` on a file
opened with O_WRONLY|O_APPEND|O_CREAT, then `os.fsync`, under an advisory `flock`. The write is
done by a forked child, which a SIGKILL of the writer does not stop (Linux can cut a multi-page
write short when its process is killed), so every line of the log parses; a writer still starts
a fresh line when the file does not end with one (a log torn by an older tool).
docs/chieflog.md explains what the kernel does and does not promise.
Reading (`read_log`) reports every line it cannot use with its number, never drops one silently.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from .model import Report
from .policy import AccountPolicy
from .textpos import mask

try:  # advisory lock between writers of this module (POSIX); Windows has no flock
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

FORMAT_VERSION = 1
MAX_RECORD_BYTES = 1024 * 1024  # a post is a few KB; far below what a single append handles well
MAX_TEXT_CHARS = 100_000
MAX_FINDINGS = 500
DEFAULT_MIN_CHECKERS = 2
_RECORD_START = b'{"record":'  # every line begins so: the start of a record after a torn one
_NAME_SEP = re.compile(r"[,、，]")
_LINE_BREAK = re.compile(r"\r\n?|\n")

ROUTE_STATE = {
    "autonomous": "事後報告（G-POST-4）: 所属長の確認待ち",
    "section_chief": "所属長の承認待ち（G-POST-1）",
    "revise": "修正が必要",
}


class LogError(Exception):
    """The log cannot be written or read: one line naming the file."""


# --- records --------------------------------------------------------------------------------


class _Record(BaseModel):
    # extra="allow": a newer tool may add fields; reading them must not fail.
    model_config = ConfigDict(extra="allow", frozen=True, hide_input_in_errors=True)


class Account(_Record):
    """Which account the draft is for, from the policy (ア section, オ account ids)."""

    account_type: str | None = None
    section: str | None = None
    person_in_charge: str | None = None
    accounts: dict[str, str] = Field(default_factory=dict)  # service → account id


class CheckRecord(_Record):
    """One checked draft. Field order is the order on disk: `record` comes first."""

    record: Literal["check"] = "check"
    v: int = FORMAT_VERSION
    id: Annotated[str, Field(min_length=1)]
    time: AwareDatetime
    path: str = "-"
    account: Account | None = None
    author: Annotated[str, Field(min_length=1)]
    checkers: list[str] = Field(default_factory=list)
    people: int = 1  # distinct people who checked it, the author included (G-POST-3)
    min_checkers: int = DEFAULT_MIN_CHECKERS
    kind: str = "post"
    date: str = ""
    platforms: list[str] = Field(default_factory=list)
    text: str
    text_truncated: bool = False
    personal_info: Literal["masked", "kept"] = "masked"
    findings: list[dict[str, Any]] = Field(default_factory=list)
    decision: dict[str, Any]
    ruleset_version: str = ""
    ready_to_post: bool
    not_ready: list[str] = Field(default_factory=list)

    @property
    def route(self) -> str:
        return str(self.decision.get("route", ""))


class ConfirmRecord(_Record):
    """The chief's confirmation of a check record: approval (section_chief) or the report
    after posting was received (autonomous)."""

    record: Literal["confirm"] = "confirm"
    v: int = FORMAT_VERSION
    id: Annotated[str, Field(min_length=1)]
    time: AwareDatetime
    ref: Annotated[str, Field(min_length=1)]
    by: Annotated[str, Field(min_length=1)]
    action: Literal["approve", "acknowledge"]


LogRecord = CheckRecord | ConfirmRecord


def now() -> _dt.datetime:
    """The local time with its offset, to the second."""
    return _dt.datetime.now().astimezone().replace(microsecond=0)


def new_id(when: _dt.datetime | None = None) -> str:
    """Short and unique: UTC time to the second + 24 random bits (`20261123-234500-3f9a1c`)."""
    t = (when or now()).astimezone(_dt.UTC)
    return f"{t:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def clean_name(name: str) -> str:
    """NFKC, inner spaces collapsed to one, outer spaces removed (全角スペース included)."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def split_names(values: Iterable[str]) -> list[str]:
    """`--checked-by` values: each may list several names separated by , 、 or ，."""
    out: list[str] = []
    for v in values:
        out += [n for n in (clean_name(p) for p in _NAME_SEP.split(v)) if n]
    return out


def distinct_people(author: str, checkers: Sequence[str]) -> list[str]:
    """The author and the checkers, each person once (names compared after `clean_name`,
    case-insensitively)."""
    seen: dict[str, str] = {}
    for n in (author, *checkers):
        c = clean_name(n)
        if c:
            seen.setdefault(c.casefold(), c)
    return list(seen.values())


def readiness(route: str, people: int, min_checkers: int, approved: bool = False) -> list[str]:
    """Why the draft may not be posted now (empty: it may). `people` counts the author."""
    if route == "revise":
        return ["修正が必要です（判定 revise）。直してから確認し直してください"]
    if route == "section_chief" and not approved:
        return ["所属長の承認がまだありません（G-POST-1）。承認されたら guard log confirm で記録します"]
    if route == "autonomous" and people < min_checkers:
        return [f"確認した職員が {people} 人（作成者を含む）で、{min_checkers} 人に足りません（G-POST-3）"]
    if route not in ROUTE_STATE:
        return [f"不明な判定です: {route}"]
    return []


def account_of(policy: AccountPolicy | None) -> Account | None:
    if policy is None:
        return None
    owner = policy.owner
    return Account(
        account_type=policy.account_type,
        section=owner.section if owner else None,
        person_in_charge=owner.person_in_charge if owner else None,
        accounts={s: r.account_id for s, r in policy.registration.items() if r.account_id},
    )


# --- masking --------------------------------------------------------------------------------


def hidden_strings(report: Report, text: str, keep_personal_info: bool) -> dict[str, str]:
    """Raw strings of `text` the log must not contain → what to show instead.

    Credentials, and anything the engine (or `--redact`) already masked, are always hidden;
    personal information unless the policy keeps it."""
    hidden: dict[str, str] = {}
    for f in report.findings:
        raw = text[f.start : f.end]
        masked_already = f.excerpt != raw and f.excerpt.endswith("******")  # model.mask's output
        if not (f.category == "credential" or masked_already or (f.category == "personal_info" and not keep_personal_info)):
            continue
        if raw.strip():
            for variant in {raw, unicodedata.normalize("NFKC", raw)}:
                hidden[variant] = mask(raw)
        if f.excerpt.strip() and not masked_already and f.excerpt != raw:  # e.g. a finding about an attached file
            hidden[f.excerpt] = mask(f.excerpt)
    return hidden


def _scrub(value: Any, hidden: dict[str, str], order: Sequence[str]) -> Any:
    """Every string inside `value` (dicts, lists) with each hidden string replaced by its mask."""
    if isinstance(value, str):
        for raw in order:
            if raw in value:
                value = value.replace(raw, hidden[raw])
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, hidden, order) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, hidden, order) for v in value]
    return value


def build_record(
    report: Report,
    text: str,
    *,
    author: str,
    checkers: Sequence[str] = (),
    policy: AccountPolicy | None = None,
    when: _dt.datetime | None = None,
    record_id: str | None = None,
) -> CheckRecord:
    """The log record of one checked draft. `text` is what was checked (the report's offsets
    index it); it is stored masked, like every string taken from the report."""
    keep = bool(policy is not None and policy.log.keep_personal_info)
    hidden = hidden_strings(report, text, keep)
    order = sorted(hidden, key=len, reverse=True)
    when = when or now()
    author = clean_name(author)
    people = distinct_people(author, checkers)
    min_checkers = policy.min_checkers if policy is not None else DEFAULT_MIN_CHECKERS
    route = report.decision.route
    findings = [f.model_dump(mode="json") for f in report.findings[:MAX_FINDINGS]]
    truncated = len(text) > MAX_TEXT_CHARS
    return CheckRecord(
        id=record_id or new_id(when),
        time=when,
        path=report.path,
        account=account_of(policy),
        author=author,
        checkers=[c for c in people if c != author],
        people=len(people),
        min_checkers=min_checkers,
        kind=report.kind,
        date=report.date,
        platforms=list(report.platforms),
        text=_scrub(text, hidden, order)[:MAX_TEXT_CHARS],
        text_truncated=truncated,
        personal_info="kept" if keep else "masked",
        findings=_scrub(findings, hidden, order),
        decision=_scrub(report.decision.model_dump(mode="json"), hidden, order),
        ruleset_version=report.ruleset_version,
        ready_to_post=not readiness(route, len(people), min_checkers),
        not_ready=readiness(route, len(people), min_checkers),
    )


def confirm_record(ref: CheckRecord, by: str, when: _dt.datetime | None = None) -> ConfirmRecord:
    when = when or now()
    action: Literal["approve", "acknowledge"] = "approve" if ref.route == "section_chief" else "acknowledge"
    return ConfirmRecord(id=new_id(when), time=when, ref=ref.id, by=clean_name(by), action=action)


# --- writing --------------------------------------------------------------------------------


def encode(record: LogRecord) -> bytes:
    """One line: UTF-8 JSON (non-ASCII kept readable), no raw newline, ending in `\\n`.

    json.dumps escapes every control character, so the only newline is the last byte; an
    unpaired surrogate (possible from the library, never from a decoded file) becomes a JSON
    escape instead of failing."""
    data = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    line = data.encode("utf-8", "backslashreplace") + b"\n"
    assert line.startswith(_RECORD_START) and line.count(b"\n") == 1
    return line


def append(path: Path, record: LogRecord) -> None:
    """Append one record: ONE os.write of the whole line (O_APPEND), then fsync. Raises LogError
    (one line naming the file) when it cannot, or when the write was short."""
    line = encode(record)
    if len(line) > MAX_RECORD_BYTES:
        raise LogError(f"{path}: 記録が大きすぎます（{len(line)} バイト、上限 {MAX_RECORD_BYTES}）")
    try:
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise LogError(f"{path}: 記録ファイルを開けません（{exc.strerror or type(exc).__name__}）") from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        if not _ends_with_newline(path, fd):  # a torn record of an older tool: don't join it
            line = b"\n" + line
        written = _write_detached(fd, line)
        if written != len(line):
            short = f"{written}/{len(line)} バイト"
            raise LogError(f"{path}: 記録を書き切れませんでした（{short}。ディスクの空きを確認してください）")
    except OSError as exc:
        raise LogError(f"{path}: 記録を書き込めません（{exc.strerror or type(exc).__name__}）") from None
    finally:
        os.close(fd)  # also releases the lock
    if created:
        _fsync_dir(path.parent)


def _write_fsync(fd: int, line: bytes) -> int:
    written = os.write(fd, line)
    os.fsync(fd)
    return written


def _write_detached(fd: int, line: bytes) -> int:
    """ONE write of `line` plus fsync, done by a forked child where the system allows it.

    Linux may stop a write of more than one page between pages when its process is killed
    (SIGKILL: kill -9, a killed CI job, the OOM killer), leaving half a line. A child forked for
    the write is not killed with its parent: it finishes the line and exits, still holding the
    lock (the child shares the locked open file), so the next writer never sees a torn record.
    Without fork (Windows), or with other threads running (forking a threaded process is
    unsafe), the write is done here.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return _write_fsync(fd, line)
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return _write_fsync(fd, line)
    if pid == 0:  # pragma: no cover - the child; its result reaches the parent through the pipe
        answer = b"E0"
        try:
            os.close(r)
            answer = str(_write_fsync(fd, line)).encode()
        except OSError as exc:
            answer = f"E{exc.errno or 0}".encode()
        finally:
            try:
                os.write(w, answer)
            finally:
                os._exit(0)
    os.close(w)
    chunks = []
    try:
        while chunk := os.read(r, 64):
            chunks.append(chunk)
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    answer = b"".join(chunks)
    if not answer or answer.startswith(b"E"):
        code = int(answer[1:] or b"0")
        raise OSError(code or errno.EIO, os.strerror(code or errno.EIO))
    return int(answer)


def _ends_with_newline(path: Path, fd: int) -> bool:
    """Does the file end with a newline (or is it empty)? Read through a read-only descriptor:
    the writing one stays O_WRONLY."""
    size = os.fstat(fd).st_size
    if size == 0:
        return True
    rfd = os.open(path, os.O_RDONLY)
    try:
        os.lseek(rfd, size - 1, os.SEEK_SET)
        return os.read(rfd, 1) == b"\n"
    finally:
        os.close(rfd)


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable too (best effort: not every system allows it)."""
    try:
        dfd = os.open(folder or Path("."), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Corrupt:
    """A line that is not a usable record: its 1-based number and why."""

    line: int
    reason: str


@dataclass(slots=True)
class LogContents:
    records: list[tuple[int, LogRecord]] = field(default_factory=list)  # (line number, record)
    corrupt: list[Corrupt] = field(default_factory=list)

    def checks(self) -> dict[str, CheckRecord]:
        return {r.id: r for _, r in self.records if isinstance(r, CheckRecord)}

    def confirmations(self) -> dict[str, list[ConfirmRecord]]:
        out: dict[str, list[ConfirmRecord]] = {}
        for _, r in self.records:
            if isinstance(r, ConfirmRecord):
                out.setdefault(r.ref, []).append(r)
        return out


def parse_line(raw: bytes) -> LogRecord:
    """One line → a record; ValueError with a short Japanese reason otherwise."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("UTF-8 として読めません（書き込み途中で途切れた行の可能性）") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON として読めません（{exc.pos + 1} 文字目。書き込み途中で途切れた行の可能性）") from None
    if not isinstance(data, dict):
        raise ValueError("記録（JSON オブジェクト）ではありません")
    kind = data.get("record")
    model: type[CheckRecord] | type[ConfirmRecord]
    if kind == "check":
        model = CheckRecord
    elif kind == "confirm":
        model = ConfirmRecord
    else:
        raise ValueError(f"不明な記録の種類です: {str(kind)[:20]!r}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"記録の項目が不正です: {where}: {first['msg']}") from None


def parse_log(data: bytes) -> LogContents:
    """Every line of a log: usable records, and corrupt lines with their numbers and reasons.

    A torn record followed, on the same line, by a whole one (a writer killed mid-write by an
    older tool that did not start a fresh line) is reported, and the whole record after it kept."""
    out = LogContents()
    lines = data.split(b"\n")  # only \n: U+2028 and friends are text inside JSON strings
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            out.records.append((number, parse_line(raw)))
            continue
        except ValueError as exc:
            reason = str(exc)
        tail = raw.rfind(_RECORD_START)
        if tail > 0:
            try:
                out.records.append((number, parse_line(raw[tail:])))
                reason = f"行頭 {tail} バイトが途切れた記録です（後ろの記録は読み込みました）"
            except ValueError:
                pass
        if number == len(lines) and not data.endswith(b"\n"):
            reason += "。最後の行が改行で終わっていません（書き込み中か、書き込みが途切れました）"
        out.corrupt.append(Corrupt(number, reason))
    return out


def read_log(path: Path) -> LogContents:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogError(f"{path}: 記録ファイルがありません") from None
    except IsADirectoryError:
        raise LogError(f"{path}: フォルダです（記録ファイルを指定してください）") from None
    except OSError as exc:
        raise LogError(f"{path}: 記録ファイルを読めません（{exc.strerror or type(exc).__name__}）") from None
    return parse_log(data)


# --- review ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pending:
    """A record the chief must look at."""

    record: CheckRecord
    line: int

    @property
    def state(self) -> str:
        return ROUTE_STATE.get(self.record.route, self.record.route)

    @property
    def basis(self) -> list[str]:
        return [str(b) for b in self.record.decision.get("basis", [])]

    @property
    def support_urls(self) -> list[str]:
        urls: dict[str, None] = {}
        for s in self.record.decision.get("support", []):
            if isinstance(s, dict):
                url = s.get("url") or s.get("source") or s.get("id")
                if url:
                    urls[str(url)] = None
        return list(urls)

    @property
    def notes(self) -> list[str]:
        """What the chief should read: why it needs the chief (section_chief), or why it was
        not ready to post (autonomous with too few checkers)."""
        if self.record.route == "section_chief":
            reasons = [str(x) for x in self.record.decision.get("reasons", [])]
            return reasons[:5] + ([f"ほか {len(reasons) - 5} 件"] if len(reasons) > 5 else [])
        return list(self.record.not_ready)

    @property
    def first_line(self) -> str:
        return first_line(self.record.text)


def first_line(text: str, limit: int = 60) -> str:
    """The first non-empty line of the post body (a front-matter block is skipped)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[0].rstrip(" \t") in ("---", "\ufeff---"):
        for i, line in enumerate(lines[1:], start=1):
            if line.rstrip(" \t") == "---":
                lines = lines[i + 1 :]
                break
    for line in lines:
        if line.strip():
            s = line.strip()
            return s if len(s) <= limit else s[: limit - 1] + "…"
    return ""


@dataclass(frozen=True, slots=True)
class Review:
    pending: list[Pending]
    revise: int  # drafts to be revised: for their authors, not listed for the chief
    confirmed: int


def pending(contents: LogContents, since: _dt.date | None = None) -> Review:
    """What the chief must review: autonomous posts not yet confirmed (reported after posting,
    G-POST-4) and drafts awaiting approval (section_chief, G-POST-1), oldest first."""
    confirmed = contents.confirmations()
    items: list[Pending] = []
    revise = done = 0
    for number, r in contents.records:
        if not isinstance(r, CheckRecord) or (since is not None and r.time.date() < since):
            continue
        if r.id in confirmed:
            done += 1
        elif r.route == "revise":
            revise += 1
        else:
            items.append(Pending(r, number))
    items.sort(key=lambda p: p.record.time)
    return Review(items, revise, done)


def _time(t: _dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def render_review(review: Review, fmt: Literal["text", "markdown"] = "text", source: str = "") -> str:
    if fmt == "markdown":
        return _review_markdown(review, source)
    out = [f"所属長の確認が必要な記録: {len(review.pending)} 件{f'（{source}）' if source else ''}"]
    for p in review.pending:
        r = p.record
        out.append(f"[{r.id}] {_time(r.time)} {p.state}")
        out.append(f"    作成: {r.author}  確認: {'、'.join(r.checkers) or 'なし'}（作成者を含め {r.people} 人）")
        if p.basis:
            out.append(f"    根拠: {'、'.join(p.basis)}")
        out.extend(f"    出典: {u}" for u in p.support_urls)
        out.append(f"    本文: {p.first_line}")
        label = "理由" if r.route == "section_chief" else "！"
        out.extend(f"    {label}: {note}" for note in p.notes)
    out.append(_summary(review))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def _review_markdown(review: Review, source: str) -> str:
    out = [f"## 所属長の確認が必要な記録（{len(review.pending)} 件）", ""]
    if source:
        out += [f"記録ファイル: `{source}`", ""]
    if review.pending:
        out.append("| ID | 日時 | 区分 | 作成 | 確認 | 根拠 | 出典 | 本文（1行目） | 理由・注意 |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for p in review.pending:
            r = p.record
            warn = "<br>".join(_md(x) for x in p.notes)
            cells = [
                f"`{r.id}`",
                _time(r.time),
                _md(p.state),
                _md(r.author),
                _md("、".join(r.checkers)) + f"（{r.people} 人）",
                _md("、".join(p.basis)),
                "<br>".join(_md(u) for u in p.support_urls),
                _md(p.first_line),
                warn,
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out.append(_summary(review))
    return "\n".join(out) + "\n"


def _summary(review: Review) -> str:
    return f"確認済み {review.confirmed} 件。修正が必要な下書き {review.revise} 件は一覧に含めていません。"
