"""Phrase rules as data, each phrase with its own message, reason and suggestions (issue 6).

A `kind = "pattern"` rule has one message and one list of suggestions; a reply-tone rule needs a
calmer wording for *each* phrase (それは誤解です → …, ちゃんと読んでください → …), and an
inappropriate-expression rule a reason and an alternative for each. A rule naming the function
`phrases` lists its phrases in `params`:

    [params]
    quoted = "skip"          # in a quotation or reported speech: "skip" (tone) or "info" (wording)
    unless = '正しくは|訂正'  # optional: no hit at all when the draft matches this anywhere
    imperative = true        # optional: also verbs in the imperative (読め, しなさい; not ください)
    discussed_after = '…'    # optional: a phrase followed by this is discussed, not used (info)

    [[params.entries]]
    pattern = 'ご理解(?:ください|下さい)(?!ます)'   # `regex` V1 syntax
    cues = ["ご理解ください", "ご理解下さい"]         # optional: else derived from the pattern
    message = "「{match}」は…"                      # optional: else the rule's message
    reason = "…"                                     # optional: else the rule's reason
    suggestions = ["…"]                              # optional: else the rule's suggestions
    severity = "warning"                             # optional: else the rule's severity
    boundary = true                                  # the match must start and end on morphemes
    exclude_after = '…'                              # optional: not when followed by this

Cost. Most drafts contain none of a rule's phrases, and a regex scan per phrase per draft would
cost more than the analysis of the draft. So every entry has **cues**: literal strings one of
which any match contains, derived from the pattern (the stdlib parser: the required literal of
the rarest kind, e.g. 「誤解」 for `(?:それは)?(?:誤解|勘違い)です`) or given as `cues = […]` where
the derived ones are too common. All cues of all rules are searched once per draft (CueSet in
context.py); an entry's pattern runs only when one of its cues is in the draft, and sentence and
quotation data are computed only when something matched.

The parameters are validated (unknown keys, bad regexes, bad severities) the first time the rule
runs and by tests/test_statements.py for every shipped rule.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

from ..lazyre import lazy_regex
from ..model import Analysis, Hit
from ..ruleset import memo
from .context import CueSet, context, rarity

TIMEOUT_SECONDS = 0.25
_SEVERITIES = ("error", "warning", "info")
_RULE_KEYS = frozenset(
    {
        "entries",
        "quoted",
        "unless",
        "imperative",
        "imperative_except",
        "imperative_message",
        "imperative_suggestions",
        "discussed_after",
    }
)
_ENTRY_KEYS = frozenset({"pattern", "message", "reason", "suggestions", "severity", "boundary", "exclude_after", "cues"})
# The stdlib's regex parser (private, stable since 3.11; typeshed has no stubs for it): used only to
# derive prefilter strings from a pattern, and nothing breaks without it (every entry then runs).
_sre: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")
# Verbs whose imperative is polite or a set phrase: お越しください, なさい is not among them.
_POLITE_IMPERATIVES = frozenset({"くださる", "下さる", "いらっしゃる", "ござる", "召し上がる", "おっしゃる"})


@dataclass(frozen=True, slots=True)
class Entry:
    pattern: Any  # compiled regex
    cues: CueSet | None  # strings one of which every match contains (None: always run)
    message: str | None
    reason: str | None
    suggestions: tuple[str, ...]
    severity: str | None
    boundary: bool
    exclude_after: Any  # compiled regex or None


@dataclass(frozen=True, slots=True)
class Compiled:
    cues: CueSet | None  # every entry's cues: none in the draft, no entry can match (None: always run)
    entries: tuple[Entry, ...]
    quoted: str
    unless: Any
    imperative: bool
    imperative_except: frozenset[str]
    imperative_message: str | None
    imperative_suggestions: tuple[str, ...]
    discussed_after: Any
    # When every entry has cues: which entries each keyed cue string belongs to, and the entries
    # with common-character cues (searched only when the shared scan saw one), so that a draft
    # with a cue runs only the entries it can match without asking every entry's CueSet.
    by_string: dict[str, tuple[int, ...]] | None = None


def _regex(value: Any, key: str, lazy: bool = False) -> Any:
    if not isinstance(value, str) or not value:
        raise ValueError(f"params.{key}: must be a non-empty string")
    if lazy:  # compiled when first used (a pattern that doesn't compile then fails the rule)
        return lazy_regex(value, regex.V1)
    try:
        return regex.compile(value, regex.V1)
    except regex.error as exc:
        raise ValueError(f"params.{key}: does not compile: {exc}") from None


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"params.{key}: must be a list of non-empty strings")
    return tuple(value)


def compile_phrases(params: dict[str, Any], *, lazy: bool = False) -> Compiled:
    """Validate and compile a `phrases` rule's params; raise ValueError naming the key.

    With `lazy` (how the rules run), each pattern is compiled the first time it is used: most
    drafts reach few of them, and compiling them all took ~0.08 s of a `guard check` start. The
    shipped rules are compiled in full by tests/test_statements.py."""
    unknown = set(params) - _RULE_KEYS
    if unknown:
        raise ValueError(f"params: unknown key(s) {', '.join(sorted(unknown))}")
    raw = params.get("entries", [])
    imperative = params.get("imperative", False)
    if not isinstance(imperative, bool):
        raise ValueError("params.imperative: must be true or false")
    if not isinstance(raw, list) or (not raw and not imperative):
        raise ValueError("params.entries: must be a non-empty list of tables")
    entries: list[Entry] = []
    all_cues: frozenset[str] | None = frozenset()
    for i, e in enumerate(raw):
        key = f"entries[{i}]"
        if not isinstance(e, dict):
            raise ValueError(f"params.{key}: must be a table")
        unknown = set(e) - _ENTRY_KEYS
        if unknown:
            raise ValueError(f"params.{key}: unknown key(s) {', '.join(sorted(unknown))}")
        pattern = e.get("pattern")
        compiled = _regex(pattern, f"{key}.pattern", lazy)
        assert isinstance(pattern, str)
        if "(?P<" in pattern:
            raise ValueError(f"params.{key}.pattern: named groups are not allowed")
        if "cues" in e:
            cues: frozenset[str] | None = frozenset(_strings(e["cues"], f"{key}.cues"))
        else:
            cues = required_strings(pattern)
        severity = e.get("severity")
        if severity is not None and severity not in _SEVERITIES:
            raise ValueError(f"params.{key}.severity: one of {', '.join(_SEVERITIES)}")
        for k in ("message", "reason"):
            if k in e and (not isinstance(e[k], str) or not e[k].strip()):
                raise ValueError(f"params.{key}.{k}: must be a non-empty string")
        boundary = e.get("boundary", True)
        if not isinstance(boundary, bool):
            raise ValueError(f"params.{key}.boundary: must be true or false")
        all_cues = None if cues is None or all_cues is None else all_cues | cues
        entries.append(
            Entry(
                compiled,
                CueSet(cues) if cues is not None else None,
                e.get("message"),
                e.get("reason"),
                _strings(e.get("suggestions", []), f"{key}.suggestions"),
                severity,
                boundary,
                _regex(e["exclude_after"], f"{key}.exclude_after", lazy) if "exclude_after" in e else None,
            )
        )
    quoted = params.get("quoted", "skip")
    if quoted not in ("skip", "info"):
        raise ValueError("params.quoted: one of skip, info")
    msg = params.get("imperative_message")
    if msg is not None and (not isinstance(msg, str) or not msg.strip()):
        raise ValueError("params.imperative_message: must be a non-empty string")
    by_string: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        if entry.cues is not None:
            for string in entry.cues.strings:
                by_string.setdefault(string, []).append(i)
    union = CueSet(all_cues) if entries and all_cues is not None else None
    return Compiled(
        union,
        tuple(entries),
        quoted,
        _regex(params["unless"], "unless", lazy) if "unless" in params else None,
        imperative,
        _POLITE_IMPERATIVES | frozenset(_strings(params.get("imperative_except", []), "imperative_except")),
        msg,
        _strings(params.get("imperative_suggestions", []), "imperative_suggestions"),
        _regex(params["discussed_after"], "discussed_after", lazy) if "discussed_after" in params else None,
        {k: tuple(v) for k, v in by_string.items()} if union is not None else None,
    )


def _required(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence `items` contains, or None."""
    candidates: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        found: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            found = _required(av[-1])
        elif op is _sre.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(alt is not None for alt in alternatives):
                found = frozenset().union(*alternatives)  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _required(av[2])
            if inner is not None and av[0] >= 2 and all(len(x) == 1 for x in inner):
                inner = frozenset(x * min(av[0], 3) for x in inner)  # [wｗ]{2,} → ww, ｗｗ
            found = inner
        elif op is _sre.IN and len(av) <= 8 and all(o is _sre.LITERAL for o, _ in av):
            found = frozenset(chr(v) for _, v in av)
        elif op is _sre.ASSERT:  # a positive lookaround: its text is in the draft too
            found = _required(av[1])
        elif op is _sre.ATOMIC_GROUP:
            found = _required(av)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset({run}))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(map(rarity, c)), -len(c)))


