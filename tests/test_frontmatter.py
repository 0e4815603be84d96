"""Draft front matter: TOML between `---` lines, offsets into the whole file."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fujisns_guard.frontmatter import FrontMatterError, parse_front_matter

ROOT = Path(__file__).resolve().parents[1]
BODY = "市役所前広場でマルシェを開催します。\n"


def block(lines: list[str], nl: str = "\n", bom: bool = False, fence: str = "---") -> str:
    return ("\ufeff" if bom else "") + nl.join([fence, *lines, fence]) + nl


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [False, True])
def test_body_start_with_any_line_end_and_bom(nl: str, bom: bool) -> None:
    head = block(['platform = "x"', 'kind = "reply"', "date = 2026-12-01"], nl, bom)
    text = head + BODY
    fm = parse_front_matter(text)
    assert fm.body_start == len(head)
    assert text[fm.body_start :] == BODY
    assert fm.body_line == 6
    assert fm.meta is not None
    assert fm.meta.platform == ["x"] and fm.meta.kind == "reply" and fm.meta.date == _dt.date(2026, 12, 1)


def test_trailing_spaces_on_fences() -> None:
    text = '---  \nkind = "post"\n--- \t\n' + BODY
    fm = parse_front_matter(text)
    assert text[fm.body_start :] == BODY


def test_no_block() -> None:
    fm = parse_front_matter(BODY)
    assert fm.meta is None and fm.body_start == 0 and fm.body_line == 1
    assert parse_front_matter("").body_start == 0
    assert parse_front_matter("\ufeff" + BODY).body_start == 0  # the BOM is part of the body's text
    assert parse_front_matter(" ---\n---\n").meta is None  # the fence must start the line


def test_block_at_end_of_file_without_newline() -> None:
    text = '---\nkind = "post"\n---'
    fm = parse_front_matter(text)
    assert fm.body_start == len(text)


def test_empty_block() -> None:
    fm = parse_front_matter("---\n---\n" + BODY)
    assert fm.meta is not None and fm.meta.platform is None and fm.meta.allow == []
    assert fm.body_start == 8


def test_platform_list_is_normalised() -> None:
    fm = parse_front_matter(block(['platform = ["X", "Facebook", "x"]']))
    assert fm.meta is not None and fm.meta.platform == ["x", "facebook"]


def test_scheduled_time_keeps_the_day() -> None:
    fm = parse_front_matter(block(["date = 2026-12-01T09:30:00"]))
    assert fm.meta is not None and fm.meta.date == _dt.date(2026, 12, 1)


def test_allow_entries() -> None:
    text = (
        block(
            [
                'account = "@example"',
                'attachments = ["a.png"]',
                "[[allow]]",
                'rule = "personal_info"',
                'reason = "同意済み"',
                "[[allow]]",
                'term = "吉原"',
                'reason = "地名"',
                "line = 14",
            ]
        )
        + "一行目\n二行目\n吉原\n"
    )
    fm = parse_front_matter(text)
    assert fm.meta is not None
    assert fm.meta.account == "@example" and fm.meta.attachments == ["a.png"]
    first, second = fm.meta.allow
    assert (first.rule, first.term, first.line) == ("personal_info", None, None)
    assert (second.term, second.reason, second.line) == ("吉原", "地名", 14)


@pytest.mark.parametrize(
    ("lines", "key", "fragment"),
    [
        (["[[allow]]", 'rule = "tone"'], "allow[0].reason", "必須"),
        (["[[allow]]", 'rule = "tone"', 'reason = "  "'], "allow[0].reason", "空"),
        (["[[allow]]", 'reason = "x"'], "allow[0]", "どちらか一方"),
        (["[[allow]]", 'rule = "tone"', 'term = "x"', 'reason = "x"'], "allow[0]", "どちらか一方"),
        (["[[allow]]", 'rule = "Tone!"', 'reason = "x"'], "allow[0]", "規則ID"),
        (["[[allow]]", 'rule = "credential.password"', 'reason = "x"'], "allow[0]", "抑止できません"),
        (["[[allow]]", 'rule = "tone"', 'reason = "x"', "line = 2"], "allow[0].line", "本文の行番号"),
        (["[[allow]]", 'rule = "tone"', 'reason = "x"', "line = 99"], "allow[0].line", "本文の行番号"),
        (['platform = "myspace"'], "platform[0]", "いずれか"),
        (['kind = "tweet"'], "kind", "いずれか"),
        (['date = "tomorrow"'], "date", "日付"),
        (["colour = 1"], "colour", "知らない項目"),
    ],
)
def test_invalid_blocks_name_the_key(lines: list[str], key: str, fragment: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter(block(lines) + BODY)
    assert info.value.key == key and fragment in str(info.value)
    assert "\n" not in str(info.value) and key in str(info.value)


def test_unterminated_block_is_an_error() -> None:
    with pytest.raises(FrontMatterError, match="閉じていません"):
        parse_front_matter('---\nplatform = "x"\n' + BODY)


def test_a_leading_horizontal_rule_is_an_error_not_a_guess() -> None:
    with pytest.raises(FrontMatterError, match="区切り線"):
        parse_front_matter("---\nお知らせです\n---\n" + BODY)


def test_yaml_is_not_toml_and_the_line_is_the_file_line() -> None:
    with pytest.raises(FrontMatterError, match=r"line 3"):
        parse_front_matter('---\nkind = "post"\nplatform: x\n---\n' + BODY)


def test_example_drafts_parse() -> None:
    drafts = sorted((ROOT / "examples" / "drafts").glob("*.txt"))
    assert len(drafts) >= 3
    for path in drafts:
        text = path.read_text(encoding="utf-8")
        fm = parse_front_matter(text)
        assert fm.meta is not None and fm.body_start > 0, path
        assert "---" not in text[fm.body_start :], path  # the body carries no tool markers


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60), st.sampled_from(["\n", "\r\n", "\r"]))
def test_body_is_kept_verbatim(body: str, nl: str) -> None:
    assume(not (nl == "\r" and body.startswith("\n")))  # "---\r" + "\n…" is a CRLF line end
    head = block(['kind = "post"'], nl)
    fm = parse_front_matter(head + body)
    assert fm.body_start == len(head) and (head + body)[fm.body_start :] == body
