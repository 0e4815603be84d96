"""Does an account's profile show what G-OPEN-3 asks: section, content, purpose and reply policy?

Deliberately simple keyword checks (documented in docs/policy.md): they catch a profile that
forgot an item, not one that states it badly. The reply policy must be a statement — a sentence
naming replies/comments together with what the account does (しません, 行います, 控え…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SECTION = re.compile(r"所属|担当|運営[:：]|[一-龥ァ-ヶー]+?(?:課(?![題程金税])|室|係|局|センター|事務所)")
_CONTENT = re.compile(r"発信|お知らせ|情報|配信|紹介|投稿|お届け")
_PURPOSE = re.compile(r"目的|ため|目指|めざ")
_REPLY_WORD = re.compile(r"返信|リプライ|コメント|回答|お答え|応答|返答|メッセージ|DM", re.IGNORECASE)
_REPLY_STANCE = re.compile(r"ません|控え|します|いたします|行います|応じ|原則|不可|個別")
_SENTENCE = re.compile(r"[^。！!？?\n]+")
_NO_REPLY_POLICY = "返信の有無（例「個別の返信は行いません」）が書かれていません。最初に表示される場所に書いてください"


@dataclass(frozen=True, slots=True)
class ProfileProblem:
    item: str  # 所属 / 発信内容 / 目的 / 返信の方針
    message: str
    clause: str = "G-OPEN-3"


def _states_reply_policy(text: str) -> bool:
    return any(_REPLY_WORD.search(s) and _REPLY_STANCE.search(s) for s in _SENTENCE.findall(text))


def check_profile(text: str) -> list[ProfileProblem]:
    """The items the profile text does not show, in the guideline's order (empty: all shown)."""
    t = unicodedata.normalize("NFKC", text)
    out: list[ProfileProblem] = []
    if not _SECTION.search(t):
        out.append(ProfileProblem("所属", "開設所属・担当（例「シティプロモーション課が運営」）が書かれていません"))
    if not _CONTENT.search(t):
        out.append(ProfileProblem("発信内容", "何を発信するか（例「イベントや防災のお知らせを発信」）が書かれていません"))
    if not _PURPOSE.search(t):
        out.append(ProfileProblem("目的", "開設・運用の目的（例「市の魅力を伝えるため」）が書かれていません"))
    if not _states_reply_policy(t):
        out.append(ProfileProblem("返信の方針", _NO_REPLY_POLICY))
    return out
