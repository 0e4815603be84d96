"""`Guard.check_many` runs every rule over a batch of drafts before the next rule (rule-major,
for the processor's caches): its reports must be exactly those of `check`, one draft at a time,
whatever the mix of drafts, options and batch size."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.frontmatter import FrontMatterError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402  (the benchmark's deterministic drafts)

DAY = dt.date(2026, 11, 20)

DRAFTS: list[tuple[str, dict[str, Any]]] = [
    ("看護婦さんを募集します。", {}),
    ("11月23日(火)に開催します。", {}),
    ("@fuji_citizen そちらの確認不足です。", {}),  # a reply, guessed from the handle
    ("ご意見ありがとうございます。担当課で確認します。", {"kind": "reply"}),
    ('---\nkind = "post"\nplatform = ["x"]\n---\n本日の富士まつりは予定どおり開催します。', {}),
    ("パスワード：Fuji2026! を共有します。", {"path": "secret.txt"}),
    ("詳しくは https://www.city.fuji.shizuoka.jp.example.com/ をご覧ください。", {}),
    ("", {}),
    ("山田太郎さん（35）の電話は090-1234-5678です。", {"only": ["personal_info.phone"]}),
    ("市民文化会館で秋のジャズコンサートを開催します。\n" * 3000, {"path": "long.txt"}),  # several pieces
]


def _dump(report: Any) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard()


@pytest.mark.parametrize("batch", [1, 3, 64])
def test_check_many_gives_the_reports_of_check(guard: Guard, batch: int) -> None:
    one_by_one = [_dump(guard.check(text, date=DAY, **opts)) for text, opts in DRAFTS]
    many = [_dump(r) for r in guard.check_many(((t, o) for t, o in DRAFTS), batch=batch, date=DAY)]
    assert many == one_by_one
    assert any('"route": "revise"' in r for r in many) and any('"route": "section_chief"' in r for r in many)


def test_the_corpus_in_batches_equals_one_by_one(guard: Guard) -> None:
    """300 of the benchmark's realistic posts and replies (benchmarks/corpus.py, its seed)."""
    posts = list(generate(300))
    items = [(p.text, {"kind": "reply" if p.topic == "reply" else "post"}) for p in posts]
    one_by_one = [_dump(guard.check(t, date=DAY, **o)) for t, o in items]
    assert [_dump(r) for r in guard.check_many(items, date=DAY)] == one_by_one


def test_shared_options_apply_and_items_override_them(guard: Guard) -> None:
    reports = list(guard.check_many(["確認します。", ("確認します。", {"kind": "post"})], kind="reply", date=DAY))
    assert [r.kind for r in reports] == ["reply", "post"]
    assert all(r.date == "2026-11-20" for r in reports)


def test_a_bad_draft_raises_after_the_reports_before_it(guard: Guard) -> None:
    items = ["看護婦さんを募集します。", "---\nkind = 3\n---\n本文", "清掃活動を行います。"]
    got = []
    with pytest.raises(FrontMatterError):
        for report in guard.check_many(items, date=DAY):
            got.append(report)
    assert len(got) == 1 and got[0].findings[0].excerpt == "看護婦"


def test_an_unknown_option_is_refused(guard: Guard) -> None:
    with pytest.raises(TypeError, match="colour"):
        list(guard.check_many(["本文"], colour="red"))


def test_a_rule_that_fails_on_one_draft_of_a_batch_fails_only_there() -> None:
    g = Guard()
    rule, run = g._checks[0]

    def flaky(a: Any) -> Any:
        if "壊れる" in a.light:
            raise RuntimeError("boom")
        return run(a)

    g._checks[0] = (rule, flaky)
    reports = list(g.check_many(["壊れる下書きです。", "看護婦さんを募集します。"], date=DAY))
    assert [f.rule_id for f in reports[0].findings] == [rule.id] and reports[0].findings[0].severity == "warning"
    assert reports[1].findings and all(f.severity != "warning" or f.rule_id != rule.id for f in reports[1].findings)


_PIECES = [
    "看護婦", "ｷﾁｶﾞｲ", "キ\u200bチガイ", "11月23日(火)", "2026年12月23日(水・祝)", "090-1234-5678", "0545-55-2700",
    "パスワード：Fuji2026!", "https://www.city.fuji.shizuoka.jp.example.com/", "bit.ly/x", "@fuji_citizen ",
    "「片手落ち」という表現は", "山田太郎さん（35）", "避難勧告", "警戒レベル4", "〒417-8601", "です。", "\n", " ", "　",
    "開催します", "ご意見ありがとうございます", "ぶっ殺した", "内部資料", "#富士市", "😀",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), min_size=1, max_size=6))
def test_any_drafts_give_the_same_reports_in_a_batch(guard: Guard, texts: list[str]) -> None:
    """Whatever the drafts, checking them together is checking them one by one."""
    texts = [t for t in texts if not t.startswith("---")]
    one_by_one = [_dump(guard.check(t, date=DAY)) for t in texts]
    assert [_dump(r) for r in guard.check_many(texts, batch=4, date=DAY)] == one_by_one
