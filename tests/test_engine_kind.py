"""A draft that opens with another account's @handle is a reply (staff paste replies without
--reply): the reply-only tone rules run and the report says why."""

from __future__ import annotations

from fujisns_guard import Guard
from fujisns_guard.policy import policy_from_data

GUARD = Guard()


def test_a_leading_handle_makes_the_draft_a_reply() -> None:
    report = GUARD.check("@fuji_citizen そちらの確認不足です。")
    assert report.kind == "reply"
    assert any(f.rule_id == "tone.blame" for f in report.findings)
    assert any("@fuji_citizen" in n and "返信" in n for n in report.notes)


def test_front_matter_or_option_beats_the_guess() -> None:
    text = '---\nkind = "post"\n---\n@fuji_citizen そちらの確認不足です。'
    assert GUARD.check(text).kind == "post"
    assert GUARD.check("@fuji_citizen そちらの確認不足です。", kind="post").kind == "post"


def test_a_handle_inside_the_text_or_the_accounts_own_is_not_a_reply() -> None:
    assert GUARD.check("本日の富士まつりの様子を @fuji_city で発信しています。").kind == "post"
    own = Guard(policy_from_data({"registration": {"x": {"account_id": "@fuji_city"}}}, file="t.toml"))
    assert own.check("@fuji_city 公式アカウントからのお知らせです。").kind == "post"
    assert GUARD.check("@fuji_city 公式アカウントからのお知らせです。").kind == "reply"
