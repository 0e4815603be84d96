"""`guard strip PHOTO... -o OUT`: copies of photos without metadata, pixels untouched (G-RULE-5).

JPEG: Exif, XMP, IPTC/Photoshop and comment segments are dropped, everything else (image data,
tables, ICC profile) is copied byte for byte; PNG: eXIf, tEXt, iTXt, zTXt and tIME chunks are
dropped. Exit codes: 0 all written, 2 an input could not be read or written (one line naming the
file; the other inputs are still processed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_INPUT = 0, 2


def add_strip_commands(sub: Any) -> None:
    strip = sub.add_parser("strip", help="写真のメタデータ（位置情報など）を消した写しを作る")
    strip.add_argument("images", nargs="+", type=Path, help="JPEG または PNG")
    strip.add_argument(
        "-o", "--output", type=Path, required=True, help="書き出し先（画像が一つならファイル、複数なら既存のフォルダ）"
    )
    strip.set_defaults(func=_cmd_strip)


def _targets(args: argparse.Namespace) -> list[tuple[Path, Path]] | str:
    if len(args.images) == 1 and not args.output.is_dir():
        return [(args.images[0], args.output)]
    if not args.output.is_dir():
        return f"{args.output}: 画像が複数のときは -o に既存のフォルダを指定してください"
    names = [p.name for p in args.images]
    if len(set(names)) != len(names):
        return f"{args.output}: 同じ名前の画像が複数あります（一つずつ書き出してください）"
    return [(p, args.output / p.name) for p in args.images]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder: a failure never leaves half an image."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".guard-strip-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cmd_strip(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .batch import read_image  # imported by `guard strip` only, not by every start of `guard`
    from .photos import ImageError, read_metadata, strip_metadata

    targets = _targets(args)
    if isinstance(targets, str):
        err.write(f"guard: {targets}\n")
        return EXIT_INPUT
    failed = False
    for src, dst in targets:
        try:
            data = read_image(str(src), src)
            meta = read_metadata(data)
            clean = strip_metadata(data)
            _write_atomically(dst, clean)
        except ImageError as exc:
            err.write(f"guard: {src}: {exc}\n")
            failed = True
            continue
        except OSError as exc:
            name = exc.filename if exc.filename else src
            err.write(f"guard: {name}: 読み書きできません（{exc.strerror}）\n")
            failed = True
            continue
        removed = "、".join(meta.metadata) if meta.metadata else "なし"
        gps = "（撮影位置を含む）" if meta.gps else ""
        out.write(f"{src} → {dst}: 削除したメタデータ: {removed}{gps}\n")
    return EXIT_INPUT if failed else EXIT_OK
