"""G-OPEN-3: the profile shows section, content, purpose and reply policy."""

from __future__ import annotations

import pytest

from fujisns_guard.profile import check_profile

GOOD = (
    "富士市シティプロモーション課が運営する公式アカウントです。"
    "市の魅力を伝えるため、イベントや観光の情報を発信します。"
    "個別の返信は行いません。"
)


def test_complete_profile() -> None:
    assert check_profile(GOOD) == []


def test_full_width_and_line_breaks() -> None:
    text = "運営：富士市 広報担当\nお知らせを配信\n目的：市政の周知\nコメントへの回答はいたしません"
    assert check_profile(text) == []


def test_empty_profile_lacks_everything() -> None:
    problems = check_profile("富士市の公式アカウントです。よろしくお願いします！")
    assert [p.item for p in problems] == ["所属", "発信内容", "目的", "返信の方針"]
    assert all(p.clause == "G-OPEN-3" and p.message for p in problems)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        (GOOD.replace("富士市シティプロモーション課が運営する", "富士市の"), "所属"),
        (GOOD.replace("イベントや観光の情報を発信します", "がんばります"), "発信内容"),
        (GOOD.replace("市の魅力を伝えるため、", ""), "目的"),
        (GOOD.replace("個別の返信は行いません。", ""), "返信の方針"),
        (GOOD.replace("個別の返信は行いません。", "コメント大歓迎！"), "返信の方針"),  # a word, not a policy
    ],
)
def test_each_missing_item_is_named(text: str, missing: str) -> None:
    assert [p.item for p in check_profile(text)] == [missing]


def test_reply_policy_in_other_words() -> None:
    sentences = (
        "リプライにはお答えできません。",
        "DMでのお問い合わせには応じておりません。",
        "コメントには原則として返信します。",
    )
    for sentence in sentences:
        assert check_profile(GOOD.replace("個別の返信は行いません。", sentence)) == [], sentence
