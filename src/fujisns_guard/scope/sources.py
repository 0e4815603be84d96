"""Reading what is published: pages (HTML, text, JSON lines) and the FAQ (CSV, JSON lines).

No network, ever: a URL in `scope.published` is reported as skipped. A file that cannot be read
is one line naming the file; the other files are still read. Pure except for reading files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

PAGE_SUFFIXES = (".html", ".htm", ".txt", ".jsonl")
FAQ_SUFFIXES = (".csv", ".jsonl")
SourceKind = Literal["published", "faq"]

_SKIP_TAGS = frozenset({"script", "style", "nav", "noscript", "template", "footer", "aside", "svg", "form", "button"})
_BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr td th table section article header main blockquote pre hr caption".split()
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_URL_SKIPPED = "URL は取得しません（ネットワークに接続しません）。ページを保存してフォルダを指定してください"
_SJIS_HINT = "UTF-8 として読めません（Shift_JIS（cp932）なら UTF-8 で保存し直してください）"


@dataclass(frozen=True, slots=True)
class Document:
    """One published page or FAQ entry, as text."""

    source: SourceKind
    id: str  # the page's path or URL, or the FAQ id
    url: str | None
    title: str
    text: str


@dataclass(slots=True)
class Collected:
    """What reading the sources found: documents, files read (for staleness), problems."""

    documents: list[Document] = field(default_factory=list)
    files: list[tuple[str, int, int]] = field(default_factory=list)  # (path, mtime_ns, size)
    folders: list[tuple[str, str]] = field(default_factory=list)  # (folder, kind) scanned for new files
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason): URLs not fetched
    errors: list[str] = field(default_factory=list)  # one line each, naming the file


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self.canonical: str | None = None
        self.og_url: str | None = None
        self._skip = 0
        self._in: str | None = None  # "title" / "h1" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = a.get("href") or self.canonical
        elif tag == "meta" and a.get("property", "").lower() == "og:url":
            self.og_url = a.get("content") or self.og_url
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in ("title", "h1") and not self._skip:
            self._in = tag
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:  # <nav/>: nothing to skip
            self.handle_starttag("br", attrs)
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag == self._in:
            self._in = None
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in == "title":
            self.title += data
            return
        if self._in == "h1":
            self.h1 += data
        self.parts.append(data)


def html_document(data: bytes, path: str) -> Document:
    """Text, title and URL of an HTML page (URL from <link rel=canonical>, else og:url)."""
    parser = _HTMLText()
    parser.feed(decode_html(data, path))
    parser.close()
    text = "\n".join(line.strip() for line in "".join(parser.parts).splitlines())
    title = " ".join((parser.title or parser.h1).split())
    url = parser.canonical or parser.og_url
    url = url.strip() if url and _URL_RE.match(url.strip()) else None
    return Document("published", url or path, url, title, re.sub(r"\n{2,}", "\n", text).strip())


def decode_html(data: bytes, path: str) -> str:
    """UTF-8 (BOM allowed); else the charset the page declares (Shift_JIS pages are common)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    enc = m.group(1).decode("ascii").lower() if m else "cp932"
    if enc in ("shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j"):
        enc = "cp932"
    try:
        return data.decode(enc)
    except (LookupError, UnicodeDecodeError):
        raise SourceError(f"{path}: 文字コードを判別できません（UTF-8 で保存してください）") from None


class SourceError(Exception):
    """One file that cannot be read: the message is one line naming it."""


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: {_SJIS_HINT}") from None


def text_document(path: Path) -> Document:
    """A .txt page: the first non-empty line is the title, the rest the text."""
    lines = _read_text(path).splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise SourceError(f"{path}: 空のファイルです")
    return Document("published", str(path), None, lines[0].strip(), "\n".join(lines[1:]).strip())


def _jsonl(path: Path, errors: list[str]) -> Iterator[tuple[int, dict[str, object]]]:
    for no, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{no}: JSON として読めません（{exc.msg}）")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{path}:{no}: 1行に1つのオブジェクト（{{...}}）を書いてください")
            continue
        yield no, obj


