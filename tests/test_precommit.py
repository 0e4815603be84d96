"""The pre-commit hook, proven with the real pre-commit framework.

A throwaway git repository whose .pre-commit-config.yaml points at this checkout (its HEAD
commit, what CI tests): pre-commit builds the hook's virtualenv and pip-installs the package
(Sudachi's dictionary included, from the package index), then a commit with 看護婦 in a draft is
blocked with the finding shown, and a clean draft commits. Slow (a virtualenv and ~70 MB of
wheels), so marked `slow`; it runs in CI all the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # pre-commit's own dependency

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def test_the_manifest_declares_one_serial_python_hook_for_txt_and_md() -> None:
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(HOOKS))
    assert hook["id"] == "fujisns-guard" and hook["language"] == "python"
    assert hook["entry"] == "guard check"
    assert hook["require_serial"] is True  # one process for all the files: Sudachi loads once
    assert hook["pass_filenames"] is True
    import re

    files = re.compile(hook["files"])
    assert files.search("drafts/a.txt") and files.search("b.MD") and not files.search("c.py")
    assert yaml.safe_load(HOOKS.read_text(encoding="utf-8"))[0]["types"] == ["text"]


def _git_head() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


@pytest.mark.slow
def test_real_pre_commit_blocks_a_banned_term_and_lets_a_clean_draft_commit(tmp_path: Path) -> None:
    rev = _git_head()
    if rev is None:
        pytest.skip("not a git checkout: the hook is installed from this repository's HEAD")
    home = tmp_path / "home"
    repo = tmp_path / "drafts"
    home.mkdir()
    repo.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "GIT_AUTHOR_NAME": "広報 太郎",
        "GIT_AUTHOR_EMAIL": "koho@example.invalid",
        "GIT_COMMITTER_NAME": "広報 太郎",
        "GIT_COMMITTER_EMAIL": "koho@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PYTHONUTF8": "1",
    }
    cache = Path.home() / ".cache" / "pip"  # the real user's pip cache, when there is one: faster
    if "PIP_CACHE_DIR" not in env and cache.is_dir():
        env["PIP_CACHE_DIR"] = str(cache)
    for key in [k for k in env if k.startswith(("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"))]:
        del env[key]

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=1800)

    assert run("git", "init", "-q").returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: fujisns-guard\n", encoding="utf-8"
    )
    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert run("git", "add", ".pre-commit-config.yaml").returncode == 0
    assert run("git", "commit", "-q", "--no-verify", "-m", "config").returncode == 0

    (repo / "post.txt").write_text("市民講座のお知らせです。\n看護婦を募集します。\n", encoding="utf-8")
    (repo / "notes.md").write_text("# 来週の予定\n図書館で読み聞かせ会を開きます。\n", encoding="utf-8")
    (repo / "script.py").write_text("print('看護婦')\n", encoding="utf-8")  # not a draft: not checked
    assert run("git", "add", "post.txt", "notes.md", "script.py").returncode == 0
    blocked = run("git", "commit", "-m", "下書き")
    shown = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, shown
    assert "fujisns-guard" in shown and "Failed" in shown
    assert "post.txt:2:1: error discriminatory.terms" in shown and "看護婦" in shown and "提案: 看護師" in shown
    assert "script.py" not in shown
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "1"  # nothing committed

    (repo / "post.txt").write_text("市民講座のお知らせです。\n看護師を募集します。\n", encoding="utf-8")
    assert run("git", "add", "post.txt").returncode == 0
    passed = run("git", "commit", "-m", "下書き（修正済み）")
    shown = passed.stdout + passed.stderr
    assert passed.returncode == 0, shown
    assert "fujisns-guard" in shown and "Passed" in shown
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "2"
