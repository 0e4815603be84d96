"""Issue 5.3 wired into rules: link.* (G-RULE-6) with and without the account's policy."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.coderules.links import shortener_hosts
from fujisns_guard.model import Finding
from fujisns_guard.policy import load_policy
from fujisns_guard.twitter_urls import extract_urls

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policy" / "guard.toml"
DAY = dt.date(2026, 11, 20)
LINK_RULES = [
    *("link.external", "link.trusted", "link.lookalike", "link.redirect"),
    *("link.shortener", "link.http", "link.mention", "link.quote"),
]


@pytest.fixture(scope="module")
def city() -> Guard:
    return Guard(load_policy(POLICY))


def _links(guard: Guard, text: str, kind: str = "post") -> list[tuple[str, str, str]]:
    """(rule id, severity, excerpt) of every link finding."""
    report = guard.check(text, date=DAY, kind=kind, only=LINK_RULES)  # type: ignore[arg-type]
    return [(f.rule_id, f.severity, f.excerpt) for f in report.findings]


def _one(guard: Guard, text: str) -> Finding:
    [f] = guard.check(text, date=DAY, only=LINK_RULES).findings
    return f


# --- with the example policy (www.city.fuji.shizuoka.jp) ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "詳しくは https://www.city.fuji.shizuoka.jp/kurashi/index.html をご覧ください",
        "詳しくはhttps://www.city.fuji.shizuoka.jp/page.htmlをご覧ください",  # Japanese right after
        "（ｈｔｔｐｓ：／／ｗｗｗ．ｃｉｔｙ．ｆｕｊｉ．ｓｈｉｚｕｏｋａ．ｊｐ／）",  # full-width
        "市ウェブサイト「www.city.fuji.shizuoka.jp」で公開中",  # no scheme, brackets
        "申込は city.fuji.shizuoka.jp/apply/ から",
        "https://www.city.fuji.shizuoka.jp/search?q=ごみ",
        "市の公式X https://x.com/example_fuji_city/status/1234567890 もどうぞ",  # own registered page
        "Facebook https://www.facebook.com/example.fuji.city/ も更新中",
        "フォローは @example_fuji_city へ",  # own account id
    ],
)
def test_official_links_pass(city: Guard, text: str) -> None:
    assert _links(city, text) == []


@pytest.mark.parametrize(
    ("text", "excerpt", "how"),
    [
        ("詳細はwww.city.fuji.shizuoka.jp.example.comへ", "www.city.fuji.shizuoka.jp.example.com", "contains:example.com"),
        (
            "https://www.city.fuji.shizuoka.jp.evil.example.net/",
            "https://www.city.fuji.shizuoka.jp.evil.example.net/",
            "contains",
        ),
        ("（https://city-fuji-shizuoka.jp/）", "https://city-fuji-shizuoka.jp/", "flat"),
        ("ｗｗｗ．ｃｉｔｙｆｕｊｉｓｈｉｚｕｏｋａ．ｃｏｍ", "ｗｗｗ．ｃｉｔｙｆｕｊｉｓｈｉｚｕｏｋａ．ｃｏｍ", "flat"),
        ("https://www.city.fuij.shizuoka.jp/", "https://www.city.fuij.shizuoka.jp/", "spelling"),
        ("https://www.city.fuji-shizuoka.jp/", "https://www.city.fuji-shizuoka.jp/", "flat"),
        ("https://www.citу.fuji.shizuoka.jp/", "https://www.citу.fuji.shizuoka.jp/", "letters"),  # Cyrillic у
        ("https://pref-shizuoka.jp/", "https://pref-shizuoka.jp/", "flat"),  # the policy's trusted 静岡県
        # the city's domain as userinfo: the browser goes to evil.example.com (detector_eval L244)
        (
            "詳しくは https://www.city.fuji.shizuoka.jp@evil.example.com/ を",
            "https://www.city.fuji.shizuoka.jp@evil.example.com/",
            "userinfo:evil.example.com",
        ),
    ],
)
def test_lookalikes_warn(city: Guard, text: str, excerpt: str, how: str) -> None:
    f = _one(city, text)
    assert (f.rule_id, f.severity, f.excerpt) == ("link.lookalike", "warning", excerpt)
    assert how in f.explanation


def test_userinfo_and_obfuscated_email_hosts(city: Guard) -> None:
    f = _one(city, "https://www.city.fuji.shizuoka.jp@evil.example.com/")
    assert "「evil.example.com」" in f.message
    # a user name before the city's own host is still the city's site
    assert _links(city, "https://user@www.city.fuji.shizuoka.jp/ へ") == []
    # another user name before an external host: external, named by its real host
    assert _links(city, "https://guest@example.com/page") == [("link.external", "warning", "https://guest@example.com/page")]
    # an e-mail address with a disguised @ is not a link (detector_eval L16)
    for text in ("感想は taro.yamada[at]docomo.ne.jp まで", "taro(at)docomo.ne.jp", "taro アットマーク docomo.ne.jp"):
        assert _links(city, text) == [], text
    assert _links(city, "詳細は docomo.ne.jp まで") == [("link.external", "warning", "docomo.ne.jp")]


def test_lookalike_message_names_the_real_domain(city: Guard) -> None:
    f = _one(city, "詳細はwww.city.fuji.shizuoka.jp.example.comへ")
    assert "city.fuji.shizuoka.jp" in f.message and "「example.com」" in f.message


def test_redirect_wrappers_hiding_the_city(city: Guard) -> None:
    f = _one(city, "https://www.google.com/url?q=https://www.city.fuji.shizuoka.jp/&sa=D")
    assert f.rule_id == "link.redirect" and f.severity == "warning"
    assert "市のサイト（www.city.fuji.shizuoka.jp）" in f.message
    f = _one(city, "https://www.city.fuji.shizuoka.jp/redirect?url=https://evil.example.com/")
    assert f.rule_id == "link.redirect" and "evil.example.com" in f.message
    # the city forwarding to a trusted body is the city's own business
    assert _links(city, "https://www.city.fuji.shizuoka.jp/jump?to=https://www.jma.go.jp/") == []


def test_trusted_bodies_are_info_with_their_name(city: Guard) -> None:
    f = _one(city, "県の発表 https://www.pref.shizuoka.jp/bousai/ を参照")
    assert (f.rule_id, f.severity) == ("link.trusted", "info") and "静岡県" in f.message
    f = _one(city, "気象庁 https://www.jma.go.jp/bosai/")
    assert (f.rule_id, f.severity) == ("link.trusted", "info") and "go.jp" in f.message
    assert city.check("気象庁 https://www.jma.go.jp/bosai/", date=DAY).decision.route != "revise"


def test_external_shortener_http(city: Guard) -> None:
    assert _links(city, "主催者 https://www.fuji-marathon.example.com/ へ") == [
        ("link.external", "warning", "https://www.fuji-marathon.example.com/")
    ]
    assert _links(city, "申込 bit.ly/3abcD から") == [("link.shortener", "warning", "bit.ly/3abcD")]
    assert _links(city, "友だち追加 https://lin.ee/AbC12 （市の公式LINE）")[0][0] == "link.shortener"
    assert _links(city, "動画 https://youtu.be/abc123 をご覧ください")[0][:2] == ("link.external", "warning")
    assert _links(city, "http://www.city.fuji.shizuoka.jp/") == [("link.http", "info", "http://")]
    assert _links(city, "http://www.example.com/") == [
        ("link.http", "info", "http://"),
        ("link.external", "warning", "http://www.example.com/"),
    ]


def test_every_url_of_a_post_is_found(city: Guard) -> None:
    text = (
        "【お知らせ】詳しくは市HP（https://www.city.fuji.shizuoka.jp/a.html）、"
        "県HP「www.pref.shizuoka.jp」、主催者サイトexample.com/eventをご覧ください。"
        "短縮：ｂｉｔ．ｌｙ／ｘ"
    )
    assert _links(city, text) == [
        ("link.trusted", "info", "www.pref.shizuoka.jp"),
        ("link.external", "warning", "example.com/event"),
        ("link.shortener", "warning", "ｂｉｔ．ｌｙ／ｘ"),
    ]


def test_mentions_and_quotes(city: Guard) -> None:
    assert _links(city, "@example_fuji_city と @other_account") == [("link.mention", "warning", "@other_account")]
    assert _links(city, "＠ＥＸＡＭＰＬＥ_ＦＵＪＩ_ＣＩＴＹ") == []  # own id, any width or case
    assert _links(city, "RT @shizuoka_pref: 大雨の情報") == [("link.quote", "warning", "RT @shizuoka_pref")]
    assert _links(city, "県の投稿を引用リポストします") == [("link.quote", "warning", "投稿を引用リポストします")]
    assert _links(city, "ぜひリポストして広めてください") == []


def test_a_reply_names_its_addressee_without_a_warning(city: Guard) -> None:
    assert _links(city, "@taro_fuji ご連絡ありがとうございます。", kind="reply") == []
    assert _links(city, "@taro_fuji 詳しくは @other_shop へ", kind="reply") == [("link.mention", "warning", "@other_shop")]
    assert _links(city, "@taro_fuji ご連絡ありがとうございます。") == [("link.mention", "warning", "@taro_fuji")]


def test_cli_with_the_example_policy(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("詳しくは https://www.city.fuji.shizuoka.jp/ と www.city.fuji.shizuoka.jp.example.com へ\n", "utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(draft), "--date", "2026-11-20", "--format", "json", "--policy", str(POLICY)], out=out, err=err)
    assert err.getvalue() == ""
    [report] = json.loads(out.getvalue())
    links = [(f["rule_id"], f["severity"], f["excerpt"]) for f in report["findings"] if f["category"] == "link"]
    assert links == [("link.lookalike", "warning", "www.city.fuji.shizuoka.jp.example.com")]
    assert report["decision"]["route"] == "section_chief" and code == 0


# --- without a policy: no city is known -------------------------------------------------------------


def test_without_policy_the_city_domain_is_external(guard: Guard) -> None:
    assert _links(guard, "https://www.city.fuji.shizuoka.jp/") == [
        ("link.external", "warning", "https://www.city.fuji.shizuoka.jp/")
    ]
    assert _links(guard, "https://www.city.fuji.shizuoka.lg.jp/") == [
        ("link.trusted", "info", "https://www.city.fuji.shizuoka.lg.jp/")
    ]
    assert _links(guard, "https://www.city.fuji.shizuoka.lg.jp.example.com/")[0][0] == "link.lookalike"


@pytest.mark.parametrize("host", sorted(shortener_hosts()))
def test_every_shortener_is_extracted_and_flagged(guard: Guard, host: str) -> None:
    url = f"https://{host}/Ab12"
    assert extract_urls(f"詳しくは{url} へ") == [(url, 4, 4 + len(url))]
    assert _links(guard, f"詳しくは{url} へ") == [("link.shortener", "warning", url)]


_ALPHABET = list("abcxyz.-/:?=&%@＠#ｗ．．ﾃｽﾄ富士市 https://city.fuji.shizuoka.jp.go.lg RTQT引用リポスト")


@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60))
def test_link_rules_never_fail(guard: Guard, text: str) -> None:
    assume(not text.startswith("---"))  # a front-matter fence: an unclosed one is a user error (FrontMatterError)
    for f in guard.check(text, date=DAY, only=LINK_RULES).findings:
        assert "実行に失敗" not in f.explanation, f
        assert f.excerpt == text[f.start : f.end]
