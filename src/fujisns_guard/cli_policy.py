"""`guard policy check|init` and `guard profile check`: added to the main parser by cli.py.

Exit codes: 0 fine (warnings may be printed), 1 a profile lacks an item, 2 an invalid or unreadable
policy / an unreadable file. Every error is one line naming the file; no traceback, no secret.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .cli_common import parse_date
from .policy import PolicyError, PolicyProblem, letter_for, load_policy, policy_problems

EXIT_OK, EXIT_PROBLEMS, EXIT_INVALID = 0, 1, 2

TEMPLATE = """\
# 運用ポリシー（guard.toml）のひな形。★ の箇所を書き換えてください。
# 書き終えたら: guard policy check guard.toml（足りない項目を ア〜ク で示します）
# 形式の説明: docs/policy.md。例: examples/policy/guard.toml
#
# ※ パスワード・トークンなどの秘密は絶対に書かないこと（書くと読み込みを拒否します）。
#    保管場所だけを password_ref に書きます。

account_type = "field"   # ★ "city"（富士市公式アカウント）か "field"（分野別公式アカウント）

# イ 発信情報の内容
content = "★ 何を発信するか（例: イベント・防災・子育てのお知らせ）"

# ウ 開設・運用の目的
purpose = "★ 何のために運用するか"

# エ 運用するソーシャルメディア（x, facebook, instagram, line, threads, bluesky, youtube）
services = ["x"]   # ★ 使うものだけ。それぞれに [registration.○○] を書く

# G-RULE-7 サービス利用規約を最後に確認した日
# terms_reviewed = 2025-04-01   # ★

# ア 開設所属・担当
[owner]
section = "★ 所属（例: ○○部○○課）"
person_in_charge = "★ 担当（例: ○○担当）"

# オ 登録情報／カ 登録URL（サービスごとに1つ）
[registration.x]
account_id = "★ @アカウントID"
email = "★ 登録メールアドレス（所属の共有アドレス）"
title = "★ アカウント名"
url = "★ 登録後に https://x.com/... を書く"
password_ref = "★ パスワードの保管場所（例: ○○課 パスワード管理台帳）。パスワードそのものは書かない"

# キ 運用期間（end がなければ終了時期未定）
[period]
# start = 2025-04-01   # ★
# end = 2028-03-31

# ク 利用者から寄せられた返信への対応方針
[reply_policy]
# replies = false   # ★ true（返信する）か false（返信しない）
how = "★ 返信の方針（例: 個別の返信は行いません。お問い合わせは○○課（電話 …）へ）"

# シティプロモーション課長の承認
[approval]
approved_by = "シティプロモーション課長"
# approved_on = 2025-04-01   # ★ 承認日

# 自分の連絡先とドメイン（投稿に載せてよい。個人情報・外部リンクとは扱わない）
[official]
domains = []     # 例: ["city.fuji.shizuoka.jp"]（サブドメインを含む）
phones = []      # 例: ["0545-55-2700"]
faxes = []
emails = []
addresses = []

# 市以外の公的機関（110・119・#9110・go.jp・lg.jp などは既定に入っているので不要）
# [[trusted]]
# name = "静岡県"
# domains = ["pref.shizuoka.jp"]
# phones = []

# 投稿に名前が出てよい人（市長・副市長・公表済みの登壇者）
# [[officials]]
# name = "氏名"
# role = "市長"

# 許可する語と理由（地名などが一覧の語を含むとき）
# [[allowed_terms]]
# term = "○○"
# reason = "市内の地名"

# 市が統一している表記
# [[style_preferences]]
# prefer = "障がい者"
# instead_of = ["障害者"]
# reason = "市の表記の統一"

# あらかじめ所属長の承認を得た範囲（G-POST-2）: published, established_fact, legal_procedure, faq
[scope]
approved = []          # ★ 所属長が承認したものだけ
published = []         # 公表済みページの場所（このファイルからの相対パス、または https:// の URL）
# faq = "faq/faq.csv"
min_checkers = 2       # 承認範囲内の投稿を確認する職員の最少人数（G-POST-3）

