"""Confidential information (issue 4, G-RISK-1): markers as data, not fired by innocent uses."""

from __future__ import annotations

import datetime as dt

import pytest

from fujisns_guard import Guard

DATE = dt.date(2026, 11, 20)
RULE = "confidential.markers"


def found(g: Guard, text: str) -> list[tuple[str, str]]:
    report = g.check(text, date=DATE, only=[RULE])
    return [(text[f.start : f.end], f.severity) for f in report.findings]


@pytest.mark.parametrize(
    ("text", "marker", "severity"),
    [
        ("【内部資料】来年度の組織改正案です", "内部資料", "error"),
        ("※部外秘 新庁舎の候補地について", "部外秘", "error"),
        ("取扱注意：次期計画の素案", "取扱注意", "error"),
        ("※取り扱い注意　人事異動の内示", "取り扱い注意", "error"),
        ("（極秘）補助金の交付先一覧", "極秘", "error"),
        ("まだ未発表ですが、花火大会は中止です", "未発表", "error"),
        ("未公表の調査結果をお知らせします", "未公表", "error"),
        ("ここだけの話ですが、新庁舎の場所が決まりました", "ここだけの話", "error"),
        ("ここだけのはなしですが", "ここだけのはなし", "error"),
        ("オフレコでお願いされた話ですが", "オフレコ", "error"),
        ("ｵﾌﾚｺでお願いします", "ｵﾌﾚｺ", "error"),  # half-width katakana
        ("補助金の交付先が内々に決まりました", "内々に", "error"),
        ("この件は口外しないでください", "口外しないで", "error"),
        ("解禁前の情報です", "解禁前", "error"),
        ("非公開の資料によると", "非公開", "warning"),
        ("部長の後任は山田さんに内定しました", "内定", "warning"),
        ("入札前ですが予定価格は3,000万円です", "入札前", "warning"),
        ("CONFIDENTIAL 2026年度予算案", "CONFIDENTIAL", "error"),
    ],
)
def test_markers(guard: Guard, text: str, marker: str, severity: str) -> None:
    assert (marker, severity) in found(guard, text)


def test_price_before_tender(guard: Guard) -> None:
    assert found(guard, "入札前ですが予定価格は3,000万円です") == [("入札前", "warning"), ("予定価格", "warning")]


@pytest.mark.parametrize(
    "text",
    [
        "開催日は未定です",  # 未定 is not 未発表
        "公開講座の受講者を募集します",  # 公開講座 is not 非公開
        "審議会は非公開で開催します",  # a notice that a meeting is closed
        "会議は一部非公開とします",
        "「未公開株」の購入を勧める詐欺に注意してください",
        "市立博物館で未発表作品を展示します",
        "予定価格は事前公表としています",
        "予定価格（事前公表）：1,234,000円",
        "内定者の皆さんへ、入庁式のご案内です",
        "採用内定通知書を送付しました",
        "秘密厳守で相談に応じます",
        "機密文書リサイクルのご案内",
        "発表会の参加者を募集します",
        "情報公開請求の窓口はこちら",
    ],
)
def test_innocent_uses(guard: Guard, text: str) -> None:
    assert found(guard, text) == []
