"""Checking many drafts: `guard check DIR --jobs N`, attached photos, progress and the summary.

`run` yields one `Outcome` per input in input order, whatever `jobs` is: with `jobs == 1` in this
process (as before), otherwise in worker processes that each build their own `Guard` once in an
initializer (a Sudachi tokenizer cannot be pickled). Workers get paths, not texts; inputs go out in
small chunks and at most a few chunks per worker are in flight, so 10,000 files never mean 10,000
pending futures. The output is the same byte for byte as with one process (tests/test_batch.py).
"""

from __future__ import annotations

import datetime as _dt
import importlib
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .cli_common import read_file
from .engine import Guard
from .frontmatter import FrontMatterError, parse_front_matter
from .model import DraftKind
from .plain import Record
from .records import Report
from .textpos import line_col, line_starts

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .photos import Anchor
    from .policy import AccountPolicy
    from .schema import Finding

# Imported when first needed, so that `guard check FILE` starts without them (docs/performance.md,
# cold start): multiprocessing and concurrent.futures by a `--jobs N` run, photos.py by a draft
# with attached photos. They stay attributes of this module (a test may replace one).
_LAZY = {"ProcessPoolExecutor": ("concurrent.futures", "ProcessPoolExecutor"), "MAX_IMAGE_BYTES": (".photos", "MAX_BYTES")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(module, __package__), attr)
    globals()[name] = value
    return value


def _lazy(name: str) -> Any:
    """This module's `name`: a replacement set on the module, else imported (`_LAZY`)."""
    return globals()[name] if name in globals() else __getattr__(name)


Reader = Callable[[str, "Path | None", str], str]


class Item(Record, kw_only=False):
    """One input: a file (`path`), or standard input already read by the parent (`text`)."""

    name: str
    path: Path | None = None
    text: str | None = None
    error: str | None = None  # the parent could not read it (stdin)


class Options(Record, kw_only=False):
    """What every draft is checked with; sent once to each worker."""

    read: Reader  # bytes → text with the one-line errors of the command line (cli._read)
    input_error: type[Exception]  # what `read` raises for a user error (printed as is)
    encoding: str = "utf-8"
    kind: DraftKind | None = None
    date: _dt.date | None = None
    platforms: tuple[str, ...] | None = None
    redact: bool = False
    attach: tuple[str, ...] = ()  # --attach: paths relative to the current folder


class Outcome(Record, kw_only=False):
    """One input's result: its report (the engine's plain record: it pickles, and rendering it as
    text needs no pydantic), the text it was made from, and one-line errors."""

    name: str
    report: Report | None = None
    source: str | None = None
    errors: tuple[str, ...] = ()


WINDOW_DRAFTS = 64  # drafts read ahead and checked together (Guard.check_many_records)
WINDOW_CHARS = 4_000_000  # … and no more text than this held at once


def check_all(guard: Guard, items: Sequence[Item], opts: Options) -> Iterator[Outcome]:
    """One Outcome per item, in order: read, check, look at the attached photos; user errors
    become one-line messages and never stop the other drafts. The drafts are read a window at a
    time and checked together with `Guard.check_many_records` (stage by stage: ~20% less time
    for many drafts, docs/performance.md)."""
    i = 0
    while i < len(items):
        window: list[Item] = []
        outcomes: list[Outcome | None] = []
        ready: list[tuple[int, str, list[Finding], list[str]]] = []
        held = 0
        while i < len(items) and len(window) < WINDOW_DRAFTS and held < WINDOW_CHARS:
            item = items[i]
            i += 1
            window.append(item)
            outcomes.append(None)
            read = _read(item, opts)
            if isinstance(read, Outcome):
                outcomes[-1] = read
            else:
                ready.append((len(window) - 1, *read))
                held += len(read[0])
        done = 0
        while done < len(ready):
            drafts = ((text, {"path": window[k].name, "extra_findings": photos}) for k, text, photos, _ in ready[done:])
            reports = guard.check_many_records(drafts, kind=opts.kind, date=opts.date, platforms=opts.platforms)
            try:
                for report in reports:
                    k, text, _, photo_errors = ready[done]
                    outcomes[k] = Outcome(window[k].name, report.redacted() if opts.redact else report, text, tuple(photo_errors))
                    done += 1
            except (FrontMatterError, ValueError) as exc:  # this draft's options or front matter
                k = ready[done][0]
                outcomes[k] = Outcome(window[k].name, errors=(f"{window[k].name}: {exc}",))
                done += 1
        yield from (o for o in outcomes if o is not None)


def _read(item: Item, opts: Options) -> tuple[str, list[Finding], list[str]] | Outcome:
    """The draft's text and its photos' findings, or the Outcome of a user error."""
    if item.error is not None:
        return Outcome(item.name, errors=(item.error,))
    try:
        text = item.text if item.text is not None else opts.read(item.name, item.path, opts.encoding)
        photos, photo_errors = _attachments(text, item, opts)
    except opts.input_error as exc:
        return Outcome(item.name, errors=(str(exc),))
    except (FrontMatterError, ValueError) as exc:
        return Outcome(item.name, errors=(f"{item.name}: {exc}",))
    return text, photos, photo_errors


