"""Fixes: which suggestions can be applied without a person choosing, and applying them (pure).

A finding is fixed only when its suggestion is, by construction, the replacement text for exactly
its span, and there is nothing to choose (docs/fix.md):

1. its rule is one whose suggestions are literal replacements (`FIX_RULES`): a word-list term's
   single alternative (看護婦 → 看護師, ポリ公 → 警察官), the city's own wording (policy style), an abolished
   evacuation term (避難勧告 → 避難指示), and a wrong weekday or holiday mark of a date
   (「(火)」 → 「(月)」). Other suggestions are advice (「番号を削除する」), and an era or a
   警戒レベル that disagree do not say which half is wrong;
2. it has exactly one suggestion, and it differs from the text it replaces;
3. it is an error or a warning: `info` is a style note, or a word quoted as language under
   discussion (「看護婦」という言葉), which must stay as written;
4. it is not suppressed, and it was not matched through a conjugated form (the replacement is a
   dictionary form); the text at its span is the excerpt (never a masked secret);
5. it overlaps no other fix and no secret; overlapping fixes are all left alone, and said so.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import Finding
from .textpos import line_starts

FIX_RULES = frozenset(
    {"discriminatory.terms", "broadcast.terms", "discriminatory.policy_style", "accuracy.disaster_terms", "accuracy.dates"}
)
# accuracy.dates: only these problems have one right answer (the date names its weekday).
_DATE_KINDS = frozenset({"weekday_mismatch", "holiday_mark"})
_DATE_KIND = re.compile(r"日付の確認: (\w+)")
CONJUGATED = "活用形"

Edit = tuple[int, int, str]  # original span and its replacement


@dataclass
class FixPlan:
    """`applied`: findings and their replacement, by position; `skipped`: findings with a
    suggestion that are left to a person, and why (Japanese)."""

    applied: list[tuple[Finding, str]] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def edits(self) -> list[Edit]:
        return [(f.start, f.end, new) for f, new in self.applied]


def _why_not(f: Finding, text: str | None) -> str | None:
    """None when the finding is an unambiguous fix, else why not (Japanese)."""
    if f.rule_id not in FIX_RULES:
        return "提案は書き換えの案内で、置き換える文字列ではありません"
    if f.suppressed:
        return "抑制されています"
    if f.severity == "info":
        return "info（表記の好み、または言葉として論じている引用）は書き換えません"
    if len(f.suggestions) != 1:
        return f"提案が {len(f.suggestions)} 件あり、選ぶのは人です"
    if f.end <= f.start or (text is not None and text[f.start : f.end] != f.excerpt):
        return "指摘の範囲を書き換えられません"
    if f.suggestions[0] == f.excerpt or not f.suggestions[0]:
        return "提案が元の文字列と同じです"
    if CONJUGATED in f.explanation:
        return "活用した形で一致したため、辞書形の提案をそのまま置けません"
    if f.rule_id == "accuracy.dates":
        kinds = set(_DATE_KIND.findall(f.explanation))
        if not kinds or not kinds <= _DATE_KINDS:
            return "どちらが正しいかは人が決めます（曜日・祝日の誤り以外）"
    return None


def hidden_texts(source: str, findings: Sequence[Finding]) -> dict[str, str]:
    """Raw text → what to show instead, for every secret the engine masked (its excerpt differs
    from the source) and for every other finding's text that overlaps one: defence in depth, so
    that no message, snippet or property quoting the draft can carry a secret."""
    secrets = sorted((f.start, f.end, f.excerpt) for f in findings if f.end > f.start and source[f.start : f.end] != f.excerpt)
    if not secrets:
        return {}
    hidden = {source[s:e]: shown for s, e, shown in secrets}
    for f in findings:
        raw = source[f.start : f.end]
        if raw in hidden or f.end <= f.start:
            continue
        parts, pos = [], f.start
        for s, e, shown in secrets:
            if e <= pos or s >= f.end:
                continue
            parts.append(source[pos:s] if s > pos else "")
            parts.append(shown)
            pos = max(pos, e)
        if parts:
            parts.append(source[pos : f.end] if f.end > pos else "")
            hidden[raw] = "".join(parts)
    return hidden


def scrub(text: str, hidden: Mapping[str, str]) -> str:
    """`text` with every hidden raw text replaced by what to show, longest first."""
    for raw in sorted(hidden, key=len, reverse=True):
        if raw in text:
            text = text.replace(raw, hidden[raw])
    return text


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def plan_fixes(findings: Sequence[Finding], text: str | None = None) -> FixPlan:
    """Split findings into the fixes to apply and the suggestions left to a person.

    `text` is the whole draft the findings index; without it the excerpt is trusted."""
    plan = FixPlan()
    candidates: list[Finding] = []
    secrets = [f for f in findings if text is not None and f.end > f.start and text[f.start : f.end] != f.excerpt]
    for f in findings:
        if not f.suggestions:
            continue
        why = _why_not(f, text)
        if why is None and any(_overlap(f, s) for s in secrets):
            why = "秘密（伏せ字）と重なります"
        if why is None:
            candidates.append(f)
        else:
            plan.skipped.append((f, why))
    candidates.sort(key=lambda f: (f.start, f.end))
    i = 0
    while i < len(candidates):  # group overlapping candidates (sorted by start)
        group = [candidates[i]]
        end = candidates[i].end
        i += 1
        while i < len(candidates) and candidates[i].start < end:
            group.append(candidates[i])
            end = max(end, candidates[i].end)
            i += 1
        same = {(f.start, f.end, f.suggestions[0]) for f in group}
        if len(same) == 1:  # several rules, one span, one replacement: nothing to choose
            plan.applied.append((group[0], group[0].suggestions[0]))
            plan.skipped.extend((f, "同じ修正を適用済み") for f in group[1:])
        else:
            plan.skipped.extend((f, "ほかの修正と重なるため、どれも適用しません") for f in group)
    return plan


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with non-overlapping spans replaced (any order)."""
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(edits):
        if start < pos:
            raise ValueError(f"overlapping edits at {start}")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines with their own endings; only \\n, \\r\\n and \\r break lines."""
    starts = line_starts(text)
    ends = [*starts[1:], len(text)]
    return [text[s:e] for s, e in zip(starts, ends, strict=True) if e > s]


def unified_diff(path: str, text: str, edits: Sequence[Edit], findings: Sequence[Finding] = ()) -> str:
    """A unified diff (a/path → b/path; an absolute path as it is) of applying `edits`, line
    endings kept as they are.

    Secrets (findings whose excerpt is masked) are shown masked on both sides, also as context."""
    masks: list[Edit] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.end > f.start and text[f.start : f.end] != f.excerpt:
            if masks and f.start < masks[-1][1]:  # overlapping secrets: one mask over both
                s, e, shown = masks[-1]
                masks[-1] = (s, max(e, f.end), shown)
            else:
                masks.append((f.start, f.end, f.excerpt))
    old = apply_edits(text, masks)
    new = apply_edits(text, [*masks, *edits])
    out: list[str] = []
    a, b = (path, path) if path.startswith("/") else (f"a/{path}", f"b/{path}")
    for line in difflib.unified_diff(_lines(old), _lines(new), a, b, lineterm="\n"):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
