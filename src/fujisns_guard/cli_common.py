"""What every command shares: a date on the command line, the account's policy file, reading a
file with a one-line reason when it cannot be read. One copy, so that every command words its
errors the same way (exit 2, the file named)."""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

from .policy import AccountPolicy, find_policy, load_policy, load_policy_from_pyproject


def parse_date(value: str) -> _dt.date:
    """argparse `type=` for YYYY-MM-DD."""
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください: {value!r}") from None


def policy_file(path: Path | None, cwd: Path | None = None) -> Path | None:
    """--policy, else ./guard.toml or ./pyproject.toml with [tool.fujisns-guard], else None."""
    return path if path is not None else find_policy(cwd or Path.cwd())


def load_policy_file(path: Path) -> AccountPolicy:
    """A guard.toml, or the [tool.fujisns-guard] table of a pyproject.toml (PolicyError if bad)."""
    return load_policy_from_pyproject(path) if path.name == "pyproject.toml" else load_policy(path)


def policy_at(path: Path | None) -> AccountPolicy | None:
    """The policy a command uses: given, found here, or None (the nationwide defaults)."""
    found = policy_file(path)
    return load_policy_file(found) if found is not None else None


def read_file(path: Path, limit: int, error: type[Exception], prefix: str = "") -> bytes:
    """The bytes of `path`, or `error(prefix + reason)`: too big, missing, a folder, no permission."""
    try:
        if path.stat().st_size > limit:
            raise error(f"{prefix}大きすぎます（{limit // 1024 // 1024} MB まで）")
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{prefix}ファイルがありません") from None
    except IsADirectoryError:
        raise error(f"{prefix}フォルダです") from None
    except PermissionError:
        raise error(f"{prefix}読み取る権限がありません") from None
    except OSError as exc:
        raise error(f"{prefix}読めません（{exc.strerror}）") from None
