"""The on-disk rule cache (ruleset.py): same rule set as a fresh load, and never trusted blindly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fujisns_guard import ruleset as rs
from fujisns_guard.ruleset import default_data_dir, load_ruleset


@pytest.fixture()
def tree(tmp_path: Path) -> tuple[Path, Path]:
    rules, lists = tmp_path / "rules", tmp_path / "wordlists"
    shutil.copytree(default_data_dir("rules"), rules)
    shutil.copytree(default_data_dir("wordlists"), lists)
    return rules, lists


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(rs.CACHE_ENV, str(folder))
    return folder


def _same(a: rs.RuleSet, b: rs.RuleSet) -> None:
    assert a.version == b.version
    assert a.files == b.files
    assert a.rules == b.rules
    assert a.wordlists == b.wordlists


def test_second_load_comes_from_the_cache_and_equals_a_fresh_load(tree: tuple[Path, Path], cache: Path) -> None:
    fresh = load_ruleset(*tree, cache=False)
    assert not cache.exists()
    first = load_ruleset(*tree)
    (written,) = cache.glob("*.pickle")
    if hasattr(os, "getuid"):
        assert written.stat().st_mode & 0o777 == 0o600
    _same(first, fresh)
    second = load_ruleset(*tree)
    assert second is not first
    _same(second, fresh)


def test_changed_file_gets_a_new_entry(tree: tuple[Path, Path], cache: Path) -> None:
    rules, lists = tree
    before = load_ruleset(rules, lists)
    path = lists / "style_preferences.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = load_ruleset(rules, lists)
    assert after.version != before.version
    assert len(list(cache.glob("*.pickle"))) == 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "magic", "garbage"])
def test_damaged_cache_falls_back_to_the_files(tree: tuple[Path, Path], cache: Path, damage: str) -> None:
    fresh = load_ruleset(*tree)
    (path,) = cache.glob("*.pickle")
    blob = path.read_bytes()
    if damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "flip":
        blob = blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:]
    elif damage == "magic":
        blob = b"x" + blob[1:]
    else:
        blob = b"\x00" * 100
    path.write_bytes(blob)
    _same(load_ruleset(*tree), fresh)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_others_can_write_is_not_trusted(tree: tuple[Path, Path], cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ruleset(*tree)
    (path,) = cache.glob("*.pickle")
    path.chmod(0o666)
    monkeypatch.setattr(rs, "_load_ruleset", lambda *a: pytest.fail("should have been read"))
    with pytest.raises(pytest.fail.Exception):
        load_ruleset(*tree)  # not trusted: loads the files (here: fails loudly)
    path.chmod(0o600)
    assert load_ruleset(*tree).rules  # trusted again: from the cache


def test_unwritable_or_disabled_cache_still_loads(
    tree: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(rs.CACHE_ENV, str(blocker / "cache"))
    assert load_ruleset(*tree).rules
    monkeypatch.setenv(rs.CACHE_ENV, "off")
    assert rs._cache_dir() is None
    assert load_ruleset(*tree).rules


def test_cached_term_analyses_match_sudachi(tree: tuple[Path, Path], cache: Path) -> None:
    from fujisns_guard import tokenize as tk

    load_ruleset(*tree)
    got = rs._cache_read(rs._cache_key(*tree) or "")
    assert got is not None
    _ruleset, shapes, _memos = got
    for text in list(shapes)[:50]:
        toks = tk.tokenize(text)
        assert tk.TermShape(*shapes[text]) == (
            tuple(t.pos[0] for t in toks),
            tuple(t.surface for t in toks),
            tuple(t.lemma for t in toks),
        )


def test_derived_data_of_the_compilers_is_saved_and_seeded(tree: tuple[Path, Path], cache: Path) -> None:
    from fujisns_guard.checks import compile_all
    from fujisns_guard.coderules import phrases

    ruleset = load_ruleset(*tree)
    compile_all(ruleset)  # derives phrase cues, folded terms …; writes them to the cache
    got = rs._cache_read(ruleset.cache_key)
    assert got is not None
    memos = got[2]
    assert memos["phrases.required_strings"] and memos["wordlist.fold_term"]
    for pattern, cues in list(memos["phrases.required_strings"].items())[:20]:
        phrases._REQUIRED.pop(pattern, None)
        assert phrases.required_strings(pattern) == cues  # the saved value is what is derived
