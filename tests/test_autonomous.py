"""Issue 7 "Done when": the example policy, pages and FAQ decide who may post a draft.

The examples are copied into a temporary folder (the index is written next to the sources) and
indexed once; then each acceptance case is checked through the library and the CLI.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from fujisns_guard import Guard
from fujisns_guard.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOMI_URL = "https://www.city.fuji.shizuoka.jp/kurashi/gomi/shushu.html"
GOMI = f"""【ごみの収集日のお知らせ】
燃やすごみの収集日は、毎週月曜日と木曜日です。
収集日の朝8時30分までに指定の集積所へ出してください。
詳しくはこちら {GOMI_URL}
"""


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for name in ("policy", "published", "faq"):
        shutil.copytree(EXAMPLES / name, root / name)
    code, _out, err = _run("index", "build", "--policy", str(root / "policy" / "guard.toml"))
    assert code == 0, err
    return root


@pytest.fixture(scope="module")
def guard(site: Path) -> Guard:
    return Guard(site / "policy" / "guard.toml")


def test_a_draft_restating_a_published_page_is_autonomous(guard: Guard) -> None:
    report = guard.check(GOMI)
    d = report.decision
    assert d.route == "autonomous", d.reasons
    assert d.basis == ["published"]
    assert GOMI_URL in {s["url"] for s in d.support}
    assert all(s["basis"] == "published" and s["score"] > 0 for s in d.support)
    assert len(d.obligations) == 2
    assert "2 人以上" in d.obligations[0] and "G-POST-3" in d.obligations[0]
    assert "G-POST-4" in d.obligations[1]
    content = [s for s in d.sentences if s.role == "content"]
    assert content and all(s.basis == "published" and s.support for s in content)


def test_the_same_draft_with_the_collection_day_changed_needs_the_chief(guard: Guard) -> None:
    changed = GOMI.replace("月曜日と木曜日", "火曜日と金曜日")
    d = guard.check(changed).decision
    assert d.route == "section_chief"
    [reason] = [r for r in d.reasons if "燃やすごみの収集日は" in r]
    assert reason.startswith("2行")  # names the sentence …
    assert "火曜日" in reason and "月曜日" in reason  # … and the value that differs
    [sentence] = [s for s in d.sentences if "火曜日" in s.text]
    assert sentence.basis is None


def test_a_changed_fee_in_an_faq_answer_is_not_supported(guard: Guard) -> None:
    ok = guard.check("住民票の写しの交付手数料は1通300円です。").decision
    assert ok.route == "autonomous" and ok.basis[0] in ("faq", "published")
    wrong = guard.check("住民票の写しの交付手数料は1通400円です。").decision
    assert wrong.route == "section_chief"
    assert any("400" in r and "300" in r for r in wrong.reasons)


def test_an_event_result_is_an_established_fact(guard: Guard) -> None:
    d = guard.check("昨日の富士まつりには約3万人が来場しました。").decision
    assert d.route == "autonomous"
    assert d.basis == ["established_fact"]
    assert d.sentences[0].basis == "established_fact"


@pytest.mark.parametrize(
    "text",
    [
        "来年度から、市民プールの利用料を無料にすることを検討しています。",  # an undecided new policy
        "個人的には、今年の富士まつりが一番楽しかったと思います。",  # a personal opinion
        "先日の投稿でご迷惑をおかけし、申し訳ありませんでした。",  # an apology
    ],
)
def test_policy_opinion_and_apology_go_to_the_chief(guard: Guard, text: str) -> None:
    d = guard.check(text).decision
    assert d.route == "section_chief"
    assert not d.obligations
    assert any(text[:10] in r for r in d.reasons)


def test_a_citizens_phone_number_means_revise(guard: Guard) -> None:
    d = guard.check(GOMI + "落とし物は山田さん（090-1234-5678）まで。\n").decision
    assert d.route == "revise"
    assert d.sentences == [] and not d.obligations


def test_cli_json_carries_basis_support_and_obligations(site: Path, tmp_path: Path) -> None:
    draft = tmp_path / "gomi.txt"
    draft.write_text(GOMI, encoding="utf-8")
    code, out, err = _run("check", "--policy", str(site / "policy" / "guard.toml"), "--format", "json", str(draft))
    assert code == 0, err
    [report] = json.loads(out)
    d = report["decision"]
    assert d["route"] == "autonomous" and d["basis"] == ["published"]
    assert d["support"][0]["url"] == GOMI_URL and len(d["obligations"]) == 2
    code, text_out, _ = _run("check", "--policy", str(site / "policy" / "guard.toml"), str(draft))
    assert "判定 autonomous" in text_out and "根拠 2行: 公表済みの内容" in text_out and GOMI_URL in text_out


def test_a_stale_index_is_reported_and_not_trusted(tmp_path: Path) -> None:
    for name in ("policy", "published", "faq"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    policy = tmp_path / "policy" / "guard.toml"
    assert _run("index", "build", "--policy", str(policy))[0] == 0
    page = tmp_path / "published" / "gomi_shushu.html"
    page.write_text(page.read_text(encoding="utf-8").replace("月曜日と木曜日", "火曜日と金曜日"), encoding="utf-8")
    st = page.stat()
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = Guard(policy).check(GOMI)
    assert report.decision.route == "section_chief"
    assert any("索引が古くなっています" in n for n in report.notes)


def test_without_an_index_the_report_says_how_to_build_it(tmp_path: Path) -> None:
    for name in ("policy", "published", "faq"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    report = Guard(tmp_path / "policy" / "guard.toml").check(GOMI)
    assert report.decision.route == "section_chief"
    assert any("guard index build" in n for n in report.notes)


def test_redacted_reports_mask_names_in_sentences_too(guard: Guard) -> None:
    report = guard.check("昨日の富士まつりには約3万人が来場しました。\n山田太郎さんも来場しました。")
    names = [f.excerpt for f in report.findings if f.category == "personal_info"]
    assert names, report.findings
    shown = report.redacted().model_dump_json()
    for name in names:
        assert name not in shown


def test_a_procedure_that_contradicts_the_citys_published_procedure_is_not_2c(guard: Guard) -> None:
    law = "（住民基本台帳法第22条）"
    right = guard.check(f"転入届は、引っ越してから14日以内に市民課へ提出してください{law}。").decision
    assert right.route == "autonomous" and right.basis == ["legal_procedure"]
    wrong = guard.check(f"転入届は、引っ越してから30日以内に市民課へ提出してください{law}。").decision
    assert wrong.route == "section_chief"
    assert any("14日以内" in r for r in wrong.reasons)  # the reason shows what the city published
