"""Normalization keeps a map back to the original: spans stay inside it and in order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fujisns_guard.normalize import fold_term, normalize

_JA = st.text(
    alphabet=st.sampled_from(
        list("あいうかきくがぎぐカキクガギグｶｷｸｶﾞﾊﾟ１２３ABCａｂｃ　 ・ー－〜㈱①\u200b\u200d\ufe0f\u3099\u309a\u0301\r\n漢字看護婦")
    ),
    max_size=40,
)
_ANY = st.text(max_size=40)


def _check_maps(original: str) -> None:
    n = normalize(original)
    for view in (n.light, n.folded):
        assert len(view.starts) == len(view.text) == len(view.ends)
        prev = 0
        for s, e in zip(view.starts, view.ends, strict=True):
            assert 0 <= s < e <= len(original)
            assert s >= prev  # order is kept
            prev = s
    assert len(n.folded_to_light) == len(n.folded.text)
    for i in range(len(n.light.text) + 1):
        for j in range(i, min(len(n.light.text), i + 3) + 1):
            s, e = n.light.to_original(i, j)
            assert 0 <= s <= e <= len(original)


@given(_JA)
def test_maps_japanese_like(original: str) -> None:
    _check_maps(original)


@given(_ANY)
def test_maps_any_string(original: str) -> None:
    _check_maps(original)


@given(st.one_of(_JA, _ANY))
def test_light_view_is_idempotent(original: str) -> None:
    once = normalize(original).light.text
    assert normalize(once).light.text == once


@given(st.one_of(_JA, _ANY))
def test_folded_view_is_idempotent(original: str) -> None:
    once = normalize(original).folded.text
    assert normalize(once).folded.text == once


def test_half_width_kana_composes_and_maps_back() -> None:
    n = normalize("ｷﾁｶﾞｲ")
    assert n.light.text == "キチガイ"
    assert n.light.to_original(2, 3) == (2, 4)  # ガ came from ｶﾞ


def test_invisible_characters_removed() -> None:
    n = normalize("キ\u200bチ\u2060ガ\ufeffイ")
    assert n.light.text == "キチガイ"
    assert n.light.to_original(0, 4) == (0, 7)


def test_expansion_maps_to_the_whole_source() -> None:
    n = normalize("㈱富士")
    assert n.light.text == "(株)富士"
    assert n.light.to_original(1, 2) == (0, 1)


def test_folded_view_bridges_spaced_letters() -> None:
    assert normalize("き ち が い").folded.text == "キチガイ"
    assert normalize("キ・チ・ガ・イ").folded.text == "キチガイ"
    assert fold_term("ｶﾝｺﾞﾌ") == "カンゴフ"


def test_folded_view_bridges_runs_of_spaced_single_kanji() -> None:
    # detector_eval L91, L144: 取 扱 注 意, 看 護 婦
    n = normalize("取 扱 注 意\u3000職員配置表")
    assert n.folded.text == "取扱注意 職員配置表"
    assert n.folded_to_light_span(0, 4) == (0, 7)
    assert normalize("看 護 婦を募集").folded.text == "看護婦ヲ募集"
    assert normalize("資料 取 扱 注 意").folded.text == "資料 取扱注意"
    # never lists: ・ between kanji, two kanji only, two spaces, words of two kanji
    for text in ("父・兄", "父 兄", "企業・病院", "看  護  婦", "東京 大阪 名古屋", "取・扱・注・意"):
        assert normalize(text).folded.text == text, text


def test_long_vowel_variants_unified_after_kana_only() -> None:
    assert normalize("カ-ド").folded.text == "カード"
    assert normalize("キチガ〜イ").folded.text == "キチガーイ"
    assert normalize("もう一度").folded.text == "モウ一度"  # a kanji is never a long vowel
    assert normalize("10-20").folded.text == "10-20"
