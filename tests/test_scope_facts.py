"""Facts of a sentence (scope/facts.py): key words and canonical values, however they are written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard.normalize import light_view
from fujisns_guard.scope.facts import WORDS, facts_of, facts_of_text, kanji_number, load_words, same_value, show_value
from fujisns_guard.tokenize import tokenize


def values(text: str) -> list[tuple[str, str]]:
    return list(facts_of_text(text).values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11月3日に開催", [("date", "11-3")]),
        ("１１月３日に開催", [("date", "11-3")]),
        ("11/3に開催", [("date", "11-3")]),
        ("令和7年11月3日に開催", [("date", "2025-11-3")]),
        ("令和元年5月1日", [("date", "2019-5-1")]),
        ("2026年8月1日（土）", [("date", "2026-8-1"), ("weekday", "土")]),
        ("8月1日(土)〜2日(日)", [("date", "8-1"), ("weekday", "土"), ("date", "8-2"), ("weekday", "日")]),
        ("12月29日から1月3日まで", [("date", "12-29"), ("date", "1-3")]),
        ("8月1日～2日", [("date", "8-1"), ("date", "8-2")]),
        ("8/1-8/2", [("date", "8-1"), ("date", "8-2")]),
        ("令和7年度の予算", [("date", "2025年度")]),
        ("毎週月曜日と木曜", [("weekday", "月"), ("weekday", "木")]),
        ("（月・祝）", [("weekday", "月")]),
    ],
)
def test_dates_and_weekdays(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("午後5時から", "17:00"),
        ("17時から", "17:00"),
        ("17:00から", "17:00"),
        ("１７：００から", "17:00"),
        ("朝8時30分まで", "08:30"),
        ("8時半まで", "08:30"),
        ("午前8時30分まで", "08:30"),
        ("午前12時", "00:00"),
        ("正午から", "12:00"),
    ],
)
def test_times_are_canonical(text: str, expected: str) -> None:
    assert values(text) == [("time", expected)]


def test_durations_are_numbers_not_times() -> None:
    assert values("2時間かかります") == [("number", "2時間")]
    assert values("引っ越してから14日以内") == [("number", "14日")]
    assert values("引っ越してから2週間以内") == values("引っ越してから14日間以内") == [("number", "14日")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1通300円", "300円"),
        ("1,000円", "1000円"),
        ("1000円", "1000円"),
        ("千円", "1000円"),
        ("1万円", "10000円"),
        ("入場無料", "0円"),
    ],
)
def test_amounts(text: str, expected: str) -> None:
    assert ("amount", expected) in values(text)


def test_numbers_in_values_are_not_counted_again() -> None:
    vs = values("令和7年11月3日午後5時、参加費500円、問い合わせは0545-55-2700へ")
    assert vs == [("date", "2025-11-3"), ("time", "17:00"), ("amount", "500円"), ("number", "0545552700")]
    assert not any(k == "number" and v in ("7", "11", "3", "5", "500") for k, v in vs)


def test_numbers_keep_their_counter() -> None:
    assert values("第45回富士まつり") == [("number", "45回"), ("place", "富士")]
    assert ("number", "30000人") in values("約3万人が来場")
    assert ("number", "22条") in values("住民基本台帳法第22条")
    assert ("number", "3か月") in values("3ヶ月ごと")


def test_urls_are_canonical() -> None:
    assert values("詳しくは https://WWW.City.Fuji.shizuoka.jp/kurashi/gomi/shushu.html#a をご覧ください") == [
        ("url", "www.city.fuji.shizuoka.jp/kurashi/gomi/shushu.html")
    ]
    assert values("https://www.city.fuji.shizuoka.jp/kurashi/") == [("url", "www.city.fuji.shizuoka.jp/kurashi")]


def test_places_and_names_from_sudachi() -> None:
    vs = values("吉原商店街で富士 太郎市長があいさつします")
    assert ("place", "吉原") in vs and ("name", "太郎") in vs


def test_key_words_are_normalized_content_words_without_stop_words() -> None:
    f = facts_of_text("燃やすごみは、収集日の朝8時30分までに指定の集積所へ出してください。")
    assert {"燃やす", "ごみ", "収集", "指定", "集積", "出す"} <= f.words
    assert not f.words & {"下さる", "為る", "8", "30", "時", "分"}
    assert facts_of_text("ごみを出してください").words == facts_of_text("ごみを出して下さい").words == {"ごみ", "出す"}


def test_facts_of_tokens_of_a_slice_of_a_larger_text() -> None:
    light = light_view("はじめに。燃やすごみは毎週月曜日です。").text
    tokens = tokenize(light)
    s = light.index("燃")
    part = [t for t in tokens if t.start >= s]
    assert facts_of(light[s:], part) == facts_of_text("燃やすごみは毎週月曜日です。")


def test_same_value_and_display() -> None:
    assert same_value("date", "11-3", "2025-11-3")
    assert not same_value("date", "2024-11-3", "2025-11-3")
    assert not same_value("date", "11-3", "11-4")
    assert show_value("date", "2025-11-3") == "2025年11月3日"
    assert show_value("weekday", "火") == "火曜日"
    assert show_value("time", "08:30") == "8時30分" and show_value("time", "17:00") == "17時"
    assert [kanji_number(k) for k in ("千", "三百", "一万五千", "二十")] == [1000, 300, 15000, 20]


@given(st.integers(0, 23), st.integers(0, 59))
def test_any_written_time_is_the_same_value(h: int, mi: int) -> None:
    canonical = ("time", f"{h:02d}:{mi:02d}")
    assert values(f"{h}時{mi}分から") == [canonical]
    assert values(f"{h}:{mi:02d}から") == [canonical]
    wide = f"{h}：{mi:02d}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert values(f"{wide}から") == [canonical]


@given(st.text(max_size=60))
def test_never_raises_and_values_have_known_kinds(text: str) -> None:
    f = facts_of_text(text)
    assert all(k in ("date", "weekday", "time", "number", "amount", "place", "name", "url") for k, _ in f.values)


@pytest.mark.parametrize(
    ("draft", "page"),
    [
        ("コンビニ交付の利用時間は毎日午前6時30分までとなっております。", "コンビニ交付の利用時間は毎日午前6時30分までです。"),
        ("ご質問の件、粗大ごみは電話で申し込んでください。", "粗大ごみは電話で申し込んでください。"),
        ("コンビニなどで処理券を買ってください。", "コンビニエンスストアなどで処理券を購入してください。"),
        ("処理券に名前を書いてください。", "処理券に氏名を書いてください。"),
        ("窓口は12月29日からお休みです。", "窓口は12月29日から休みます。"),
        ("転出証明書はいりません。", "転出証明書は不要です。"),
        ("転出証明書は要らない。", "転出証明書は不要です。"),
        ("引っ越してから2週間以内に届け出てください。", "引っ越してから14日以内に届け出てください。"),
        ("ひと月以内に届け出てください。", "1か月以内に届け出てください。"),
        ("一週間以内に届け出てください。", "7日以内に届け出てください。"),
    ],
)
def test_paraphrases_have_the_same_facts(draft: str, page: str) -> None:
    assert facts_of_text(draft) == facts_of_text(page)


def test_the_word_table_never_joins_values_or_opposites() -> None:
    # a paraphrase keeps its values: another fee or day is still another fact
    assert facts_of_text("コンビニで1通200円です。") != facts_of_text("コンビニエンスストアで1通300円です。")
    assert facts_of_text("3週間以内に届け出てください。").values == (("number", "21日"),)
    assert facts_of_text("ひと月以内").values != facts_of_text("2か月以内").values
    assert facts_of_text("ひと月以内").values != facts_of_text("30日以内").values  # a month is not 30 days
    # 要る affirmative is not 不要; 必要 and 不要 stay two words (the index treats them as opposites)
    assert "不要" not in facts_of_text("証明書が要ります。").words
    assert facts_of_text("証明書が必要です。").words == {"証明書", "必要"}
    assert WORDS.opposite["必要"] == "不要" and WORDS.opposite["不要"] == "必要"
    assert not set(WORDS.same) & WORDS.stop


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[stop]]\nwords = "おる"\nsource = "x"\n', r"stop\[0\]\.reason: 空にできません"),
        ('[[stop]]\nwords = "おる おる"\nreason = "r"\nsource = "x"\n', "重複"),
        ('[[same]]\nword = "A"\nvariants = ["B"]\nreason = "r"\nsource = "x"\nextra = 1\n', "知らないキー"),
        ('[[opposite]]\nwords = ["必要"]\nreason = "r"\nsource = "x"\n', "異なる 2 語"),
        (
            '[[same]]\nword = "必要"\nvariants = ["不要"]\nreason = "r"\nsource = "x"\n'
            '[[opposite]]\nwords = ["必要", "不要"]\nreason = "r"\nsource = "x"\n',
            "同じ語になります",
        ),
        ('[[synonyms]]\nwords = "a"\n', "知らない表"),
        ('[[spelled]]\ntexts = ["ひと月"]\nvalue = "1ヶ月"\nreason = "r"\nsource = "x"\n', "数と助数詞"),
    ],
)
def test_a_wrong_word_table_fails_at_load_naming_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "words.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_words(path)
    assert load_words().digest == WORDS.digest  # the shipped table loads
