"""Batch runs: `guard check DIR --jobs 1` against `--jobs 2` on 10,000 synthetic drafts.

    python benchmarks/bench_batch.py [--posts 10000] [--jobs 1 2] [--rounds 1] [--json] [--save FILE]

The drafts come from corpus.py (fixed seed), one file each, in 100 folders. Each command runs as a
subprocess (the real `guard` console script, cold start included) with `--format json`, the sides
alternating when `--rounds` > 1; wall time, user+system CPU of the children, and peak RSS of the
largest child are reported, and the outputs of every side are checked to be identical byte for
byte (stdout and exit code). A second run on a loaded 2-core machine says little about a quiet one:
the load average at the start and end is printed with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import add_output_args, emit, env_info
from bench_cold_start import guard_executable
from corpus import BASE_DATE, generate


def write_corpus(root: Path, posts: int, seed: int) -> int:
    total = 0
    for post in generate(posts, seed):
        folder = root / f"{post.id % 100:02d}"
        folder.mkdir(exist_ok=True)
        data = post.text.encode("utf-8")
        (folder / f"{post.id:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def run_side(guard: str, root: Path, jobs: int) -> dict[str, Any]:
    cmd = [guard, "check", str(root), "--format", "json", "--date", BASE_DATE.isoformat(), "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"guard exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-800:]}")
    return {
        "jobs": jobs,
        "wall_s": round(wall, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_child_rss_mb": round(after.ru_maxrss / 1024, 1),
        "exit": proc.returncode,
        "stdout_sha256": hashlib.sha256(proc.stdout).hexdigest()[:16],
        "stdout_bytes": len(proc.stdout),
        "summary": [line for line in proc.stderr.decode().splitlines() if line.startswith("guard: ")],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20241101)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=1)
    add_output_args(ap)
    args = ap.parse_args()
    guard = guard_executable()
    with tempfile.TemporaryDirectory(prefix="guard-batch-") as tmp:
        root = Path(tmp)
        size = write_corpus(root, args.posts, args.seed)
        load_start = [round(x, 2) for x in os.getloadavg()]
        runs: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            runs.extend(run_side(guard, root, jobs) for jobs in args.jobs)
        load_end = [round(x, 2) for x in os.getloadavg()]
    digests = {r["stdout_sha256"] for r in runs}
    best = {j: min(r["wall_s"] for r in runs if r["jobs"] == j) for j in args.jobs}
    result = {
        "env": env_info(),
        "posts": args.posts,
        "corpus_mb": round(size / 1e6, 2),
        "load_start": load_start,
        "load_end": load_end,
        "runs": runs,
        "identical_output": len(digests) == 1,
        "best_wall_s": best,
        "files_per_s": {j: round(args.posts / t, 1) for j, t in best.items()},
        "speedup": {j: round(best[args.jobs[0]] / t, 2) for j, t in best.items()},
    }

    def text(r: dict[str, Any]) -> None:
        e = r["env"]
        print(f"{r['posts']} drafts ({r['corpus_mb']} MB), {e['cores']} cores, load {r['load_start']} → {r['load_end']}")
        for run in r["runs"]:
            print(
                f"  --jobs {run['jobs']}: {run['wall_s']:7.2f} s wall, {run['cpu_s']:7.2f} s CPU, "
                f"peak child RSS {run['peak_child_rss_mb']} MB, stdout {run['stdout_bytes']} B sha {run['stdout_sha256']}"
            )
        for j in r["best_wall_s"]:
            print(f"  best --jobs {j}: {r['files_per_s'][j]} drafts/s, speed-up ×{r['speedup'][j]}")
        print(f"  identical output across runs: {r['identical_output']}")
        if r["runs"]:
            print("  " + "\n  ".join(r["runs"][-1]["summary"]))

    emit(result, args, text)


if __name__ == "__main__":
    main()
