"""The basis of each sentence (G-POST-2a..d): why it may be posted without the section chief.

A sentence is one of three things. *Content* states something and needs a basis the chief
pre-approved: `published` / `faq` (a published page or FAQ answer states the same facts),
`established_fact` (an event's or a facility's status or result, reported as fact) or
`legal_procedure` (a procedure with its legal ground). *Ride-along* sentences (greetings, calls to
action, 詳しくはこちら + a link, headings that repeat the content) follow the content. *No-basis*
sentences (opinions, forecasts, plans, apologies, corrections) never have one (docs/decision.md).

Pure: works on the light view and the tokens already made for the draft (no second analysis);
the published-content index comes in as a `Lookup` function.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

from ..lazyre import lazy_regex
from ..model import Token

# --- sentences ---------------------------------------------------------------------------

# 。！？, line breaks, and a pictograph followed by a space (満車です🚗 公共交通機関を…: two sentences)
_SENTENCE_END = lazy_regex(r"[。．！？!?]+[」』）)]*|\n+|(?<=[\p{So}\p{Sk}])[ \u3000]+")
_URL = lazy_regex(r"(?:https?://|www\.)[\w./?%&=~#+:;@,!$'*()\[\]-]+|[\w-]+(?:\.[\w-]+)+/[\w./?%&=~#+-]*")
_HASHTAG = lazy_regex(r"[#＃](?=[\p{N}_]*[\p{L}ー])[\p{L}\p{N}_ー]+")  # #7119 is a number, not a tag
_MENTION = lazy_regex(r"@\w+")
_LEADING_HANDLE = lazy_regex(r"[@＠][A-Za-z0-9_]{1,15}(?=[\s\u3000])")
_BRACKETED = lazy_regex(r"[【\[［〔《][^】\]］〕》\n]{1,28}[】\]］〕》]")
_DECOR = lazy_regex(r"[\s\p{So}\p{Sk}\p{P}\p{Zs}～〜]+")


class Sentence(NamedTuple):
    """A sentence of the light view: its span and the tokens inside it."""

    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]


def _decoration(ch: str) -> bool:
    """Spaces, pictographs and their joiners: they state nothing (開催です✨ = 開催です)."""
    return ch.isspace() or unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf")


def split_sentences(light: str, tokens: Sequence[Token]) -> list[Sentence]:
    """Sentences at 。！？ and line breaks, trimmed of spaces, pictographs and the @handles a reply
    opens with; tokens are sliced, not re-made."""
    starts = [t.start for t in tokens]
    out: list[Sentence] = []
    pos = 0
    for m in [*_SENTENCE_END.finditer(light), None]:
        end = m.end() if m is not None else len(light)
        lo, hi = pos, end
        while lo < hi:
            handle = _LEADING_HANDLE.match(light, lo, hi)
            if handle is not None:
                lo = handle.end()
            elif _decoration(light[lo]):
                lo += 1
            else:
                break
        while hi > lo and _decoration(light[hi - 1]):
            hi -= 1
        if hi > lo:
            a, b = bisect_left(starts, lo), bisect_left(starts, hi)
            out.append(Sentence(lo, hi, light[lo:hi], tuple(tokens[a:b])))
        pos = end
        if m is None:
            break
    return out


# --- cues ----------------------------------------------------------------------------------
# Each list says what a phrase means for the basis; all are matched on the light view (NFKC).

_NO_BASIS = {
    "opinion": r"と(?:思い|思っ|思う|考え|感じ)|べきで|べきだ|ではないでしょうか|個人的|残念|素晴らし|すばらし|"
    r"最高|最悪|ひどい|許せ",
    "forecast": r"でしょう|見込み|見通し|予想|予測|可能性が(?:あり|高)|かもしれ|おそれが|恐れが|はずです|"
    r"(?:なり|あり|混み|混雑し|見られ|降り|増え)そう|そうです|模様です",
    "plan": r"検討|計画|方針|目指し|目指す|見直し|構想|予定しています|する予定です|となる予定|導入を予定|"
    r"今後.{0,10}(?:予定|考え)",
    "apology": r"申し訳|お詫び|おわび|陳謝|謝罪|ご迷惑",
    "correction": r"訂正|誤りが|誤って|誤りでした|間違い|正しくは|修正(?:いたし|し)ます",
}
_NO_BASIS_LABEL = {
    "opinion": "意見・感想",
    "forecast": "予測・見込み",
    "plan": "計画・検討中の事柄",
    "apology": "お詫び",
    "correction": "訂正",
}
_NO_BASIS_RE = lazy_regex("|".join(f"(?P<{k}>{v})" for k, v in _NO_BASIS.items()))

_GREETING = lazy_regex(
    r"^(?:こんにちは|こんばんは|おはようございます|お疲れ様です|お疲れさまです|"
    r"よろしくお願い(?:します|いたします|致します)|皆さん|皆様|みなさん|みなさま|お知らせです|お知らせします)"
    r"|ありがとうございま(?:す|した)[。！!\s\p{So}\p{Sk}\p{P}]*$"
)
_CALL = lazy_regex(
    r"ぜひ|是非|お越しください|お越しを|ご参加ください|ご来場ください|お待ちして|ご覧ください|ご確認ください|"
    r"ご利用ください|お気軽に|お楽しみに|ご注意ください|ご協力をお願い|ご協力ください|お問い合わせください|"
    r"ご活用ください|チェックしてください|ご応募ください|お出かけください|詳しくは|詳細は|"
    r"ご(?:確認|覧|利用|活用)いただけます|お問い合わせは|お問い合わせ先|問合せ先|お控えください|ご遠慮ください"
)

# Event / facility status and results (G-POST-2b). Some predicates say it by themselves
# (満車, 来場); generic ones (中止します) need an event or facility in the draft or a weather cause.
_STATUS_SELF = lazy_regex(
    r"満車|空車|混雑して|混み合って|来場(?:しました|されました|がありました)|来場者|入場者|参加者は|人出|"
    r"ご来場(?:いただき|くださ)|お越しいただき|ご参加いただき|展示(?:して|中)|"
    r"にぎわいました|賑わいました|開館して|開園して|休館|休園|臨時休業|開催(?:しました|されました|中)|"
    r"閉幕しました|開幕しました|盛況|定員に達し|満員|売り切れ|完売|受付を(?:終了|締め切)|"
    r"予定(?:通り|どおり)(?:開催|実施)"
)
# Generic predicates: what happened or is happening (past, ongoing) …
_STATUS_GENERIC = lazy_regex(
    r"(?:中止|延期|終了|実施|再開|開始|運休|通行止め|営業|開場|決行)(?:しました|いたしました|となりました|"
    r"しています|しております|されました|中です)|行(?:いました|われました)|集まりました|訪れました|参加しました|"
    r"出席(?:しました|されました)|参列しました|(?:優勝|準優勝|入賞|受賞)しました"
)
# … a change of status announced now (中止します), or a non-past form said of today (本日営業します);
# a new schedule (12月1日から開始します) is an announcement, not a status.
_STATUS_CHANGE = lazy_regex(r"(?:中止|延期|休止|運休|通行止め)(?:します|いたします|となります|です)")
_STATUS_TODAY = lazy_regex(
    r"(?:実施|再開|開始|営業|開場|決行|開催)(?:します|いたします|となります|です)"
)
_NOW = lazy_regex(r"本日|今日|現在|ただいま|只今|予定(?:通り|どおり)")
_WEATHER_OUTCOME = lazy_regex(r"中止|延期")
_WEATHER_CAUSE = lazy_regex(r"雨天|荒天|悪天候|台風|強風|大雨|降雪|積雪|雷|猛暑|暑さ")
_EVENT_OR_FACILITY = lazy_regex(
    r"まつり|祭り|祭|フェスタ|フェスティバル|イベント|大会|マラソン|講座|教室|講演|説明会|展示|展覧会|"
    r"コンサート|花火|式典|表彰式|開会式|閉会式|記念式|セミナー|ツアー|体験会|発表会|公演|上映会|マルシェ|朝市|会場|駐車場|施設|公園|"
    r"図書館|プール|体育館|会館|センター|博物館|美術館|ホール|窓口|庁舎|キャンプ場|動物園|広場|運動場|"
    r"グラウンド|受付|シャトルバス|臨時バス|巡回バス|交流会|ウォーク|スポーツ|試合|コンテスト|募集|"
    r"訓練|運動会|駅伝|文化祭|物産展|作品展"
)
# Not an event's status: accidents, misconduct, personnel, policy decisions (never 2b).
_NOT_ESTABLISHED = lazy_regex(
    r"事故|火災|火事|けが|怪我|負傷|死亡|死者|救急搬送|不祥事|不適切|逮捕|懲戒|処分|人事|異動|就任|退任|"
    r"辞職|辞任|任命|方針|決定|条例|予算|値上げ|改定|無料化|有料化|有料に|廃止|新設|導入|不具合|漏えい|漏洩|流出|紛失|"
    r"停電|断水|故障|不審|警察|通報|予告|脅迫|トラブル|被害|盗難|破損|クマ|熊(?!谷)|感染|食中毒|避難"
)

# Procedures and their legal ground (G-POST-2c).
_PROCEDURE = lazy_regex(
    r"届出|届け出|届(?:を|が|は|の)|申請|手続|提出|申告|交付|登録|期限|以内|必要書類|必要なもの|持ち物|"
    r"本人確認書類|窓口|受け付け|受付|納付|納期|手数料"
)
_NOT_LAW_SUFFIX = "方手用療文作寸魔技製司商農漁仏論算兵"
_LAW = lazy_regex(
    rf"(?:[\p{{Han}}\p{{Katakana}}ー]{{2,}}(?<![{_NOT_LAW_SUFFIX}])(?:法|条例|規則|施行令|施行規則))(?:第\d+条(?:第\d+項)?)?"
    r"|条例(?:第\d+条)?|第\d+条|法律|法令|政令|省令"
)
# "…ので、ご注意ください": a clause before the call states something (content, not a call)
_CLAUSE_BEFORE_CALL = lazy_regex(r"(?:ので|ため|について|により|によって|けれど|けど|が)、")
_GROUND_ONLY = lazy_regex(r"定められて|規定されて|基づ|義務(?:付け|づけ)られて|により|によって")
_LAW_EXCLUDE = lazy_regex(r"(?:方|手|用|療|文|作|寸|魔|技|製|司|商|農|漁|仏|論|算|兵)法$|不法|違法|合法|無法")


# --- what the index gives ----------------------------------------------------------------


class SupportLike(NamedTuple):
    """The fields of `scope.index.Support` this module reads (kept loose to stay pure)."""

    source: str
    id: str
    url: str | None
    title: str
    passage: str
    score: float
    supported: bool
    differs: tuple[str, ...]


Lookup = Callable[[Sentence], Sequence[Any]]
"""A sentence → index `Support` entries, best first (empty without an index)."""

CONTRADICTION_SCORE = 0.5  # a passage this close that states another value contradicts the draft


@dataclass
class Verdict:
    """What one sentence is and which bases it could have (before the policy chooses)."""

    sentence: Sentence
    role: str  # content | ride_along | no_basis
    candidates: list[tuple[str, list[dict[str, Any]], float | None]] = field(default_factory=list)
    contradiction: str = ""
    note: str = ""


def _support_dict(s: Any) -> dict[str, Any]:
    return {
        "source": s.source,
        "id": s.id,
        "url": s.url,
        "title": s.title,
        "passage": s.passage,
        "score": round(float(s.score), 3),
    }


_PHONE_LIKE = lazy_regex(r"[#＃]\d{4}(?!\d)|(?<!\d)\+?[\d(][\d()\- ]{7,}\d(?!\d)|(?<![\d#])1[01][09](?!\d)")
# Generic words of a heading (【お知らせ】【重要】): they state nothing.
_HEADING_FILLER = frozenset("お知らせ 知らせ イベント 重要 告知 速報 情報 案内 ご案内 更新 注意 新着 報告 お願い 募集 PR".split())


ContactCheck = Callable[[str], bool]
"""A phone number as written → whether it is the city's own or a trusted public body's."""


def _has_values(text: str, is_contact: ContactCheck | None = None) -> bool:
    """Digits outside links, hashtags and public contact numbers: a date, time, amount or count
    needs a basis."""
    bare = _URL.sub("", text)
    if is_contact is not None:
        bare = _PHONE_LIKE.sub(lambda m: "" if is_contact(m.group()) else m.group(), bare)
    bare = _HASHTAG.sub("", bare)
    return any(ch.isdigit() for ch in bare)


def _is_heading(s: Sentence) -> bool:
    """A short line with no predicate (■燃やすごみの収集日), or a whole line in 【】 (【転入された方へ】)."""
    if len(s.text) > 30:
        return False
    if _BRACKETED.fullmatch(s.text):
        return True
    return not any(t.pos[0] in ("動詞", "助動詞", "形容詞") for t in s.tokens)


def _decoration_only(text: str) -> bool:
    rest = _DECOR.sub("", _MENTION.sub("", _HASHTAG.sub("", _URL.sub("", text))))
    return not rest


_NUMBER = lazy_regex(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    """The numbers written in `text` (14日以内 → 14), to compare a procedure with the city's page."""
    return {m.group().replace(",", "") for m in _NUMBER.finditer(_URL.sub("", text))}


