"""The published-content index (scope/index.py, scope/sources.py) on the examples and on edge cases."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fujisns_guard.policy import load_policy
from fujisns_guard.scope import (
    IndexError_,
    PublishedIndex,
    build_index,
    facts_of_text,
    index_path_for,
    load_for_policy,
)
from fujisns_guard.scope import index as index_mod
from fujisns_guard.scope.index import split_sentences

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOMI_URL = "https://www.city.fuji.shizuoka.jp/kurashi/gomi/shushu.html"


@pytest.fixture(scope="module")
def example_index(tmp_path_factory: pytest.TempPathFactory) -> PublishedIndex:
    out = tmp_path_factory.mktemp("ix") / "ex.fgi"
    stats = build_index([EXAMPLES / "published"], EXAMPLES / "faq" / "faq.csv", out)
    assert stats.errors == () and stats.pages == 7 and stats.faq_entries == 7
    return PublishedIndex.load(out)


def best(ix: PublishedIndex, sentence: str):  # type: ignore[no-untyped-def]
    found = ix.lookup(facts_of_text(sentence))
    assert found, sentence
    return found[0]


def test_a_restated_sentence_is_supported_by_its_page(example_index: PublishedIndex) -> None:
    s = best(example_index, "燃やすごみの収集日は毎週月曜日と木曜日です。")
    assert s.supported and s.score == 1.0 and s.differs == ()
    assert s.source == "published" and s.url == GOMI_URL and s.title.startswith("ごみの収集日")
    assert "月曜日と木曜日" in s.passage


def test_the_same_sentence_with_another_day_names_the_value(example_index: PublishedIndex) -> None:
    s = best(example_index, "燃やすごみの収集日は毎週火曜日と木曜日です。")
    assert not s.supported and s.url == GOMI_URL
    assert s.differs == (f"曜日が違います: 下書き 火曜日 / 公表済み 月曜日（{GOMI_URL}）",)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("燃やすごみは朝9時までに集積所へ出してください。", "時刻が違います: 下書き 9時 / 公表済み 8時30分"),
        ("住民票の写しの手数料は1通350円です。", "金額が違います: 下書き 350円 / 公表済み 300円"),
        (
            "第45回富士まつりは8月8日に吉原商店街周辺で開催します。",
            "日付が違います: 下書き 8月8日 / 公表済み 2026年8月1日・2026年8月2日",
        ),
    ],
)
def test_a_changed_value_is_not_supported(example_index: PublishedIndex, sentence: str, reason: str) -> None:
    s = best(example_index, sentence)
    assert not s.supported
    assert any(d.startswith(reason) for d in s.differs), s.differs


@pytest.mark.parametrize(
    "sentence",
    [
        "燃やすごみは、朝８時３０分までに指定の集積所へ出してください。",  # full-width digits
        "住民票の写しの手数料は１通３００円です。",
        "第45回富士まつりは8月1日(土)・2日(日)に吉原商店街周辺で開催します。",  # another range notation
        "冬のマルシェは12月13日（日）10:00から市役所前広場で開催します。",  # 午前10時 on the page
        "転入届の受付時間は8:30から17:15までです。",  # 午前8時30分から午後5時15分
    ],
)
def test_values_written_differently_still_match(example_index: PublishedIndex, sentence: str) -> None:
    s = best(example_index, sentence)
    assert s.supported, (s.passage, s.differs)


def test_faq_answers_support_and_name_their_id(example_index: PublishedIndex) -> None:
    found = example_index.lookup(facts_of_text("転入届は引っ越してから14日以内に市民課へ届け出てください。"))
    faq = [s for s in found if s.source == "faq"]
    assert faq and faq[0].supported and faq[0].id == "faq-todokede-001" and faq[0].url is None


def test_new_content_is_not_supported(example_index: PublishedIndex) -> None:
    for sentence in ("燃やすごみの収集を来年から週1回に減らします。", "新しい図書館の建設を検討しています。"):
        assert not any(s.supported for s in example_index.lookup(facts_of_text(sentence)))


def test_a_link_alone_is_supported_by_the_linked_page(example_index: PublishedIndex) -> None:
    found = example_index.lookup(facts_of_text(f"詳しくは {GOMI_URL} をご覧ください。"))
    assert [s.url for s in found] == [GOMI_URL] and found[0].supported
    assert not any(s.supported for s in example_index.lookup(facts_of_text("ぜひお越しください。")))  # one key word


def test_html_boilerplate_is_not_indexed(example_index: PublishedIndex) -> None:
    for text in ("トップページ", "Copyright", "dataLayer", "417-8601"):
        assert not any(text in p for p in example_index._passages), text


def test_sources_and_staleness(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("図書館の休館日\n中央図書館は毎週月曜日が休館日です。\n", encoding="utf-8")
    out = tmp_path / "ix.fgi"
    stats = build_index([str(pages), "https://www.city.fuji.shizuoka.jp/"], None, out)
    assert stats.pages == 1 and stats.passages == 1 and stats.skipped[0][0] == "https://www.city.fuji.shizuoka.jp/"
    ix = PublishedIndex.load(out)
    assert ix.sources.pages == 1 and ix.sources.files == (str(pages / "a.txt"),) and ix.sources.built_at
    assert ix.stale() == []
    a = pages / "a.txt"
    os.utime(a, ns=(a.stat().st_atime_ns, a.stat().st_mtime_ns + 10**9))
    (pages / "b.html").write_text("<title>b</title><p>新しいページです。</p>", encoding="utf-8")
    assert sorted(ix.stale()) == [str(a), str(pages / "b.html")]
    a.unlink()
    assert str(a) in ix.stale()


def test_bad_files_are_one_line_each_and_the_rest_is_indexed(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text("ごみ\n燃やすごみは月曜日です。", encoding="utf-8")
    (pages / "sjis.txt").write_bytes("ごみ\n燃やすごみは火曜日です。".encode("cp932"))
    (pages / "lines.jsonl").write_text(
        '{"url": "https://x.example/a", "title": "t", "text": "本文です。"}\nnot json\n{"title": "no text"}\n'
    )
    faq = tmp_path / "faq.csv"
    faq.write_text("id,question\n1,q\n", encoding="utf-8")
    stats = build_index([pages, tmp_path / "missing"], faq, tmp_path / "ix.fgi")
    assert stats.pages == 2 and stats.faq_entries == 0
    assert all("\n" not in e for e in stats.errors)
    joined = "\n".join(stats.errors)
    assert f"{pages / 'sjis.txt'}: UTF-8 として読めません" in joined and "cp932" in joined
    assert f"{pages / 'lines.jsonl'}:2: JSON として読めません" in joined
    assert f"{pages / 'lines.jsonl'}:3: text がありません" in joined
    assert f"{faq}: 見出し行に answer の列がありません" in joined
    assert f"{tmp_path / 'missing'}: 見つかりません" in joined


def test_faq_csv_with_bom_and_jsonl(tmp_path: Path) -> None:
    csv_file = tmp_path / "faq.csv"
    csv_file.write_bytes("\ufeffid,question,answer\nq1,手数料は？,住民票の写しは1通300円です。\n".encode())
    jsonl = tmp_path / "faq.jsonl"
    jsonl.write_text('{"id": "q2", "question": "駐車場は？", "answer": "市役所の駐車場は無料です。"}\n', encoding="utf-8")
    for path, fid in ((csv_file, "q1"), (jsonl, "q2")):
        out = tmp_path / f"{fid}.fgi"
        assert build_index([], path, out).faq_entries == 1
        assert PublishedIndex.load(out)._pages[0][1] == fid


def test_shift_jis_html_declared_in_meta(tmp_path: Path) -> None:
    html = '<html><head><meta charset="Shift_JIS"><title>お知らせ</title></head><body><p>窓口は市民課です。</p></body></html>'
    (tmp_path / "p.html").write_bytes(html.encode("cp932"))
    out = tmp_path / "ix.fgi"
    assert build_index([tmp_path / "p.html"], None, out).errors == ()
    assert list(PublishedIndex.load(out)._passages) == ["窓口は市民課です。"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "索引ファイルではありません"),
        (b"PK\x03\x04 not an index", "索引ファイルではありません"),
        (index_mod.MAGIC + b" 1\n", "形式が違います"),  # an index of an earlier version
        (index_mod.MAGIC + b" %d\n" % index_mod.FORMAT_VERSION + b"garbage", "壊れています"),
        (index_mod.MAGIC + b" %d\n" % index_mod.FORMAT_VERSION + zlib.compress(b"\x05\x00\x00\x00[1,2]"), "壊れています"),
    ],
)
def test_a_corrupt_or_foreign_file_is_one_line_naming_it(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.fgi"
    bad.write_bytes(content)
    with pytest.raises(IndexError_) as exc:
        PublishedIndex.load(bad)
    assert str(exc.value).startswith(f"{bad}: ") and message in str(exc.value) and "\n" not in str(exc.value)


def test_a_truncated_or_tampered_index_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ix.fgi"
    build_index([EXAMPLES / "published"], None, out)
    data = out.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexError_):
        PublishedIndex.load(out)
    # valid zlib, but an id pointing outside the tables (the last posting) or a broken offset
    head, _, body = data.partition(b"\n")
    raw = zlib.decompress(body)
    hlen = int.from_bytes(raw[:4], "little")
    header = json.loads(raw[4 : 4 + hlen])
    n = header["arrays"]
    start = 4 + hlen + header["lazy_bytes"] + header["blob_bytes"]
    last_post = start + 4 * (n["post_off"] + n["post"]) - 4
    for pos in (last_post, len(raw) - 4):
        tampered = bytearray(raw)
        tampered[pos : pos + 4] = b"\xff\xff\xff\x7f"
        out.write_bytes(head + b"\n" + zlib.compress(bytes(tampered)))
        with pytest.raises(IndexError_):
            PublishedIndex.load(out)


def test_the_policy_index_path_and_cached_load(tmp_path: Path) -> None:
    policy = load_policy(EXAMPLES / "policy" / "guard.toml")
    path = index_path_for(policy)
    assert path.parent == EXAMPLES / ".guard-index" and path.suffix == ".fgi"
    assert load_for_policy(None) is None
    pages = tmp_path / "published"
    pages.mkdir()
    (pages / "a.txt").write_text("t\n燃やすごみは月曜日です。", encoding="utf-8")
    (tmp_path / "guard.toml").write_text('[scope]\npublished = ["published"]\n', encoding="utf-8")
    own = load_policy(tmp_path / "guard.toml")
    assert load_for_policy(own) is None  # not built yet
    build_index(own.scope.published, own.scope.faq, index_path_for(own))
    first = load_for_policy(own)
    assert first is not None and first is load_for_policy(own)
    assert index_path_for(own).parent == tmp_path / ".guard-index"
    empty = load_policy(EXAMPLES / "policy" / "guard.toml").model_copy(
        update={"scope": own.scope.model_copy(update={"published": []})}
    )
    assert load_for_policy(empty) is None


def test_sentences_are_split_and_capped() -> None:
    text = "一つ目です。二つ目！\n三つ目？" + "あ、" * 150 + "。"
    spans = split_sentences(text)
    assert all(e - s <= index_mod.MAX_PASSAGE for s, e in spans)
    assert [text[s:e] for s, e in spans[:2]] == ["一つ目です。", "二つ目！"]
    assert "".join(text[s:e] for s, e in spans[2:]) == text[text.index("三") :]


def test_lookup_reads_a_bounded_number_of_postings(tmp_path: Path) -> None:
    """Sublinear: with many pages sharing common words, lookup reads the rare terms' postings
    and at most POSTINGS_BUDGET others, never every page."""
    lines = [
        json.dumps(
            {
                "url": f"https://x.example/{i}",
                "title": f"ごみの収集 {i}",
                "text": f"第{i}地区の燃やすごみの収集日は毎週月曜日です。",
            }
        )
        for i in range(300)
    ]
    (tmp_path / "p.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "ix.fgi"
    build_index([tmp_path / "p.jsonl"], None, out)
    ix = PublishedIndex.load(out)
    read: list[int] = []
    original = ix._candidates

    def spy(facts):  # type: ignore[no-untyped-def]
        got = original(facts)
        read.append(len(got))
        return got

    ix._candidates = spy  # type: ignore[method-assign]
    found = ix.lookup(facts_of_text("第7地区の燃やすごみの収集日は毎週月曜日です。"))
    assert found[0].url == "https://x.example/7" and found[0].supported
    assert read == [index_mod.CANDIDATES]


def _jsonl_index(tmp_path: Path, pages: list[tuple[str, str]]) -> PublishedIndex:
    lines = [
        json.dumps({"url": f"https://x.example/{i}", "title": t, "text": x}, ensure_ascii=False) for i, (t, x) in enumerate(pages)
    ]
    (tmp_path / "p.jsonl").write_text("\n".join(lines), encoding="utf-8")
    build_index([tmp_path / "p.jsonl"], None, tmp_path / "ix.fgi")
    return PublishedIndex.load(tmp_path / "ix.fgi")


def test_a_different_subject_word_is_not_outvoted_by_common_words(tmp_path: Path) -> None:
    ix = _jsonl_index(
        tmp_path,
        [
            ("児童館の案内", "富士南児童館の休館日は、毎週月曜日です。"),
            ("図書館の案内", "中央図書館の休館日は、毎週火曜日です。"),
            ("公民館の案内", "吉原公民館の休館日は、毎週水曜日です。"),
        ],
    )
    assert best(ix, "富士南児童館の休館日は、毎週月曜日です。").supported
    # 4 of 5 words match, but the one that differs (科学館) is what the sentence is about
    assert not any(s.supported for s in ix.lookup(facts_of_text("富士南科学館の休館日は、毎週月曜日です。")))


def test_facts_split_over_two_sentences_and_no_borrowed_values(tmp_path: Path) -> None:
    ix = _jsonl_index(
        tmp_path,
        [
            ("ごみの収集日", "燃やすごみの収集日は、毎週月曜日です。収集日の朝8時30分までに出してください。"),
            ("木島第25地区のごみ", "木島第25地区の燃やすごみは朝9時までに出してください。資源ごみの収集日は毎月第1木曜日です。"),
        ],
    )
    s = best(ix, "燃やすごみの収集日は毎週月曜日で、朝8時30分までに出してください。")
    assert s.supported and s.passage == "燃やすごみの収集日は、毎週月曜日です。収集日の朝8時30分までに出してください。"
    # 第1 in the next sentence must not stand in for the district number the sentence itself states
    assert not any(s.supported for s in ix.lookup(facts_of_text("木島第1地区の燃やすごみは朝9時までに出してください。")))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.sampled_from("燃やすごみの収集日は毎週月火曜木金土日です。朝8時30分300円第45回富士まつり吉原、 \n"),
        max_size=60,
    )
)
def test_lookup_never_raises_and_scores_are_shares(example_index: PublishedIndex, text: str) -> None:
    for s in example_index.lookup(facts_of_text(text)):
        assert 0.0 <= s.score <= 1.0 and len(s.passage) <= index_mod.MAX_PASSAGE
        assert not (s.supported and s.differs)


def test_a_word_only_titles_hold_is_weighed_like_a_rare_word(tmp_path: Path) -> None:
    ix = _jsonl_index(tmp_path, [("狩野川の鮎釣り", "解禁日は6月1日です。")])
    found = ix.lookup(facts_of_text("鮎釣りの解禁日は6月1日です。"))  # 鮎釣り is only in the title
    assert found and found[0].supported


def test_a_repeated_sentence_is_answered_from_the_memo(example_index: PublishedIndex) -> None:
    facts = facts_of_text("燃やすごみの収集日は毎週月曜日と木曜日です。")
    first = example_index.lookup(facts)
    calls: list[int] = []
    original = example_index._candidates
    example_index._candidates = lambda f: calls.append(1) or original(f)  # type: ignore[method-assign]
    try:
        assert example_index.lookup(facts_of_text("燃やすごみの収集日は毎週月曜日と木曜日です。")) == first
        assert calls == []
        example_index.lookup(facts, limit=1)  # another limit is another question
        assert calls == [1]
    finally:
        del example_index._candidates


def test_two_values_of_one_kind_over_two_sentences(tmp_path: Path) -> None:
    ix = _jsonl_index(
        tmp_path,
        [("証明書の手数料", "住民票の写しの交付手数料は1通300円です。コンビニ交付を利用すると1通200円です。")],
    )
    # the draft states both fees: each sentence's value is matched, none replaced
    assert best(ix, "住民票の写しの交付手数料は1通300円、コンビニ交付は1通200円です。").supported
    # the words of one sentence with the value of the other: not supported, and the fee is named
    s = best(ix, "住民票の写しの交付手数料は1通200円です。")
    assert not s.supported and any("300円" in d for d in s.differs)
    s = best(ix, "住民票の写しの交付手数料は1通300円、コンビニ交付は1通250円です。")
    assert not s.supported


def test_opposite_words_are_a_difference(tmp_path: Path) -> None:
    ix = _jsonl_index(tmp_path, [("転入届", "マイナンバーカードで転出届をした方は、転出証明書は不要です。")])
    assert best(ix, "マイナンバーカードで転出届をした方は、転出証明書はいりません。").supported
    s = best(ix, "マイナンバーカードで転出届をした方は、転出証明書が必要です。")
    assert not s.supported and s.differs and "不要" in s.differs[0]


def test_an_index_built_with_another_word_table_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ix.fgi"
    build_index([EXAMPLES / "published"], None, out)
    raw = out.read_bytes()
    nl = raw.index(b"\n")
    body = zlib.decompress(raw[nl + 1 :])
    hlen = int.from_bytes(body[:4], "little")
    header = json.loads(body[4 : 4 + hlen])
    header["words"] = "0" * 16
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out.write_bytes(raw[: nl + 1] + zlib.compress(len(head).to_bytes(4, "little") + head + body[4 + hlen :]))
    with pytest.raises(IndexError_, match="語の表"):
        PublishedIndex.load(out)


def test_no_difference_when_an_equally_close_passage_states_the_values(tmp_path: Path) -> None:
    ix = _jsonl_index(
        tmp_path,
        [
            ("証明書の手数料", "コンビニ交付の利用時間は、毎日午前6時30分から午後11時までです(12月29日から1月3日までを除く)。"),
            ("富士まつり", "公共交通機関をご利用ください。"),
        ],
    )
    found = ix.lookup(facts_of_text("ただし12月29日から1月3日まではご利用いただけません。"))
    assert len(found) == 2 and not any(s.supported for s in found)  # one key word: no support
    assert not any(s.differs for s in found)  # but the dates are published: no contradiction either
    # without the page stating the dates, the other page's missing dates are named
    ix = _jsonl_index(tmp_path, [("富士まつり", "公共交通機関をご利用ください。")])
    assert best(ix, "ただし12月29日から1月3日まではご利用いただけません。").differs
