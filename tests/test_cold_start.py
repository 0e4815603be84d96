"""What keeps `guard check` quick to start (docs/performance.md): libraries a typical draft does
not need are imported only when a draft needs them, and stand-ins for their constants agree
with them."""

from __future__ import annotations

import subprocess
import sys

import phonenumbers

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
    (building the policy models' schemas took ~30 ms of every start)."""
    import os

    from fujisns_guard.coderules.context import effective_policy
    from fujisns_guard.policy import default_policy

    assert effective_policy(None) == default_policy()
    code = (
        "from fujisns_guard import Guard\n"
        "from fujisns_guard.policy import AccountPolicy\n"
        "Guard().check('市のホームページ https://www.city.example.lg.jp/ をご覧ください。')\n"
        "print(AccountPolicy.__pydantic_complete__)\n"
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
