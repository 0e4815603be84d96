"""Helpers shared by the benchmark scripts: the machine description, posts, the Guard."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import statistics
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus import BASE_DATE, Post, generate


def env_info() -> dict[str, Any]:
    """Date, CPU, core count and the versions that matter for the figures."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    import os

    versions = {}
    for dist in ("fujisns-guard", "sudachipy", "sudachidict-core", "ahocorasick-rs", "regex", "pydantic"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
    }


def add_data_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--corpus", type=Path, help="posts.jsonl from corpus.py (default: generate in memory)")
    ap.add_argument("--seed", type=int, default=20241101)
    ap.add_argument("--rules", type=Path, help="rules folder (default: the package's)")
    ap.add_argument("--wordlists", type=Path, help="word-list folder (default: the package's)")


def load_posts(args: argparse.Namespace, count: int) -> list[Post]:
    if args.corpus is None:
        return list(generate(count, args.seed))
    posts = [Post(**json.loads(line)) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line]
    if len(posts) < count:
        sys.exit(f"{args.corpus}: {len(posts)} posts, {count} wanted")
    return posts[:count]


def make_guard(args: argparse.Namespace) -> Any:
    from fujisns_guard import Guard

    return Guard(rules_dir=args.rules, wordlists_dir=args.wordlists)


def check_options() -> dict[str, Any]:
    return {"date": BASE_DATE}


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_output_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ap.add_argument("--save", type=Path, metavar="FILE", help="also write the JSON result to FILE")


def emit(result: dict[str, Any], args: argparse.Namespace, text: Callable[[dict[str, Any]], None]) -> None:
    """Print the result as text (or JSON with --json); with --save also write it as JSON."""
    dumped = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if args.save is not None:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(dumped, encoding="utf-8")
    if args.json:
        sys.stdout.write(dumped)
    else:
        text(result)


def median(xs: list[float]) -> float:
    return statistics.median(xs)