def law_ground(text: str) -> str:
    """The first legal ground named in `text` (住民基本台帳法第22条, 条例 …), or ''."""
    for m in _LAW.finditer(text):
        if not _LAW_EXCLUDE.search(m.group()):
            return str(m.group())
    return ""


def classify(
    sentences: Sequence[Sentence],
    lookup: Lookup | None = None,
    is_contact: ContactCheck | None = None,
    light: str = "",
) -> list[Verdict]:
    """Sort each sentence into content / ride-along / no-basis and list its possible bases.

    `is_contact` tells the city's own and trusted public bodies' phone numbers (the policy): a
    contact line giving only those rides along. `light` is the text the sentences index: with
    it, a sentence that continues the previous line (■資源ごみ / 収集日は第2水曜日) is also looked
    up together with that line."""
    whole = "\n".join(s.text for s in sentences)
    draft = _Draft(
        event=bool(_EVENT_OR_FACILITY.search(whole)),
        law=law_ground(whole),
        procedure=bool(_PROCEDURE.search(whole)),
    )
    out = [_classify_one(s, draft, lookup, is_contact) for s in sentences]
    if lookup is not None and light:
        _windows(out, lookup, light)
    _headings_ride_along(out)
    if lookup is not None and not any(v.role == "content" for v in out):
        _links_to_published(out, lookup)
    return out


