"""`guard fix FILE... [--write]`: apply the unambiguous suggestions (docs/fix.md).

Prints a unified diff on stdout and, per file, what was fixed and what is left to a person on
stderr. `--write` writes the file in place: the same encoding (a UTF-8 BOM kept, `--encoding
cp932` …) and line endings, and every byte outside the fixed spans unchanged.

Exit codes, as `guard check` would give on the files after the command (docs/output.md): 0 no
draft must be revised, 1 some draft must still be revised (without `--write` the files are
unchanged), 2 an unreadable or unwritable file (one line naming it; the others are still
fixed). cli.py catches rule/policy errors and unexpected ones (3).
"""

from __future__ import annotations

import argparse
import codecs
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from .cli_common import parse_date, policy_at, read_file
from .engine import Guard
from .frontmatter import FrontMatterError
from .model import DraftKind

EXIT_OK, EXIT_REVISE, EXIT_INPUT = 0, 1, 2
DRAFT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 64 * 1024 * 1024


class FixError(Exception):
    """One file cannot be read, fixed or written: one line naming it."""


def add_fix_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fix = subparsers.add_parser("fix", help="曖昧さのない提案だけを適用する（差分を表示、--write で上書き）")
    fix.add_argument("inputs", nargs="+", help="ファイルまたはフォルダ（*.txt, *.md）")
    fix.add_argument("--write", action="store_true", help="ファイルを書き換える（文字コード・改行はそのまま）")
    fix.add_argument("--encoding", default="utf-8", help="ファイルの文字コード（既定: utf-8、BOM 可。Shift_JIS: cp932）")
    fix.add_argument("--date", type=parse_date, help="投稿予定日 YYYY-MM-DD（既定: 今日）")
    fix.add_argument("--reply", action="store_true", help="返信として確認する")
    fix.add_argument("--policy", type=Path, help="運用ポリシー（既定: ./guard.toml、または pyproject.toml）")
    fix.set_defaults(func=cmd_fix)


def _inputs(items: Sequence[str], errors: list[str]) -> Iterator[Path]:
    for item in items:
        path = Path(item)
        if item == "-":
            errors.append("-: 標準入力は修正できません（ファイルを指定してください）")
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DRAFT_SUFFIXES)
            if not found:
                errors.append(f"{item}: 修正する下書き（*.txt, *.md）がありません")
            yield from found
        else:
            yield path


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise FixError(f"不明な文字コード {encoding!r}") from None


def read_draft(path: Path, encoding: str) -> tuple[bytes, bytes, str]:
    """(the file's bytes, its BOM or b"", the text after the BOM)."""
    data = read_file(path, MAX_BYTES, FixError)
    codec = _codec(encoding)
    bom = codecs.BOM_UTF8 if codec == "utf-8" and data.startswith(codecs.BOM_UTF8) else b""
    if not data.strip():
        raise FixError("空の下書きです")
    if b"\0" in data[:8192] and not codec.startswith("utf-16"):
        raise FixError("テキストではありません（バイナリファイル）")
    try:
        text = data[len(bom) :].decode(codec)
    except UnicodeDecodeError as exc:
        hint = "。Shift_JIS のようです: --encoding cp932 を指定してください" if _is_cp932(data) else ""
        raise FixError(f"{encoding} として読めません（{exc.start} バイト目）{hint}") from None
    return data, bom, text


def _is_cp932(data: bytes) -> bool:
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        return False
    return True


def splice(data: bytes, bom: bytes, text: str, edits: Sequence[tuple[int, int, str]], encoding: str) -> bytes:
    """The file's bytes with each edit's span re-encoded and every other byte kept as it was.

    Byte offsets are found by encoding the text before each span; the result is decoded again
    and must give the edited text (else FixError: a stateful encoding, or a character the
    encoding cannot hold)."""
    codec = _codec(encoding)
    out: list[bytes] = [bom]
    pos_chars, pos_bytes = 0, len(bom)
    for start, end, new in sorted(edits):
        b_start = pos_bytes + len(text[pos_chars:start].encode(codec))
        b_end = b_start + len(text[start:end].encode(codec))
        try:
            replacement = new.encode(codec)
        except UnicodeEncodeError:
            raise FixError(f"「{new}」を {encoding} で書けません") from None
        out.append(data[pos_bytes:b_start])
        out.append(replacement)
        pos_chars, pos_bytes = end, b_end
    out.append(data[pos_bytes:])
    result = b"".join(out)
    from .fix import apply_edits  # imported by `guard fix` only, not by every start of `guard`

    expected = apply_edits(text, edits)
    try:
        ok = result[len(bom) :].decode(codec) == expected
    except UnicodeDecodeError:
        ok = False
    if not ok:
        raise FixError(f"{encoding} のまま書き戻せません（ほかの部分を変えずに置き換えられません）")
    return result


def _write(path: Path, data: bytes) -> None:
    """Replace the file atomically, keeping its permissions (a symbolic link stays a link)."""
    path = path.resolve()
    try:
        mode = path.stat().st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FixError(f"書き込めません（{exc.strerror}）") from None


def cmd_fix(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .fix import apply_edits, hidden_texts, plan_fixes, scrub, unified_diff

    guard = Guard(policy_at(args.policy))
    kind: DraftKind | None = "reply" if args.reply else None
    errors: list[str] = []
    revise = False
    for path in _inputs(args.inputs, errors):
        name = str(path)
        try:
            data, bom, text = read_draft(path, args.encoding)
            report = guard.check(text, kind=kind, date=args.date, path=name)
            plan = plan_fixes(report.findings, text)
            hidden = hidden_texts(text, report.findings)  # a secret, also where another finding quotes it
            for f, why in plan.skipped:
                shown = scrub(f.excerpt, hidden)
                err.write(f"guard: {name}:{f.line}:{f.column}: {f.rule_id} 「{shown}」は自動修正しません: {why}\n")
            if plan.applied:
                out.write(unified_diff(name, text, plan.edits, report.findings))
                if args.write:
                    _write(path, splice(data, bom, text, plan.edits, args.encoding))
                    report = guard.check(apply_edits(text, plan.edits), kind=kind, date=args.date, path=name)
                done = "修正しました" if args.write else "修正できます（--write で書き込みます）"
                err.write(f"guard: {name}: {len(plan.applied)} 件を{done}\n")
        except FixError as exc:
            errors.append(f"{name}: {exc}")
            continue
        except (FrontMatterError, ValueError) as exc:
            errors.append(f"{name}: {exc}")
            continue
        fixed = {(f.start, f.end, f.rule_id) for f, _ in plan.applied} if not args.write else set()
        left = sum(1 for f in report.active() if f.severity != "info" and (f.start, f.end, f.rule_id) not in fixed)
        if left:
            err.write(f"guard: {name}: 残り {left} 件は人が直してください（guard check {name}）\n")
        revise = revise or report.decision.route == "revise"
    for line in errors:
        err.write(f"guard: {line}\n")
    if revise:
        return EXIT_REVISE
    return EXIT_INPUT if errors else EXIT_OK
