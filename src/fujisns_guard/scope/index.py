"""The published-content index: what the city already published, and which passage supports a
draft sentence (issue 7, G-POST-2a/2d). Format and matching rules: docs/scope.md.

Building reads the pages and FAQ (`sources.py`), splits them into sentences (passages),
analyses each page once with Sudachi and keeps per passage its key words and canonical values
(`facts.py`) as term ids, plus an inverted index term → passages. Lookup never scans: it walks
the posting lists of the draft sentence's rarest terms (a bounded number of postings), scores
the best candidates and their neighbouring sentences, and says whether one states the same facts.

The file is never pickle (an index file could be swapped): a magic line, then one zlib stream
holding a JSON header (strings) and little-endian uint32 arrays (ids).
"""

from __future__ import annotations

import array
import bisect
import datetime as _dt
import hashlib
import itertools
import json
import math
import operator
import os
import re
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

from ..normalize import light_view
from ..tokenize import tokenize
from .facts import KIND_LABELS, WORDS, Facts, canonical_url, facts_of, same_value, show_value
from .sources import Collected, Document, new_files, plan, read_file

if TYPE_CHECKING:
    from ..policy import AccountPolicy

MAGIC = b"FUJISNS-GUARD-INDEX"
FORMAT_VERSION = 3  # 3: the word table's digest (scope/words.toml) in the header
INDEX_DIR = ".guard-index"
MAX_PASSAGE = 200  # characters of a passage (longer sentences are cut at a 、 or space)
SUPPORT_THRESHOLD = 0.8  # share of the draft sentence's key words the passage must hold
MIN_SCORE = 0.5  # below this a passage is not returned at all
MIN_WORDS = 2  # a sentence with one key word (ぜひお越しください) states no fact to support
POSTINGS_BUDGET = 2_000  # postings read per lookup beyond the two rarest terms
CANDIDATES = 30  # passages scored in full per lookup
MEMO_SIZE = 4096  # lookups remembered per index (same facts, same answer)
PATIENCE = 8  # candidates judged after the first holding most of the sentence's words
_ARRAYS = ("post_off", "post", "pterm_off", "pterms", "page_first", "tterm_off", "tterms", "pass_off")
_LAZY_KEYS = ("files", "folders")  # read only by stale() and `sources`: parsed on demand
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class IndexError_(Exception):  # the interface's name: not builtins.IndexError
    """An index file that cannot be used: the message is one line naming the file."""