class _Draft(NamedTuple):
    """What the whole draft says, for single sentences: an event or facility, a legal ground, a
    procedure."""

    event: bool
    law: str
    procedure: bool


def _classify_one(s: Sentence, draft: _Draft, lookup: Lookup | None, is_contact: ContactCheck | None) -> Verdict:
    text = s.text
    if _decoration_only(text):
        return Verdict(s, "ride_along", note="リンク・ハッシュタグ・記号のみ")
    no = _NO_BASIS_RE.search(text)
    if no is not None:
        kind = no.lastgroup or "opinion"
        return Verdict(s, "no_basis", note=f"{_NO_BASIS_LABEL[kind]}（「{no.group()}」）は事前承認の範囲に入りません")
    # A call or greeting rides along only when it states nothing else: no values, no incident or
    # status (火災が発生しました。ご注意ください), no clause giving a reason (…ので、ご協力を).
    if not _has_values(text, is_contact) and not _NOT_ESTABLISHED.search(text) and not _STATUS_SELF.search(text):
        if (_GREETING.search(text) or _CALL.search(text)) and not _CLAUSE_BEFORE_CALL.search(text):
            return Verdict(s, "ride_along", note="あいさつ・呼びかけ")
        if _has_values(text):  # its only digits are public contact numbers
            return Verdict(s, "ride_along", note="問い合わせ先・相談先（市や公的機関の連絡先）")
    v = Verdict(s, "content")
    hits = list(lookup(s)) if lookup is not None else []
    _take_support(v, hits)
    supported = bool(v.candidates)
    generic = (
        _STATUS_GENERIC.search(text)
        or _STATUS_CHANGE.search(text)
        or (_STATUS_TODAY.search(text) and _NOW.search(text))
    )
    weather = _WEATHER_CAUSE.search(text) and _WEATHER_OUTCOME.search(text)
    if _STATUS_SELF.search(text) or (generic and (draft.event or weather)):
        blocker = _NOT_ESTABLISHED.search(text)
        if blocker is None:
            v.candidates.append(("established_fact", [], None))
        elif not v.note:
            v.note = f"「{blocker.group()}」に関する内容はイベント・施設の状況とはいえません"
    states_ground = law_ground(text) and _GROUND_ONLY.search(text) and draft.procedure
    if draft.law and (_PROCEDURE.search(text) or states_ground):
        indexed = next((h for h in hits if h.score >= CONTRADICTION_SCORE), None)
        if supported or indexed is None or _numbers(text) <= _numbers(indexed.passage):
            ground = {"source": "law", "id": draft.law, "url": None, "title": draft.law}
            v.candidates.append(("legal_procedure", [ground], None))
        elif not v.contradiction:  # the city's own procedure is indexed and says something else
            where = indexed.url or indexed.id
            v.note = f"市が公表している手続の記載と一致しません（{indexed.title or where}: {indexed.passage}）"
    best = hits[0] if hits else None
    if best is not None and not supported and not v.contradiction and best.score > 0:
        v.note = v.note or f"公表済みの記載と一致しません（最も近い: {best.title or best.id}、一致度 {best.score:.2f}）"
    return v


