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
