"""Sudachi analysis: the only module that imports sudachipy.

The dictionary is loaded once per process (lazily); each thread gets its own tokenizer because a
Sudachi tokenizer refuses concurrent use ("Tokenizer is already in use"). Sudachi rejects input
over 49,149 bytes, so long drafts are split at line or sentence breaks and offsets shifted.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, NamedTuple

from .model import Token, Tokens

# Sudachi refuses input over 49,149 bytes; keep chunks well under it (UTF-8 ≤ 4 bytes/char).
MAX_CHUNK_BYTES = 40_000
_BREAKS = ("\n", "。", "！", "？", "!", "?", "、", " ", "\u3000")

_local = threading.local()
_dictionary_lock = threading.Lock()


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    from sudachipy import Dictionary

    with _dictionary_lock:
        return Dictionary(dict="core")


def _tokenizer() -> Any:
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        tok = _dictionary().tokenizer(SplitMode.C)
        _local.tokenizer = tok
    return tok


def split_chunks(text: str, max_bytes: int = MAX_CHUNK_BYTES) -> list[tuple[int, str]]:
    """Split `text` into (offset, chunk) pieces each under `max_bytes` of UTF-8."""
    if len(text) * 4 <= max_bytes or len(text.encode("utf-8")) <= max_bytes:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start, n = 0, len(text)
    max_chars = max_bytes // 4  # safe whatever the characters are
    while start < n:
        end = min(n, start + max_chars)
        if end < n:
            cut = -1
            for brk in _BREAKS:
                cut = text.rfind(brk, start + max_chars // 2, end)
                if cut != -1:
                    break
            if cut != -1:
                end = cut + 1
            elif 0xDC00 <= ord(text[end - 1]) <= 0xDFFF:  # pragma: no cover - no surrogates in str
                end -= 1
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def tokenize(text: str) -> Tokens:
    """Analyse `text` (the light view) into tokens with offsets into `text`.

    Only the part of speech of each morpheme is read here; `Tokens` reads the offsets when a
    detector first needs them (each end is the next begin: Sudachi's morphemes cover the input
    without gaps, tests/test_tokenize.py) and makes a `Token` object for the morphemes visited.
    """
    tok = _tokenizer()
    pos_of = _pos_table()
    chunks = split_chunks(text)
    if len(chunks) == 1:
        ms = list(tok.tokenize(text)) if text else []
        return Tokens(ms, _pos_column(ms, [m.part_of_speech_id() for m in ms], pos_of), text, [(0, 0, len(text))])
    morphemes: list[Any] = []
    pos: list[tuple[str, ...]] = []
    bounds: list[tuple[int, int, int]] = []
    for offset, chunk in chunks:
        ms = list(tok.tokenize(chunk))
        if not ms:
            continue
        bounds.append((len(morphemes), offset, offset + len(chunk)))
        morphemes.extend(ms)
        pos.extend(_pos_column(ms, [m.part_of_speech_id() for m in ms], pos_of))
    return Tokens(morphemes, pos, text, bounds)


def _pos_column(ms: list[Any], ids: list[int], pos_of: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    try:
        return list(map(pos_of.__getitem__, ids))
    except IndexError:  # pragma: no cover - an id the table lacks (a user dictionary): ask Sudachi
        return [tuple(m.part_of_speech()) for m in ms]


@lru_cache(maxsize=1)
def _pos_table() -> list[tuple[str, ...]]:
    """Every part of speech of the dictionary by its id: one list lookup per morpheme instead of
    a call into Sudachi that builds the tuple."""
    d = _dictionary()
    table: list[tuple[str, ...]] = []
    while True:
        p = d.pos_of(len(table))
        if p is None:
            return table
        table.append(tuple(p))


def fine_parts(token: Token) -> list[tuple[int, int, str]]:
    """Sudachi's finest (mode A) morphemes of one token as (start, end, reading)."""
    from sudachipy import SplitMode

    parts = token.morpheme.split(SplitMode.A)
    if len(parts) <= 1:
        return [(token.start, token.end, token.reading)]
    return [(p.begin() + token.offset, p.end() + token.offset, p.reading_form()) for p in parts]


def analyse_term(text: str) -> Tokens:
    """Tokens of a short word-list term, for load-time analysis (never a draft)."""
    return tokenize(text)


class TermShape(NamedTuple):
    """What the word-list compiler needs of a term's analysis: plain strings, so that the rule
    cache (ruleset.py) can keep it on disk and a start need not run Sudachi on every term."""

    pos0: tuple[str, ...]  # first part-of-speech level of each morpheme
    surfaces: tuple[str, ...]
    lemmas: tuple[str, ...]  # dictionary forms


_SHAPES: dict[str, TermShape] = {}


def term_shape(text: str) -> TermShape:
    """The analysis of a word-list term (memoised per process; seeded from the rule cache)."""
    shape = _SHAPES.get(text)
    if shape is None:
        toks = tokenize(text)
        shape = TermShape(tuple(t.pos[0] for t in toks), tuple(t.surface for t in toks), tuple(t.lemma for t in toks))
        _SHAPES[text] = shape
    return shape


def seed_term_shapes(shapes: dict[str, tuple[tuple[str, ...], ...]]) -> None:
    """Take term analyses computed earlier (the rule cache) instead of running Sudachi again."""
    for text, shape in shapes.items():
        _SHAPES.setdefault(text, TermShape(*shape))


def dictionary_fingerprint() -> str:
    """Which Sudachi dictionary term analyses come from (file size and time), without loading it."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("sudachidict_core")
    if spec is None or spec.origin is None:
        return "none"
    try:
        st = (Path(spec.origin).parent / "resources" / "system.dic").stat()
    except OSError:
        return "none"
    return f"{st.st_size}:{st.st_mtime_ns}"
