"""Warm per-draft cost: the full check against bare Sudachi on the same posts, in one process.

    python benchmarks/bench_check.py --posts 1000 --rounds 5 [--json] [--profile 20]

Both sides are built once and warmed up, then run in alternating rounds (the side that goes first
alternates too); the median round of each side gives drafts/s, and the ratio full/bare is the
figure with a target (≤ 1.5). "Bare" tokenizes each post with SplitMode.C and reads the surface,
dictionary form, normalized form, reading, POS and offsets of every morpheme: the least any
checker built on Sudachi must do. The breakdown times the pipeline's stages and each rule alone
(`check(only=[id])` minus `check(only=[])`), without touching the package.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from _common import add_data_args, add_output_args, check_options, emit, env_info, load_posts, make_guard, median, peak_rss_mb


def bare_pass(tok: Any, texts: list[str]) -> int:
    n = 0
    for text in texts:
        for m in tok.tokenize(text):
            m.surface(), m.dictionary_form(), m.normalized_form(), m.reading_form(), m.part_of_speech()
            m.begin(), m.end()
            n += 1
    return n


def full_pass(guard: Any, texts: list[str], kinds: list[str], only: list[str] | None = None) -> int:
    opts = check_options()
    revise = 0
    for text, kind in zip(texts, kinds, strict=True):
        report = guard.check(text, kind=kind, only=only, **opts)
        revise += report.decision.route == "revise"
    return revise


def many_pass(guard: Any, texts: list[str], kinds: list[str]) -> int:
    """The same drafts through `Guard.check_many` (rule-major batches): the API for many drafts."""
    opts = check_options()
    items = [(text, {"kind": kind}) for text, kind in zip(texts, kinds, strict=True)]
    return sum(report.decision.route == "revise" for report in guard.check_many(items, **opts))


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def stage_breakdown(texts: list[str], rounds: int) -> dict[str, float]:
    """Best-of-`rounds` seconds per pass of the package's normalize and tokenize (internal, if present)."""
    try:
        from fujisns_guard.normalize import normalize
        from fujisns_guard.tokenize import tokenize
    except ImportError:
        return {}
    lights = [normalize(t).light.text for t in texts]
    out = {
        "normalize": min(timed(lambda: [normalize(t) for t in texts]) for _ in range(rounds)),
        "tokenize (the package's)": min(timed(lambda: [tokenize(t) for t in lights]) for _ in range(rounds)),
    }
    return out