def _take_support(v: Verdict, hits: Sequence[Any]) -> None:
    """Published / FAQ candidates from the index's answer, or the contradiction it shows."""
    supported = [h for h in hits if h.supported]
    for source in ("published", "faq"):
        mine = [h for h in supported if h.source == source]
        if mine:
            v.candidates.append((source, [_support_dict(h) for h in mine[:3]], float(mine[0].score)))
    if not supported:
        against = next((h for h in hits if h.differs and h.score >= CONTRADICTION_SCORE), None)
        if against is not None:
            v.contradiction = "、".join(dict.fromkeys(against.differs))


def _windows(verdicts: list[Verdict], lookup: Lookup, light: str) -> None:
    """A content sentence without support, read together with the line before it: LINE-style
    drafts put the subject on one line and the values on the next. The pair must be supported as
    a whole (every value of both lines in the passage); a contradiction is never overridden."""
    topic = next((v for v in verdicts if v.role == "content"), None)  # the heading or first content line
    for prev, v in pairwise(verdicts):
        if v.role != "content" or v.contradiction or any(c[0] in ("published", "faq") for c in v.candidates):
            continue
        partners = [prev] if topic is None or topic is prev or topic is v else [prev, topic]
        for partner in partners:
            if partner.role == "no_basis" or partner.contradiction:
                continue
            if _supported_with(partner, v, lookup, light):
                break