def required_strings(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (a prefilter), or None when none
    can be derived (then the entry always runs). Uses the stdlib parser; a pattern only the
    `regex` module understands gets None."""
    found = _REQUIRED.get(pattern, _UNKNOWN)
    if found is _UNKNOWN:
        try:
            found = _required(_sre_parse.parse(pattern))
        except (re.error, TypeError, ValueError, AttributeError):
            found = None
        _REQUIRED[pattern] = found
    return found  # type: ignore[no-any-return]


# Deriving the cues parses every pattern (~5 ms a rule): kept in the rule cache across starts.
_REQUIRED = memo("phrases.required_strings")
_UNKNOWN = object()


# The engine binds one params dict per rule for the life of a Guard: compile it once. The dict is
# kept in the value so that its id cannot be reused by another dict while the entry exists; the
# oldest entries go when many Guards have come and gone (check(policy=…) builds one per call).
_COMPILED: dict[int, tuple[dict[str, Any], Compiled]] = {}
_MAX_COMPILED = 512


def _compiled(params: dict[str, Any]) -> Compiled:
    got = _COMPILED.get(id(params))
    if got is None or got[0] is not params:
        if len(_COMPILED) >= _MAX_COMPILED:
            del _COMPILED[next(iter(_COMPILED))]
        got = (params, compile_phrases(params, lazy=True))
        _COMPILED[id(params)] = got
    return got[1]


def prepare(params: dict[str, Any], kinds: tuple[str, ...]) -> None:
    """When a Guard is built: compile the params (lazily) and register their cue sets for the
    kinds of draft the rule runs on, so that the shared cue scan is compiled once, not once per
    rule at the first draft. Invalid params are left for the first run to report."""
    try:
        c = _compiled(params)
    except ValueError:
        return
    for cues in (c.cues, *(e.cues for e in c.entries)):
        if cues is not None:
            for kind in kinds:
                cues.register(kind)


def phrases(a: Analysis, params: dict[str, Any]) -> list[Hit]:
    c = _compiled(params)
    if not c.imperative and c.cues is not None and c.cues.find(a) is None:
        return []  # the common case: none of the rule's cues is in the draft
    light = a.light
    hits: list[Hit] = []
    try:
        candidates = _candidates(a, c) if c.entries else ()
        if candidates:
            entries = c.entries
            matches = [(i, m) for i in candidates for m in entries[i].pattern.finditer(light, timeout=TIMEOUT_SECONDS)]
            if matches and c.unless is not None and c.unless.search(light, timeout=TIMEOUT_SECONDS):
                matches = []
            if matches:
                hits.extend(_phrase_hits(a, c, matches))
    except TimeoutError:
        return [
            Hit(
                "",
                0,
                0,
                "",
                "フレーズの照合が制限時間内に終わりませんでした",
                severity="warning",
                message="フレーズの確認が時間切れで完了しませんでした。目視で確認してください。",
            )
        ]
    if c.imperative:
        hits.extend(_imperatives(a, c))
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


def _candidates(a: Analysis, c: Compiled) -> list[int]:
    """The entries whose cues are in the draft (all of them that have no cues), in order."""
    if c.cues is None or c.by_string is None:
        return [i for i, entry in enumerate(c.entries) if entry.cues is None or entry.cues.find(a)]
    present = c.cues.present(a)
    if not present:
        return []
    found: set[int] = set()
    for string in present:
        found.update(c.by_string[string])
    return sorted(found)


def _phrase_hits(a: Analysis, c: Compiled, matches: list[tuple[int, Any]]) -> list[Hit]:
    ctx = context(a)
    light = a.light
    toks = ctx.tokens
    out: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for idx, m in sorted(matches, key=lambda im: (im[1].start(), -im[1].end(), im[0])):
        s, e = m.span()
        if s == e or any(ts <= s < te for ts, te in taken):
            continue  # one hit per place: the longest match of the first entry starting there
        entry = c.entries[idx]
        if entry.boundary and toks:
            first, last = ctx.token_at(s), ctx.token_at(e - 1)
            if first < 0 or toks[first].start != s or toks[last].end != e:
                continue  # inside a longer word
        sent_end = ctx.clause_end(e)
        if entry.exclude_after is not None and entry.exclude_after.match(light, e, sent_end):
            continue
        severity = entry.severity
        detail = f"フレーズ{idx + 1}に一致"
        quote = ctx.quoted(s, e)
        if c.quoted == "skip":
            if quote is not None or ctx.reported_after(e):
                continue
        elif quote in ("discussed", "reported") or _discussed_after(c, light, e, sent_end):
            severity = "info"
            detail += "。引用・言葉として論じられているため info"
        matched = light[s:e]
        taken.append((s, e))
        out.append(
            Hit(
                "",
                s,
                e,
                matched,
                detail,
                severity=severity,
                message=entry.message.format(match=matched) if entry.message else None,
                reason=entry.reason,
                suggestions=entry.suggestions,
            )
        )
    return out


def _verb_start(toks: Any, i: int) -> int:
    """Back from token i over the verb group it ends: 確認|し|なさい, 読ん|で|くれ, 書き込む."""
    k = i
    while k > 0:
        p = toks[k - 1]
        if p.pos[0] == "動詞" or (p.pos[0] == "助詞" and p.surface in ("て", "で")):
            k -= 1
        elif p.pos[0] == "名詞" and len(p.pos) > 2 and p.pos[2] == "サ変可能" and toks[k].lemma in ("する", "為る"):
            k -= 1
            break
        else:
            break
    return k


def _discussed_after(c: Compiled, light: str, end: int, sent_end: int) -> bool:
    return c.discussed_after is not None and c.discussed_after.match(light, end, sent_end) is not None


def _imperatives(a: Analysis, c: Compiled) -> list[Hit]:
    """Verbs in the imperative (読め, しろ, しなさい) and the prohibitive な (来るな)."""
    toks = a.tokens
    out: list[Hit] = []
    ctx = None
    for i, pos in enumerate(toks.pos):  # the column: a Token object only for a candidate
        if pos[0] == "動詞" and len(pos) > 5 and pos[5] == "命令形":
            t = toks[i]
            if t.lemma in c.imperative_except:
                continue
            s, e = toks[_verb_start(toks, i)].start, t.end
        elif pos[0] == "助詞" and pos[1] == "終助詞" and i > 0 and (t := toks[i]).surface == "な":
            prev = toks[i - 1]
            if prev.pos[0] != "動詞" or not (len(prev.pos) > 5 and prev.pos[5].startswith("終止形")):
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.pos[0] not in ("補助記号", "空白"):
                continue
            s, e = toks[_verb_start(toks, i - 1)].start, t.end
        else:
            continue
        if ctx is None:
            ctx = context(a)
        if ctx.quoted(s, e) is not None or ctx.reported_after(e):
            continue
        matched = a.light[s:e]
        out.append(
            Hit(
                "",
                s,
                e,
                matched,
                f"命令形「{t.surface}」",
                message=c.imperative_message.format(match=matched) if c.imperative_message else None,
                suggestions=c.imperative_suggestions,
            )
        )
    return out


RULES: dict[str, Callable[[Analysis, dict[str, Any]], list[Hit]]] = {"phrases": phrases}
PREPARE: dict[str, Callable[[dict[str, Any], tuple[str, ...]], None]] = {"phrases": prepare}
