"""The chief's log on the command line (docs/chieflog.md).

- `guard check --log FILE --author NAME [--checked-by NAME …]`: one record per checked draft
  (options added by `add_check_log_options`, records written by `write_check_log`);
- `guard log review FILE [--since DATE] [--format text|markdown]`: what the chief must review;
- `guard log confirm FILE ID --by NAME`: the chief's confirmation, appended.

Exit codes: 0 done; 2 a usage error, an unknown ID, an unreadable or unwritable log (one line
naming the file). Corrupt lines of a log are reported on stderr with their line numbers.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .cli_common import parse_date

if TYPE_CHECKING:  # chieflog (pydantic models) is imported only when a log is read or written
    from .chieflog import LogContents
    from .policy import AccountPolicy
    from .records import AnyReport

EXIT_OK, EXIT_INPUT = 0, 2


def add_check_log_options(chk: argparse.ArgumentParser) -> None:
    """`--log`, `--author`, `--checked-by` of `guard check`."""
    chk.add_argument("--log", type=Path, metavar="FILE", help="所属長向けの記録（JSON Lines）に1下書き1行で追記する")
    chk.add_argument("--author", metavar="NAME", help="作成した職員（--log では必須）")
    chk.add_argument(
        "--checked-by",
        action="append",
        default=[],
        metavar="NAME",
        help="確認した職員。繰り返し指定可、カンマ・読点区切りも可（作成者も1人に数える: G-POST-3）",
    )


def log_usage_error(args: argparse.Namespace) -> str | None:
    """A usage problem with the log options, or None."""
    log, author, checkers = getattr(args, "log", None), getattr(args, "author", None), getattr(args, "checked_by", [])
    if log is None:
        if author is not None or checkers:
            return "check: --author と --checked-by は --log と一緒に指定してください"
        return None
    from .chieflog import clean_name, split_names

    if author is None or not clean_name(author):
        return "check: --log には --author（作成した職員の名前）が必要です"
    if any(not split_names([c]) for c in checkers):
        return "check: --checked-by に名前がありません"
    return None


def write_check_log(
    args: argparse.Namespace, policy: AccountPolicy | None, reports: Sequence[AnyReport], sources: dict[str, str]
) -> list[str]:
    """Append one record per report; returns error lines (the log cannot be written)."""
    if getattr(args, "log", None) is None:
        return []
    from .chieflog import LogError, append, build_record, split_names
    from .schema import from_record  # the log stores the public report

    checkers = split_names(args.checked_by)
    for report in reports:
        text = sources.get(report.path, "")
        record = build_record(from_record(report), text, author=args.author, checkers=checkers, policy=policy)
        try:
            append(args.log, record)
        except LogError as exc:
            return [str(exc)]
    return []


def add_log_commands(sub: Any) -> None:
    """`guard log review|confirm`, added to the main parser's subcommands."""
    log = sub.add_parser("log", help="所属長向けの記録（確認待ちの一覧・確認の記録）")
    cmds = log.add_subparsers(dest="log_command", required=True)
    review = cmds.add_parser("review", help="所属長が確認すべき記録の一覧")
    review.add_argument("file", type=Path)
    review.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD", help="この日以降の記録だけ")
    review.add_argument("--format", choices=["text", "markdown"], default="text")
    review.set_defaults(func=_cmd_review)
    confirm = cmds.add_parser("confirm", help="所属長の確認（承認・事後報告の受領）を記録する")
    confirm.add_argument("file", type=Path)
    confirm.add_argument("id")
    confirm.add_argument("--by", required=True, metavar="NAME", help="確認した所属長")
    confirm.set_defaults(func=_cmd_confirm)


def _read(path: Path, err: TextIO) -> LogContents:
    from .chieflog import read_log

    contents = read_log(path)
    for bad in contents.corrupt:
        err.write(f"guard: {path}:{bad.line}: 壊れた行を読み飛ばしました: {bad.reason}\n")
    return contents


def _cmd_review(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .chieflog import LogError, pending, render_review

    try:
        contents = _read(args.file, err)
    except LogError as exc:
        err.write(f"guard: {exc}\n")
        return EXIT_INPUT
    out.write(render_review(pending(contents, args.since), args.format, str(args.file)))
    return EXIT_OK


def _cmd_confirm(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .chieflog import LogError, append, clean_name, confirm_record

    by = clean_name(args.by)
    if not by:
        err.write("guard: log confirm: --by に名前がありません\n")
        return EXIT_INPUT
    try:
        contents = _read(args.file, err)
        record = contents.checks().get(args.id.strip())
        if record is None:
            err.write(f"guard: {args.file}: ID {args.id!r} の記録はありません（guard log review で一覧）\n")
            return EXIT_INPUT
        if record.route == "revise":
            err.write(f"guard: {args.file}: {record.id} は修正が必要な下書きです。直して確認し直した記録を確認してください\n")
            return EXIT_INPUT
        done = contents.confirmations().get(record.id)
        if done:
            first = done[0]
            out.write(f"{record.id} は確認済みです（{first.by}、{first.time.isoformat(timespec='seconds')}）\n")
            return EXIT_OK
        confirmation = confirm_record(record, by)
        append(args.file, confirmation)
    except LogError as exc:
        err.write(f"guard: {exc}\n")
        return EXIT_INPUT
    what = "承認（投稿できます）" if confirmation.action == "approve" else "事後報告の確認"
    out.write(f"{record.id} の{what}を記録しました（{by}、{confirmation.time.isoformat(timespec='seconds')}）\n")
    return EXIT_OK