def _supported_with(partner: Verdict, v: Verdict, lookup: Lookup, light: str) -> bool:
    """Look `v` up together with an earlier sentence (its topic); on support, both share it."""
    a, b = partner.sentence, v.sentence
    # What lies between them is blanked out (same length: the tokens' offsets still hold).
    text = light[a.start : a.end] + " " * (b.start - a.end) + light[b.start : b.end]
    pair = Sentence(a.start, b.end, text, a.tokens + b.tokens)
    hits = [h for h in lookup(pair) if h.supported]
    if not hits:
        return False
    trial = Verdict(pair, "content")
    _take_support(trial, hits)
    v.candidates[:0] = trial.candidates
    v.note = ""
    if partner.role == "content" and not partner.candidates:
        partner.candidates[:0] = trial.candidates
        partner.note = ""
    return True


def _links_to_published(verdicts: list[Verdict], lookup: Lookup) -> None:
    """A post that only points to an indexed city page (詳しくはこちら https://…) says what the
    page says: the link's sentence becomes content supported by the page."""
    for v in verdicts:
        if v.role == "ride_along" and _URL.search(v.sentence.text):
            hits = [h for h in lookup(v.sentence) if h.supported]
            if hits:
                v.role, v.note = "content", ""
                _take_support(v, hits)


def _headings_ride_along(verdicts: list[Verdict]) -> None:
    """A heading follows the content when its words reappear in covered content (ごみ出し ⊃ ごみ),
    or when it names the event or facility whose status the next sentence gives."""
    covered = [v for v in verdicts if v.role == "content" and v.candidates]
    covered_text = "".join(v.sentence.text for v in covered)
    for i, v in enumerate(verdicts):
        if v.role != "content" or v.candidates or v.contradiction or not _is_heading(v.sentence):
            continue
        if _NOT_ESTABLISHED.search(v.sentence.text):
            continue
        words = [
            t.surface
            for t in v.sentence.tokens
            if t.pos[0] == "名詞" and t.pos[1] != "数詞" and len(t.surface) > 1 and t.surface not in _HEADING_FILLER
        ]
        repeated = all(w in covered_text or w[:2] in covered_text for w in words)
        following = next((n for n in verdicts[i + 1 :] if n.role == "content"), None)
        subject = (
            following is not None
            and any(c[0] == "established_fact" for c in following.candidates)
            and _EVENT_OR_FACILITY.search(v.sentence.text) is not None
        )
        if repeated or subject:
            v.role = "ride_along"
            v.note = "見出し（本文と同じ内容）" if repeated else "見出し（次の文の施設・行事の名前）"
