"""`--format text`: `path:line:col severity rule-id message`, the excerpt with a caret line
aligned for East-Asian width, then the decision. Secrets are masked in every line shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..decide import BASIS_LABEL, ROUTE_LABEL
from ..textpos import display_width, line_starts

if TYPE_CHECKING:  # the engine's records or the public reports: rendered alike, without pydantic
    from ..records import AnyFinding, AnyReport

_Secret = tuple[int, int, str]  # original span and what to show instead


def _secrets(source: str, findings: Sequence[AnyFinding]) -> list[_Secret]:
    """Spans whose excerpt the engine masked: never print them, not even as context."""
    return sorted((f.start, f.end, f.excerpt) for f in findings if f.excerpt != source[f.start : f.end])


def _masked(source: str, lo: int, hi: int, secrets: list[_Secret]) -> str:
    """source[lo:hi] with every secret inside replaced by its mask."""
    out, pos = [], lo
    for s, e, shown in secrets:
        if e <= pos or s >= hi:
            continue
        out.append(source[pos:s] if s > pos else "")
        out.append(shown)
        pos = max(pos, e)
    out.append(source[pos:hi] if hi > pos else "")
    return "".join(out)


def _excerpt_lines(source: str, starts: list[int], f: AnyFinding, secrets: list[_Secret]) -> list[str]:
    line_start = starts[f.line - 1]
    line_end = starts[f.line] if f.line < len(starts) else len(source)
    while line_end > line_start and source[line_end - 1] in "\r\n":
        line_end -= 1
    if line_end - line_start > 200:  # keep long lines readable: a window around the finding
        line_start = max(line_start, f.start - 60)
        line_end = min(line_end, max(f.end, line_start) + 100)
    before = _masked(source, line_start, max(line_start, f.start), secrets)
    shown = _masked(source, line_start, line_end, secrets)
    width = max(1, display_width(f.excerpt))
    return ["    " + shown, "    " + " " * display_width(before) + "^" * width]


def render_text(reports: Sequence[AnyReport], sources: dict[str, str]) -> str:
    out: list[str] = []
    for r in reports:
        source = sources.get(r.path, "")
        starts = line_starts(source)
        secrets = _secrets(source, r.findings)
        for f in r.findings:
            mark = "（抑制: " + (f.suppression_reason or "") + "）" if f.suppressed else ""
            out.append(f"{r.path}:{f.line}:{f.column}: {f.severity} {f.rule_id} {f.message}{mark}")
            if source and f.line - 1 < len(starts):
                out.extend(_excerpt_lines(source, starts, f, secrets))
            out.append(f"    理由: {f.reason}（{f.clause}）")
            if f.suggestions:
                out.append("    提案: " + " / ".join(f.suggestions))
        if r.lengths:
            counts = "、".join(f"{n.platform} {n.count}/{n.limit}{'（超過）' if n.over else ''}" for n in r.lengths)
            out.append(f"{r.path}: 文字数 {counts}")
        d = r.decision
        out.append(f"{r.path}: 判定 {d.route}（{ROUTE_LABEL[d.route]}）")
        out.extend(f"    - {reason}" for reason in d.reasons)
        for sb in d.sentences:
            if sb.basis is not None:
                where = "、".join(f"{e.get('title') or e.get('id')} {e.get('url') or ''}".strip() for e in sb.support)
                out.append(f"    根拠 {sb.line}行: {BASIS_LABEL[sb.basis]}" + (f"（{where}）" if where else ""))
        out.extend(f"    * {ob}" for ob in d.obligations)
        out.extend(f"    note: {note}" for note in r.notes)
        out.append("")
    return "\n".join(out)