def rule_costs(guard: Any, texts: list[str], kinds: list[str], rounds: int) -> tuple[str, float, dict[str, float]]:
    """(method, seconds of a pass with no rule, {rule id: seconds it adds to a pass}).

    When the Guard keeps its compiled checks as (rule, function) pairs (`_checks`), each function is
    wrapped with a timer for the measuring rounds only: exact attribution, no subtraction noise. Work
    a rule caches for later ones (lazy token strings) is charged to the first rule that asks.
    Otherwise: best of `rounds` of check(only=[id]) minus best of check(only=[]).
    """
    empty = min(timed(lambda: full_pass(guard, texts, kinds, only=[])) for _ in range(rounds))
    checks = getattr(guard, "_checks", None)
    if isinstance(checks, list) and all(isinstance(c, tuple) and len(c) == 2 for c in checks):
        spent: dict[str, list[float]] = {rule.id: [] for rule, _ in checks}
        acc: dict[str, float] = {}

        def wrap(rid: str, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
            def timed_check(analysis: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return fn(analysis)
                finally:
                    acc[rid] = acc.get(rid, 0.0) + time.perf_counter() - t0

            return timed_check

        guard._checks = [(rule, wrap(rule.id, fn)) for rule, fn in checks]
        getattr(guard, "_selected", {}).clear()  # the Guard memoises the checks it selects per kind
        try:
            for _ in range(rounds):
                acc.clear()
                full_pass(guard, texts, kinds)
                for rid in spent:
                    spent[rid].append(acc.get(rid, 0.0))
        finally:
            guard._checks = checks
            getattr(guard, "_selected", {}).clear()
        return "timed inside a full check", empty, {rid: median(ts) for rid, ts in spent.items()}
    costs: dict[str, float] = {}
    for rule in guard.ruleset.rules:
        one_rule = partial(full_pass, guard, texts, kinds, only=[rule.id])
        costs[rule.id] = min(timed(one_rule) for _ in range(rounds)) - empty
    return "check(only=[id]) - check(only=[])", empty, costs


def profile(guard: Any, texts: list[str], kinds: list[str], top: int) -> str:
    prof = cProfile.Profile()
    prof.enable()
    full_pass(guard, texts, kinds)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="full check vs bare Sudachi, drafts/s and ratio")
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rule-rounds", type=int, default=3, help="rounds of the per-rule breakdown (0: skip)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also print cProfile's top N functions")
    add_output_args(ap)
    add_data_args(ap)
    args = ap.parse_args(argv)

    posts = load_posts(args, args.posts)
    texts = [p.text for p in posts]
    kinds = ["reply" if p.topic == "reply" else "post" for p in posts]
    chars = sum(map(len, texts))

    from sudachipy import Dictionary, SplitMode

    t0 = time.perf_counter()
    tok = Dictionary(dict="core").tokenizer(SplitMode.C)
    bare_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    guard = make_guard(args)
    guard_build = time.perf_counter() - t0

    morphemes = bare_pass(tok, texts)  # warm-up, both sides
    revise = full_pass(guard, texts, kinds)
    if many_pass(guard, texts, kinds) != revise:
        raise SystemExit("check_many and check disagree on the drafts to revise")

    times: dict[str, list[float]] = {"bare": [], "full": [], "many": []}
    for r in range(args.rounds):
        sides = [
            ("bare", lambda: bare_pass(tok, texts)),
            ("full", lambda: full_pass(guard, texts, kinds)),
            ("many", lambda: many_pass(guard, texts, kinds)),
        ]
        for name, fn in sides if r % 2 == 0 else sides[::-1]:
            times[name].append(timed(fn))
    bare_t, full_t, many_t = times["bare"], times["full"], times["many"]
    bare_s, full_s, many_s = median(bare_t), median(full_t), median(many_t)

    result: dict[str, Any] = {
        "env": env_info(),
        "posts": len(texts),
        "chars": chars,
        "morphemes": morphemes,
        "drafts_to_revise": revise,
        "rules": len(guard.ruleset.rules),
        "ruleset": guard.version,
        "rounds": args.rounds,
        "bare_rounds_s": bare_t,
        "full_rounds_s": full_t,
        "bare_drafts_per_s": len(texts) / bare_s,
        "full_drafts_per_s": len(texts) / full_s,
        "ratio_full_over_bare": full_s / bare_s,
        "ratio_best_rounds": min(full_t) / min(bare_t),
        "many_rounds_s": many_t,
        "many_drafts_per_s": len(texts) / many_s,
        "ratio_many_over_bare": many_s / bare_s,
        "ratio_many_best_rounds": min(many_t) / min(bare_t),
        "target_ratio": 1.5,
        "build_s": {"bare tokenizer": bare_build, "Guard()": guard_build},
        "stages_s": stage_breakdown(texts, args.rule_rounds or 1),
    }
    if args.rule_rounds:
        method, base, costs = rule_costs(guard, texts, kinds, args.rule_rounds)
        result["pipeline_without_rules_s"] = base
        result["rule_cost_method"] = method
        result["rule_cost_s"] = dict(sorted(costs.items(), key=lambda kv: -kv[1]))
    result["peak_rss_mb"] = peak_rss_mb()
    if args.profile:
        result["profile"] = profile(guard, texts, kinds, args.profile)

    emit(result, args, print_text)
    return 0


def print_text(r: dict[str, Any]) -> None:
    e = r["env"]
    print(f"# {e['date']}  {e['cpu']} ({e['cores']} cores)  load {e['loadavg_1_5_15']}  Python {e['python']}  {e['versions']}")
    print(f"posts {r['posts']}  chars {r['chars']}  morphemes {r['morphemes']}  to revise {r['drafts_to_revise']}")
    print(f"rules {r['rules']}  ruleset {r['ruleset']}  rounds {r['rounds']}")
    n = r["posts"]
    print(f"bare Sudachi : {r['bare_drafts_per_s']:8.1f} drafts/s  ({1e3 / r['bare_drafts_per_s']:.3f} ms/draft)")
    for key, how in (("full", "check(), one draft at a time"), ("many", "check_many(), batches of 256")):
        per_s = r[f"{key}_drafts_per_s"]
        print(f"full check   : {per_s:8.1f} drafts/s  ({1e3 / per_s:.3f} ms/draft)  {how}")
    ratios = (
        ("check", "ratio_full_over_bare", "ratio_best_rounds"),
        ("check_many", "ratio_many_over_bare", "ratio_many_best_rounds"),
    )
    for label, key, best in ratios:
        ok = "met" if r[key] <= r["target_ratio"] else "MISSED"
        print(f"ratio full/bare, {label:10s}: {r[key]:.2f}  (target ≤ {r['target_ratio']}: {ok})", end="")
        print(f"   best round each side: {r[best]:.2f}")
    print("build: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["build_s"].items()))
    bare_ms = 1e3 / r["bare_drafts_per_s"]

    def row(label: str, s: float, sign: str = "") -> None:
        ms = 1e3 * s / n
        print(f"  {label:52s} {ms:{sign}7.3f} ms/draft  ({ms / bare_ms:{sign}.2f}× bare)")

    for name, s in r["stages_s"].items():
        row(f"stage {name} (best round)", s)
    if "pipeline_without_rules_s" in r:
        row("check(only=[]): pipeline with no rule (best round)", r["pipeline_without_rules_s"])
        row(f"all rules ({r['rule_cost_method']})", sum(r["rule_cost_s"].values()))
        for rid, cost in r["rule_cost_s"].items():
            row(f"rule {rid}", cost, "+")
    print(f"peak RSS {r['peak_rss_mb']:.0f} MB")
    if "profile" in r:
        print(r["profile"])


if __name__ == "__main__":
    raise SystemExit(main())