# 選挙期間
[elections]
board_account = false  # 選挙管理委員会のアカウントなら true
# [[elections.periods]]
# name = "○○選挙"
# start = 2027-04-18
# end = 2027-04-25
"""


def add_policy_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `policy check`, `policy init` and `profile check` (each with `func`) to a parser."""
    policy = subparsers.add_parser("policy", help="運用ポリシー（guard.toml）の確認・ひな形")
    psub = policy.add_subparsers(dest="policy_command", required=True)
    chk = psub.add_parser("check", help="運用ポリシーに ア〜ク がそろっているか確認する")
    chk.add_argument("file", help="guard.toml、または [tool.fujisns-guard] のある pyproject.toml")
    chk.add_argument("--date", type=parse_date, help="期限の基準日 YYYY-MM-DD（既定: 今日）")
    chk.set_defaults(func=cmd_policy_check)
    init = psub.add_parser("init", help="コメント付きのひな形を書き出す")
    init.add_argument("-o", "--output", default="guard.toml", help="書き出す先（- で標準出力。既定: guard.toml）")
    init.add_argument("--force", action="store_true", help="既にあるファイルを上書きする")
    init.set_defaults(func=cmd_policy_init)
    profile = subparsers.add_parser("profile", help="アカウントのプロフィール文の確認（G-OPEN-3）")
    prsub = profile.add_subparsers(dest="profile_command", required=True)
    pchk = prsub.add_parser("check", help="所属・内容・目的・返信の方針が書かれているか確認する")
    pchk.add_argument("file", help="プロフィール文のテキストファイル（- で標準入力）")
    pchk.set_defaults(func=cmd_profile_check)


def _line(file: str, p: PolicyProblem, prefix: str = "") -> str:
    letter = letter_for(p.key)
    tag = f"警告（{p.clause}）: " if p.level == "warning" else ""
    return f"{file}: {letter} {prefix}{p.key}: {tag}{p.message}"


def cmd_policy_check(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print every problem as `FILE: <letter> <key.path>: <message>`; 2 when invalid."""
    out, err = out or sys.stdout, err or sys.stderr
    file = str(args.file)
    try:
        policy = load_policy(Path(file))
    except PolicyError as exc:
        if not any(p.key for p in exc.problems):  # unreadable or not TOML
            print(str(exc), file=err)
            return EXIT_INVALID
        for p in exc.problems:
            print(_line(file, p, exc.prefix), file=out)
        print(f"{file}: 運用ポリシーとして読めません（{len(exc.problems)} 件）", file=err)
        return EXIT_INVALID
    problems = policy_problems(policy, args.date)
    for p in problems:
        print(_line(file, p), file=out)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        print(f"{file}: 運用ポリシーに足りない・誤った項目があります（{errors} 件、警告 {warnings} 件）", file=err)
        return EXIT_INVALID
    print(f"{file}: 問題はありません" + (f"（警告 {warnings} 件）" if warnings else ""), file=out)
    return EXIT_OK


def cmd_policy_init(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Write the commented template; never overwrite without --force."""
    out, err = out or sys.stdout, err or sys.stderr
    if args.output == "-":
        out.write(TEMPLATE)
        return EXIT_OK
    target = Path(args.output)
    if target.exists() and not args.force:
        print(f"{target}: 既にあります（上書きするには --force）", file=err)
        return EXIT_INVALID
    try:
        target.write_text(TEMPLATE, encoding="utf-8")
    except OSError as exc:
        print(f"{target}: 書き込めません: {exc.strerror or type(exc).__name__}", file=err)
        return EXIT_INVALID
    print(f"{target} を作りました。★ の箇所を書き換え、guard policy check {target} で確認してください", file=out)
    return EXIT_OK


def cmd_profile_check(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """0 when the profile shows all four G-OPEN-3 items, 1 when one is missing, 2 unreadable."""
    out, err = out or sys.stdout, err or sys.stderr
    file = str(args.file)
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"{file}: UTF-8 として読めません", file=err)
        return EXIT_INVALID
    except OSError as exc:
        print(f"{file}: 読めません: {exc.strerror or type(exc).__name__}", file=err)
        return EXIT_INVALID
    from .profile import check_profile

    problems = check_profile(text)
    for p in problems:
        print(f"{file}: {p.item}: {p.message}（{p.clause}）", file=out)
    if problems:
        return EXIT_PROBLEMS
    print(f"{file}: 所属・発信内容・目的・返信の方針が書かれています（G-OPEN-3）", file=out)
    return EXIT_OK
