"""Cold start: `guard check` on one small clean draft against a bare Sudachi start, as subprocesses.

    python benchmarks/bench_cold_start.py --runs 10 [--json]

The two commands run alternately N times each; the median wall times and their ratio (target ≤ 3)
are printed, and the median CPU time (user + system) of each, which a loaded machine disturbs
less than the wall time. `guard check` exits 1 when the draft must be revised, so 0 and 1 are both
accepted (the draft is clean and should give 0). Informational commands split guard's start: the
interpreter alone, `import fujisns_guard; Guard()` (rule loading, word-list automata), and
`guard check` without the rule cache (`FUJISNS_GUARD_CACHE=off`: the very first start after an
install or a change of the rules).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import add_output_args, emit, env_info

DRAFT = (
    "【お知らせ】市民文化会館では、秋のジャズコンサートを開催します。入場は無料です。\n"
    "詳しくは市ホームページをご覧ください。\n"
    "https://www.city.example.lg.jp/event/c123/1234567.html\n"
)
# Informational: a busier draft (a date with its weekday, a phone number, a link) reaches more of
# the detectors' lazily compiled patterns than DRAFT; and the example policy (guard.toml).
DATED_DRAFT = (
    "【お知らせ】11月23日(月)に市民文化会館で秋のジャズコンサートを開催します。入場は無料です。\n"
    "問い合わせ：文化振興課 0545-55-2874\n"
    "https://www.city.example.lg.jp/event/c123/1234567.html\n"
)
BARE = (
    "from sudachipy import Dictionary, SplitMode; t=Dictionary(dict='core').tokenizer(SplitMode.C); "
    "list(t.tokenize('今日は良い天気です'))"
)


def guard_executable() -> str:
    """The console script next to this interpreter (not a pyenv shim, which adds its own start)."""
    beside = Path(sys.executable).parent / "guard"
    found = str(beside) if beside.exists() else shutil.which("guard")
    if not found:
        sys.exit("guard: command not found (pip install -e .)")
    return found


def child_env(pycache: Path | None) -> dict[str, str]:
    """The environment of every command: with `pycache`, bytecode is cached there (as after a pip install)."""
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str], ok: tuple[int, ...], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run."""
    c0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False, env=env)
    dt, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if proc.returncode not in ok:
        sys.exit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.decode(errors='replace').strip()[:500]}")
    return dt, cpu


PROFILE = """
import cProfile, pstats, sys
prof = cProfile.Profile()
prof.enable()
from fujisns_guard import Guard
Guard()
prof.disable()
stats = pstats.Stats(prof, stream=sys.stdout)
stats.sort_stats("cumulative").print_stats("fujisns_guard/(?!__init__)", {top})
stats.sort_stats("tottime").print_stats({top})
"""


