"""Deterministic generator of realistic Japanese municipal social-media drafts (no network).

    python benchmarks/corpus.py --posts 1000 --seed 20241101 > benchmarks/posts.jsonl

Each line is {"id": n, "topic": "...", "problem": "..." | null, "text": "..."}. The posts imitate
what busy staff write: full-width digits and letters, half-width katakana now and then, odd
spacing, URLs on neutral example domains, hashtags, emoji, fictional office phone numbers. About
10% carry one problem the guard should catch (a discriminatory term, a private mobile number, a
password). Lengths run from 30 to ~600 characters with a median near 140. `posts.jsonl` is
generated at run time and never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

BASE_DATE = dt.date(2024, 11, 1)  # the benchmark's posting date; event dates follow it
WEEKDAYS = "月火水木金土日"
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:-()",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ：－（）",
)
HALF_KATAKANA = {
    "イベント": "ｲﾍﾞﾝﾄ",
    "ワクチン": "ﾜｸﾁﾝ",
    "ホームページ": "ﾎｰﾑﾍﾟｰｼﾞ",
    "センター": "ｾﾝﾀｰ",
    "マイナンバーカード": "ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ",
    "スポーツ": "ｽﾎﾟｰﾂ",
    "コンサート": "ｺﾝｻｰﾄ",
    "ごみ": "ｺﾞﾐ",
}
PLACES = [
    "市民文化会館 小ホール",
    "中央公民館 2階 講座室",
    "富士川ふれあいホール",
    "市役所 本庁舎 8階 会議室",
    "中央図書館 視聴覚室",
    "ふじさんめっせ 展示場",
    "総合体育館 サブアリーナ",
    "かりがね公園 芝生広場",
    "市立博物館 企画展示室",
    "まちづくりセンター 多目的室",
    "青少年センター ホール",
    "鷹岡地区まちづくりセンター",
]
EVENTS = [
    "親子で楽しむ科学教室",
    "市民健康まつり",
    "防災フェア2024",
    "子育て応援セミナー",
    "秋のバラまつり",
    "ジャズコンサート",
    "シニア向けスマホ教室",
    "こども絵画展",
    "地産地消マルシェ",
    "ごみ減量講演会",
    "市民マラソン大会",
    "古文書講座（初級）",
    "プログラミング体験会",
    "ふるさと映画上映会",
]
OFFICES = [
    "文化振興課",
    "健康政策課",
    "防災危機管理課",
    "環境総務課",
    "廃棄物対策課",
    "子育て支援課",
    "市民課",
    "保険年金課",
    "中央図書館",
    "市立博物館",
    "広報広聴課",
    "道路維持課",
    "スポーツ振興課",
]
DOCS = [
    "本人確認書類（マイナンバーカード、運転免許証など）",
    "印鑑（認印可）",
    "届出人の本人確認書類",
    "申請書（窓口またはホームページで入手できます）",
    "健康保険証",
    "通帳またはキャッシュカード",
    "委任状（代理人が申請する場合）",
    "母子健康手帳",
    "前住所地の転出証明書",
]
PROCEDURES = [
    "児童手当の現況届",
    "転入届",
    "印鑑登録",
    "国民健康保険の加入手続き",
    "住民票の写しの交付申請",
    "マイナンバーカードの交付申請",
    "粗大ごみの戸別収集の申し込み",
    "犬の登録",
    "就学援助の申請",
]
AREAS = ["吉原地区", "今泉地区", "元吉原地区", "鷹岡地区", "富士川地区", "岩松地区", "田子浦地区", "大淵地区"]
EMOJI = ["📢", "🌸", "🍂", "⚠️", "✨", "🎉", "📚", "🗑️", "💉", "☔", "🌀", "🏃", "👶", "🎵", "🙏", "😊", "🗻"]
TAGS = [
    "#富士市",
    "#ふじ",
    "#防災",
    "#子育て",
    "#図書館",
    "#ごみ分別",
    "#健康",
    "#イベント",
    "#お知らせ",
    "#静岡県",
    "#富士山",
    "#市民課",
    "#ワクチン",
    "#博物館",
]
EXTRAS = [
    "※天候や感染症の状況により、内容を変更または中止する場合があります。",
    "※駐車場には限りがあります。",
    "※手話通訳・要約筆記が必要な方は、開催日の1週間前までにご連絡ください。",
    "※申込みの際にいただいた個人情報は、この事業以外の目的には使用しません。",
    "ご理解とご協力をお願いします。",
    "詳しい内容は、広報ふじ{issue}号にも掲載しています。",
    "FAXの場合は {phone} へ送信してください。",
    "Information in other languages (English / Português / Tiếng Việt / 中文): {url}",
    "市では、より良い行政サービスの提供に向けて、皆さまからのご意見・ご提案をお待ちしています。市ホームページの"
    "「市民の声」フォームから、いつでもお寄せください。いただいたご意見は、担当課で検討のうえ今後の施策の参考にさせていただきます。",
    "なお、電話によるお問い合わせは平日の午前8時30分から午後5時15分まで受け付けています。土曜日・日曜日・祝日・年末年始は"
    "お休みです。緊急の場合は、市役所代表電話（{phone}）へおかけください。守衛室から担当者へ連絡します。",
    "このアカウントでは、市からのお知らせを発信しています。個別のご質問への回答は行っておりませんのでご了承ください。",
    "市公式LINEでも同じ情報を配信しています。友だち登録はこちら → {url}",
]
HOLIDAYS = [dt.date(2024, 11, 4), dt.date(2024, 11, 23), dt.date(2025, 1, 13), dt.date(2025, 2, 11), dt.date(2025, 2, 24)]
PROBLEMS: list[tuple[str, Callable[[random.Random], str]]] = [
    (
        "discriminatory",
        lambda r: r.choice(
            [
                "看護婦さんが丁寧に説明します。",
                "外人の方も参加できます。",
                "保母さんと一緒に遊びましょう。",
                "片親の家庭も対象です。",
            ]
        ),
    ),
    ("private_phone", lambda r: f"担当者の携帯 090-{r.randint(1000, 9999)}-{r.randint(1000, 9999)} まで直接どうぞ。"),
    ("password", lambda r: f"受付用Wi-Fiのパスワード: {r.choice(['fuji', 'city', 'guest'])}{r.randint(1000, 9999)}"),
    ("email", lambda r: f"担当（個人）のメール taro.{r.choice(['suzuki', 'sato'])}{r.randint(10, 99)}@example.com"),
]


PROBLEM_MARKS = ("看護婦", "外人", "保母", "片親", "携帯", "パスワード", "@")


@dataclass(frozen=True)
class Post:
    id: int
    topic: str
    problem: str | None
    text: str


def _day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日({WEEKDAYS[d.weekday()]})"


def _date(r: random.Random, within: int = 60) -> str:
    return _day(BASE_DATE + dt.timedelta(days=r.randint(1, within)))


def _span(r: random.Random, sep: str, longest: int) -> str:
    """Two dates in order: the second follows the first by 1 to `longest` days."""
    first = BASE_DATE + dt.timedelta(days=r.randint(1, 60))
    return f"{_day(first)}{sep}{_day(first + dt.timedelta(days=r.randint(1, longest)))}"


def _time(r: random.Random) -> str:
    h = r.choice([9, 10, 13, 14, 18])
    return f"{h}時{r.choice(['', '30分'])}〜{h + r.choice([1, 2, 3])}時"


def _phone(r: random.Random) -> str:
    return f"0545-{r.randint(10, 99)}-{r.randint(1000, 9999)}"


def _url(r: random.Random) -> str:
    path = r.choice(["kurashi", "kosodate", "kenko", "bousai", "event", "shisei", "library"])
    return f"https://www.city.example.lg.jp/{path}/c{r.randint(100, 999)}/{r.randint(1000000, 9999999)}.html"


def _contact(r: random.Random) -> str:
    office = r.choice(OFFICES)
    return r.choice(
        [
            f"問い合わせ：{office}（電話 {_phone(r)}）",
            f"【問合せ】{office} ☎{_phone(r)}",
            f"詳しくは{office}（{_phone(r)}）まで。",
            f"お問い合わせは{office}へ（平日8時30分〜17時15分）",
        ]
    )


def event(r: random.Random) -> list[str]:
    name = r.choice(EVENTS)
    fee = r.choice(["無料", "500円", "1,000円（材料費込み）", "大人300円・中学生以下無料"])
    return [
        f"【{name}】を開催します！",
        f"日時：{_date(r)} {_time(r)}",
        f"場所：{r.choice(PLACES)}",
        f"料金：{fee}",
        f"定員：{r.choice([20, 30, 50, 100])}名（申込順）",
        f"申込み：{_date(r, 20)}から電話または申込フォームで受け付けます。",
        "お子さま連れの方も大歓迎です。",
        "当日は駐車場が混み合いますので、公共交通機関をご利用ください。",
        f"詳しくは {_url(r)}",
        _contact(r),
    ]


def procedure(r: random.Random) -> list[str]:
    proc = r.choice(PROCEDURES)
    docs = "、".join(r.sample(DOCS, r.randint(1, 3)))
    return [
        f"{proc}についてのお知らせです。",
        f"{proc}は{_date(r)}までに提出してください。",
        f"必要書類：{docs}",
        "申請・届出は市役所1階の市民課窓口のほか、各まちづくりセンターでも受け付けています。",
        "オンラインでの申請もできます（マイナンバーカードが必要です）。",
        "窓口は大変混雑が予想されます。",
        "郵送での届出を希望する方は、ホームページから申請書をダウンロードしてください。",
        f"手続きの詳細 → {_url(r)}",
        _contact(r),
    ]


def disaster(r: random.Random) -> list[str]:
    area = r.choice(AREAS)
    level = r.choice(["3", "4"])
    return [
        f"{r.choice(['⚠️', '【緊急】', '【防災情報】'])}{_date(r, 3)} {r.randint(5, 22)}時{r.randint(0, 5)}0分、"
        f"{area}に{'避難指示' if level == '4' else '高齢者等避難'}を発令しました（警戒レベル{level}）。",
        f"静岡県東部に{r.choice(['大雨警報', '洪水警報', '暴風警報', '大雨・洪水警報'])}が発表されています。",
        "危険な場所にいる人は直ちに安全な場所へ避難してください。",
        f"開設している避難所：{r.choice(PLACES)}、{r.choice(AREAS)}まちづくりセンター",
        "河川や用水路には絶対に近づかないでください。",
        "夜間の避難が危険な場合は、自宅の2階など安全な場所にとどまってください。",
        "最新の情報はテレビ・ラジオ・防災メール・市ホームページでご確認ください。",
        f"{_url(r)}",
        "土砂災害警戒情報にも引き続き注意してください。",
        _contact(r),
    ]


def garbage(r: random.Random) -> list[str]:
    return [
        f"ごみ収集日の変更のお知らせ{r.choice(['🗑️', '', '♻️'])}",
        f"{_day(r.choice(HOLIDAYS))}は祝日のため、{r.choice(AREAS)}の可燃ごみ収集は{_date(r)}に変更になります。",
        "年末年始のごみ収集は12月30日から1月3日までお休みです。",
        "資源ごみ（びん・缶・ペットボトル）は、洗ってから出してください。",
        "収集日当日の朝8時30分までに、決められた集積所に出してください。",
        "粗大ごみは事前の申し込みが必要です。",
        "分別アプリ「ふじごみナビ」もご利用ください。",
        f"{_url(r)}",
        _contact(r),
    ]


def health(r: random.Random) -> list[str]:
    return [
        f"{r.choice(['高齢者インフルエンザ', '新型コロナウイルス', '子宮頸がん予防', '風しん'])}ワクチンの予防接種のお知らせ💉",
        f"接種期間：{_span(r, '〜', 120)}",
        "対象：市内に住民登録のある65歳以上の方など",
        f"自己負担額：{r.choice(['1,500円', '2,000円', '無料'])}（生活保護受給世帯の方は無料）",
        "接種を希望する方は、直接、市内の指定医療機関に予約してください。",
        "当日は健康保険証と予診票をお持ちください。",
        "体調のすぐれない方は接種を控えてください。",
        f"健康相談は保健センター（{_phone(r)}）へ。",
        f"{_url(r)}",
        _contact(r),
    ]


def library(r: random.Random) -> list[str]:
    place = r.choice(["中央図書館", "市立博物館", "富士川図書館"])
    return [
        f"{place}からのお知らせ📚",
        f"{_span(r, 'から', 14)}まで、館内整理のため休館します。",
        f"企画展「{r.choice(['富士山と紙のまち', '東海道吉原宿', '昭和のくらし'])}」を開催中です。",
        "開館時間は午前9時30分から午後7時まで（土日祝は午後5時まで）です。",
        "返却ポストはご利用いただけます。",
        "本の予約はインターネットからもできます。",
        f"おはなし会：毎週{r.choice(['土', '水'])}曜日 午前11時から",
        f"{_url(r)}",
        _contact(r),
    ]


def reply(r: random.Random) -> list[str]:
    return [
        r.choice(["お問い合わせありがとうございます。", "ご意見ありがとうございます。", "ご連絡ありがとうございます。"]),
        f"ご指摘の{r.choice(['道路の陥没', '街灯の故障', '公園の遊具', 'カーブミラーの汚れ'])}については、"
        f"担当の{r.choice(OFFICES)}に確認いたしました。",
        f"{_date(r, 14)}に現地を確認し、対応する予定です。",
        "ご不便をおかけし申し訳ありません。",
        "個別のご事情に関するご相談は、お手数ですが担当課へお電話ください。",
        _contact(r),
        "今後ともよろしくお願いいたします。",
    ]


TOPICS: dict[str, Callable[[random.Random], list[str]]] = {
    "event": event,
    "procedure": procedure,
    "disaster": disaster,
    "garbage": garbage,
    "health": health,
    "library": library,
    "reply": reply,
}


def _messy(r: random.Random, text: str) -> str:
    """Apply the habits of hurried typing."""
    if r.random() < 0.3:
        text = text.translate(FULL_WIDTH) if r.random() < 0.5 else _partial_full_width(r, text)
    if r.random() < 0.12:
        for word, half in HALF_KATAKANA.items():
            text = text.replace(word, half)
    if r.random() < 0.25:
        text = text.replace("：", r.choice([" : ", ":", "：　"]), 2)
    if r.random() < 0.2:
        text = text.replace("。", "。 ", 2).replace("、", "、 ", 1)
    if r.random() < 0.1:
        text = "　" + text + "  "
    return text


def _partial_full_width(r: random.Random, text: str) -> str:
    lines = text.split("\n")
    return "\n".join(line.translate(FULL_WIDTH) if r.random() < 0.4 and "http" not in line else line for line in lines)


def _target_length(r: random.Random) -> int:
    return max(30, min(600, round(r.lognormvariate(4.8, 0.55))))  # e^4.8 ≈ 120, + problem, tags and emoji ≈ 140


def make_post(r: random.Random, n: int) -> Post:
    topic = r.choice(list(TOPICS))
    parts = TOPICS[topic](r)
    target = _target_length(r)
    lines, size = [parts[0]], len(parts[0])
    for part in [*parts[1:], *r.sample(EXTRAS, len(EXTRAS))]:  # the topic's lines in order, then notes
        if size + len(part) <= target + 10 and (r.random() < 0.8 or size < 30):
            lines.append(part.format(url=_url(r), phone=_phone(r), issue=f"{r.randint(1, 12)}月{r.choice([5, 20])}日"))
            size += len(part)
    problem = None
    if r.random() < 0.10:
        problem, make = r.choice(PROBLEMS)
        lines.insert(r.randint(1, min(len(lines), 4)), make(r))  # early: a cut at 600 keeps it
    if r.random() < 0.4:
        lines.append(" ".join(r.sample(TAGS, r.randint(1, 3))))
    if r.random() < 0.35:
        lines[0] = r.choice(EMOJI) + lines[0]
    sep = r.choice(["\n", "\n", "", "\n\n"])
    text = _messy(r, sep.join(lines))
    if len(text) > 600:
        cut = text.rfind("\n", 0, 600)
        text = text[: cut if cut >= 30 else 600]
    if len(text) < 30:
        text += "\n" + _contact(r)
    if problem is not None and not any(k in text for k in PROBLEM_MARKS):
        problem = None  # cut off with the end of a long post
    return Post(n, topic, problem, text)


def generate(count: int, seed: int = 20241101) -> Iterator[Post]:
    """`count` posts, the same for the same seed on every machine."""
    r = random.Random(seed)
    for n in range(count):
        yield make_post(r, n)


def texts(count: int, seed: int = 20241101) -> list[str]:
    return [p.text for p in generate(count, seed)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20241101)
    ap.add_argument("--stats", action="store_true", help="print length statistics instead of JSONL")
    args = ap.parse_args(argv)
    posts = list(generate(args.posts, args.seed))
    if args.stats:
        lengths = sorted(len(p.text) for p in posts)
        problems = sum(p.problem is not None for p in posts)
        print(
            f"posts={len(posts)} min={lengths[0]} median={lengths[len(lengths) // 2]} max={lengths[-1]} "
            f"chars={sum(lengths)} problems={problems} ({problems / len(posts):.1%})"
        )
        return 0
    for p in posts:
        sys.stdout.write(json.dumps(p.__dict__, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
