"""Issue 6: statements that are not the city's view, reply tone, quotes, elections, languages."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.coderules import statements
from fujisns_guard.coderules.language import foreign_passages, line_language
from fujisns_guard.coderules.phrases import compile_phrases, required_strings
from fujisns_guard.model import Analysis
from fujisns_guard.normalize import normalize
from fujisns_guard.policy import AccountPolicy
from fujisns_guard.quotes import excused, quoted_spans
from fujisns_guard.ruleset import load_ruleset
from fujisns_guard.tokenize import tokenize

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 11, 20)


def _ids(report: object, prefix: str = "") -> list[str]:
    return [f.rule_id for f in report.findings if f.rule_id.startswith(prefix)]  # type: ignore[attr-defined]


# --- the acceptance sentences of the issue -------------------------------------------------------


def test_reply_rebuttal_gets_findings_with_calmer_suggestions(guard: Guard) -> None:
    report = guard.check("それは誤解です。ちゃんとホームページを読んでください。", kind="reply", date=DAY)
    tone = [f for f in report.findings if f.category == "tone"]
    assert {f.rule_id for f in tone} == {"tone.rebuttal", "tone.blame"}
    assert all(f.severity == "warning" and f.suggestions for f in tone)
    assert report.decision.route == "section_chief"


def test_reply_that_thanks_and_promises_has_no_finding(guard: Guard) -> None:
    report = guard.check("ご指摘ありがとうございます。確認のうえ、改めてご連絡します。", kind="reply", date=DAY)
    assert report.findings == []


def _run_cli(argv: list[str], text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    return main(argv, out=out, err=err), out.getvalue()


def test_cli_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["check", "--reply", "-", "--date", "2026-11-20"]
    _, out = _run_cli(argv, "それは誤解です。ちゃんとホームページを読んでください。", monkeypatch)
    assert "tone.rebuttal" in out and "tone.blame" in out
    _, out = _run_cli(argv, "ご指摘ありがとうございます。確認のうえ、改めてご連絡します。", monkeypatch)
    assert "tone." not in out


def test_personal_opinion_is_unofficial_and_reported_speech_is_not(guard: Guard) -> None:
    report = guard.check("個人的にはこの計画は失敗だと思います", date=DAY)
    assert {f.category for f in report.findings} == {"unofficial"}
    assert guard.check("市長は『計画を進める』と述べました", date=DAY).findings == []


@pytest.mark.parametrize(
    ("text", "unofficial"),
    [
        ("中の人的にはこっちのデザインのほうが好きです笑", True),  # detector_eval L104: 中/の/人的
        ("中の人としては嬉しいです", True),
        ("個人的に一番おすすめなのは駅前のパン屋さんです", True),  # L294: words between
        ("中の人形を展示します", False),
        ("個人的にお申し込みください", False),
        ("個人的に使用することは禁止されています", False),
    ],
)
def test_persona_and_personal_taste_cues(guard: Guard, text: str, unofficial: bool) -> None:
    report = guard.check(text, date=DAY)
    assert any(f.rule_id == "unofficial.opinion" and f.severity != "info" for f in report.findings) is unofficial


def test_tone_rules_are_for_replies_only_except_apologies(guard: Guard) -> None:
    assert _ids(guard.check("それは誤解です。", date=DAY), "tone.") == []
    assert _ids(guard.check("【訂正】開催日は１１月３日です。", date=DAY), "tone.") == ["tone.apology_correction"]


# --- quotes are not uses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("「片手落ち」という表現は使いません。", ["discussed"]),
        ("「家事は女性の仕事」という固定観念", ["discussed"]),
        ("市長は『計画を進める』と述べました", ["reported"]),
        ("「対応が遅い」とのご意見をいただきました", ["reported"]),
        ("「子育て支援を充実させたい」と記者会見で述べました", ["reported"]),
        ("「市役所が移転する」という噂がありますが、事実ではありません", ["reported"]),
        ("「ふじまつり」を開催します", ["other"]),
        ("「ふじまつり」とあわせて、イベント情報をお届けします", ["other"]),
        ("「外『内』側」と書いてありました", ["reported", "other"]),
        ("「閉じていない", []),
        ("「看護婦」から「看護師」に名称が変わりました", ["discussed", "other"]),  # a renaming
        ("「看護婦」から連絡がありました", ["other"]),
    ],
)
def test_quoted_spans(text: str, kinds: list[str]) -> None:
    spans = quoted_spans(text)
    assert [k for _, _, k in spans] == kinds
    for s, e, _ in spans:
        assert text[s] in "「『" and text[e - 1] in "」』"


def test_excused_is_what_the_engine_applies() -> None:
    text = "「外人」という言葉は使いません。「外人」の方へ。"
    spans = quoted_spans(text)
    first = text.index("外人")
    second = text.index("外人", first + 1)
    assert excused(spans, first, first + 2) == "discussed"
    assert excused(spans, second, second + 2) is None  # a title-like quote is still a use


def test_quoted_citizen_complaint_in_a_reply_is_not_the_accounts_voice(guard: Guard) -> None:
    text = "「あなたの対応は最悪だ。ちゃんと読め」とのご意見をいただきました。担当課に伝えます。"
    report = guard.check(text, kind="reply", date=DAY)
    assert _ids(report, "tone.") == [] and _ids(report, "unofficial.") == []


def test_slur_quoted_to_condemn_it_is_info(guard: Guard) -> None:
    report = guard.check("「中国人は出ていけ」といったヘイトスピーチは許されません。", date=DAY)
    mine = [f for f in report.findings if f.rule_id == "discriminatory.slur_patterns"]
    assert [f.severity for f in mine] == ["info"]


# --- elections --------------------------------------------------------------------------------

PERIOD = {"name": "市議会議員一般選挙", "start": "2026-11-10", "end": "2026-11-17"}
BOARD = AccountPolicy.model_validate({"elections": {"board_account": True, "periods": [PERIOD]}})
OTHER = AccountPolicy.model_validate({"elections": {"periods": [PERIOD]}})


def test_turnout_call_is_fine_from_the_election_board() -> None:
    text = "大切な一票です。投票に行きましょう。"
    assert _ids(Guard(BOARD).check(text, date=dt.date(2026, 12, 1)), "unofficial.") == []
    findings = [f for f in Guard(OTHER).check(text, date=dt.date(2026, 12, 1)).findings if f.rule_id == "unofficial.election"]
    assert [f.severity for f in findings] == ["info"]


def test_political_content_in_an_election_period_goes_to_the_chief() -> None:
    for policy in (BOARD, OTHER):
        report = Guard(policy).check("期日前投票は市役所で行えます。", date=dt.date(2026, 11, 12))
        found = [f for f in report.findings if f.rule_id == "unofficial.election"]
        assert [f.severity for f in found] == ["warning"], policy
        assert "市議会議員一般選挙" in found[0].explanation
        assert report.decision.route == "section_chief"
    assert Guard(OTHER).check("ごみの収集日が変わります。", date=dt.date(2026, 11, 12)).findings == []


def test_vote_for_a_candidate_is_an_error_even_from_the_board() -> None:
    report = Guard(BOARD).check("山田太郎候補に清き一票をお願いします。", date=dt.date(2026, 12, 1))
    assert [f.severity for f in report.findings if f.rule_id == "unofficial.election"] == ["error"]
    assert report.decision.route == "revise"


# --- phrase rules are validated data ------------------------------------------------------------


def test_every_phrase_rule_compiles() -> None:
    rules = [r for r in load_ruleset().rules if r.spec.kind == "code" and r.spec.function == "phrases"]
    assert len(rules) >= 12
    for rule in rules:
        compile_phrases(rule.spec.params)


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"entries": [{"pattern": "("}]}, "entries[0].pattern"),
        ({"entries": [{"pattern": "a", "sugestions": []}]}, "unknown key"),
        ({"entries": [{"pattern": "a", "severity": "fatal"}]}, "severity"),
        ({"entries": []}, "entries"),
        ({"entries": [{"pattern": "a"}], "quoted": "drop"}, "quoted"),
        ({"entries": [{"pattern": "(?P<x>a)"}]}, "named groups"),
    ],
)
def test_bad_phrase_params_are_refused(params: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error.replace("[", r"\[").replace("]", r"\]")):
        compile_phrases(params)


# --- drafts not in Japanese ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def lang_guard() -> Guard:
    """The shipped rules (the language rule is rules/accuracy/language.toml)."""
    return Guard()


def test_language_rule_examples(lang_guard: Guard) -> None:
    rule = lang_guard.ruleset.get("accuracy.language")
    assert rule is not None
    assert {bool(ex.expect) for ex in rule.spec.examples} == {True, False}
    for ex in rule.spec.examples:
        report = lang_guard.check(ex.text, kind=ex.kind, date=DAY, only=[rule.id])
        found = [ex.text[f.start : f.end] for f in report.findings]
        assert found == ex.expect, ex.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The city office will be closed from December 29 to January 3.", "英語"),
        ("A coleta de lixo não será feita no dia 1 de janeiro.", "ポルトガル語"),
        ("La oficina de la ciudad estará cerrada del 29 de diciembre.", "スペイン語"),
        ("Văn phòng thành phố sẽ đóng cửa từ ngày 29 tháng 12.", "ベトナム語"),
        ("Sarado ang tanggapan ng lungsod sa mga araw na ito.", "タガログ語"),
        ("市政府办公室将于12月29日至1月3日休息。", "中国語"),
        ("시청은 12월 29일부터 휴무입니다.", "韓国語"),
        ("नगरपालिका कार्यालय बन्द हुनेछ।", "ネパール語・ヒンディー語"),
        ("年末年始は市役所が休みになります。", None),
        ("「Fuji International Jazz Festival」を開催します。", None),
        ("富士市役所　年末年始休業のお知らせ", None),
        ("日時：１１月３日（日）場所：中央公園", None),
    ],
)
def test_line_language(text: str, language: str | None) -> None:
    import unicodedata

    assert line_language(unicodedata.normalize("NFKC", text)) == language


def test_foreign_draft_is_not_passed_as_clean_and_independent_checks_still_run(lang_guard: Guard) -> None:
    text = "The city office will be closed from December 29 to January 3.\nPassword: Fuji2024!xyz"
    report = lang_guard.check(text, date=DAY)
    lang = [f for f in report.findings if f.rule_id == "accuracy.language"]
    assert sorted(f.severity for f in lang) == ["info", "warning"]
    info = next(f for f in lang if f.severity == "info")
    assert "差別語" in info.message and "認証情報" in info.message
    assert any(f.category == "credential" for f in report.findings)
    clean = lang_guard.check("The city office will be closed from December 29 to January 3.", date=DAY)
    assert clean.decision.route == "section_chief"
    assert [f.severity for f in clean.findings] == ["info", "warning"]


def test_short_pointer_to_translations_is_only_info(lang_guard: Guard) -> None:
    text = (
        "年末年始は市役所の窓口が休みになります。１２月２９日（月）から１月３日（土）までです。"
        "証明書はコンビニでも取得できます。急ぎの手続きは、宿直室へお問い合わせください。\n"
        "Information in other languages (English / Português): https://www.city.example.lg.jp/multi/"
    )
    found = [f.severity for f in lang_guard.check(text, date=DAY).findings if f.rule_id == "accuracy.language"]
    assert found == ["info"]


def test_foreign_passages_merge_consecutive_lines() -> None:
    text = "お知らせ\nThe office is closed today and tomorrow.\n\nPlease use the online service instead.\n以上です。"
    [(s, e, lang)] = foreign_passages(text)
    assert lang == "英語" and text[s:e].startswith("The office") and text[s:e].endswith("instead.")


# --- the shared cue search is exact ---------------------------------------------------------------


def _analysis(text: str, kind: str = "post") -> Analysis:
    norm = normalize(text)
    return Analysis(norm, tokenize(norm.light.text), kind, DAY, None)


def test_cue_sets_find_exactly_what_is_there(guard: Guard) -> None:
    guard.check("テスト", kind="reply", date=DAY)  # every rule compiled: every cue set registered
    sets = [statements._CUE, statements._EVAL_CUE, statements._ELECTION_CUE]
    for rule in load_ruleset().rules:
        if rule.spec.kind == "code" and rule.spec.function == "phrases":
            compiled = compile_phrases(rule.spec.params)
            sets += [compiled.cues] + [e.cues for e in compiled.entries]
    texts = (ROOT / "tests" / "data" / "clean_sentences.txt").read_text(encoding="utf-8").splitlines()
    texts += [ex.text for rule in load_ruleset().rules for ex in rule.spec.examples]
    for text in texts:
        for kind in ("post", "reply"):
            a = _analysis(text, kind)
            for cues in sets:
                if cues is None:
                    continue
                expected = any(s in a.light for s in cues.strings)
                assert (cues.find(a) is not None) == expected, (text, sorted(cues.strings)[:5])


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        ("(?:それは)?(?:誤解|勘違い)です", {"誤解", "勘違い"}),
        ("ご理解(?:ください|下さい)(?!ます)", {"ご理解"}),
        ("[(（]笑[)）]", {"笑"}),
        ("(?:絶対に?|断じて)[^。]{0,12}?(?:ません|ない)", {"絶対", "断じて"}),
        ("[一-龥]+", None),
        ("\\p{Han}人", None),  # the stdlib parser does not know \\p{…}: no prefilter at all
    ],
)
def test_required_strings(pattern: str, required: set[str] | None) -> None:
    assert required_strings(pattern) == (frozenset(required) if required is not None else None)


def test_demote_quoted_turns_quoted_wording_findings_into_info(guard: Guard) -> None:
    from types import SimpleNamespace

    from fujisns_guard.model import Hit
    from fujisns_guard.quotes import demote_quoted

    light = "「外人は帰れ」という書き込みがありました。外人の方へ。電話は「090-1234-5678」とのことです。"
    words = SimpleNamespace(spec=SimpleNamespace(kind="wordlist", category="discriminatory"))
    phone = SimpleNamespace(spec=SimpleNamespace(kind="code", category="personal_info"))
    first = light.index("外人")
    second = light.index("外人", first + 1)
    number = light.index("090")
    hits = [
        (words, Hit("discriminatory.terms", first, first + 2, "外人", "語リスト", severity="error")),
        (words, Hit("discriminatory.terms", second, second + 2, "外人", "語リスト", severity="error")),
        (phone, Hit("personal_info.phone", number, number + 13, "090-1234-5678")),
    ]
    out = demote_quoted(hits, light)
    assert [h.severity for _, h in out] == ["info", "error", None]
    assert "引用" in out[0][1].detail
    assert demote_quoted([], light) == []


def test_demote_quoted_wired_into_the_engine(guard: Guard) -> None:
    """The engine demotes word findings inside a discussed or reported quotation."""
    report = guard.check("「外人は帰れ」という書き込みがありました。外人の方も参加できます。", date=DAY)
    terms = [(f.excerpt, f.severity) for f in report.findings if f.rule_id == "discriminatory.terms"]
    assert terms == [("外人", "info"), ("外人", "error")]


def test_an_honest_verdict_on_an_event_is_an_opinion() -> None:
    from fujisns_guard import check

    hits = [f for f in check("例のイベント、正直つまらなかったですね笑").findings if f.category == "unofficial"]
    assert hits and hits[0].severity == "warning"
    assert not [f for f in check("所得は正直に申告してください。").findings if f.category == "unofficial"]
    assert not [f for f in check("正直村の朝市は毎週日曜日です。").findings if f.category == "unofficial"]