@dataclass(frozen=True, slots=True)
class Support:
    """A published passage or FAQ answer for one draft sentence (docs/scope.md)."""

    source: Literal["published", "faq"]
    id: str  # page path/URL or FAQ id
    url: str | None
    title: str
    passage: str  # the matching sentence(s) or answer, ≤ 200 characters
    score: float  # 0..1: IDF-weighted share of the sentence's key words found in the passage or its page title
    supported: bool  # score ≥ SUPPORT_THRESHOLD and every value of the sentence is in the passage
    differs: tuple[str, ...]  # Japanese reasons naming the value kind and both values


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What `build_index` did."""

    out: Path
    pages: int
    passages: int
    faq_entries: int
    files: int
    skipped: tuple[tuple[str, str], ...]  # (source, reason): URLs are not fetched
    errors: tuple[str, ...]  # one line per unreadable file or entry, naming it
    size_bytes: int
    seconds: float


@dataclass(frozen=True, slots=True)
class IndexSources:
    """What an index holds and where it came from."""

    published: tuple[str, ...]
    faq: str | None
    files: tuple[str, ...]
    pages: int
    passages: int
    faq_entries: int
    built_at: str  # ISO 8601, UTC
    skipped: tuple[tuple[str, str], ...]


# --- building ------------------------------------------------------------------------------


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text` (split on 。！？ and line breaks), each ≤ MAX_PASSAGE."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > MAX_PASSAGE:
            cut = max(text.rfind("、", s, s + MAX_PASSAGE), text.rfind(" ", s, s + MAX_PASSAGE))
            cut = cut + 1 if cut > s + MAX_PASSAGE // 2 else s + MAX_PASSAGE
            out.append((s, cut))
            s = cut
        if e > s:
            out.append((s, e))
    return out


def value_term(kind: str, value: str) -> str:
    return f"\x00{kind}\x00{value}"


def _terms(facts: Facts) -> list[str]:
    return [*facts.words, *(value_term(k, v) for k, v in facts.values)]


class _Builder:
    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.postings: list[list[int]] = []
        self.pages: list[list[Any]] = []  # [source, id, url, title]
        self.passages: list[str] = []
        self.pterm_off = array.array("I", [0])
        self.pterms = array.array("I")
        self.page_first = array.array("I", [0])
        self.tterm_off = array.array("I", [0])
        self.tterms = array.array("I")

    def _ids(self, terms: list[str]) -> list[int]:
        ids = set()
        for t in terms:
            i = self.vocab.get(t)
            if i is None:
                i = self.vocab[t] = len(self.vocab)
                self.postings.append([])
            ids.add(i)
        return sorted(ids)

    def add(self, doc: Document) -> int:
        """Index one page or FAQ entry; returns its number of passages."""
        title = light_view(doc.title).text.replace("\n", " ")
        light = f"{title}\n{light_view(doc.text).text}"
        body = len(title) + 1
        tokens = tokenize(light)
        starts = [t.start for t in tokens]

        def facts(s: int, e: int) -> Facts:
            lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
            return facts_of(light[s:e], tokens[lo:hi], offset=s)

        self.tterms.extend(self._ids(_terms(facts(0, len(title)))))
        self.tterm_off.append(len(self.tterms))
        n = 0
        for s, e in split_sentences(light[body:]):
            ids = self._ids(_terms(facts(body + s, body + e)))
            if not ids:
                continue
            p = len(self.passages)
            self.passages.append(light[body + s : body + e])
            self.pterms.extend(ids)
            self.pterm_off.append(len(self.pterms))
            for i in ids:
                self.postings[i].append(p)
            n += 1
        self.pages.append([doc.source, doc.id, doc.url, doc.title])
        self.page_first.append(len(self.passages))
        return n

    def payload(self, meta: dict[str, Any]) -> bytes:
        post_off = array.array("I", [0])
        post = array.array("I")
        for plist in self.postings:
            post.extend(plist)
            post_off.append(len(post))
        arrays = {
            "post_off": post_off,
            "post": post,
            "pterm_off": self.pterm_off,
            "pterms": self.pterms,
            "page_first": self.page_first,
            "tterm_off": self.tterm_off,
            "tterms": self.tterms,
        }
        blob = bytearray()
        pass_off = array.array("I", [0])
        for text in self.passages:
            blob += text.encode("utf-8")
            pass_off.append(len(blob))
        arrays["pass_off"] = pass_off
        header = {k: v for k, v in meta.items() if k not in _LAZY_KEYS}
        header["vocab"] = list(self.vocab)
        header["pages"] = self.pages
        header["arrays"] = {name: len(a) for name, a in arrays.items()}
        lazy = json.dumps({k: meta[k] for k in _LAZY_KEYS}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header["lazy_bytes"] = len(lazy)
        header["blob_bytes"] = len(blob)
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        parts = [struct.pack("<I", len(head)), head, lazy, bytes(blob)]
        for name in _ARRAYS:
            a = arrays[name]
            if sys.byteorder != "little":  # pragma: no cover - big-endian machines
                a = array.array("I", a)
                a.byteswap()
            parts.append(a.tobytes())
        return MAGIC + b" %d\n" % FORMAT_VERSION + zlib.compress(b"".join(parts), 6)


def build_index(
    published: Sequence[str | Path],
    faq: str | Path | None,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
) -> IndexStats:
    """Read the sources, index them, write `out` atomically. Unreadable files are listed in
    `errors` (one line each) and the rest is indexed; URLs are skipped, never fetched."""
    t0 = time.perf_counter()
    collected = Collected()
    todo = plan(published, faq, collected)
    builder = _Builder()
    pages = faq_entries = 0
    if progress is not None:
        progress(0, len(todo))
    for done, (path, kind) in enumerate(todo, 1):
        read_file(path, kind, collected)
        for doc in collected.documents:
            builder.add(doc)
            if doc.source == "faq":
                faq_entries += 1
            else:
                pages += 1
        collected.documents.clear()
        if progress is not None:
            progress(done, len(todo))
    now = _dt.datetime.now(_dt.UTC)
    meta = {
        "format": "fujisns-guard-index",
        "version": FORMAT_VERSION,
        "built_at": now.isoformat(timespec="seconds"),
        "published": [str(p) for p in published],
        "faq": None if faq is None else str(faq),
        "files": collected.files,
        "folders": collected.folders,
        "skipped": collected.skipped,
        "counts": {"pages": pages, "faq": faq_entries, "passages": len(builder.passages)},
        "words": WORDS.digest,
    }
    data = builder.payload(meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return IndexStats(
        out,
        pages,
        len(builder.passages),
        faq_entries,
        len(collected.files),
        tuple(collected.skipped),
        tuple(collected.errors),
        len(data),
        time.perf_counter() - t0,
    )


# --- loading and lookup ------------------------------------------------------------------


class _Judged(NamedTuple):
    key: tuple[bool, float, int, int]  # (supported, score, -missing values, -window size): higher is better
    g: int
    lo: int
    hi: int
    score: float
    missing: tuple[tuple[str, str], ...]
    values: tuple[tuple[str, str], ...]
    wanted: frozenset[int]  # terms that would add a word: the draft words not in the window, their opposites


class _Texts:
    """The passage texts: one UTF-8 blob and byte offsets, each decoded when asked (loading
    60,000 passages costs no parsing)."""

    __slots__ = ("_blob", "_off")

    def __init__(self, blob: bytes, offsets: array.array[int]) -> None:
        self._blob, self._off = blob, offsets

    def __len__(self) -> int:
        return len(self._off) - 1

    def _one(self, i: int) -> str:
        return self._blob[self._off[i] : self._off[i + 1]].decode("utf-8", "replace")

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self._one(k) for k in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._one(i % len(self))

    def __iter__(self) -> Iterator[str]:
        return (self._one(k) for k in range(len(self)))


def _holds(have: set[tuple[str, str]], values: Sequence[tuple[str, str]], kind: str, value: str) -> bool:
    """Whether the values state this one (a date without a year matches any year's)."""
    if (kind, value) in have:
        return True
    return kind == "date" and any(k == "date" and same_value(kind, value, v) for k, v in values)


def _order(value: str) -> tuple[int, ...] | str:
    """Dates and times in calendar order in a reason (8月1日・8月2日)."""
    parts = re.split(r"[-:]", value)
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else value


def _bad(path: Path, why: str) -> IndexError_:
    return IndexError_(f"{path}: {why}")


class PublishedIndex:
    """An index loaded from disk: `lookup` finds the passages that support a sentence."""

    def __init__(
        self, path: Path, header: dict[str, Any], arrays: dict[str, array.array[int]], passages: _Texts, lazy: bytes
    ) -> None:
        self.path = path
        self._header = header
        self._lazy_raw = lazy
        self._lazy: dict[str, Any] | None = None
        self._vocab: list[str] = header["vocab"]
        self._tid = {t: i for i, t in enumerate(self._vocab)}
        self._pages: list[list[Any]] = header["pages"]
        self._passages = passages
        self._a = arrays
        self._sources: IndexSources | None = None
        self._value_cache: dict[int, tuple[str, str] | None] = {}
        self._by_url: dict[str, int] | None = None
        self._pvalues: dict[int, tuple[tuple[str, str], ...]] = {}
        self._tsets: dict[int, frozenset[int]] = {}
        self._memo: dict[tuple[Facts, int], tuple[Support, ...]] = {}

    def _meta(self) -> dict[str, Any]:
        """The files and folders read (for staleness), parsed on first use."""
        if self._lazy is None:
            try:
                lazy = json.loads(self._lazy_raw.decode("utf-8"))
                if not (isinstance(lazy, dict) and isinstance(lazy.get("files"), list) and isinstance(lazy.get("folders"), list)):
                    raise ValueError("lazy")
            except (UnicodeDecodeError, ValueError):
                raise _bad(self.path, "索引が壊れています。guard index build で作り直してください") from None
            self._lazy = lazy
        return self._lazy

    @property
    def sources(self) -> IndexSources:
        """What was indexed: sources, files, counts, build time, skipped sources."""
        if self._sources is None:
            header = self._header
            counts = header.get("counts", {})
            self._sources = IndexSources(
                tuple(header.get("published", ())),
                header.get("faq"),
                tuple(str(f[0]) for f in self._meta()["files"]),
                int(counts.get("pages", 0)),
                len(self._passages),
                int(counts.get("faq", 0)),
                str(header.get("built_at", "")),
                tuple((str(s), str(r)) for s, r in header.get("skipped", ())),
            )
        return self._sources

    @classmethod
    def load(cls, path: Path) -> PublishedIndex:
        """Read an index file; IndexError_ (one line naming the file) if it is corrupt or foreign."""
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise _bad(path, f"索引を読めません: {exc.strerror or type(exc).__name__}") from None
        nl = data.find(b"\n", 0, 64)
        if not data.startswith(MAGIC) or nl < 0:
            raise _bad(path, "公表済みページの索引ファイルではありません")
        try:
            version = int(data[len(MAGIC) : nl])
        except ValueError:
            raise _bad(path, "公表済みページの索引ファイルではありません") from None
        if version != FORMAT_VERSION:
            why = f"索引の形式が違います（{version}、この版は {FORMAT_VERSION}）。guard index build で作り直してください"
            raise _bad(path, why)
        try:
            raw = zlib.decompress(data[nl + 1 :])
            (hlen,) = struct.unpack_from("<I", raw, 0)
            header = json.loads(raw[4 : 4 + hlen].decode("utf-8"))
            pos = 4 + hlen
            lazy = raw[pos : pos + int(header["lazy_bytes"])]
            pos += len(lazy)
            blob = raw[pos : pos + int(header["blob_bytes"])]
            if len(lazy) != header["lazy_bytes"] or len(blob) != header["blob_bytes"]:
                raise ValueError("sections")
            pos += len(blob)
            arrays: dict[str, array.array[int]] = {}
            for name in _ARRAYS:
                n = int(header["arrays"][name])
                a = array.array("I")
                a.frombytes(raw[pos : pos + 4 * n])
                if len(a) != n:
                    raise ValueError(name)
                if sys.byteorder != "little":  # pragma: no cover
                    a.byteswap()
                arrays[name] = a
                pos += 4 * n
            if pos != len(raw):
                raise ValueError("trailing data")
            _check(header, arrays, len(blob))
            words = header.get("words")
        except (zlib.error, struct.error, UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError):
            raise _bad(path, "索引が壊れています。guard index build で作り直してください") from None
        if words != WORDS.digest:
            why = "索引を作った時と語の表（scope/words.toml）が違います。guard index build で作り直してください"
            raise _bad(path, why)
        return cls(Path(path), header, arrays, _Texts(blob, arrays["pass_off"]), lazy)

    # -- lookup --

    def _value(self, tid: int) -> tuple[str, str] | None:
        try:
            return self._value_cache[tid]
        except KeyError:
            term = self._vocab[tid]
            v = tuple(term[1:].split("\x00", 1)) if term.startswith("\x00") else None
            self._value_cache[tid] = v  # type: ignore[assignment]
            return v  # type: ignore[return-value]

    def _page_of(self, p: int) -> int:
        return bisect.bisect_right(self._a["page_first"], p) - 1

    def _passage_terms(self, p: int) -> array.array[int]:
        off = self._a["pterm_off"]
        return self._a["pterms"][off[p] : off[p + 1]]

    def _title_terms(self, g: int) -> array.array[int]:
        off = self._a["tterm_off"]
        return self._a["tterms"][off[g] : off[g + 1]]

    def _candidates(self, facts: Facts) -> list[int]:
        """Passages sharing the most of the sentence's terms (words and values), rarest terms
        first: the two rarest posting lists are always read, the others while fewer than
        POSTINGS_BUDGET postings were read, so a lookup never walks the whole index."""
        tid = self._tid
        tids = [tid[w] for w in facts.words if w in tid]
        tids += [tid[t] for t in (value_term(k, v) for k, v in facts.values if k != "url") if t in tid]
        off, post = self._a["post_off"], self._a["post"]
        tids.sort(key=lambda t: off[t + 1] - off[t])
        lists = []
        used = 0
        for i, t in enumerate(tids):
            a, b = off[t], off[t + 1]
            if i >= 2 and used + (b - a) > POSTINGS_BUDGET:
                continue  # a very common term: the rarer ones already found the candidates
            lists.append(post[a:b])
            used += b - a
        counts = Counter(itertools.chain.from_iterable(lists))
        # = counts.most_common(CANDIDATES) (a stable sort: ties in first-seen order), without
        # heapq.nlargest's Python-level loop over every passage counted
        return sorted(counts, key=counts.__getitem__, reverse=True)[:CANDIDATES]

    def lookup(self, facts: Facts, *, limit: int = 3) -> list[Support]:
        """The passages that best support a sentence with these facts, best first, one per page.

        Candidates come best first (summed IDF of the shared terms, values included). Each is
        judged alone; when it shares enough words but does not support the draft sentence, also
        with its previous and with its next sentence of the same page (facts split over two
        sentences). Stops once `limit` pages hold every key word, or PATIENCE candidates after
        the first that holds most of them (score ≥ SUPPORT_THRESHOLD). Empty when the sentence has no key
        word and links no indexed page, or nothing published shares enough of its words."""
        key = (facts, limit)
        cached = self._memo.get(key)
        if cached is not None:
            return list(cached)
        found = self._lookup(facts, limit)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()  # drafts repeat sentences (greetings, contacts): a bounded memo
        self._memo[key] = tuple(found)
        return found

    def _lookup(self, facts: Facts, limit: int) -> list[Support]:
        if not facts.words:
            return self._linked(facts, limit)
        tid = self._tid
        dwords = list(facts.words)
        dtids = [tid.get(w, -1) for w in dwords]
        opposite = WORDS.opposite
        # a word whose opposite (必要 / 不要) a passage states: that passage says the contrary
        dopp = [(i, w, tid[opposite[w]]) for i, w in enumerate(dwords) if w in opposite and opposite[w] in tid]
        off = self._a["post_off"]
        total = len(self._passages) + 1
        # IDF weights: a word few passages hold says more than 毎週; a word no passage holds
        # weighs as one held once (it is new content; so does a word only titles hold).
        weights = [math.log(1 + total / max(1, off[t + 1] - off[t] if t >= 0 else 1)) for t in dtids]
        wsum = sum(weights)
        best: dict[int, _Judged] = {}
        first = self._a["page_first"]
        complete = 0  # pages holding every key word of the sentence
        patience = -1  # candidates still judged once one holds most of the words
        for p in self._candidates(facts):
            if patience == 0:
                break  # later candidates share fewer terms: they rarely rank higher
            patience -= patience > 0
            g = self._page_of(p)
            found = self._judge(facts, dtids, weights, wsum, dopp, g, p, p + 1)
            if found is not None and not found.key[0]:
                core = found
                for lo, hi, q in ((p - 1, p + 1, p - 1), (p, p + 2, p + 1)):
                    if lo >= first[g] and hi <= first[g + 1] and self._may_help(q, core):
                        wider = self._judge(facts, dtids, weights, wsum, dopp, g, lo, hi)
                        if wider is not None and wider.key > found.key:
                            found = wider
            if found is None or (g in best and found.key <= best[g].key):
                continue
            if found.score == 1.0 and not (g in best and best[g].score == 1.0):
                complete += 1
            best[g] = found
            if found.score >= SUPPORT_THRESHOLD and patience < 0:
                patience = PATIENCE
            if complete >= limit:
                break  # later candidates share fewer rare terms: they cannot rank higher
        ranked = sorted(best.values(), key=lambda j: j.key, reverse=True)[:limit]
        # A passage at least as close that states every value of the sentence: the others'
        # missing values are not a contradiction of what was published (ご利用いただけません with
        # two dates: one page states them, another page only shares the word 利用)
        clean = max((j.score for j in ranked if not j.missing and j.score >= SUPPORT_THRESHOLD), default=-1.0)
        return [self._support(facts, j, quiet=j.score <= clean) for j in ranked]

    def _linked(self, facts: Facts, limit: int) -> list[Support]:
        """A sentence with no key word that links published pages (詳しくは https://…): the
        linked pages support it."""
        if self._by_url is None:
            self._by_url = {canonical_url(page[2]): g for g, page in enumerate(self._pages) if page[2]}
        out: list[Support] = []
        for kind, value in facts.values:
            g = self._by_url.get(value) if kind == "url" else None
            if g is not None:
                source, pid, url, title = self._pages[g]
                out.append(Support(source, pid, url, title, title[:MAX_PASSAGE], 1.0, True, ()))
        return out[:limit]

    def _judge(
        self,
        facts: Facts,
        dtids: list[int],
        weights: list[float],
        wsum: float,
        dopp: list[tuple[int, str, int]],
        g: int,
        lo: int,
        hi: int,
    ) -> _Judged | None:
        """Score a window of sentences [lo, hi) of page g; None below MIN_SCORE. The Support
        (texts, reasons) is built later, only for the windows returned."""
        off, pterms = self._a["pterm_off"], self._a["pterms"]
        terms = set(pterms[off[lo] : off[hi]])  # the window's sentences are consecutive
        title_terms = self._tsets.get(g)
        if title_terms is None:
            title_terms = self._tsets[g] = frozenset(self._title_terms(g))
        hits = [t in terms or t in title_terms for t in dtids]
        wanted = {t for t, hit in zip(dtids, hits, strict=True) if not hit and t >= 0}
        opposed: list[tuple[str, str]] = []
        for i, word, opp in dopp:
            if not hits[i]:
                wanted.add(opp)
                if opp in terms:
                    hits[i] = True  # the same topic word with the opposite sense: scored, then a difference
                    opposed.append(("word", word))  # 必要 where the passage says 不要
        matched = sum(hits)
        score = sum(w for w, hit in zip(weights, hits, strict=True) if hit) / wsum
        if score < MIN_SCORE:
            return None
        values = [v for q in range(lo, hi) for v in self._passage_values(q)]
        have = set(values)
        missing: list[tuple[str, str]] = []
        for kind, value in facts.values:
            if kind == "url":
                url = self._pages[g][2]
                ok = (url is not None and canonical_url(url) == value) or ("url", value) in have
            elif kind in ("place", "name"):
                ok = (kind, value) in have or self._mentions(value, g, lo, hi, title_terms)
            else:
                ok = _holds(have, values, kind, value)
                if ok and hi - lo > 1 and any(self._contradicts(q, kind, value, facts.values) for q in range(lo, hi)):
                    ok = False  # one sentence's value cannot stand in for another's own
            if not ok:
                missing.append((kind, value))
        missing += opposed
        supported = score >= SUPPORT_THRESHOLD and matched >= MIN_WORDS and not missing
        return _Judged(
            (supported, score, -len(missing), lo - hi), g, lo, hi, score, tuple(missing), tuple(values), frozenset(wanted)
        )

    def _may_help(self, q: int, core: _Judged) -> bool:
        """Whether sentence q, next to the candidate judged as `core`, could make the window of
        both rank above `core`: it holds a word the candidate lacks (or its opposite) or a
        value the candidate misses. Otherwise the window has the same score, no fewer missing
        values and more sentences, so it ranks below and is not judged (the same answer,
        cheaper)."""
        if core.wanted and any(t in core.wanted for t in self._passage_terms(q)):
            return True
        values = self._passage_values(q)
        have = set(values)
        text: str | None = None
        for kind, value in core.missing:
            if kind in ("place", "name"):
                if text is None:
                    text = self._passages[q]
                if value in text:  # _mentions: the title was already read for the candidate
                    return True
            elif kind != "word" and _holds(have, values, kind, value):
                return True
        return False

    def _passage_values(self, p: int) -> tuple[tuple[str, str], ...]:
        try:
            return self._pvalues[p]
        except KeyError:
            found = self._pvalues[p] = tuple(v for v in map(self._value, self._passage_terms(p)) if v is not None)
            return found

    def _contradicts(self, p: int, kind: str, value: str, draft: Sequence[tuple[str, str]]) -> bool:
        """Passage p states another value of this kind (and counter) and not this one, and the
        draft sentence does not state p's value too. In a window, one sentence's value may add to
        another's (1通300円、コンビニ交付は1通200円 against two sentences), never replace it (the
        words of one sentence with the value of the other: 住民票の写し…1通200円)."""
        own = self._passage_values(p)
        vals = [v for v in own if v[0] == kind and (kind != "number" or _unit(v[1]) == _unit(value))]
        if not vals or _holds(set(vals), vals, kind, value):
            return False
        have = set(draft)
        return not all(_holds(have, draft, k, v) for k, v in vals)

    def _mentions(self, value: str, g: int, lo: int, hi: int, title_terms: frozenset[int]) -> bool:
        """A place or name written in the window or the page title (富士 in 富士市)."""
        if any(self._value(t) in (("place", value), ("name", value)) for t in title_terms):
            return True
        return value in self._pages[g][3] or any(value in self._passages[q] for q in range(lo, hi))

    def _support(self, facts: Facts, j: _Judged, *, quiet: bool = False) -> Support:
        source, pid, url, title = self._pages[j.g]
        text = "".join(self._passages[j.lo : j.hi])
        where = url or pid
        differs: list[str] = []
        if j.score >= SUPPORT_THRESHOLD and not quiet:
            draft_values = set(facts.values)
            for kind, value in j.missing:
                if kind == "word":
                    said = WORDS.opposite[value]
                    differs.append(f"逆の記載です: 下書き「{value}」/ 公表済み「{said}」（{where}）")
                    continue
                label = KIND_LABELS.get(kind, kind)
                other = [
                    v
                    for k, v in j.values
                    if k == kind
                    and (kind != "number" or _unit(v) == _unit(value))
                    and not any(dk == kind and same_value(kind, dv, v) for dk, dv in draft_values)
                ]
                if other:
                    shown = "・".join(show_value(kind, v) for v in sorted(dict.fromkeys(other), key=_order))
                    differs.append(f"{label}が違います: 下書き {show_value(kind, value)} / 公表済み {shown}（{where}）")
                else:
                    differs.append(f"{label} {show_value(kind, value)} は公表済みの文にありません（{where}）")
        passage = text if len(text) <= MAX_PASSAGE else text[: MAX_PASSAGE - 1] + "…"
        return Support(source, pid, url, title, passage, round(j.score, 3), j.key[0], tuple(differs))

    # -- staleness --

    def stale(self) -> list[str]:
        """Source files changed, removed or added since the index was built (paths)."""
        out: list[str] = []
        known: set[str] = set()
        meta = self._meta()
        for path, mtime_ns, size in meta["files"]:
            known.add(path)
            try:
                st = os.stat(path)
            except OSError:
                out.append(path)
                continue
            if st.st_mtime_ns != mtime_ns or st.st_size != size:
                out.append(path)
        out += new_files([(str(f), str(k)) for f, k in meta["folders"]], known)
        return out


def _unit(number: str) -> str:
    """The counter of a canonical number (`14日` → `日`): 14日 and 1階 are not the same fact."""
    return number.lstrip("0123456789.")


def _ascending(o: array.array[int]) -> bool:
    return all(map(operator.le, o, itertools.islice(o, 1, None)))  # C-level loop


def _check(header: dict[str, Any], a: dict[str, array.array[int]], blob_bytes: int) -> None:
    """Every id in range, every offset array consistent: a swapped or damaged file fails here."""
    vocab, pages = header["vocab"], header["pages"]
    if not (isinstance(vocab, list) and isinstance(pages, list)):
        raise ValueError("tables")
    if not set(map(type, vocab)) <= {str}:
        raise ValueError("strings")
    nv, np_, ng = len(vocab), len(a["pass_off"]) - 1, len(pages)
    po = a["pass_off"]
    if np_ < 0 or po[0] != 0 or po[-1] != blob_bytes or not _ascending(po):
        raise ValueError("pass_off")
    for off, data, n in (("post_off", "post", nv), ("pterm_off", "pterms", np_), ("tterm_off", "tterms", ng)):
        o = a[off]
        if len(o) != n + 1 or o[0] != 0 or o[-1] != len(a[data]) or not _ascending(o):
            raise ValueError(off)
    pf = a["page_first"]
    if len(pf) != ng + 1 or pf[0] != 0 or pf[-1] != np_ or not _ascending(pf):
        raise ValueError("page_first")
    for data, limit in (("post", np_), ("pterms", nv), ("tterms", nv)):
        if a[data] and max(a[data]) >= limit:
            raise ValueError("ids")
    # [source, id, url, title] per page, checked with C-level loops (10,000 pages load in ms)
    if not (set(map(type, pages)) <= {list} and set(map(len, pages)) <= {4}):
        raise ValueError("pages")
    column = [list(map(operator.itemgetter(i), pages)) for i in range(4)]
    if not set(column[0]) <= {"published", "faq"} or not set(map(type, column[1] + column[3])) <= {str}:
        raise ValueError("pages")
    if not set(map(type, column[2])) <= {str, type(None)}:
        raise ValueError("pages")


# --- the policy's index --------------------------------------------------------------------


def _local_sources(policy: AccountPolicy) -> list[str]:
    items = [*policy.scope.published, *([policy.scope.faq] if policy.scope.faq else [])]
    return [p for p in items if not _URL_RE.match(p)]


def index_path_for(policy: AccountPolicy) -> Path:
    """Where the policy's index lives: `.guard-index/index-<hash of the sources>.fgi` in the
    folder holding the first local source (for examples/policy/guard.toml: examples/.guard-index/)."""
    items = [*policy.scope.published, *([policy.scope.faq] if policy.scope.faq else [])]
    key = hashlib.sha256(json.dumps(items, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]
    local = _local_sources(policy)
    base = Path(local[0]).parent if local else Path.cwd()
    return base / INDEX_DIR / f"index-{key}.fgi"


_cache: dict[tuple[str, int, int], PublishedIndex] = {}
_cache_lock = threading.Lock()


def load_for_policy(policy: AccountPolicy | None) -> PublishedIndex | None:
    """The policy's index, or None when the policy names no scope source or none was built.
    Cached per path, mtime and size; raises IndexError_ for a corrupt file."""
    if policy is None or not (policy.scope.published or policy.scope.faq):
        return None
    path = index_path_for(policy)
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            found = PublishedIndex.load(path)
            for k in [k for k in _cache if k[0] == key[0]]:
                del _cache[k]
            _cache[key] = found
        return found
