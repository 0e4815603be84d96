"""`guard index build|show|status` through an argparse parser as cli.py builds it."""

from __future__ import annotations

import argparse
import io
import os
import shutil
from pathlib import Path

import pytest

from fujisns_guard.cli_index import _Progress, add_index_commands

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="guard")
    add_index_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    code: int = args.func(args, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of examples/ (published pages, FAQ) with a policy naming them and a URL."""
    shutil.copytree(EXAMPLES / "published", tmp_path / "published")
    shutil.copytree(EXAMPLES / "faq", tmp_path / "faq")
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "guard.toml").write_text(
        '[scope]\napproved = ["published", "faq"]\n'
        'published = ["../published", "https://www.city.fuji.shizuoka.jp/"]\nfaq = "../faq/faq.csv"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_build_prints_a_summary_and_status_is_fresh(site: Path) -> None:
    policy = str(site / "policy" / "guard.toml")
    code, out, err = run("index", "build", "--policy", policy)
    assert code == 0 and err == ""
    assert "公表済みページの索引を作りました" in out and "ページ 7 件（文 76）、FAQ 7 件、ファイル 6 件" in out
    assert "スキップ 1 件" in out and "https://www.city.fuji.shizuoka.jp/: URL は取得しません" in out
    assert "大きさ" in out and "秒" in out
    built = list((site / ".guard-index").glob("*.fgi"))
    assert len(built) == 1
    code, out, _ = run("index", "status", "--policy", policy)
    assert code == 0 and out.strip() == f"{built[0]}: 最新です"
    code, out, _ = run("index", "show", "--policy", policy)
    assert code == 0 and "作成日時" in out and str(site / "faq" / "faq.csv") in out


def test_status_names_the_pages_changed_since(site: Path) -> None:
    policy = str(site / "policy" / "guard.toml")
    run("index", "build", "--policy", policy)
    page = site / "published" / "gomi_shushu.html"
    st = page.stat()
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 5 * 10**9))
    code, out, _ = run("index", "status", "--policy", policy)
    assert code == 1 and "変わったファイルが 1 件" in out and str(page) in out


def test_not_built_yet_and_output_option(site: Path) -> None:
    policy = str(site / "policy" / "guard.toml")
    code, out, _ = run("index", "status", "--policy", policy)
    assert code == 1 and "索引がまだありません" in out
    target = site / "elsewhere.fgi"
    assert run("index", "build", "--policy", policy, "-o", str(target))[0] == 0
    code, out, _ = run("index", "show", "--index", str(target))
    assert code == 0 and "ページ 7 件" in out


def test_a_bad_file_is_one_line_and_the_rest_is_indexed(site: Path) -> None:
    (site / "published" / "broken.txt").write_bytes("粗大ごみ\n手数料は500円です。".encode("cp932"))
    code, out, err = run("index", "build", "--policy", str(site / "policy" / "guard.toml"))
    assert code == 2
    assert (
        err.strip()
        == f"{site / 'published' / 'broken.txt'}: UTF-8 として読めません（Shift_JIS（cp932）なら UTF-8 で保存し直してください）"
    )
    assert "ページ 7 件" in out and "読めなかったもの 1 件" in out


def test_policy_problems_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("index", "build")
    assert code == 2 and "運用ポリシーが見つかりません" in err and err.count("\n") == 1
    (tmp_path / "guard.toml").write_text('content = "x"\n', encoding="utf-8")
    code, _, err = run("index", "build")
    assert (
        code == 2
        and err.strip()
        == f"{tmp_path / 'guard.toml'}: scope.published も scope.faq もありません（公表済みページと FAQ の場所を書いてください）"
    )
    bad = tmp_path / "bad.fgi"
    bad.write_bytes(b"not an index")
    code, _, err = run("index", "status", "--index", str(bad))
    assert code == 2 and err.strip() == f"{bad}: 公表済みページの索引ファイルではありません"


def test_progress_bar_draws_on_one_line_and_ends_it() -> None:
    stream = io.StringIO()
    bar = _Progress(stream)
    bar(0, 4)
    bar(4, 4)
    text = stream.getvalue()
    assert text.startswith("\r索引を作成中 [") and text.endswith("] 4/4 ファイル\n") and text.count("\n") == 1


def test_guard_has_the_index_commands() -> None:
    from fujisns_guard.cli import build_parser

    args = build_parser().parse_args(["index", "status", "--index", "x.fgi"])
    assert args.index_command == "status"


def test_policy_from_pyproject_and_a_url_only_scope(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fujisns-guard.scope]\npublished = ["https://www.city.fuji.shizuoka.jp/"]\n', encoding="utf-8"
    )
    code, out, err = run("index", "build")
    assert code == 0 and err == ""
    assert "ページ 0 件（文 0）" in out and "スキップ 1 件" in out and "ネットワークに接続しません" in out
    assert len(list((tmp_path / ".guard-index").glob("*.fgi"))) == 1
    assert run("index", "status")[0] == 0
