"""Personal information (issue 4): precise enough that staff keep the tool switched on.

The city's own contacts, trusted public bodies' numbers and officials in office are not reported;
a citizen's contact data, ID numbers and sensitive information are errors.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumber

from fujisns_guard import Guard
from fujisns_guard.coderules import personal_info as pi
from fujisns_guard.model import Report
from fujisns_guard.policy import load_policy

POLICY = Path(__file__).resolve().parents[1] / "examples" / "policy" / "guard.toml"
DATE = dt.date(2026, 11, 20)
PI_RULES = [
    "personal_info.phone",
    "personal_info.email",
    "personal_info.postal_code",
    "personal_info.address",
    "personal_info.person_name",
    "personal_info.birth_date",
    "personal_info.my_number",
    "personal_info.corporate_number",
    "personal_info.card_number",
    "personal_info.bank_account",
    "personal_info.licence_plate",
    "personal_info.sensitive",
]


@pytest.fixture(scope="module")
def city(guard: Guard) -> Guard:
    """The shipped rules with the example city policy (富士市: 0545-55-2700, 永田町1丁目100番地 …)."""
    return Guard(load_policy(POLICY), ruleset=guard.ruleset)


def found(g: Guard, text: str, rule: str | None = None) -> list[tuple[str, str]]:
    """(matched original text, severity) of the personal-information findings."""
    report = g.check(text, date=DATE, only=[rule] if rule else PI_RULES)
    return [(text[f.start : f.end], f.severity) for f in report.findings]


def rule_ids(report: Report) -> list[str]:
    return [f.rule_id for f in report.findings]


# --- phone numbers ------------------------------------------------------------------------------

PHONE = "personal_info.phone"


@pytest.mark.parametrize(
    ("text", "number", "severity"),
    [
        ("連絡先は090-1234-5678です", "090-1234-5678", "error"),
        ("連絡先は０９０－１２３４－５６７８です", "０９０－１２３４－５６７８", "error"),  # full width
        ("連絡先は０９０ー１２３４ー５６７８です", "０９０ー１２３４ー５６７８", "error"),  # ー typed for a hyphen
        ("山田さん（080 1234 5678）まで", "080 1234 5678", "error"),  # in brackets, spaces
        ("折り返しは07012345678へ", "07012345678", "error"),
        ("Tel.090-8765-4321", "090-8765-4321", "error"),
        ("+81-90-1234-5678 までどうぞ", "+81-90-1234-5678", "error"),
        ("＋８１　９０　１２３４　５６７８ までどうぞ", "＋８１　９０　１２３４　５６７８", "error"),
        ("ご相談は（０５４５）５５－１２３４へ", "（０５４５）５５－１２３４", "error"),  # parenthesised area code
        ("ご相談は0545(55)1234へ", "0545(55)1234", "error"),
        ("IP電話 050-1234-5678 へ", "050-1234-5678", "error"),
        ("フリーダイヤル０１２０－１２３－４５６", "０１２０－１２３－４５６", "warning"),
        ("無料通話は0800-123-4567まで", "0800-123-4567", "warning"),
        ("ナビダイヤル0570-000-123", "0570-000-123", "warning"),
        ("株式会社富士観光（0545-12-3456）へ", "0545-12-3456", "warning"),  # an organisation's line
        ("電話番号は０９０の１２３４の５６７８です", "０９０の１２３４の５６７８", "error"),  # read out with の
        ("担当者の携帯090-1234-\n5678まで", "090-1234-\n5678", "error"),  # a line break after a hyphen
        ("担当者の携帯090-\n1234-5678まで", "090-\n1234-5678", "error"),
    ],
)
def test_phone_numbers_in_every_spelling(guard: Guard, text: str, number: str, severity: str) -> None:
    assert found(guard, text, PHONE) == [(number, severity)]


@pytest.mark.parametrize(
    "text",
    [
        "問い合わせはシティプロモーション課（0545-55-2700）まで",
        "問い合わせはシティプロモーション課（０５４５－５５－２７００）まで",  # full width
        "電話 ０５４５ー５５ー２７００",
        "電話（0545）55-2700",
        "電話 +81-545-55-2700",
        "FAX：０５４５－５１－１４５６",  # the city's fax
    ],
)
def test_the_citys_own_number_is_not_flagged(city: Guard, text: str) -> None:
    assert found(city, text, PHONE) == []


def test_a_citizens_mobile_is_flagged_next_to_the_citys_number(city: Guard) -> None:
    text = "市民課（０５４５－５５－２７００）に、拾得者の方（０９０－１２３４－５６７８）から連絡がありました"
    assert found(city, text, PHONE) == [("０９０－１２３４－５６７８", "error")]


def test_without_a_policy_the_same_number_is_not_excused(guard: Guard) -> None:
    assert found(guard, "電話 0545-55-2700", PHONE) == [("0545-55-2700", "error")]


@pytest.mark.parametrize(
    "text",
    [
        "警察相談専用電話は#9110へ",
        "警察相談専用電話は＃９１１０へ",
        "事件・事故は110番、火事・救急は119番",
        "迷ったら＃７１１９（救急安心センター）",
        "こころの健康相談統一ダイヤル 0570-064-556",
        "24時間子供SOSダイヤル ０１２０－０－７８３１０",
        "児童相談所虐待対応ダイヤル「189」",
    ],
)
def test_trusted_public_numbers_are_not_flagged(guard: Guard, city: Guard, text: str) -> None:
    assert found(guard, text, PHONE) == []
    assert found(city, text, PHONE) == []


@pytest.mark.parametrize(
    "text",
    [
        "2026年11月20日（金）10:00～12:00",
        "受付 2026/11/20 09:00-17:00",
        "期間 2026.11.01-2026.11.30",
        "0900-1700（土日祝を除く）",
        "参加費1,000円、定員200名",
        "令和8年度予算額 1,234,567,890円",
        "予算額 1234567890円",
        "20261120 0930 開始",
        "第2026-0123号",
        "受付番号 0123456789",
        "https://example.jp/event/0545552700.html",
        "11月3日の10時の1234",
        "第0123の4567の8901号",
        "受付番号0123-\n4567",
    ],
)
def test_dates_times_amounts_and_ids_are_not_phones(guard: Guard, text: str) -> None:
    assert found(guard, text, PHONE) == []


def test_two_numbers_side_by_side_are_two_findings(guard: Guard) -> None:
    text = "自宅 0545-12-3456 0545-12-3457"
    assert [m for m, _ in found(guard, text, PHONE)] == ["0545-12-3456", "0545-12-3457"]


def test_number_type_by_prefix_agrees_with_libphonenumber() -> None:
    """The memo by (first 6 digits, length) is exact for the installed metadata."""
    rng = random.Random(20261120)
    prefixes = ["90", "80", "70", "50", "120", "800", "570", "545", "3", "6", "11", "990", "20", "60", "466", "1"]
    for _ in range(3000):
        nsn = rng.choice(prefixes)
        nsn += "".join(rng.choice("0123456789") for _ in range(rng.choice((9, 10)) - len(nsn)))
        direct = phonenumbers.number_type(PhoneNumber(country_code=81, national_number=int(nsn)))
        assert pi.number_type("0" + nsn) == direct, nsn


# --- e-mail ----------------------------------------------------------------------------------

EMAIL = "personal_info.email"


@pytest.mark.parametrize(
    ("text", "addr", "severity"),
    [
        ("申込みはyamada.taro@gmail.comまで", "yamada.taro@gmail.com", "error"),  # Japanese right after
        ("連絡先：ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ", "error"),
        ("申込みはkoho@example.jpまで", "koho@example.jp", "warning"),  # an organisation's desk
        ("taro.suzuki@example.com１１月２０日", "taro.suzuki@example.com", "error"),
        ("suzuki-k[at]example.ne.jp へ", "suzuki-k[at]example.ne.jp", "error"),
    ],
)
def test_email_addresses(guard: Guard, text: str, addr: str, severity: str) -> None:
    assert found(guard, text, EMAIL) == [(addr, severity)]


def test_email_policy(city: Guard, guard: Guard) -> None:
    official = "ご意見は so-citypro@div.city.fuji.shizuoka.jp まで"
    assert found(city, official, EMAIL) == []
    assert found(guard, official, EMAIL) != []  # no policy: the tool knows no city
    staff = "担当 taro@div.city.fuji.shizuoka.jp まで"  # the city's domain, not a listed address
    assert found(city, staff, EMAIL) == [("taro@div.city.fuji.shizuoka.jp", "warning")]
    assert found(city, "窓口 soudan@pref.shizuoka.lg.jp へ", EMAIL) == []  # a trusted public body
    assert found(guard, "相談は info@example.go.jp へ", EMAIL) == []


@pytest.mark.parametrize(
    "text",
    ["公式X（@example_fuji_city）をフォロー", "https://user:pass@example.jp/", "メールでのお問い合わせはフォームから"],
)
def test_not_email_addresses(guard: Guard, text: str) -> None:
    assert found(guard, text, EMAIL) == []


# --- postal codes and street addresses -----------------------------------------------------------

ADDRESS = "personal_info.address"


@pytest.mark.parametrize(
    ("text", "addr", "severity"),
    [
        ("拾得者は富士市今泉２丁目３－４にお住まいの方です", "富士市今泉２丁目３－４", "error"),
        ("静岡県富士市吉原二丁目5番6号の山田様", "静岡県富士市吉原二丁目5番6号", "error"),
        ("大字大淵１２３４番地の５", "大字大淵１２３４番地の５", "error"),
        ("〒417-0001 富士市今泉1-2-3 佐藤方", "〒417-0001 富士市今泉1-2-3", "error"),
        ("会場：富士市文化会館（富士市蓼原町1750）", "富士市蓼原町1750", "info"),
        ("株式会社例（富士市平垣町1-2）", "富士市平垣町1-2", "warning"),
        # さん inside a venue's name is not an honorific (detector_eval L49)
        ("会場：ふじさんめっせ（富士市柳島189-8）", "富士市柳島189-8", "info"),
        ("田中さん（富士市柳島189-8）", "富士市柳島189-8", "error"),
    ],
)
def test_street_addresses(guard: Guard, text: str, addr: str, severity: str) -> None:
    assert found(guard, text, ADDRESS) == [(addr, severity)]


@pytest.mark.parametrize(
    "text",
    [
        "今泉2丁目付近で断水しています",
        "3丁目の夕日を上映",
        "国道1号と139号",
        "富士山2026マラソン",
        "吉原地区の清掃活動",
        "ログインには暗証番号（数字４桁）が必要です",  # 数字 is not a place (detector_eval L84)
        "文字1つ、漢字2つ",
    ],
)
def test_not_street_addresses(guard: Guard, text: str) -> None:
    assert found(guard, text, ADDRESS) == []


def test_the_citys_own_address_is_not_flagged(city: Guard) -> None:
    for text in ("市役所（富士市永田町1丁目100番地）", "〒417-8601 富士市永田町１丁目１００番地", "富士市永田町一丁目100番地"):
        assert found(city, text) == [], text


def test_postal_codes(guard: Guard, city: Guard) -> None:
    assert found(guard, "お届け先は〒417-0001です", "personal_info.postal_code") == [("〒417-0001", "warning")]
    assert found(guard, "郵便番号：４１７－００５２", "personal_info.postal_code") == [("郵便番号：４１７－００５２", "warning")]
    assert found(city, "〒417-8601 富士市永田町1丁目100番地", "personal_info.postal_code") == []
    assert found(guard, "郵便番号を書いてください", "personal_info.postal_code") == []
    # official.postal_codes: the city hall's own code (detector_eval L282)
    assert found(city, "郵便番号417-8601（富士市役所）", "personal_info.postal_code") == []
    assert found(guard, "郵便番号417-8601（富士市役所）", "personal_info.postal_code") == [("郵便番号417-8601", "warning")]
    assert found(city, "郵便番号417-8602", "personal_info.postal_code") == [("郵便番号417-8602", "warning")]


# --- names -----------------------------------------------------------------------------------------

NAME = "personal_info.person_name"


@pytest.mark.parametrize(
    ("text", "name", "severity"),
    [
        ("田中さんが来てくれました", "田中", "warning"),  # a name alone
        ("担当の鈴木までどうぞ", "鈴木", "warning"),
        ("山田太郎さん（35）が表彰されました", "山田太郎", "error"),  # + age
        ("富士第一小学校３年の佐藤花子ちゃん", "佐藤花子", "error"),  # + school
        ("当選者の山田花子さん（富士市今泉在住）", "山田花子", "error"),  # + address
        ("高橋くんは株式会社富士製作所に勤めています", "高橋", "error"),  # + workplace
        ("鈴木一郎（42）", "鈴木一郎", "error"),
        ("富士第一小学校３年の佐藤花子の作品です", "佐藤花子", "error"),  # a school year before the name
        ("吉原中2年生 鈴木一郎が優勝", "鈴木一郎", "error"),
    ],
)
def test_person_names(guard: Guard, text: str, name: str, severity: str) -> None:
    assert found(guard, text, NAME) == [(name, severity)]


@pytest.mark.parametrize(
    "text",
    [
        "市長の小長井義正が挨拶しました",  # an official acting in office
        "山田課長が説明します",
        "市民の皆さん、お客様各位、皆様へ",
        "お子さんと一緒にどうぞ",
        "富士山の見える公園で",
        "2026年の抱負",
        "小学3年の子どもたちが参加",
    ],
)
def test_not_private_names(guard: Guard, text: str) -> None:
    assert found(guard, text, NAME) == []


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("講師：山田太郎さん（NPO法人ふじの森 代表）", "info"),  # announced in the notice (detector_eval L47)
        ("出演：山田太郎さん（株式会社ふじ）", "info"),
        ("講師：山田太郎さん（35歳）", "error"),  # an age is still identifying
        ("山田太郎さん（NPO法人ふじの森 代表）が来場しました", "warning"),  # no role label
    ],
)
def test_announced_speakers_are_info(guard: Guard, text: str, severity: str) -> None:
    assert found(guard, text, NAME) == [("山田太郎", severity)]


def test_officials_in_the_policy_are_not_flagged(city: Guard, guard: Guard) -> None:
    text = "富士 太郎さんが来場しました"  # the example policy's mayor
    assert found(city, text, NAME) == []
    assert found(guard, text, NAME) == [("富士 太郎", "warning")]


# --- ID numbers ----------------------------------------------------------------------------------


def test_my_number_needs_a_valid_check_digit(guard: Guard) -> None:
    rule = "personal_info.my_number"
    assert found(guard, "マイナンバー：123456789018", rule) == [("123456789018", "error")]
    assert found(guard, "マイナンバー：123456789012", rule) == []  # wrong check digit
    assert found(guard, "個人番号は１２３４ ５６７８ ９０１８です", rule) == [("１２３４ ５６７８ ９０１８", "error")]
    assert found(guard, "1234-5678-9018", rule) == [("1234-5678-9018", "error")]  # the 4-4-4 shape
    assert found(guard, "受付番号 123456789018", rule) == []  # valid, but no context and no shape


def test_my_number_is_masked_everywhere(guard: Guard) -> None:
    report = guard.check("マイナンバー：123456789018 の方", date=DATE, only=["personal_info.my_number"])
    assert "123456789018" not in report.model_dump_json()


def test_corporate_numbers_are_public_info(guard: Guard) -> None:
    assert found(guard, "法人番号：4700000000000", "personal_info.corporate_number") == [("4700000000000", "info")]
    assert found(guard, "法人番号：4700000000001", "personal_info.corporate_number") == []


def test_card_numbers_luhn_and_masked(guard: Guard) -> None:
    rule = "personal_info.card_number"
    assert found(guard, "カード番号 ４１１１ １１１１ １１１１ １１１１", rule) == [
        ("４１１１ １１１１ １１１１ １１１１", "error")
    ]
    assert found(guard, "カード番号 4111 1111 1111 1112", rule) == []
    report = guard.check("カード 4242424242424242 です", date=DATE, only=[rule])
    assert "4242424242424242" not in report.model_dump_json()


def test_bank_accounts(guard: Guard) -> None:
    rule = "personal_info.bank_account"
    assert found(guard, "返金先 普通 1234567 ヤマダタロウ", rule) == [("1234567", "error")]
    assert found(guard, "口座番号：１２３４５６７", rule) == [("１２３４５６７", "error")]
    assert found(guard, "義援金の振込先：○○銀行 普通 1234567 名義 富士市", rule) == []
    assert found(guard, "口座振替の手続きは保険年金課へ", rule) == []


def test_birth_dates_and_eligibility_ranges(guard: Guard) -> None:
    rule = "personal_info.birth_date"
    assert found(guard, "生年月日：１９８５年４月１日", rule) == [("１９８５年４月１日", "error")]
    assert found(guard, "1990年4月1日生まれの山田太郎さん", rule) == [("1990年4月1日", "error")]
    assert found(guard, "対象：令和2年4月2日～令和3年4月1日生まれの方", rule) == []
    assert found(guard, "平成30年4月2日から平成31年4月1日までに生まれたお子さん", rule) == []


def test_licence_plates(guard: Guard) -> None:
    rule = "personal_info.licence_plate"
    assert found(guard, "放置車両（富士 500 さ 12-34）", rule) == [("富士 500 さ 12-34", "error")]
    assert found(guard, "定員300名、参加費500円", rule) == []


# --- sensitive personal information ----------------------------------------------------------

SENSITIVE = "personal_info.sensitive"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("山田太郎さんは持病で入院しています", "持病"),  # a name + illness
        ("佐藤さんは障害者手帳を持っています", "障害"),  # a name + disability
        ("鈴木さんは生活保護を受けています", "生活保護"),  # a name + social status
        ("逮捕された田中さん（45）について", "逮捕"),  # a name + criminal record
        # identification by context: street + age, staff, school year + age
        ("富士市今泉２丁目の住宅で火災があり、住人の80歳の男性が亡くなりました", "火災"),
        ("税務課の職員が病気で休んでいるため、窓口が混み合っています", "病気"),
        ("当課の職員が新型コロナウイルスに感染しました", "感染"),
        ("吉原中３年の男子生徒（14）がいじめを受けていた", "いじめ"),
    ],
)
def test_sensitive_information_about_someone_is_an_error(guard: Guard, text: str, word: str) -> None:
    assert found(guard, text, SENSITIVE) == [(word, "error")]


@pytest.mark.parametrize(
    "text",
    [
        "障害のある方もご参加いただけます",
        "がん検診のお知らせ。対象は40歳以上の方です",
        "生活保護の申請は福祉総務課へ",
        "職員が感染症対策を徹底しています",
        "職員が障害のある方を案内します",
        "犯罪被害者支援の窓口を開設しました",
        "市内在住の80代女性が特殊詐欺の被害に遭いました",  # nobody can be identified
        "みんなでがんばりましょう！",
        "火災予防運動が始まります",
    ],
)
def test_general_talk_about_sensitive_topics_is_not_flagged(guard: Guard, text: str) -> None:
    assert found(guard, text, SENSITIVE) == []


# --- robustness ----------------------------------------------------------------------------------


@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789０１２３４５６７８９-－ー()（）+＋ 丁目番地号様さん市町@.aZ〒生年月日")),
        max_size=80,
    )
)
def test_detectors_never_fail(guard: Guard, text: str) -> None:
    text = "本文" + text  # a draft starting with --- would be front matter
    report = guard.check(text, date=DATE, only=PI_RULES)
    assert not any("失敗" in f.explanation for f in report.findings)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)


def test_a_labelled_address_is_a_citizens_unless_a_facility_is_named() -> None:
    # second held-out: "住所：" alone was read as a venue's address (info)
    from fujisns_guard import check

    def severity(text: str) -> list[str]:
        return [f.severity for f in check(text).findings if f.rule_id == "personal_info.address"]

    assert severity("住所：富士市本市場４３２－１　氏名：小林 誠") == ["error"]
    assert severity("会場の住所：富士市柳島189-8") == ["info"]
    assert severity("センター住所: 富士市本市場432-1") == ["info"]
