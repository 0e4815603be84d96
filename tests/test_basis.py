"""The basis of each sentence and the route (issue 7 points 2–3; G-POST-1..4).

Published/FAQ support needs the index: tests/test_autonomous.py covers it with examples/.
"""

from __future__ import annotations

import pytest

from fujisns_guard import Guard
from fujisns_guard.decide import decide
from fujisns_guard.policy import policy_from_data
from fujisns_guard.scope.basis import classify, law_ground, split_sentences
from fujisns_guard.tokenize import tokenize


def _guard(approved: list[str], min_checkers: int = 2) -> Guard:
    return Guard(policy_from_data({"scope": {"approved": approved, "min_checkers": min_checkers}}, file="t.toml"))


ALL = _guard(["published", "established_fact", "legal_procedure", "faq"])


def _roles(text: str) -> list[tuple[str, str | None]]:
    return [(s.role, s.basis) for s in ALL.check(text).decision.sentences]


def test_sentences_are_split_and_keep_their_tokens() -> None:
    light = "こんにちは！　本日は満車です。\n詳しくはこちら"
    tokens = tokenize(light)
    sentences = split_sentences(light, tokens)
    assert [s.text for s in sentences] == ["こんにちは！", "本日は満車です。", "詳しくはこちら"]
    for s in sentences:
        assert light[s.start : s.end] == s.text
        assert "".join(t.surface for t in s.tokens) == s.text


@pytest.mark.parametrize(
    "text",
    [
        "昨日の富士まつりには約3万人が来場しました。",
        "本日は満車です。",
        "雨天のため中止します。",
        "第50回富士まつりは予定通り開催します。",
        "中央公園の駐車場は現在混雑しています。",
        "市民プールは本日休館です。",
        "富士マラソン大会は無事に終了しました。",
        "市民講座は定員に達したため受付を終了しました。",
    ],
)
def test_event_and_facility_status_is_an_established_fact(text: str) -> None:
    assert _roles(text) == [("content", "established_fact")]
    assert ALL.check(text).decision.route == "autonomous"


@pytest.mark.parametrize(
    "text",
    [
        "本日、市内で交通事故が発生しました。",  # an accident
        "富士まつりの会場で火災があり、けが人が出ました。",  # an accident at an event
        "市長が辞任しました。",  # personnel
        "職員の不適切な事務処理により、イベントを中止しました。",  # misconduct
        "来年度から市民プールの有料化が決定しました。",  # a policy decision
        "新しい図書館を建設します。",  # a plan, not a status
    ],
)
def test_accidents_personnel_and_policy_are_not_established_facts(text: str) -> None:
    d = ALL.check(text).decision
    assert all(s.basis is None for s in d.sentences)
    assert d.route == "section_chief"
    assert any("行" in r and text[:8] in r for r in d.reasons)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("今回のイベントはとても良かったと思います。", "意見"),
        ("明日は大変な混雑となるでしょう。", "予測"),
        ("来年度から市民プールを無料にすることを検討しています。", "計画"),
        ("ご迷惑をおかけし、申し訳ありません。", "お詫び"),
        ("先ほどの投稿に誤りがありました。正しくは11月4日です。", "訂正"),
    ],
)
def test_opinions_forecasts_plans_apologies_and_corrections_never_have_a_basis(text: str, label: str) -> None:
    d = ALL.check(text).decision
    assert d.route == "section_chief"
    no_basis = [s for s in d.sentences if s.role == "no_basis"]
    assert no_basis and label in no_basis[0].note
    assert not d.obligations


def test_greetings_and_calls_to_action_ride_along() -> None:
    text = "こんにちは！\n昨日の富士まつりには約3万人が来場しました。\nありがとうございました。\n"
    text += "ぜひ来年もお越しください。\n#富士市"
    assert _roles(text) == [
        ("ride_along", None),
        ("content", "established_fact"),
        ("ride_along", None),
        ("ride_along", None),
        ("ride_along", None),
    ]
    assert ALL.check(text).decision.route == "autonomous"


def test_a_call_to_action_with_facts_is_content() -> None:
    # a date and a place: the sentence states facts and needs its own basis
    assert _roles("ぜひ11月3日は中央公園へお越しください。") == [("content", None)]


def test_greetings_alone_need_the_chief() -> None:
    d = ALL.check("おはようございます！").decision
    assert d.route == "section_chief"
    assert any("内容の文がありません" in r for r in d.reasons)


