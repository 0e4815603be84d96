"""`guard index build|show|status`: the published-content index (docs/scope.md); added by cli.py.

Exit codes: build — 0 built, 2 a policy/input problem (every unreadable file is one line on
stderr; the rest is indexed); show/status — 0 the index is up to date, 1 it is stale or not
built yet, 2 the policy or the index file cannot be used. No network: URLs are skipped.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .cli_common import load_policy_file, policy_file
from .policy import AccountPolicy, PolicyError

if TYPE_CHECKING:  # scope.index is imported by `guard index` only, not by every start of `guard`
    from .scope.index import IndexStats, PublishedIndex

EXIT_OK, EXIT_STALE, EXIT_INPUT = 0, 1, 2
_REBUILD = "guard index build で作り直してください"


def add_index_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `index build`, `index show` and `index status` (each with `func`) to a parser."""
    index = subparsers.add_parser("index", help="公表済みページ・FAQ の索引（事前承認範囲の確認に使う）")
    isub = index.add_subparsers(dest="index_command", required=True)
    build = isub.add_parser("build", help="運用ポリシーの scope.published と scope.faq から索引を作る")
    build.add_argument("--policy", type=Path, help="運用ポリシー（既定: ./guard.toml、または pyproject.toml）")
    build.add_argument("-o", "--output", type=Path, help="索引の書き出し先（既定: 最初の資料のフォルダの .guard-index/）")
    build.set_defaults(func=cmd_index_build)
    for name, help_text in (("show", "索引の中身（資料・件数・作成日時）と古さを表示する"), ("status", "索引が最新か確認する")):
        cmd = isub.add_parser(name, help=help_text)
        cmd.add_argument("--policy", type=Path, help="運用ポリシー（既定: ./guard.toml、または pyproject.toml）")
        cmd.add_argument("--index", type=Path, help="索引ファイル（既定: ポリシーの索引）")
        cmd.set_defaults(func=cmd_index_show if name == "show" else cmd_index_status)


def _policy(path: Path | None) -> tuple[AccountPolicy, str]:
    """--policy, else ./guard.toml or ./pyproject.toml's table; PolicyError or LookupError."""
    path = policy_file(path)
    if path is None:
        raise LookupError("運用ポリシーが見つかりません（--policy で指定するか、./guard.toml を置いてください）")
    return load_policy_file(path), str(path)


class _Progress:
    """A one-line bar on a terminal: `索引を作成中 [#####-----] 12/24 ファイル`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = width * done // total if total else width
        self.stream.write(f"\r索引を作成中 [{'#' * filled}{'-' * (width - filled)}] {done}/{total} ファイル")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def summary(stats: IndexStats) -> list[str]:
    """The lines `guard index build` prints (pages, passages, FAQ, skipped, size, time)."""
    lines = [
        f"公表済みページの索引を作りました: {stats.out}",
        f"  ページ {stats.pages} 件（文 {stats.passages}）、FAQ {stats.faq_entries} 件、ファイル {stats.files} 件",
    ]
    if stats.skipped:
        lines.append(f"  スキップ {len(stats.skipped)} 件:")
        lines += [f"    {src}: {reason}" for src, reason in stats.skipped]
    if stats.errors:
        lines.append(f"  読めなかったもの {len(stats.errors)} 件（標準エラーに表示）")
    lines.append(f"  大きさ {_size(stats.size_bytes)}、時間 {stats.seconds:.2f} 秒")
    return lines


def cmd_index_build(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from .scope.index import build_index, index_path_for

    out, err = out or sys.stdout, err or sys.stderr
    try:
        policy, file = _policy(args.policy)
    except (PolicyError, LookupError) as exc:
        print(str(exc), file=err)
        return EXIT_INPUT
    scope = policy.scope
    if not scope.published and not scope.faq:
        print(f"{file}: scope.published も scope.faq もありません（公表済みページと FAQ の場所を書いてください）", file=err)
        return EXIT_INPUT
    target = args.output or index_path_for(policy)
    progress = _Progress(err) if err.isatty() else None
    try:
        stats = build_index(scope.published, scope.faq, target, progress)
    except OSError as exc:
        print(f"{target}: 書き込めません: {exc.strerror or type(exc).__name__}", file=err)
        return EXIT_INPUT
    for line in stats.errors:
        print(line, file=err)
    print("\n".join(summary(stats)), file=out)
    return EXIT_INPUT if stats.errors else EXIT_OK


def _open(args: argparse.Namespace, out: TextIO, err: TextIO) -> tuple[Path, PublishedIndex | None, int]:
    """(path, index or None when not built, exit code if unusable)."""
    from .scope.index import IndexError_, PublishedIndex, index_path_for

    path: Path | None = args.index
    if path is None:
        try:
            policy, file = _policy(args.policy)
        except (PolicyError, LookupError) as exc:
            print(str(exc), file=err)
            return Path(), None, EXIT_INPUT
        if not policy.scope.published and not policy.scope.faq:
            print(f"{file}: scope.published も scope.faq もありません", file=err)
            return Path(), None, EXIT_INPUT
        path = index_path_for(policy)
    if not path.exists():
        print(f"{path}: 索引がまだありません（guard index build で作ってください）", file=out)
        return path, None, EXIT_STALE
    try:
        return path, PublishedIndex.load(path), EXIT_OK
    except IndexError_ as exc:
        print(str(exc), file=err)
        return path, None, EXIT_INPUT


def _stale_lines(path: Path, stale: list[str]) -> list[str]:
    if not stale:
        return [f"{path}: 最新です"]
    head = f"{path}: 索引を作った後に変わったファイルが {len(stale)} 件あります。{_REBUILD}"
    return [head, *(f"    {p}" for p in stale[:20]), *([f"    ほか {len(stale) - 20} 件"] if len(stale) > 20 else [])]


def cmd_index_status(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    path, ix, code = _open(args, out, err)
    if ix is None:
        return code
    stale = ix.stale()
    print("\n".join(_stale_lines(path, stale)), file=out)
    return EXIT_STALE if stale else EXIT_OK


def cmd_index_show(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    path, ix, code = _open(args, out, err)
    if ix is None:
        return code
    src = ix.sources
    lines = [
        f"索引: {path}（{_size(path.stat().st_size)}）",
        f"  作成日時: {src.built_at}",
        f"  ページ {src.pages} 件（文 {src.passages}）、FAQ {src.faq_entries} 件、ファイル {len(src.files)} 件",
        *(f"  公表済みページ: {p}" for p in src.published),
        *([f"  FAQ: {src.faq}"] if src.faq else []),
        *(f"  スキップ: {s}: {r}" for s, r in src.skipped),
    ]
    stale = ix.stale()
    print("\n".join(lines + _stale_lines(path, stale)), file=out)
    return EXIT_STALE if stale else EXIT_OK
