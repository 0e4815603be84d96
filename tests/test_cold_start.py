"""What keeps `guard check` quick to start (docs/performance.md): libraries a typical draft does
not need are imported only when a draft needs them, and stand-ins for their constants agree
with them."""

from __future__ import annotations

import subprocess
import sys

import phonenumbers
import pytest

from fujisns_guard.coderules.personal_info import PhoneType


def test_phone_type_mirrors_libphonenumber() -> None:
    names = [n for n in vars(PhoneType) if n.isupper()]
    assert names
    for name in names:
        assert getattr(PhoneType, name) == getattr(phonenumbers.PhoneNumberType, name), name
    library = {n for n in vars(phonenumbers.PhoneNumberType) if n.isupper()}
    assert library <= set(names)


def test_a_clean_draft_does_not_import_phonenumbers() -> None:
    code = (
        "import sys\n"
        "from fujisns_guard import Guard\n"
        "g = Guard()\n"
        "g.check('市民文化会館でジャズコンサートを開催します。入場は無料です。')\n"
        "print('phonenumbers' in sys.modules)\n"
        "g.check('お問い合わせは090-1234-5678まで。')\n"
        "print('phonenumbers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_default_policy_comes_from_the_rule_cache(tmp_path: object) -> None:
    """A start with a warm rule cache checks a draft without validating the default policy
    (importing pydantic and building the policy's schema took ~30 ms of every start)."""
    import os

    from fujisns_guard.coderules.context import effective_policy
    from fujisns_guard.policy import default_policy

    assert effective_policy(None) == default_policy()
    code = (
        "import sys\n"
        "from fujisns_guard import Guard\n"
        "Guard().check('市のホームページ https://www.city.example.lg.jp/ をご覧ください。')\n"
        "print('fujisns_guard.policy_schema' in sys.modules)\n"
    )
    env = dict(os.environ, FUJISNS_GUARD_CACHE=str(tmp_path))
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert (first.split(), second.split()) == (["True"], ["False"])


def test_importing_the_cli_leaves_the_other_commands_unimported() -> None:
    """`guard check FILE` imports what checking needs; each other command's modules (the index,
    the chief's log, batches and photos, fixes, the web app, SARIF) wait until it runs."""
    lazy = [
        "fujisns_guard.scope.index",
        "fujisns_guard.chieflog",
        "fujisns_guard.batch",
        "fujisns_guard.photos",
        "fujisns_guard.fix",
        "fujisns_guard.web",
        "fujisns_guard.profile",
        "fujisns_guard.report.sarif",
        "importlib.metadata",  # pydantic's plugin loader, when a model's schema is built at import
    ]
    code = f"import sys\nimport fujisns_guard.cli\nprint([m for m in {lazy!r} if m in sys.modules])\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_check_imports_neither_the_index_nor_the_log_nor_the_fixer(tmp_path: object) -> None:
    """A plain `guard check FILE` (text format, no --log, --jobs or --attach) stays as light."""
    from pathlib import Path

    draft = Path(str(tmp_path)) / "draft.txt"
    draft.write_text("市民文化会館でジャズコンサートを開催します。入場は無料です。\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from fujisns_guard.cli import main\n"
        f"code = main(['check', {str(draft)!r}])\n"
        "heavy = ['fujisns_guard.scope.index', 'fujisns_guard.chieflog', 'fujisns_guard.fix', "
        "'fujisns_guard.web', 'fujisns_guard.report.sarif', 'multiprocessing']\n"
        "print(code, [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=str(tmp_path))
    assert proc.stderr.strip().splitlines()[-1] == "0 []"


def _pydantic_at_exit(tmp_path: object, *argv: str, module: bool = False) -> list[str]:
    """Run `guard check …` twice in new processes with a rule cache of their own (the first run
    fills it), and return the second run's exit code and whether pydantic was imported."""
    import os
    from pathlib import Path

    root = Path(str(tmp_path))
    if module:  # `python -m fujisns_guard …`
        run = (
            f"import runpy, sys\nsys.argv = ['guard', *{list(argv)!r}]\n"
            "try:\n    runpy.run_module('fujisns_guard', run_name='__main__')\nexcept SystemExit as exc:\n    code = exc.code\n"
        )
    else:  # what the `guard` console script runs
        run = f"import sys\nfrom fujisns_guard.cli import main\ncode = main({list(argv)!r})\n"
    code = run + "print(code, 'pydantic' in sys.modules, file=sys.stderr)\n"
    env = dict(os.environ, FUJISNS_GUARD_CACHE=str(root / "cache"))
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(root), env=env)
    return proc.stderr.strip().splitlines()[-1].split()


def _draft_and_policy(tmp_path: object) -> tuple[str, str]:
    import shutil
    from pathlib import Path

    root = Path(str(tmp_path))
    examples = Path(__file__).resolve().parents[1] / "examples"
    for name in ("policy", "published", "faq"):
        shutil.copytree(examples / name, root / name)
    draft = root / "draft.txt"
    draft.write_text("【お知らせ】市民文化会館でジャズコンサートを開催します。入場は無料です。\n", encoding="utf-8")
    return str(draft), str(root / "policy" / "guard.toml")


# pydantic validates, plain objects run (docs/architecture.md): with a warm rule cache, a plain
# `guard check FILE` (text format) builds and prints plain records and never imports pydantic.
# It needs both halves: the engine's records (records.py) and the plain rules and policy
# objects read from the cache (ruleset.py, policy.py, frontmatter.py, platform_limits.py).


def test_a_plain_check_does_not_import_pydantic(tmp_path: object) -> None:
    draft, _ = _draft_and_policy(tmp_path)
    assert _pydantic_at_exit(tmp_path, "check", draft) == ["0", "False"]


def test_a_check_with_a_policy_does_not_import_pydantic(tmp_path: object) -> None:
    draft, policy = _draft_and_policy(tmp_path)
    assert _pydantic_at_exit(tmp_path, "check", draft, "--policy", policy) == ["0", "False"]


def test_python_m_check_does_not_import_pydantic(tmp_path: object) -> None:
    draft, _ = _draft_and_policy(tmp_path)
    assert _pydantic_at_exit(tmp_path, "check", draft, module=True) == ["0", "False"]


def test_json_output_still_comes_from_the_pydantic_report(tmp_path: object) -> None:
    """`--format json` serialises the public pydantic `Report` (the same bytes as before)."""
    draft, _ = _draft_and_policy(tmp_path)
    assert _pydantic_at_exit(tmp_path, "check", draft, "--format", "json") == ["0", "True"]


# The rules, the policy, the front matter and the platform limits are validated by pydantic once
# (a cache miss, a policy not cached yet) and then read from the cache as plain objects: none of
# the schema modules is imported by a warm `guard check`, with or without a policy, whether the
# policy is given, found as ./guard.toml or as ./pyproject.toml's table, and with a front matter.
_SCHEMAS = [
    "fujisns_guard.schema_common",
    "fujisns_guard.ruleset_schema",
    "fujisns_guard.policy_schema",
    "fujisns_guard.frontmatter_schema",
    "fujisns_guard.platform_schema",
]


def _warm_check(cwd: object, cache: object, *argv: str) -> list[object]:
    """Run `guard check …` twice (the first run warms the caches); the second run's exit code,
    the schema modules it imported and whether it imported pydantic."""
    import json
    import os

    code = (
        "import json, sys\nfrom fujisns_guard.cli import main\n"
        f"code = main({list(argv)!r})\n"
        f"print(json.dumps([code, [m for m in {_SCHEMAS!r} if m in sys.modules], 'pydantic' in sys.modules]), file=sys.stderr)\n"
    )
    env = dict(os.environ, FUJISNS_GUARD_CACHE=str(cache))
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(cwd), env=env)
    result: list[object] = json.loads(proc.stderr.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("draft", ["event_x.txt", "award_with_allow.txt", "reply_garbage_day.txt"])
def test_a_check_of_an_example_with_the_example_policy_stays_plain(tmp_path: object, draft: str) -> None:
    from pathlib import Path

    examples = Path(__file__).resolve().parents[1] / "examples"
    policy, path = examples / "policy" / "guard.toml", examples / "drafts" / draft
    got = _warm_check(tmp_path, Path(str(tmp_path)) / "cache", "check", "--policy", str(policy), str(path))
    assert got[0] in (0, 1) and got[1:] == [[], False]


@pytest.mark.parametrize("found_as", ["guard.toml", "pyproject.toml"])
def test_a_policy_found_in_the_folder_stays_plain(tmp_path: object, found_as: str) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    text = (Path(__file__).resolve().parents[1] / "examples" / "policy" / "guard.toml").read_text(encoding="utf-8")
    if found_as == "pyproject.toml":  # the same policy as the [tool.fujisns-guard] table
        table = "[tool.fujisns-guard]\n"
        for line in text.splitlines():
            if line.startswith("["):
                brackets = "[[" if line.startswith("[[") else "["
                line = brackets + "tool.fujisns-guard." + line.removeprefix(brackets)
            table += line + "\n"
        text = table
    (root / found_as).write_text(text, encoding="utf-8")
    (root / "draft.txt").write_text("市の電話 0545-55-2700 へお問い合わせください。\n", encoding="utf-8")
    got = _warm_check(root, root / "cache", "check", "draft.txt")
    assert got == [0, [], False]
    assert len(list((root / "cache").glob("*.policy"))) == 1
