"""The `guard` command: the only place for files, stdout and exit codes.

Exit codes: 0 no draft must be revised; 1 some draft must be revised (with `--fail-on
section_chief`, also when one needs the chief); 2 usage, input or rule-file error (one line naming
the file; the other inputs are still checked); 3 an unexpected error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .cli_common import parse_date, policy_at, read_file
from .cli_fix import add_fix_commands
from .cli_index import add_index_commands
from .cli_log import add_check_log_options, add_log_commands, log_usage_error, write_check_log
from .cli_policy import add_policy_commands
from .cli_serve import add_serve_commands
from .cli_strip import add_strip_commands
from .engine import Guard
from .model import DraftKind
from .policy import PolicyError
from .report import FORMATS
from .ruleset import RuleError

if TYPE_CHECKING:
    from . import batch
    from .records import Report

# The subcommands' modules only register their options here: what a command needs beyond the
# engine (scope.index, chieflog, the fix planner, photos, batch, the web app, SARIF) is imported
# when that command or option runs, so that `guard check FILE` starts quickly
# (docs/performance.md, cold start; tests/test_cold_start.py).

EXIT_OK, EXIT_REVISE, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
DRAFT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 64 * 1024 * 1024
BUG_POINTER = "予期しないエラーです。再現手順とともに開発チームへ報告してください（guard --version の出力も添えてください）"


class InputError(Exception):
    """A user error about one input: printed as one line naming the file."""


def _safe_stream(stream: TextIO) -> TextIO:
    """Never raise on a console that cannot encode a character."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):  # pragma: no cover - exotic streams
            pass
    return stream


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"1 以上の整数を指定してください: {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guard", description="SNS投稿の下書きを投稿前に確認します。")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    chk = sub.add_parser("check", help="下書きを確認する")
    chk.add_argument("inputs", nargs="+", help="ファイル、フォルダ（*.txt, *.md）または -（標準入力）")
    chk.add_argument("--format", choices=sorted(FORMATS), default="text")
    chk.add_argument("--reply", action="store_true", help="返信として確認する")
    chk.add_argument("--date", type=parse_date, help="投稿予定日 YYYY-MM-DD（既定: 今日）")
    chk.add_argument("--encoding", default="utf-8", help="入力の文字コード（既定: utf-8、BOM 可）")
    chk.add_argument("--fail-on", choices=["revise", "section_chief"], default="revise")
    chk.add_argument("--redact", action="store_true", help="個人情報も伏せ字にして出力する（秘密は常に伏せ字）")
    chk.add_argument("--platform", action="append", default=None, help="投稿先（x, facebook, …）。繰り返し指定可")
    chk.add_argument(
        "--policy", type=Path, help="運用ポリシー（既定: ./guard.toml、または pyproject.toml の [tool.fujisns-guard]）"
    )
    chk.add_argument("--jobs", type=_positive, default=None, help="並列に確認するプロセス数（既定 1）。集計を標準エラーに出す")
    chk.add_argument("--summary", action="store_true", help="最後に集計（件数・判定・分類）を標準エラーに出す")
    chk.add_argument("--attach", action="append", default=None, help="添付する写真（JPEG, PNG）。繰り返し指定可")
    add_check_log_options(chk)  # --log, --author, --checked-by (cli_log.py)
    chk.set_defaults(func=_cmd_check)

    rules = sub.add_parser("rules", help="規則の一覧")
    rules.set_defaults(func=_cmd_rules)
    explain = sub.add_parser("explain", help="規則の説明")
    explain.add_argument("rule_id")
    explain.set_defaults(func=_cmd_explain)
    add_policy_commands(sub)
    add_index_commands(sub)
    add_log_commands(sub)
    add_strip_commands(sub)
    add_serve_commands(sub)
    add_fix_commands(sub)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _iter_inputs(inputs: Sequence[str], errors: list[str]) -> Iterator[tuple[str, Path | None]]:
    for item in inputs:
        if item == "-":
            yield "-", None
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DRAFT_SUFFIXES)
            if not found:
                errors.append(f"{item}: 確認する下書き（*.txt, *.md）がありません")
            for p in found:
                yield str(p), p
        else:
            yield item, path


def decode_draft(data: bytes, name: str, encoding: str) -> str:
    """Bytes → text, or InputError with a one-line reason (binary, wrong encoding, empty)."""
    if not data.strip():
        raise InputError(f"{name}: 空の下書きです")
    if b"\0" in data[:8192] and not encoding.lower().startswith("utf-16"):
        raise InputError(f"{name}: テキストではありません（バイナリファイル）")
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(enc)
    except LookupError:
        raise InputError(f"{name}: 不明な文字コード {encoding!r}") from None
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp932")
            hint = "。Shift_JIS のようです: --encoding cp932 を指定してください"
        except UnicodeDecodeError:
            pass
        raise InputError(f"{name}: {encoding} として読めません（{exc.start} バイト目）{hint}") from None
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > 8 and controls * 20 > min(len(text), 4096):
        raise InputError(f"{name}: テキストではありません（制御文字が多すぎます）")
    return text.lstrip("\ufeff")