def profile_start(top: int, env: dict[str, str]) -> str:
    """cProfile of `import fujisns_guard; Guard()` and the slowest imports (-X importtime), in a child."""
    py = sys.executable
    prof = subprocess.run([py, "-c", PROFILE.format(top=top)], capture_output=True, text=True, check=True, env=env).stdout
    prof = "\n".join(line.replace(str(Path(sys.prefix)), "<prefix>") for line in prof.splitlines() if line.strip())
    imports = subprocess.run(
        [py, "-X", "importtime", "-c", "import fujisns_guard.cli"], capture_output=True, text=True, check=True, env=env
    ).stderr
    rows = []
    for line in imports.splitlines()[1:]:
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    slowest = "\n".join(f"{us / 1e3:8.1f} ms cumulative  {name}" for us, name in rows[:top])
    return f"{prof}\nslowest imports of fujisns_guard.cli (-X importtime):\n{slowest}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="cold start of guard check vs bare Sudachi")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument(
        "--pycache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "fujisns_guard-bench-pycache",
        help="bytecode cache for every command (PYTHONPYCACHEPREFIX), filled by the warm-up run",
    )
    ap.add_argument(
        "--no-pycache",
        action="store_true",
        help="keep the environment as it is (no bytecode cache if PYTHONDONTWRITEBYTECODE is set)",
    )
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also profile import + Guard(): top N")
    add_output_args(ap)
    args = ap.parse_args(argv)

    env = child_env(None if args.no_pycache else args.pycache)
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.txt"
        draft.write_text(DRAFT, encoding="utf-8")
        dated = Path(tmp) / "dated.txt"
        dated.write_text(DATED_DRAFT, encoding="utf-8")
        policy = Path(__file__).resolve().parent.parent / "examples" / "policy" / "guard.toml"
        py = sys.executable
        commands: dict[str, tuple[list[str], tuple[int, ...]]] = {
            "guard check": ([guard_executable(), "check", str(draft)], (0, 1)),
            "bare sudachi": ([py, "-c", BARE], (0,)),
            "python -c pass": ([py, "-c", "pass"], (0,)),
            "import + Guard()": ([py, "-c", "from fujisns_guard import Guard; Guard()"], (0,)),
            "guard, no cache": (["env", "FUJISNS_GUARD_CACHE=off", guard_executable(), "check", str(draft)], (0, 1)),
            "guard, dated draft": ([guard_executable(), "check", "--date", "2026-11-20", str(dated)], (0, 1)),
        }
        if policy.is_file():
            commands["guard --policy"] = ([guard_executable(), "check", "--policy", str(policy), str(draft)], (0, 1))
        exit_code = subprocess.run(commands["guard check"][0], capture_output=True, check=False, env=env).returncode
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for cmd, ok in commands.values():  # warm the page cache (and the rule cache) once
            run(cmd, ok, env)
        for i in range(args.runs):
            order = list(commands) if i % 2 == 0 else list(commands)[::-1]
            for name in order:
                cmd, ok = commands[name]
                wall, cpu = run(cmd, ok, env)
                times[name].append(wall)
                cpus[name].append(cpu)

    med = {name: statistics.median(ts) for name, ts in times.items()}
    med_cpu = {name: statistics.median(ts) for name, ts in cpus.items()}
    ratio = med["guard check"] / med["bare sudachi"]
    result = {
        "env": env_info(),
        "runs": args.runs,
        "bytecode_cache": "off (environment as is)" if args.no_pycache else f"PYTHONPYCACHEPREFIX={args.pycache}",
        "PYTHONDONTWRITEBYTECODE": env.get("PYTHONDONTWRITEBYTECODE", ""),
        "guard_exit_code": exit_code,
        "commands": {name: " ".join(cmd) for name, (cmd, _) in commands.items()},
        "median_s": med,
        "all_s": times,
        "median_cpu_s": med_cpu,
        "ratio_guard_over_bare": ratio,
        "cpu_ratio_guard_over_bare": med_cpu["guard check"] / med_cpu["bare sudachi"],
        "target_ratio": 3.0,
    }
    if args.profile:
        result["profile"] = profile_start(args.profile, env)
    emit(result, args, print_text)
    return 0


def print_text(result: dict[str, Any]) -> None:
    med, times, ratio = result["median_s"], result["all_s"], result["ratio_guard_over_bare"]
    e = result["env"]
    print(f"# {e['date']}  {e['cpu']} ({e['cores']} cores)  Python {e['python']}  load {e['loadavg_1_5_15']}")
    print(f"runs {result['runs']}  bytecode cache: {result['bytecode_cache']}")
    for name, s in med.items():
        lo, hi = min(times[name]), max(times[name])
        cpu = result.get("median_cpu_s", {}).get(name, float("nan"))
        print(f"{name:18s} median {s:6.3f} s  (min {lo:.3f}, max {hi:.3f})  cpu {cpu:6.3f} s   {result['commands'][name][:80]}")
    ok = "met" if ratio <= 3.0 else "MISSED"
    print(f"guard check exit code {result['guard_exit_code']}; ratio guard/bare {ratio:.2f} (target ≤ 3: {ok})")
    if "cpu_ratio_guard_over_bare" in result:
        print(f"CPU-time ratio guard/bare {result['cpu_ratio_guard_over_bare']:.2f}")
    if "profile" in result:
        print(result["profile"])


if __name__ == "__main__":
    raise SystemExit(main())