def test_legal_procedure_needs_a_procedure_and_its_legal_ground() -> None:
    text = "住民基本台帳法により、引っ越してから14日以内に転入届を提出してください。"
    assert _roles(text) == [("content", "legal_procedure")]
    d = ALL.check(text).decision
    assert d.basis == ["legal_procedure"] and "G-POST-2c" in d.clauses
    # the ground may be named in another sentence of the draft
    two = "転入の手続きは住民基本台帳法で定められています。\n引っ越してから14日以内に市民課へ届け出てください。"
    assert [b for _, b in _roles(two)] == ["legal_procedure", "legal_procedure"]
    # without a legal ground, a procedure is not 2c
    assert _roles("引っ越してから14日以内に市民課へ届け出てください。") == [("content", None)]


def test_law_ground_ignores_words_that_merely_end_in_ho() -> None:
    assert law_ground("申請の方法はこちら") == ""
    assert law_ground("違法な駐車はやめましょう") == ""
    assert law_ground("戸籍法第25条により") == "戸籍法第25条"
    assert law_ground("富士市廃棄物の減量及び適正処理に関する条例") != ""


def test_a_basis_the_policy_did_not_pre_approve_is_never_used() -> None:
    only_published = _guard(["published"])
    d = only_published.check("昨日の富士まつりには約3万人が来場しました。").decision
    assert d.route == "section_chief"
    assert d.sentences[0].basis is None
    assert "事前承認されていません" in d.sentences[0].note


def test_without_a_policy_scope_every_post_needs_the_chief() -> None:
    d = Guard().check("昨日の富士まつりには約3万人が来場しました。").decision
    assert d.route == "section_chief" and d.sentences == []
    assert any("scope.approved" in r for r in d.reasons)


def test_autonomous_carries_both_obligations_with_the_policys_checker_count() -> None:
    d = _guard(["established_fact"], min_checkers=3).check("本日は満車です。").decision
    assert d.route == "autonomous"
    assert d.basis == ["established_fact"]
    assert len(d.obligations) == 2
    assert "3 人以上" in d.obligations[0] and "G-POST-3" in d.obligations[0]
    assert "所属長へ報告" in d.obligations[1] and "G-POST-4" in d.obligations[1]
    assert {"G-POST-2b", "G-POST-3", "G-POST-4"} <= set(d.clauses)


def test_an_error_means_revise_whatever_the_basis() -> None:
    d = ALL.check("本日は満車です。看護婦さんも来場しました。").decision
    assert d.route == "revise"
    assert not d.obligations


def test_a_warning_sends_an_otherwise_covered_draft_to_the_chief() -> None:
    # a link to a non-official site is a warning (G-RULE-6): the chief decides
    d = ALL.check("本日は満車です。詳しくはこちら https://example.com/parking").decision
    assert d.route == "section_chief"
    assert any("link." in r for r in d.reasons)


def test_decide_without_sentences_is_section_chief() -> None:
    d = decide([], sentences=None, approved={"published"})
    assert d.route == "section_chief"
    assert any("判定できなかった" in r for r in d.reasons)  # not "no scope": the policy has one
    assert any("scope.approved" in r for r in decide([], sentences=[], approved=()).reasons)


def test_sentence_offsets_index_the_original_text() -> None:
    text = '---\nkind = "post"\n---\nこんにちは！　本日は満車です。'
    report = ALL.check(text)
    for s in report.decision.sentences:
        assert text[s.start : s.end] == s.text
    assert report.decision.sentences[-1].line == 4


def test_classify_uses_the_lookup_and_a_contradiction_blocks_every_basis() -> None:
    from fujisns_guard.scope.basis import SupportLike

    light = "昨日の富士まつりには約5万人が来場しました。"
    sentences = split_sentences(light, tokenize(light))
    url = "https://x.example/p1"
    against = SupportLike("published", "p1", url, "富士まつり結果", "約3万人が来場", 0.9, False, ("人数が違います",))
    [v] = classify(sentences, lambda s: [against])
    assert v.contradiction.startswith("人数が違います")
    ok = SupportLike("published", "p1", "https://x.example/p1", "富士まつり結果", "約5万人が来場", 0.95, True, ())
    [v] = classify(sentences, lambda s: [ok])
    assert v.candidates[0][0] == "published" and v.candidates[0][1][0]["url"] == "https://x.example/p1"
