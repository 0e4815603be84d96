"""Time against draft size: one draft of 0.1, 1 and 10 MB (realistic posts joined by newlines).

    python benchmarks/bench_scaling.py [--sizes 0.1 1 10] [--tracemalloc] [--json]

Each (size, side) runs in its own child process so that its peak RSS is its own. The full side
is `Guard().check(text)` after a warm-up on a small post; the bare side tokenizes the same text
with Sudachi in ≤ 40 KB chunks cut at newlines (Sudachi refuses more than 49,149 bytes per call)
and reads every morpheme's fields. Median of 5 runs below 1 MB, of 3 below 10 MB, else 1 run.
Linear time means seconds per MB stays roughly constant.
MB here is 10^6 bytes of UTF-8.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from _common import add_data_args, add_output_args, check_options, emit, env_info, make_guard, peak_rss_mb
from corpus import generate

CHUNK_BYTES = 40_000


def build_text(size_mb: float, seed: int) -> str:
    want = int(size_mb * 1_000_000)
    parts: list[str] = []
    total = 0
    for post in generate(10**9, seed):
        parts.append(post.text)
        total += len(post.text.encode("utf-8")) + 1
        if total >= want:
            break
    return "\n".join(parts)


def chunks(text: str, limit: int = CHUNK_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut after a newline (posts are far shorter than that)."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        n = len(line.encode("utf-8"))
        if current and size + n > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(line)
        size += n
    if current:
        out.append("".join(current))
    return out


def bare_tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    tok = Dictionary(dict="core").tokenizer(SplitMode.C)
    list(tok.tokenize("今日は良い天気です"))
    return tok


def bare(tok: Any, text: str) -> int:
    n = 0
    for piece in chunks(text):
        for m in tok.tokenize(piece):
            m.surface(), m.dictionary_form(), m.normalized_form(), m.reading_form(), m.part_of_speech()
            m.begin(), m.end()
            n += 1
    return n


ENGINE_STAGES = ("line_starts", "split_chunks", "normalize", "tokenize", "_findings", "apply_allows")


def time_stages(guard: Any) -> dict[str, float]:
    """Wrap the engine's stage functions and each rule with timers; returns the live totals.

    Reads the package's internals (module functions of `fujisns_guard.engine`, `Guard._checks`)
    without changing its files; a stage the engine no longer has is simply not reported.
    """
    import fujisns_guard.engine as engine

    spent: dict[str, float] = {}

    def wrap(name: str, fn: Any) -> Any:
        def timed(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        return timed

    for name in ENGINE_STAGES:
        if callable(getattr(engine, name, None)):
            setattr(engine, name, wrap(name, getattr(engine, name)))
    checks = getattr(guard, "_checks", None)
    if isinstance(checks, list):
        guard._checks = [(rule, wrap("rules", fn)) for rule, fn in checks]
        getattr(guard, "_selected", {}).clear()  # the Guard memoises the checks it selects per kind
    return spent


def repeats_for(size_mb: float) -> int:
    """Small drafts are timed several times (median) so that one noisy run does not decide."""
    return 5 if size_mb < 1 else 3 if size_mb < 10 else 1


def child(args: argparse.Namespace) -> dict[str, Any]:
    text = build_text(args.child_size, args.seed)
    out: dict[str, Any] = {"size_mb": args.child_size, "side": args.child_side}
    out["bytes"] = len(text.encode("utf-8"))
    out["chars"] = len(text)
    if args.child_side == "bare":
        tok = bare_tokenizer()

        def run() -> None:
            out["morphemes"] = bare(tok, text)
    else:
        guard = make_guard(args)
        spent = time_stages(guard) if args.stages else {}
        guard.check("市民文化会館でコンサートを開催します。", **check_options())
        spent.clear()

        def run() -> None:
            report = guard.check(text, **check_options())
            out["findings"] = len(report.findings)
            out["route"] = report.decision.route

    out["rss_before_mb"] = peak_rss_mb()
    runs: list[float] = []
    for _ in range(repeats_for(args.child_size)):
        t0 = time.perf_counter()
        run()
        runs.append(time.perf_counter() - t0)
    out["runs_s"] = runs
    if args.child_side == "full" and args.stages:
        out["stages_s"] = {k: v / len(runs) for k, v in spent.items()}
    out["seconds"] = statistics.median(runs)
    out["peak_rss_mb"] = peak_rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
        run()
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    out["seconds_per_mb"] = out["seconds"] / (out["bytes"] / 1e6)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="check time and memory against draft size")
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0, 10.0], help="sizes in MB")
    ap.add_argument("--tracemalloc", action="store_true", help="also a traced run: Python-heap peak (slower)")
    ap.add_argument("--stages", action="store_true", help="time the engine's stages and the rules (full side)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed per child")
    add_output_args(ap)
    ap.add_argument("--child-size", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--child-side", choices=["bare", "full"], help=argparse.SUPPRESS)
    add_data_args(ap)
    args = ap.parse_args(argv)
    if args.child_size is not None:
        json.dump(child(args), sys.stdout)
        return 0

    passthrough = ["--seed", str(args.seed)] + (["--tracemalloc"] if args.tracemalloc else [])
    passthrough += ["--stages"] if args.stages else []
    for flag in ("rules", "wordlists"):
        if getattr(args, flag) is not None:
            passthrough += [f"--{flag}", str(getattr(args, flag))]
    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        for side in ("bare", "full"):
            cmd = [sys.executable, str(Path(__file__)), "--child-size", str(size), "--child-side", side, *passthrough]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, check=False)
            if proc.returncode != 0:
                sys.exit(f"{side} {size} MB failed ({proc.returncode}): {proc.stderr.strip()[-1500:]}")
            rows.append(json.loads(proc.stdout))
            if not args.json:
                r = rows[-1]
                print(f"  {side:4s} {size:5g} MB: {r['seconds']:8.2f} s  peak RSS {r['peak_rss_mb']:.0f} MB", file=sys.stderr)

    full = [r for r in rows if r["side"] == "full"]
    spread = max(r["seconds_per_mb"] for r in full) / min(r["seconds_per_mb"] for r in full)
    result = {"env": env_info(), "rows": rows, "full_s_per_mb_max_over_min": spread}
    emit(result, args, print_text)
    return 0


def print_text(result: dict[str, Any]) -> None:
    rows, spread = result["rows"], result["full_s_per_mb_max_over_min"]
    e = result["env"]
    print(f"# {e['date']}  {e['cpu']} ({e['cores']} cores)  load {e['loadavg_1_5_15']}  Python {e['python']}")
    print("size MB   side   bytes        seconds   s/MB    ratio  peak RSS MB  RSS before  tracemalloc MB")
    bare_s = {r["size_mb"]: r["seconds"] for r in rows if r["side"] == "bare"}
    for r in rows:
        ratio = r["seconds"] / bare_s[r["size_mb"]]
        tm = f"{r['tracemalloc_peak_mb']:.0f}" if "tracemalloc_peak_mb" in r else "-"
        print(
            f"{r['size_mb']:7g}   {r['side']:5s}  {r['bytes']:>10,}  {r['seconds']:8.2f}  {r['seconds_per_mb']:6.2f}"
            f"  {ratio:5.2f}  {r['peak_rss_mb']:11.0f}  {r['rss_before_mb']:10.0f}  {tm:>14s}"
        )
    for r in rows:
        if "stages_s" in r:
            stages = "  ".join(f"{k} {v:.2f}" for k, v in sorted(r["stages_s"].items(), key=lambda kv: -kv[1]))
            print(f"stages at {r['size_mb']:g} MB (s): {stages}")
    verdict = "linear" if spread <= 1.5 else "NOT linear"
    print(f"full check s/MB max/min over sizes: {spread:.2f} ({verdict}; ≤ 1.5 counted as roughly constant)")


if __name__ == "__main__":
    raise SystemExit(main())