def _attachments(text: str, item: Item, opts: Options) -> tuple[list[Finding], list[str]]:
    """Findings for `--attach` photos and the front matter's `attachments` (relative to the draft)."""
    front = parse_front_matter(text)  # raises FrontMatterError: reported like the check would
    if not opts.attach and (front.meta is None or not front.meta.attachments):
        return [], []  # no photo: photos.py is not imported
    from .photos import Anchor, ImageError, check_image, finding

    wanted: list[tuple[str, Path, Anchor]] = [(a, Path(a), Anchor()) for a in opts.attach]
    if front.meta is not None and front.meta.attachments:
        base = item.path.parent if item.path is not None else Path.cwd()
        starts = line_starts(text)
        for a in front.meta.attachments:
            at = text.find(a, 0, front.body_start)
            anchor = Anchor()
            if at >= 0:
                line, col = line_col(starts, at)
                anchor = Anchor(at, at, line, col)  # an empty span where the front matter names it
            wanted.append((a, base / a, anchor))
    findings: list[Finding] = []
    errors: list[str] = []
    for name, path, anchor in wanted:
        try:
            findings.extend(check_image(read_image(name, path), name, anchor))
        except ImageError as exc:
            errors.append(f"{item.name}: 添付画像 {name}: {exc}")
            # a photo that could not be checked must not let the draft through unseen
            findings.append(finding("personal_info.photo_unchecked", name, anchor, str(exc), why=str(exc)))
    return findings, errors


def read_image(name: str, path: Path) -> bytes:
    """An image file's bytes; ImageError with a one-line reason (missing, too big, unreadable)."""
    from .photos import ImageError

    limit: int = _lazy("MAX_IMAGE_BYTES")
    return read_file(path, limit, ImageError)


# --- worker processes ------------------------------------------------------------------------

_worker: tuple[Guard, Options] | None = None


def _init_worker(policy: AccountPolicy | None, opts: Options) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    _worker = (Guard(policy), opts)


def _check_chunk(items: list[Item]) -> list[Outcome]:
    assert _worker is not None, "worker not initialised"
    guard, opts = _worker
    return list(check_all(guard, items, opts))


def _chunks(items: Sequence[Item], size: int) -> Iterator[list[Item]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def run(
    items: Sequence[Item],
    opts: Options,
    *,
    policy: AccountPolicy | None,
    jobs: int = 1,
    progress: Progress | None = None,
    guard: Guard | None = None,
) -> Iterator[Outcome]:
    """One Outcome per item, in the order of `items`; `guard` (built from `policy` if None) is
    used when everything runs in this process."""
    if jobs <= 1 or len(items) < 2:
        guard = guard or Guard(policy)
        for outcome in check_all(guard, items, opts):
            yield outcome
            if progress is not None:
                progress.advance(1)
        return
    jobs = min(jobs, len(items))
    size = max(1, min(32, len(items) // (jobs * 8)))  # small enough to balance, big enough to amortise
    in_flight = jobs * 3
    import multiprocessing

    pool_class: type[ProcessPoolExecutor] = _lazy("ProcessPoolExecutor")
    ctx = multiprocessing.get_context("spawn")  # the same on every OS; nothing inherited from this process
    with pool_class(jobs, mp_context=ctx, initializer=_init_worker, initargs=(policy, opts)) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        try:
            for chunk in _chunks(items, size):
                if len(pending) >= in_flight:
                    yield from _collect(pending.popleft(), progress)
                pending.append(pool.submit(_check_chunk, chunk))
            while pending:
                yield from _collect(pending.popleft(), progress)
        except BaseException:  # Ctrl-C, a broken worker, or the caller stopped reading: stop now
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _collect(future: Future[list[Outcome]], progress: Progress | None) -> list[Outcome]:
    done = future.result()
    if progress is not None:
        progress.advance(len(done))
    return done


# --- progress bar and summary ----------------------------------------------------------------


class Progress:
    """A one-line bar on a terminal's stderr, redrawn at most ten times a second, erased at the end."""

    WIDTH = 30

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream, self.total, self.done = stream, total, 0
        self._last = 0.0

    @staticmethod
    def wanted(stream: TextIO) -> bool:
        isatty = getattr(stream, "isatty", None)
        try:
            return bool(isatty and isatty())
        except (ValueError, OSError):  # a closed stream
            return False

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= 0.1 or self.done >= self.total:
            self._last = now
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = int(share * self.WIDTH)
        return f"確認中 [{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} ({share:.0%})"

    def close(self) -> None:
        self.stream.write("\r" + " " * (len(self.line()) + 12) + "\r")
        self.stream.flush()


ROUTES = ("revise", "section_chief", "autonomous")


def summary(reports: Iterable[Report], files: int, errors: int) -> str:
    """Files, routes and active findings by category and severity (stderr: stdout stays parseable)."""
    routes: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    suppressed = 0
    for r in reports:
        routes[r.decision.route] += 1
        for f in r.findings:
            if f.suppressed:
                suppressed += 1
                continue
            categories[f.category] += 1
            severities[f.severity] += 1
    checked = sum(routes.values())
    lines = [
        f"集計: {files} 件（確認 {checked} 件、入力エラー {errors} 件）",
        "  判定: " + " / ".join(f"{route} {routes[route]}" for route in ROUTES),
        "  指摘: "
        + (" / ".join(f"{s} {severities[s]}" for s in ("error", "warning", "info") if severities[s]) or "なし")
        + (f"（ほかに抑制 {suppressed}）" if suppressed else ""),
    ]
    if categories:
        lines.append("  分類: " + " / ".join(f"{c} {n}" for c, n in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))))
    return "".join(f"guard: {line}\n" for line in lines)
