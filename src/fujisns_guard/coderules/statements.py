"""Statements that are not the city's official view (G-RULE-3, issue 6): opinion, speculation,
forecasts of undecided decisions, praise or criticism of people and organisations, election calls.

Word lists catch words; these rules read Sudachi's analysis to catch *statements*: a verb of
thinking with a quotative と as the predicate of its sentence (思います, 思っています, 思われます …,
never 思い出 or 思ったら), auxiliaries by their conjugation (でしょう is だ/です in 意志推量形, and
ましょう is not), らしい the auxiliary and not the suffix (富士山らしい), そう of hearsay (名詞,
助動詞語幹) and of appearance (形状詞, 助動詞語幹).

What is not the account's own voice is skipped: anything inside quotation brackets, and a clause
followed in its sentence by a reporting verb or noun (…と述べました, …とのご意見, …とのことです); a
forecast that names its source (気象台によると…でしょう) is reporting; a rumour quoted in order to deny
it (…という噂がありますが、事実ではありません) is a correction.

Every rule checks a cheap textual precondition first (most drafts contain none of the cues) and
only then looks at tokens near the cues; the shared sentence and quotation data is computed once
per draft (`context.py`). Messages and suggestions for each kind of cue come from the rule's
`params` (data in rules/unofficial/*.toml).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from ..lazyre import lazy
from ..model import Analysis, Hit, Token
from .context import Context, CueSet, context
from .context import effective_policy as _effective_policy


class Mark(NamedTuple):
    family: str  # opinion | speculation | forecast
    cue: str  # the key of the cue (messages and suggestions in params are keyed by it)
    start: int
    end: int
    detail: str


# --- cues ---------------------------------------------------------------------------------------

# Any of these in the light view, or no statement rule has anything to do.
# Every mark needs one of these (a first person alone is not an opinion: it needs 思う, 好き …).
_CUES = tuple(
    """個人的 個人の 私見 私的 本音 正直 思 感じ 考え 筈 噂 多分 恐らく 濃厚 公算 確実 決ま 方向で 見られ 模様
    好き 嫌い おすすめ オススメ 推し 賛成 反対 感動 気に入 らしい らしく らしか かも だろ でしょ はず うわさ ウワサ
    という話 って話 との話 そうで そうだ そうな みたい たぶん おそらく のでは んじゃ ぶっちゃけ みられ 中の人""".split()
)
_CUE = CueSet(_CUES)
_OPINION_PHRASE = lazy(
    r"個人的(?:には|な(?:意見|見解|感想|考え|思い)|に(?:は)?[^。、!?！？\n]{0,8}?(?:好き|大好き|おすすめ|オススメ|推し|一押し|思|感じ|気に入))"
    r"|中の人(?:的に(?:は)?|として(?:は)?)"
    r"|私見|私的には|個人の(?:意見|見解|感想|考え)|本音を言[うえ]|ぶっちゃけ|正直(?:に言うと|言って|なところ|に申し上げ)"
    r"|正直[、,]?[^。、!?！？\n]{0,10}?(?:つまらな|微妙|イマイチ|いまいち|がっかり|退屈|面白くな|おもしろくな|よくなかっ|ひどかっ)"
)
_THINK = lazy(r"思|感じ|考え")
_THINK_LEMMAS = frozenset({"思う", "感じる", "感ずる", "考える"})
_FIRST_PERSON = frozenset("私 わたし わたくし あたし 僕 ぼく ボク 俺 おれ オレ 自分 筆者 小生".split())
_PLURAL = frozenset({"たち", "達", "ども", "共", "ら"})
# First person + a taste or stance in the same sentence: 私は好きです, 僕のおすすめ, 私は反対です.
_TASTE = lazy(r"好き|大好き|嫌い|おすすめ|オススメ|推し|賛成|反対|感動|気に入")
_SPEC = lazy(
    r"らし|かも|だろ|でしょ|はず|筈|噂|うわさ|ウワサ|という話|って話|との話|そう|みたい|多分|たぶん|おそらく|恐らく|のでは|んじゃ"
)
_FORECAST_IDIOM = lazy(
    r"濃厚|公算が(?:大き|高)|確実視|ほぼ確実|ほぼ決ま|決まりそう|方向で(?:調整|検討|最終調整)|(?:と|も)(?:みられ|見られ)(?:ます|る|てい)|模様です"
)
_DECISION = lazy(
    r"中止|延期|廃止|廃校|閉鎖|閉館|閉園|統合|移転|再開|値上げ|値下げ|有料|無料|増税|減税|導入|建設|新設|開設|決定|採用|実施|開催|"
    r"予算|計画|事業|条例|民営化|縮小|拡大|見直し|合併|補助|料金|税率|廃線|撤退|休止|再編|建て替え|建替え|誘致|整備|市長選|選挙"
)
_UNDECIDED = lazy(r"未定|検討中|調整中|協議中|審議中|決まっていません|決定していません|決まっておりません")
# A forecast that names its source is reporting, not the account's speculation.
_SOURCE = lazy(
    r"によると|によれば|予報では|の予報|予報によ|予想では|気象台|気象庁|見込み|の発表|発表によ|調べでは|によります|とのこと"
)
# A rumour or hearsay quoted in order to deny it.
_DENIAL = lazy(
    r"事実(?:は|では)(?:ありません|ない|ございません)|事実無根|誤り|デマ|根拠(?:の|が|は)(?:ない|ありません)|ではありません|"
    r"そのような事実|確認されていません|惑わされ|信じないで|ご注意|注意してください|正確な情報|正しい情報|フェイク|偽情報"
)
_NODEWANAI_TAIL = lazy(r"(?:ない|なかろう)(?:でしょうか|ですか|かと|か)")


def _pos(t: Token, *prefix: str) -> bool:
    return t.pos[: len(prefix)] == prefix


def _form(t: Token) -> str:
    """Conjugation form (活用形), e.g. 意志推量形, 命令形."""
    return t.pos[5] if len(t.pos) > 5 else ""


def _predicate_end(toks: Sequence[Token], j: int, sent_end: int) -> int | None:
    """From token j on: skip auxiliaries, final particles and symbols; return the index where the
    predicate ends (at the sentence end, a final particle, or a から/ので/し clause), or None when
    the phrase goes on (a noun it modifies, a condition: ば, たら, と, ても, が …)."""
    n = len(toks)
    while j < n and toks[j].start < sent_end:
        t = toks[j]
        p0 = t.pos[0]
        if p0 == "助動詞":
            if t.surface in ("ず", "ずに") or _form(t).startswith("仮定形"):
                return None  # 思わず, 思ったら
            j += 1
            continue
        if p0 == "補助記号" or p0 == "空白":
            if t.pos[1] == "読点":
                return None  # the clause goes on: …と思い、
            return j
        if p0 == "助詞":
            if t.pos[1] == "終助詞":
                return j
            if t.surface in ("から", "ので", "し"):
                return j
            if t.surface == "の" and j + 1 < n and toks[j + 1].surface == "で" and toks[j + 1].pos[0] == "助動詞":
                return j  # の|で (Sudachi splits ので after an auxiliary): a reason clause
            if t.surface in ("て", "で") and j + 1 < n and _pos(toks[j + 1], "動詞", "非自立可能"):
                j += 2  # 思っています, 考えております
                continue
            return None
        if p0 == "形容詞" and t.pos[1] == "非自立可能" and t.lemma in ("ない", "無い"):
            j += 1
            continue
        if p0 == "動詞" and t.pos[1] == "非自立可能" and t.lemma in ("いる", "居る", "おる", "居る", "しまう"):
            j += 1
            continue
        return None
    return j


def _first_person(ctx: Context, toks: Sequence[Token], lo: int, hi: int) -> int | None:
    """Index of a first-person-singular token in toks[lo:hi] (私, 僕, 自分 …; not 私たち), or of
    中 in 中の人 (the account's persona); None if there is none."""
    for k in range(lo, hi):
        t = toks[k]
        if t.pos[0] not in ("代名詞", "名詞"):
            continue
        s = t.surface
        if s in _FIRST_PERSON:
            if k + 1 < len(toks) and toks[k + 1].surface in _PLURAL:
                continue
            return k
        if s == "中" and k + 2 < hi and toks[k + 1].surface == "の" and toks[k + 2].surface in ("人", "人的"):
            return k
    return None


def _who(toks: Sequence[Token], k: int) -> str:
    return "中の人" if toks[k].surface == "中" else toks[k].surface


def _content_start(toks: Sequence[Token], k: int, floor: int) -> int:
    """Walk back from token k over auxiliaries to include one content word (失敗だ, 良い)."""
    while k > floor and toks[k].pos[0] in ("助動詞", "助詞"):
        k -= 1
    return k


def _think_marks(ctx: Context, out: list[Mark]) -> None:
    """思う / 感じる / 考える as the predicate of the account's sentence."""
    toks = ctx.tokens
    light = ctx.light
    for m in _THINK.finditer(light):
        i = ctx.token_at(m.start())
        if i < 0:
            continue
        t = toks[i]
        if t.start != m.start() or t.pos[0] != "動詞" or t.lemma not in _THINK_LEMMAS:
            continue
        sent_s, sent_e = ctx.sentence(t.start)
        first_tok = max(ctx.token_at(sent_s), 0)
        # the quotative と (とは, とも) before the verb, and what it quotes
        q = i - 1
        if q > first_tok and toks[q].surface in ("は", "も") and toks[q - 1].surface == "と":
            q -= 1
        quotative = q >= first_tok and toks[q].surface in ("と", "って") and toks[q].pos[0] == "助詞"
        comp = toks[q - 1] if quotative and q - 1 >= first_tok else None
        j = i + 1
        passive = j < len(toks) and toks[j].pos[0] == "助動詞" and toks[j].lemma in ("れる", "られる")
        end_idx = _predicate_end(toks, j, sent_e)
        if end_idx is None:
            continue
        chain_end = toks[end_idx - 1].end if end_idx > i else t.end
        fp = _first_person(ctx, toks, first_tok, i)
        personal = bool(_OPINION_PHRASE.search(light, sent_s, t.start))
        if ctx.not_own_voice(t.start, chain_end):
            continue
        if fp is not None or personal:
            if fp is not None:
                start = toks[fp].start
            else:
                start = toks[_content_start(toks, q - 1, first_tok)].start if quotative else t.start
            who = f"一人称「{_who(toks, fp)}」" if fp is not None else "「個人的」など"
            out.append(Mark("opinion", "first_person", start, chain_end, f"{who}＋「{t.lemma}」（文の述語）"))
            continue
        if not quotative or comp is None:
            continue
        if t.lemma == "考える":
            continue  # 市は…と考えています: the city's view; only a first person makes it personal
        # wishes and intentions are not opinions: …いただければと思います, …したいと思います,
        # …ほしいと思います, …しようと思います
        if comp.surface == "ば" or comp.lemma in ("たい", "ほしい", "欲しい") or comp.surface in ("たら", "なら", "ても"):
            continue
        if _form(comp).startswith("意志推量形") and comp.lemma not in ("だ", "です"):
            continue
        start = toks[_content_start(toks, q - 1, first_tok)].start
        if passive:
            out.append(Mark("speculation", "omowareru", start, chain_end, "「と思われる」（推測、文の述語）"))
        elif comp.surface == "か":
            out.append(Mark("speculation", "kato", start, chain_end, "「かと思う」（推測、文の述語）"))
        else:
            out.append(Mark("opinion", "to_omou", start, chain_end, f"「と{t.lemma}」（意見・感想、文の述語）"))


def _speculation_marks(ctx: Context, out: list[Mark]) -> None:
    toks = ctx.tokens
    light = ctx.light
    n = len(toks)
    seen: set[int] = set()
    for m in _SPEC.finditer(light):
        i = ctx.token_at(m.start())
        if i < 0 or i in seen:
            continue
        t = toks[i]
        word = m.group()
        sent_s, sent_e = ctx.sentence(t.start)
        mark: Mark | None = None
        if word == "らし":
            if t.pos[0] == "助動詞" and t.lemma == "らしい":
                mark = Mark("speculation", "rashii", t.start, t.end, "助動詞「らしい」（推量・伝聞）")
        elif word == "かも":
            if t.surface == "か" and i + 1 < n and toks[i + 1].surface == "も":
                k = i + 2
                if k < n and toks[k].lemma in ("しれる", "知れる"):
                    end = _predicate_end(toks, k + 1, sent_e)
                    if end is not None:
                        stop = toks[end - 1].end if end > k else toks[k].end
                        mark = Mark("speculation", "kamoshirenai", t.start, stop, "「かもしれない」")
                elif _predicate_end(toks, k, sent_e) == k:
                    mark = Mark("speculation", "kamoshirenai", t.start, toks[i + 1].end, "「かも」（文末）")
        elif word in ("だろ", "でしょ"):
            if t.pos[0] == "助動詞" and t.lemma in ("だ", "です") and _form(t).startswith("意志推量形"):
                nxt = toks[i + 1] if i + 1 < n else None
                if nxt is not None and nxt.surface in ("か", "かね", "かな"):
                    # a question (ご存じでしょうか) — unless …のではないでしょうか (an opinion)
                    if not re.search(r"(?:のでは|んじゃ)(?:ない|なかろ)$", light[sent_s : t.start]):
                        continue
                    mark = Mark("speculation", "nodewanai", t.start, nxt.end, "「のではないでしょうか」（意見・推測）")
                elif _SOURCE.search(light, sent_s, sent_e):
                    continue
                else:
                    mark = Mark("speculation", "darou", t.start, t.end, f"「{t.surface}」（推量）")
        elif word in ("はず", "筈"):
            if t.lemma in ("はず", "筈") and t.pos[0] == "名詞":
                mark = Mark("speculation", "hazu", t.start, t.end, "「はず」（推測）")
        elif word in ("噂", "うわさ", "ウワサ"):
            if t.normalized == "噂" or t.lemma in ("噂", "うわさ"):
                if not _denied(ctx, t.start):
                    mark = Mark("speculation", "uwasa", t.start, t.end, "「噂」（未確認の情報）")
        elif word.endswith("話"):
            end = m.end()
            k = ctx.token_at(end - 1)
            if toks[k].surface == "話" and not _denied(ctx, m.start()):
                mark = Mark("speculation", "hanashi", m.start(), end, "「という話」（伝聞）")
        elif word == "そう":
            if t.surface == "そう" and t.pos[1] == "助動詞語幹" and i > 0:
                prev = toks[i - 1]
                end = _predicate_end(toks, i + 1, sent_e)
                if end is None or prev.pos[0] not in ("動詞", "助動詞", "形容詞"):
                    continue
                if _SOURCE.search(light, sent_s, sent_e):
                    continue
                if t.pos[0] == "名詞":  # hearsay: 中止になるそうです
                    mark = Mark("speculation", "souda", prev.start, toks[end - 1].end, "伝聞の「そうだ」")
                elif prev.pos[0] == "動詞":  # appearance of an event: 中止になりそうです
                    mark = Mark("speculation", "sou", prev.start, toks[end - 1].end, "様態の「そうだ」（予想）")
        elif word == "みたい":
            if t.surface == "みたい" and t.pos[1] == "助動詞語幹":
                end = _predicate_end(toks, i + 1, sent_e)
                if end is not None and not _SOURCE.search(light, sent_s, sent_e):
                    mark = Mark("speculation", "mitai", t.start, toks[end - 1].end if end > i else t.end, "「みたい」（推量）")
        elif word in ("多分", "たぶん", "おそらく", "恐らく"):
            if t.pos[0] == "副詞":
                mark = Mark("speculation", "tabun", t.start, t.end, f"副詞「{t.surface}」（推量）")
        elif word in ("のでは", "んじゃ"):
            rest = light[m.end() : sent_e]
            tail = _NODEWANAI_TAIL.match(rest)
            if tail is not None and not _SOURCE.search(light, sent_s, sent_e):
                mark = Mark("speculation", "nodewanai", m.start(), m.end() + tail.end(), "「のではないか」（意見・推測）")
        if mark is not None and not ctx.not_own_voice(mark.start, mark.end):
            seen.add(i)
            out.append(mark)


def _denied(ctx: Context, pos: int) -> bool:
    s, e = ctx.sentence(pos)
    if _DENIAL.search(ctx.light, s, e):
        return True
    nxt = ctx.next_sentence(pos)
    return nxt is not None and _DENIAL.search(ctx.light, nxt[0], nxt[1]) is not None


def _forecasts(ctx: Context, marks: list[Mark]) -> list[Mark]:
    """A speculation about an undecided city decision becomes a forecast; forecast idioms
    (…の方向で調整, 濃厚, 公算が大きい) about a decision count too."""
    light = ctx.light
    out: list[Mark] = []
    by_sentence: dict[tuple[int, int], list[Mark]] = {}
    for mk in marks:
        by_sentence.setdefault(ctx.sentence(mk.start), []).append(mk)
    for m in _FORECAST_IDIOM.finditer(light):
        sent = ctx.sentence(m.start())
        if _DECISION.search(light, *sent) and not ctx.not_own_voice(m.start(), m.end()) and not _SOURCE.search(light, *sent):
            mark = Mark("forecast", "idiom", m.start(), m.end(), f"「{m.group()}」（決定前の見通し）")
            by_sentence.setdefault(sent, []).append(mark)
    undecided = [ctx.sentence(m.start()) for m in _UNDECIDED.finditer(light)]
    for sent, group in sorted(by_sentence.items()):
        decision = _DECISION.search(light, *sent)
        about_undecided = any(u == sent or ctx.next_sentence(u[0]) == sent for u in undecided)
        spec = [mk for mk in group if mk.family == "speculation"]
        if spec and (decision or about_undecided):
            what = f"「{decision.group()}」" if decision else "未定の事項"
            first = spec[0]
            out.append(Mark("forecast", first.cue, first.start, first.end, f"{first.detail}＋{what}（決定前の予測）"))
            out.extend(mk for mk in group if mk.family == "opinion")
            out.extend(mk for mk in group if mk.family == "forecast" and mk.start != first.start)
            continue
        # the look of things to come (桜が咲きそうです) is only reported about a decision
        out.extend(mk for mk in group if mk.cue != "sou")
    return out


def statement_marks(a: Analysis) -> list[Mark]:
    """All opinion, speculation and forecast marks of a draft (cached: three rules read them)."""
    found: list[Mark] | None = a.cache.get("statements.marks")
    if found is not None:
        return found
    found = []
    if _CUE.find(a):
        ctx = context(a)
        light = a.light
        for m in _OPINION_PHRASE.finditer(light):
            if not ctx.not_own_voice(m.start(), m.end()):
                found.append(Mark("opinion", "personal", m.start(), m.end(), f"「{m.group()}」（個人の意見の表明）"))
        _think_marks(ctx, found)
        _taste_marks(ctx, found)
        _speculation_marks(ctx, found)
        found = _dedupe(_forecasts(ctx, found))
    a.cache["statements.marks"] = found
    return found


def _taste_marks(ctx: Context, out: list[Mark]) -> None:
    """私は好きです, 僕のおすすめ, 私は反対です: a first person's taste or stance."""
    toks = ctx.tokens
    for sent_s, sent_e in ctx.sentences:
        if not _TASTE.search(ctx.light, sent_s, sent_e):
            continue
        lo, hi = max(ctx.token_at(sent_s), 0), ctx.token_at(max(sent_e - 1, sent_s)) + 1
        fp = _first_person(ctx, toks, lo, hi)
        if fp is None:
            continue
        m = _TASTE.search(ctx.light, toks[fp].end, sent_e)
        if m is None or ctx.not_own_voice(m.start(), m.end()):
            continue
        out.append(Mark("opinion", "taste", toks[fp].start, m.end(), f"一人称「{_who(toks, fp)}」＋「{m.group()}」"))


def _dedupe(marks: list[Mark]) -> list[Mark]:
    out: list[Mark] = []
    for mk in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        if any(o.start <= mk.start and mk.end <= o.end for o in out):
            continue  # inside a mark already reported (…と思います inside 私は…と思います)
        out.append(mk)
    return out


def _hits(a: Analysis, params: dict[str, Any], marks: Iterator[Mark]) -> list[Hit]:
    messages: dict[str, str] = params.get("messages", {})
    suggestions: dict[str, list[str]] = params.get("suggestions", {})
    light = a.light
    out = []
    for mk in marks:
        matched = light[mk.start : mk.end]
        template = messages.get(mk.cue)
        out.append(
            Hit(
                "",
                mk.start,
                mk.end,
                matched,
                mk.detail,
                message=template.format(match=matched) if template else None,
                suggestions=tuple(suggestions.get(mk.cue, ())),
            )
        )
    return out


def opinion(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Personal opinion in the account's voice (個人的には, 私は…と思います, …だと思います)."""
    return _hits(a, params, (m for m in statement_marks(a) if m.family == "opinion"))


def speculation(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Speculation and hearsay (らしい, かもしれない, だろう, はず, 噂, という話, そうです …)."""
    return _hits(a, params, (m for m in statement_marks(a) if m.family == "speculation"))


def forecast(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Forecasts about undecided city decisions (来年度は有料化されるでしょう, …の方向で調整)."""
    return _hits(a, params, (m for m in statement_marks(a) if m.family == "forecast"))


# --- praise and criticism of people, companies, parties, candidates ---------------------------

_EVAL = lazy(
    r"素晴らし|すばらし|立派|優秀|最高|有能|頼もし|見事|さすが|尊敬|一流|偉い|えらい|かっこいい|格好いい|カッコいい|最強|"
    r"ひどい|酷い|ヒドい|最悪|最低|無能|ダメ|駄目|だめ|無責任|いい加減|いいかげん|怠慢|許せない|許さない|情けない|愚か|"
    r"信用できない|信頼できない|信用なら|嘘つき|うそつき|ウソつき|不誠実|頼りない|役に立たない|役立たず|愚策|失政|悪政|暴挙|"
    r"無策|下手|へた|ずるい|卑怯|ダサい|大嫌い|嫌い|大好き|失敗|間違って|おかしい"
)
_EVAL_CUES = tuple(
    """素晴らし すばらし 立派 優秀 最高 有能 頼もし 見事 さすが 尊敬 一流 偉い えらい かっこいい 格好いい カッコいい 最強 ひどい
    酷い ヒドい 最悪 最低 無能 ダメ 駄目 だめ 無責任 いい加減 いいかげん 怠慢 許せない 許さない 情けない 愚か 信用できない
    信頼できない 信用なら 嘘つき うそつき ウソつき 不誠実 頼りない 役に立たない 役立たず 愚策 失政 悪政 暴挙 無策 下手 へた
    ずるい 卑怯 ダサい 大嫌い 嫌い 大好き 失敗 間違って おかしい""".split()
)
_EVAL_CUE = CueSet(_EVAL_CUES)
_TARGET_NOUNS = frozenset(
    "議員 候補 候補者 党 政党 与党 野党 会派 陣営 政治家 首相 総理 総理大臣 大臣 知事 市長 町長 村長 議長 前市長 元市長 "
    "社長 会長 会社 企業 業者 事業者 株式会社 有限会社 政府 内閣 店 銀行 メーカー 新聞 テレビ局 市議 県議 国会議員 代議士".split()
)
_TARGET_SUFFIX = ("党", "社", "議員", "候補", "陣営", "政権", "内閣", "銀行", "商店", "工業", "産業", "建設", "製紙")
_TOPIC = frozenset({"は", "が", "も", "って", "こそ", "の"})


def _is_target(t: Token) -> bool:
    if t.pos[:3] == ("名詞", "固有名詞", "人名"):
        return True
    if t.pos[0] not in ("名詞", "接尾辞"):
        return False
    s = t.surface
    return s in _TARGET_NOUNS or (len(s) > 1 and s.endswith(_TARGET_SUFFIX)) or (t.pos[0] == "接尾辞" and s in ("氏", "社", "党"))


def _phrase_start(toks: Sequence[Token], k: int, floor: int) -> int:
    """The first token of the noun phrase ending at token k (山田 議員, 〇〇 党 の 政権)."""
    while k > floor:
        p = toks[k - 1]
        linked = p.surface in ("の", "・") and k - 2 >= floor and toks[k - 2].pos[0] == "名詞"
        if p.pos[0] in ("名詞", "接頭辞", "接尾辞") or linked or _placeholder(p.surface):  # ○○候補
            k -= 1
            continue
        break
    return k


def evaluation(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Praise or criticism of a person, company, party or candidate as a sentence's predicate:
    〇〇議員の対応は最悪です, 〇〇社は素晴らしい. Attributive uses (〇〇社から素晴らしい作品を…)
    and quoted or reported evaluations are not the account's judgement."""
    light = a.light
    if not _EVAL_CUE.find(a):
        return []
    ctx = context(a)
    toks = ctx.tokens
    out: list[Mark] = []
    for m in _EVAL.finditer(light):
        j = ctx.token_at(m.end() - 1)
        if j < 0:
            continue
        sent_s, sent_e = ctx.sentence(m.start())
        end = _predicate_end(toks, j + 1, sent_e)
        if end is None:
            # …だと思います: the evaluation is the complement of a verb of thinking
            k = j + 1
            while k < len(toks) and toks[k].pos[0] == "助動詞":
                k += 1
            if not (k + 1 < len(toks) and toks[k].surface == "と" and toks[k + 1].lemma in _THINK_LEMMAS):
                continue
            end = k
        first = max(ctx.token_at(sent_s), 0)
        start_tok = ctx.token_at(m.start())
        target = None
        topic_seen = False
        for k in range(start_tok - 1, first - 1, -1):
            t = toks[k]
            if t.pos[0] == "助詞" and t.surface in _TOPIC:
                topic_seen = True
                continue
            if topic_seen and _is_target(t):
                target = k
                break
        if target is None:
            continue
        s, e = toks[_phrase_start(toks, target, first)].start, toks[end - 1].end if end > j else toks[j].end
        if ctx.not_own_voice(s, e) or ctx.not_own_voice(m.start(), e):
            continue
        who = toks[target].surface
        out.append(Mark("evaluation", "evaluation", s, e, f"対象「{who}」＋評価「{m.group()}」（文の述語）"))
    return _hits(a, params, iter(_dedupe(out)))


# --- elections ----------------------------------------------------------------------------------

# A call to vote or to support (the period check has its own precondition: the policy's dates).
_ELECTION_CUES = tuple("一票 投票 票を 応援 支持 推薦 当選を をよろしく を宜しく ご支援".split())
_ELECTION_CUE = CueSet(_ELECTION_CUES)
_VOTE_FOR = lazy(
    r"(?:に|へ)(?:清き|大切な|あなたの|皆さんの|皆様の|皆さまの)?(?:一票|ご?投票|票を|ご支持|ご支援)"
    r"|(?:を|の)(?:応援|支持|推薦|ご支援|ご支持)|の当選を(?:願|祈|期待|応援|お願い)|を(?:よろしく|宜しく)"
)
_TURNOUT = lazy(
    r"投票に行(?:きましょう|こう|って(?:ください|くださいね))|投票しましょう|投票を(?:お願いします|しましょう)|一票を投じ(?:ましょう|て)|"
    r"選挙に行(?:きましょう|こう)|棄権(?:せず|しないで)"
)
_POLITICAL = lazy(r"選挙|投票|立候補|候補|政党|[一-龥ァ-ヴ]党|議員|公約|マニフェスト|当選|落選|演説|後援会|与党|野党|政権|政治")
_CLAUSE_END = lazy(r"[。！？!?\n、，,]")
_ELECTION_CONTEXT = lazy(r"選挙|投票|立候補|候補|当選|公約|マニフェスト|後援会")


_PLACEHOLDER_CHARS = frozenset("〇○◯●◎×✕△□▲■＊*某")


def _placeholder(surface: str) -> bool:
    """〇〇, ××, △△, 某: a name left out (〇〇さんに清き一票を) still names somebody."""
    return bool(surface) and all(ch in _PLACEHOLDER_CHARS for ch in surface)


def _political_target(toks: Sequence[Token], k: int, floor: int) -> int | None:
    """The token naming who is voted for, ending at token k (skipping さん・様・氏・候補): a person,
    a candidate or a party. None for 投票所, 期日前投票 …"""
    honorific = False
    while k >= floor and toks[k].surface in ("さん", "様", "さま", "氏", "くん", "君", "先生"):
        k -= 1
        honorific = True
    if k < floor:
        return None
    t = toks[k]
    if t.pos[:3] == ("名詞", "固有名詞", "人名") or (honorific and _placeholder(t.surface)):
        return k
    s = t.surface
    if s in ("候補", "候補者", "党", "政党", "陣営", "会派") or (len(s) > 1 and s.endswith(("党", "候補", "陣営"))):
        return k
    return None


def election(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    """Calls to vote for (or support) a candidate or party: error (公職選挙法 forbids officials
    to use their position in elections). A neutral turnout call (投票に行きましょう) is fine from
    the election board's account, info from any other. Inside an election period of the account's
    policy, any political content is a warning: the section chief decides."""
    light = a.light
    policy = _effective_policy(a.policy) if _effective_policy is not None else a.policy
    in_period = bool(policy is not None and a.date is not None and policy.elections.periods and policy.is_election_period(a.date))
    if not in_period and not _ELECTION_CUE.find(a):
        return []
    ctx = context(a)
    toks = ctx.tokens
    hits: list[Hit] = []
    msgs: dict[str, str] = params.get("messages", {})
    sugg: dict[str, list[str]] = params.get("suggestions", {})

    def hit(s: int, e: int, cue: str, detail: str, severity: str | None) -> Hit:
        matched = light[s:e]
        template = msgs.get(cue)
        return Hit(
            "",
            s,
            e,
            matched,
            detail,
            severity=severity,
            message=template.format(match=matched) if template else None,
            suggestions=tuple(sugg.get(cue, ())),
        )

    in_context = bool(_ELECTION_CONTEXT.search(light))
    for m in _VOTE_FOR.finditer(light):
        k = ctx.token_at(m.start()) - 1
        sent_s, sent_e = ctx.sentence(m.start())
        target = _political_target(toks, k, max(ctx.token_at(sent_s), 0))
        if target is None:
            continue
        t = toks[target]
        person = t.pos[:3] == ("名詞", "固有名詞", "人名") or _placeholder(t.surface)
        what = m.group()
        if person and not in_context and not re.search(r"一票|投票|票を|当選", what):
            continue  # 〇〇選手を応援しています: sport, not an election
        s = toks[_phrase_start(toks, target, max(ctx.token_at(sent_s), 0))].start
        clause_end = _CLAUSE_END.search(light, m.end(), sent_e)
        e = clause_end.start() if clause_end is not None else sent_e
        if ctx.not_own_voice(s, m.end()):
            continue
        hits.append(hit(s, e, "vote_for", f"投票・支援の呼びかけ：対象「{t.surface}」", "error"))
    board = bool(policy is not None and policy.elections.board_account)
    if not hits and not board:
        for m in _TURNOUT.finditer(light):
            if not ctx.not_own_voice(m.start(), m.end()):
                hits.append(hit(m.start(), m.end(), "turnout", "投票の呼びかけ（選挙管理委員会以外のアカウント）", "info"))
                break
    if in_period:
        assert policy is not None
        pm = _POLITICAL.search(light)
        if pm is not None and not any(h.start <= pm.start() < h.end for h in hits):
            names = "、".join(p.name or f"{p.start}〜{p.end}" for p in policy.election_periods if p.start <= a.date <= p.end)
            hits.append(hit(pm.start(), pm.end(), "period", f"選挙期間中（{names}）の政治的な内容", "warning"))
    return hits


RULES: dict[str, Callable[[Analysis, dict[str, Any]], list[Hit]]] = {
    "unofficial_opinion": opinion,
    "unofficial_speculation": speculation,
    "unofficial_forecast": forecast,
    "unofficial_evaluation": evaluation,
    "election_statements": election,
}


def _registers(cues: CueSet) -> Callable[[dict[str, Any], tuple[str, ...]], None]:
    def prepare(_params: dict[str, Any], kinds: tuple[str, ...]) -> None:
        for kind in kinds:  # join the shared cue scan before the first draft (context.CueSet)
            cues.register(kind)

    return prepare


PREPARE: dict[str, Callable[[dict[str, Any], tuple[str, ...]], None]] = {
    "unofficial_opinion": _registers(_CUE),
    "unofficial_speculation": _registers(_CUE),
    "unofficial_forecast": _registers(_CUE),
    "unofficial_evaluation": _registers(_EVAL_CUE),
    "election_statements": _registers(_ELECTION_CUE),
}
