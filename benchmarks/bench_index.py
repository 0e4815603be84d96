"""The published-content index on synthetic pages: build time, file size, load time, per-draft lookup.

Pages are generated from four templates (garbage collection by district, events, procedures,
facilities) with varying facts, written as HTML files (with nav/script/footer boilerplate) into a
temporary folder, and indexed with `build_index` as `guard index build` does. Drafts restate 3
sentences of random pages, half of them with one value changed (day, time, fee, date, days).

Per draft (all in one process, alternating rounds, median round):
  bare      Sudachi alone on the draft (tokenize + read every morpheme's strings), as bench_check
  facts     the package's light view + tokenize + facts of each sentence; and facts alone
            (`facts_of` on the tokens a check already has)
  lookup    `PublishedIndex.lookup` of each sentence (facts computed beforehand)
and, as a check that the figures are about working lookups: the share of restated sentences
supported and of changed sentences not supported with a reason naming the value.

    python benchmarks/bench_index.py [--pages 10000] [--small 1000] [--drafts 500] [--rounds 5] [--json] [--save F]
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import add_output_args, emit, env_info, median, peak_rss_mb

TOWNS = (
    "吉原 今泉 鷹岡 大淵 岩松 富士見台 田子浦 元吉原 須津 浮島 原田 吉永 広見 伝法 富士南 岩本 天間 神戸 中里 松野 "
    "木島 岩淵 中之郷 比奈 依田橋 青葉町 松岡 森島 厚原 久沢 入山瀬 今井 宮島 川成島 蓼原 水戸島 柚木 本市場 平垣"
).split()
EVENTS = "まつり 音楽祭 朝市 マルシェ 講演会 健康教室 防災訓練 清掃活動 写真展 体験教室 映画会 茶会 植樹祭 落語会".split()
FACILITIES = (
    "中央図書館 西図書館 交流プラザ 文化会館 総合体育館 科学館 児童館 公民館 まちづくりセンター 温水プール 郷土資料館".split()
)
PROCEDURES = (
    ("転入届", "住民基本台帳法", 22, "引っ越してから"),
    ("転出届", "住民基本台帳法", 24, "引っ越す前から"),
    ("出生届", "戸籍法", 49, "生まれた日から"),
    ("死亡届", "戸籍法", 86, "死亡を知った日から"),
    ("犬の登録", "狂犬病予防法", 4, "飼い始めてから"),
)
SECTIONS = "市民課 保険年金課 環境保全課 生活環境課 子育て支援課 福祉総務課 市民税課 資産税課".split()
DAYS = "月火水木金土日"
BOILER_HEAD = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}｜富士市</title>'
    '<link rel="canonical" href="{url}"><script>window.dataLayer=[];</script></head><body>'
    '<nav><a href="/">トップページ</a> &gt; <a href="/kurashi/">くらし・手続き</a></nav><main><h1>{title}</h1>'
)
BOILER_FOOT = "</main><footer>富士市役所 〒417-8601 静岡県富士市永田町1丁目100番地</footer></body></html>"


def page(i: int, rnd: random.Random) -> tuple[str, str, list[tuple[str, str]]]:
    """(url, html, [(sentence, changed sentence)]) of synthetic page i."""
    kind = i % 4
    town = TOWNS[i % len(TOWNS)]
    n = i // len(TOWNS) + 1
    if kind == 0:
        d1, d2 = rnd.sample(range(6), 2)
        h, m = rnd.choice((7, 8, 8, 9)), rnd.choice((0, 30))
        w3 = rnd.randrange(5)
        other = (d1 + 1) % 6 if (d1 + 1) % 6 != d2 else (d1 + 2) % 6
        minutes = f"{m}分" if m else ""
        title = f"{town}第{n}地区のごみの収集日"
        sents = [
            (
                f"{town}第{n}地区の燃やすごみの収集日は、毎週{DAYS[d1]}曜日と{DAYS[d2]}曜日です。",
                f"{town}第{n}地区の燃やすごみの収集日は、毎週{DAYS[other]}曜日と{DAYS[d2]}曜日です。",
            ),
            (
                f"{town}第{n}地区の燃やすごみは、収集日の朝{h}時{minutes}までに指定の集積所へ出してください。",
                f"{town}第{n}地区の燃やすごみは、収集日の朝{h + 1}時{minutes}までに指定の集積所へ出してください。",
            ),
            (
                f"{town}第{n}地区の資源ごみの収集日は、毎月第{1 + i % 2}{DAYS[w3]}曜日です。",
                f"{town}第{n}地区の資源ごみの収集日は、毎月第{1 + i % 2}{DAYS[(w3 + 1) % 5]}曜日です。",
            ),
        ]
        extra = ["生ごみは水をよく切ってから出してください。", "収集日は地区によって異なります。"]
    elif kind == 1:
        ev = EVENTS[i % len(EVENTS)]
        month, day = rnd.randint(1, 12), rnd.randint(1, 28)
        h1, h2 = rnd.randint(9, 11), rnd.randint(2, 5)
        fee = rnd.choice((0, 100, 300, 500, 1000, 1500))
        cap = rnd.choice((20, 30, 50, 100, 200))
        title = f"第{n}回{town}{ev}を開催します"
        fee_text = "参加費は無料です。" if fee == 0 else f"参加費は{fee:,}円です。"
        sents = [
            (
                f"第{n}回{town}{ev}を{month}月{day}日に{town}公民館で開催します。",
                f"第{n}回{town}{ev}を{month}月{day % 28 + 1}日に{town}公民館で開催します。",
            ),
            (
                f"第{n}回{town}{ev}の時間は午前{h1}時から午後{h2}時までです。",
                f"第{n}回{town}{ev}の時間は午前{h1}時から午後{h2 + 1}時までです。",
            ),
            (
                f"第{n}回{town}{ev}の{fee_text}定員は{cap}人です。".replace("です。定員", "で、定員"),
                f"第{n}回{town}{ev}の参加費は{fee + 200:,}円で、定員は{cap}人です。",
            ),
        ]
        extra = ["申し込みは電話で受け付けます。", "当日は公共交通機関でお越しください。"]
    elif kind == 2:
        proc, law, art, start = PROCEDURES[i % len(PROCEDURES)]
        days = rnd.choice((14, 30))
        fee = rnd.choice((200, 300, 350, 450))
        sec = SECTIONS[i % len(SECTIONS)]
        floor = rnd.randint(1, 4)
        title = f"{town}第{n}地区の{proc}（第{n}版）"
        sents = [
            (
                f"{town}第{n}地区の{proc}は、{law}第{art}条により、{start}{days}日以内に届け出てください。",
                f"{town}第{n}地区の{proc}は、{law}第{art}条により、{start}{days + 7}日以内に届け出てください。",
            ),
            (
                f"{town}第{n}地区の{proc}の窓口は、市役所{floor}階の{sec}です。",
                f"{town}第{n}地区の{proc}の窓口は、市役所{floor % 4 + 1}階の{sec}です。",
            ),
            (
                f"{town}第{n}地区の{proc}の証明書の手数料は、1通{fee}円です。",
                f"{town}第{n}地区の{proc}の証明書の手数料は、1通{fee + 50}円です。",
            ),
        ]
        extra = ["本人確認書類（運転免許証、マイナンバーカードなど）が必要です。", "代理人が届け出るときは委任状が必要です。"]
    else:
        fac = FACILITIES[i % len(FACILITIES)]
        h1, h2 = rnd.choice((9, 10)), rnd.choice((17, 18, 19, 20))
        closed = rnd.randrange(7)
        fee = rnd.choice((0, 100, 200, 310, 520))
        title = f"{town}第{n}地区の{fac}の利用案内"
        fee_text = "入館料は無料です。" if fee == 0 else f"入館料は{fee}円です。"
        sents = [
            (
                f"{town}第{n}地区の{fac}の開館時間は、{h1}時から{h2}時までです。",
                f"{town}第{n}地区の{fac}の開館時間は、{h1}時から{h2 - 1}時までです。",
            ),
            (
                f"{town}第{n}地区の{fac}の休館日は、毎週{DAYS[closed]}曜日です。",
                f"{town}第{n}地区の{fac}の休館日は、毎週{DAYS[(closed + 1) % 7]}曜日です。",
            ),
            (f"{town}第{n}地区の{fac}の{fee_text}", f"{town}第{n}地区の{fac}の入館料は{fee + 100}円です。"),
        ]
        extra = ["館内での飲食はご遠慮ください。", "駐車場は台数に限りがあります。"]
    url = f"https://www.city.fuji.shizuoka.jp/synthetic/{i // 1000}/{i}.html"
    body = "".join(f"<p>{s}</p>" for s, _ in sents) + "".join(f"<p>{e}</p>" for e in extra)
    return url, BOILER_HEAD.format(title=title, url=url) + body + BOILER_FOOT, sents


def write_pages(folder: Path, count: int, seed: int) -> list[list[tuple[str, str]]]:
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        _, html, sents = page(i, rnd)
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"page{i:05d}.html").write_text(html, encoding="utf-8")
        out.append(sents)
    return out


def make_drafts(sents: list[list[tuple[str, str]]], count: int, seed: int) -> list[tuple[list[str], list[bool]]]:
    """Drafts of 3 sentences from random pages; each sentence changed (True) with probability 1/2."""
    rnd = random.Random(seed + 1)
    drafts = []
    for _ in range(count):
        parts, changed = [], []
        for _ in range(3):
            same, other = rnd.choice(rnd.choice(sents))
            flip = rnd.random() < 0.5
            parts.append(other if flip else same)
            changed.append(flip)
        drafts.append((parts, changed))
    return drafts


def timed(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(folder: Path, count: int, drafts: list[tuple[list[str], list[bool]]], rounds: int, tok: Any) -> dict[str, Any]:
    from fujisns_guard.normalize import light_view
    from fujisns_guard.scope import PublishedIndex, build_index, facts_of
    from fujisns_guard.scope.index import split_sentences
    from fujisns_guard.tokenize import tokenize

    out = folder.parent / f"index-{count}.fgi"
    build_s = timed(lambda: build_index([folder], None, out))
    size = out.stat().st_size
    load_t = [timed(lambda: PublishedIndex.load(out)) for _ in range(rounds)]
    ix = PublishedIndex.load(out)
    texts = ["".join(parts) for parts, _ in drafts]

    def bare() -> None:
        for text in texts:
            for m in tok.tokenize(text):
                m.surface(), m.dictionary_form(), m.normalized_form(), m.reading_form(), m.part_of_speech()
                m.begin(), m.end()

    def facts_pass() -> list[list[Any]]:
        all_facts = []
        for text in texts:
            light = light_view(text).text
            tokens = tokenize(light)
            starts = [t.start for t in tokens]
            fs = []
            for s, e in split_sentences(light):
                lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
                fs.append(facts_of(light[s:e], tokens[lo:hi], offset=s))
            all_facts.append(fs)
        return all_facts

    facts = facts_pass()
    analysed = []
    for text in texts:
        light = light_view(text).text
        tokens = tokenize(light)
        analysed.append((light, tokens, [t.start for t in tokens], split_sentences(light)))

    def facts_only() -> None:
        """facts_of on tokens the check already has (what the engine pays)."""
        for light, tokens, starts, spans in analysed:
            for s, e in spans:
                lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
                facts_of(light[s:e], tokens[lo:hi], offset=s)

    def lookup_pass() -> list[list[Any]]:
        ix._memo.clear()  # measure lookups, not the memo of repeated sentences
        return [[ix.lookup(f) for f in fs] for fs in facts]

    bare(), lookup_pass()  # warm-up
    bare_t: list[float] = []
    facts_t: list[float] = []
    only_t: list[float] = []
    lookup_t: list[float] = []
    for r in range(rounds):
        order = [("bare", bare), ("facts", facts_pass), ("only", facts_only), ("lookup", lookup_pass)]
        for name, fn in order if r % 2 == 0 else reversed(order):
            {"bare": bare_t, "facts": facts_t, "only": only_t, "lookup": lookup_t}[name].append(timed(fn))
    results = lookup_pass()
    same_ok = same_n = changed_ok = changed_n = 0
    for (_, changed), res in zip(drafts, results, strict=True):
        for flip, found in zip(changed, res, strict=False):
            top = found[0] if found else None
            if flip:
                changed_n += 1
                changed_ok += top is not None and not top.supported and bool(top.differs)
            else:
                same_n += 1
                same_ok += top is not None and top.supported
    n = len(texts)
    ms = 1e3 / n
    header = ix._header
    return {
        "pages": count,
        "passages": len(ix._passages),
        "terms": len(header["vocab"]),
        "build_s": build_s,
        "build_pages_per_s": count / build_s,
        "size_bytes": size,
        "load_s_median": median(load_t),
        "load_rounds_s": load_t,
        "drafts": n,
        "sentences_per_draft": 3,
        "bare_ms_per_draft": median(bare_t) * ms,
        "facts_ms_per_draft": median(facts_t) * ms,
        "facts_only_ms_per_draft": median(only_t) * ms,
        "lookup_ms_per_draft": median(lookup_t) * ms,
        "lookup_over_bare": median(lookup_t) / median(bare_t),
        "restated_supported": same_ok / max(1, same_n),
        "changed_flagged": changed_ok / max(1, changed_n),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="published-content index: build, size, load, lookup per draft")
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=1_000, help="a smaller index for the scaling comparison (0: skip)")
    ap.add_argument("--drafts", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20261123)
    add_output_args(ap)
    args = ap.parse_args(argv)
    from sudachipy import Dictionary, SplitMode

    tok = Dictionary(dict="core").tokenizer(SplitMode.C)
    result: dict[str, Any] = {"env": env_info(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="bench_index_") as tmp:
        sizes = [s for s in (args.small, args.pages) if s]
        for count in sizes:
            folder = Path(tmp) / f"pages{count}"
            t0 = time.perf_counter()
            sents = write_pages(folder, count, args.seed)
            gen_s = time.perf_counter() - t0
            drafts = make_drafts(sents, args.drafts, args.seed)
            run = measure(folder, count, drafts, args.rounds, tok)
            run["generate_s"] = gen_s
            result["runs"].append(run)
            print(f"... {count} pages done", file=sys.stderr)
    result["peak_rss_mb"] = peak_rss_mb()
    emit(result, args, print_text)
    return 0


def print_text(r: dict[str, Any]) -> None:
    e = r["env"]
    print(f"{e['date']}  {e['cpu']}  cores={e['cores']}  load={e['loadavg_1_5_15']}  python {e['python']}")
    for run in r["runs"]:
        print(f"\n{run['pages']:,} pages → {run['passages']:,} passages, {run['terms']:,} terms")
        print(
            f"  build   {run['build_s']:.1f} s ({run['build_pages_per_s']:.0f} pages/s)   size {run['size_bytes'] / 1e6:.2f} MB"
        )
        print(f"  load    {run['load_s_median'] * 1e3:.0f} ms (median of {len(run['load_rounds_s'])})")
        print(
            f"  per draft of {run['sentences_per_draft']} sentences ({run['drafts']} drafts): "
            f"bare Sudachi {run['bare_ms_per_draft']:.3f} ms, analysis + facts {run['facts_ms_per_draft']:.3f} ms "
            f"(facts alone {run['facts_only_ms_per_draft']:.3f} ms), "
            f"lookup {run['lookup_ms_per_draft']:.3f} ms (lookup/bare {run['lookup_over_bare']:.2f})"
        )
        print(
            f"  restated sentences supported {run['restated_supported']:.1%}; "
            f"changed sentences flagged with a reason {run['changed_flagged']:.1%}"
        )
    print(f"\npeak RSS {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