def _read(name: str, path: Path | None, encoding: str) -> str:
    data = sys.stdin.buffer.read() if path is None else read_file(path, MAX_BYTES, InputError, f"{name}: ")
    return decode_draft(data, name, encoding)


def _stdin_item(encoding: str) -> batch.Item:
    """Standard input is read here, once: worker processes get its text."""
    from . import batch

    try:
        return batch.Item("-", None, text=_read("-", None, encoding))
    except InputError as exc:
        return batch.Item("-", None, error=str(exc))


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import batch

    if (usage := log_usage_error(args)) is not None:  # --log needs --author (cli_log.py)
        err.write(f"guard: {usage}\n")
        return EXIT_INPUT
    policy = policy_at(args.policy)
    errors: list[str] = []
    reports: list[Report] = []
    sources: dict[str, str] = {}
    kind: DraftKind | None = "reply" if args.reply else None  # not given: the front matter or the default decides
    items = [
        batch.Item(name, path) if path is not None else _stdin_item(args.encoding)
        for name, path in _iter_inputs(args.inputs, errors)
    ]
    platforms = tuple(args.platform) if args.platform else None
    opts = batch.Options(_read, InputError, args.encoding, kind, args.date, platforms, args.redact, tuple(args.attach or ()))
    progress = batch.Progress(err, len(items)) if batch.Progress.wanted(err) and len(items) > 1 else None
    guard = Guard(policy) if (args.jobs or 1) == 1 else None  # workers build their own
    for outcome in batch.run(items, opts, policy=policy, jobs=args.jobs or 1, progress=progress, guard=guard):
        errors.extend(outcome.errors)
        if outcome.report is not None and outcome.source is not None:
            reports.append(outcome.report)
            sources[outcome.name] = outcome.source
    if progress is not None:
        progress.close()
    errors += write_check_log(args, policy, reports, sources)  # --log: the chief's log (cli_log.py)
    if reports:
        out.write(FORMATS[args.format](reports, sources))
    for line in errors:
        err.write(f"guard: {line}\n")
    if args.jobs is not None or args.summary:
        err.write(batch.summary(reports, len(items), len(items) - len(reports)))
    failing = {"revise"} | ({"section_chief"} if args.fail_on == "section_chief" else set())
    if any(r.decision.route in failing for r in reports):
        return EXIT_REVISE
    return EXIT_INPUT if errors else EXIT_OK


def _cmd_rules(_args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    guard = Guard()
    for rule in guard.ruleset.rules:
        spec = rule.spec
        extra = ""
        if spec.kind == "wordlist":
            extra = f"（{len(guard.ruleset.terms_for(rule))} 語）"
        out.write(
            f"{rule.id}\t{spec.kind}\t{spec.category}\t{rule.severity}\t{spec.clause}\t{spec.reason.splitlines()[0]}{extra}\n"
        )
    out.write(f"# {len(guard.ruleset.rules)} rules, ruleset {guard.version}\n")
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .photos import RULES as PHOTO_RULES

    guard = Guard()
    rule = guard.ruleset.get(args.rule_id)
    if rule is None and args.rule_id in PHOTO_RULES:  # rules on attached photos live in code (docs/photos.md)
        photo = PHOTO_RULES[args.rule_id]
        out.write(
            f"{photo.id}  [photo] personal_info / {photo.severity} / G-RULE-5\nメッセージ: {photo.message}\n"
            f"理由: {photo.reason}\n例: tests/test_photos.py（docs/photos.md）\n"
        )
        return EXIT_OK
    if rule is None:
        err.write(f"guard: 規則 {args.rule_id!r} はありません（guard rules で一覧）\n")
        return EXIT_INPUT
    spec = rule.spec
    lines = [
        f"{rule.id}  [{spec.kind}] {spec.category} / {rule.severity} / {spec.clause}",
        f"メッセージ: {spec.message}",
        f"理由: {spec.reason}",
    ]
    if spec.source:
        lines.append(f"出典: {spec.source}")
    if spec.suggestions:
        lines.append("提案: " + " / ".join(spec.suggestions))
    if spec.kind == "wordlist":
        terms = guard.ruleset.terms_for(rule)
        lines.append(f"語リスト: {', '.join(spec.lists)}（{len(terms)} 語）")
    lines.append("例:")
    for ex in spec.examples:
        verdict = "検出: " + "、".join(ex.expect) if ex.expect else "検出しない"
        lines.append(f"  {ex.text}  → {verdict}")
    lines.append(f"ファイル: {rule.path}")
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = _safe_stream(out or sys.stdout)
    err = _safe_stream(err or sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors → 2, --help/--version → 0
        return int(exc.code or 0)
    try:
        return int(args.func(args, out, err))
    except (RuleError, PolicyError) as exc:
        err.write(f"guard: {exc}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        err.write("guard: 中断しました\n")
        return 130
    except Exception as exc:
        err.write(f"guard: {type(exc).__name__}: {BUG_POINTER}\n")
        return EXIT_BUG