def _str(obj: dict[str, object], key: str) -> str | None:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def jsonl_pages(path: Path, errors: list[str]) -> Iterator[Document]:
    """Pages from JSON lines: {"url": …, "title": …, "text": …} (text required)."""
    for no, obj in _jsonl(path, errors):
        text = _str(obj, "text")
        if text is None:
            errors.append(f"{path}:{no}: text がありません")
            continue
        url = _str(obj, "url")
        if url is not None and not _URL_RE.match(url):
            url = None
        yield Document("published", url or f"{path}:{no}", url, _str(obj, "title") or "", text)


def faq_entries(path: Path, errors: list[str]) -> Iterator[Document]:
    """FAQ entries from CSV (columns id, question, answer; UTF-8 with or without BOM) or JSON lines."""
    if path.suffix.lower() == ".jsonl":
        rows: Iterator[tuple[int, dict[str, object]]] = _jsonl(path, errors)
    else:
        rows = _csv_rows(path)
    seen: set[str] = set()
    for no, row in rows:
        fid, question, answer = _str(row, "id"), _str(row, "question"), _str(row, "answer")
        missing = [k for k, v in (("id", fid), ("question", question), ("answer", answer)) if v is None]
        if missing:
            errors.append(f"{path}:{no}: {', '.join(missing)} がありません")
            continue
        assert fid is not None and question is not None and answer is not None
        if fid in seen:
            errors.append(f"{path}:{no}: id {fid} が重複しています")
            continue
        seen.add(fid)
        yield Document("faq", fid, None, question, answer)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    need = [k for k in ("id", "question", "answer") if k not in header]
    if need:
        raise SourceError(f"{path}: 見出し行に {', '.join(need)} の列がありません（id,question,answer）")
    reader.fieldnames = header
    for row in reader:
        yield reader.line_num, {k: v for k, v in row.items() if isinstance(k, str)}


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [Path(root) / n for n in sorted(names) if n.lower().endswith(suffixes) and not n.startswith(".")]
    return out


def plan(published: Sequence[str | Path], faq: str | Path | None, collected: Collected) -> list[tuple[Path, SourceKind]]:
    """The files to read, in order; URLs and missing places go to `collected`."""
    todo: list[tuple[Path, SourceKind]] = []
    items: list[tuple[str | Path, SourceKind]] = [(p, "published") for p in published]
    if faq is not None:
        items.append((faq, "faq"))
    for item, kind in items:
        if isinstance(item, str) and _URL_RE.match(item):
            collected.skipped.append((item, _URL_SKIPPED))
            continue
        path = Path(item)
        suffixes = PAGE_SUFFIXES if kind == "published" else FAQ_SUFFIXES
        if path.is_dir():
            collected.folders.append((str(path), kind))
            found = _files(path, suffixes)
            if not found:
                collected.errors.append(f"{path}: 読めるファイル（{', '.join(suffixes)}）がありません")
            todo += [(p, kind) for p in found]
        elif path.is_file():
            if not path.name.lower().endswith(suffixes):
                collected.errors.append(f"{path}: この形式は読めません（{', '.join(suffixes)}）")
                continue
            todo.append((path, kind))
        else:
            collected.errors.append(f"{path}: 見つかりません")
    return todo


def read_file(path: Path, kind: SourceKind, collected: Collected) -> None:
    """Read one planned file into `collected` (an unreadable file becomes one error line)."""
    try:
        st = path.stat()
        collected.files.append((str(path), st.st_mtime_ns, st.st_size))
        suffix = path.suffix.lower()
        if kind == "faq":
            collected.documents += faq_entries(path, collected.errors)
        elif suffix in (".html", ".htm"):
            collected.documents.append(html_document(path.read_bytes(), str(path)))
        elif suffix == ".txt":
            collected.documents.append(text_document(path))
        else:
            collected.documents += jsonl_pages(path, collected.errors)
    except SourceError as exc:
        collected.errors.append(str(exc))
    except OSError as exc:
        collected.errors.append(f"{path}: 読めません: {exc.strerror or type(exc).__name__}")


def new_files(folders: Sequence[tuple[str, str]], known: set[str]) -> list[str]:
    """Files now in the scanned folders that the index did not read."""
    out: list[str] = []
    for folder, kind in folders:
        suffixes = PAGE_SUFFIXES if kind == "published" else FAQ_SUFFIXES
        out += [str(p) for p in _files(Path(folder), suffixes) if str(p) not in known]
    return out
