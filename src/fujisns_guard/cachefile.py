"""The user's cache folder: pickled entries that are trusted only when private and intact, and the
process-wide memos of derived data that the rule cache carries.

Standard library only, so that the policy and the front matter can use the cache without
importing the rule set (or pydantic). `ruleset.py` keeps the rule set's own entry format on top.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_ENV = "FUJISNS_GUARD_CACHE"  # a folder for the cache, or "off"
CACHE_KEEP = 16  # entries of one kind kept in the folder (the ones used most recently)


def cache_dir() -> Path | None:
    """$FUJISNS_GUARD_CACHE, else $XDG_CACHE_HOME/fujisns_guard, else ~/.cache/fujisns_guard."""
    where = os.environ.get(CACHE_ENV, "")
    if where.lower() in ("off", "0", "no", "false"):
        return None
    if where:
        return Path(where)
    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home() != Path("/") else "")
    return Path(base) / "fujisns_guard" if base else None


def private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no owners)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: the folder is under the user's profile
        return True
    st = path.stat()
    return st.st_uid == getuid() and not st.st_mode & 0o022


def files_under(base: Path, suffix: str) -> list[tuple[str, str]]:
    """(path relative to `base` with `/`, full path) of every file ending in `suffix` below `base`,
    sorted; raises OSError. A walk with os.scandir: `Path.rglob` took ~10 ms of every start."""
    out: list[tuple[str, str]] = []
    stack = [("", str(base))]
    while stack:
        rel, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append((f"{rel}{entry.name}/", entry.path))
                elif entry.name.endswith(suffix):
                    out.append((rel + entry.name, entry.path))
    out.sort()
    return out


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of this package's code (size and time of every module) and data files, and of
    Python: what every cached entry was derived with ("" when a file can't be read)."""
    import sys

    h = hashlib.sha256(f"{sys.version}\0".encode())
    here = Path(__file__).parent
    try:
        for rel, path in files_under(here, ".py"):
            st = os.stat(path)
            h.update(f"{rel}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        for rel, path in files_under(here, ".toml"):  # the default policy and other package data
            with open(path, "rb") as f:
                h.update(rel.encode() + b"\0" + f.read() + b"\0")
    except OSError:
        return ""
    return h.hexdigest()


def read(magic: bytes, key: str, suffix: str) -> Any | None:
    """The value stored under `key`, or None when there is none or it cannot be trusted."""
    import pickle

    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key[:32]}{suffix}"
    try:
        if not (path.is_file() and private(folder) and private(path)):
            return None
        blob = path.read_bytes()
        head, _, rest = blob.partition(b"\n")
        digest, _, payload = rest.partition(b"\n")
        if head + b"\n" != magic or hashlib.sha256(payload).hexdigest().encode() != digest:
            return None
        stored_key, value = pickle.loads(payload)
    except Exception:  # a cache that can't be used is only a slower start
        return None
    if stored_key != key:
        return None
    try:
        os.utime(path)  # recently used: the last to be pruned
    except OSError:
        pass
    return value


def write(magic: bytes, key: str, suffix: str, value: Any) -> None:
    """Store `value` under `key` (mode 0600, atomically); prune the oldest of the same suffix."""
    import pickle
    import tempfile

    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(folder):
            return
        payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        blob = magic + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, folder / f"{key[:32]}{suffix}")
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(folder.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in old[CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # read-only home, full disk …: just no cache
        return


# Derived data the rule compilers compute from the rules' own text (a phrase pattern's cue strings,
# a term's folded form …) and the package's own data validated once (the default policy, the
# platform limits): pure functions of their key, kept in named dicts that the rule cache saves with
# the rule set and seeds on load.
MEMOS: dict[str, dict[Any, Any]] = {}


def memo(name: str) -> dict[Any, Any]:
    """The process-wide memo `name` (values must pickle; keys: strings or tuples of them)."""
    return MEMOS.setdefault(name, {})
