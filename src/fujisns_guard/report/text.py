"""`--format text`: `path:line:col severity rule-id message`, the excerpt with a caret line
aligned for East-Asian width, then the decision."""

from __future__ import annotations

from collections.abc import Sequence

from ..decide import ROUTE_LABEL
from ..model import Finding, Report
from ..textpos import display_width, line_starts

SEVERITY_JA = {"error": "エラー", "warning": "警告", "info": "情報"}


def _excerpt_lines(source: str, starts: list[int], f: Finding) -> list[str]:
    line_start = starts[f.line - 1]
    line_end = starts[f.line] if f.line < len(starts) else len(source)
    line = source[line_start:line_end].rstrip("\r\n")
    if len(line) > 200:  # keep long lines readable: a window around the finding
        lo = max(0, f.start - line_start - 60)
        line = line[lo : lo + 160]
        line_start += lo
    before = line[: max(0, f.start - line_start)]
    shown = line
    if f.excerpt != source[f.start : f.end]:  # a secret: never print it, not even in context
        shown = before + f.excerpt + line[f.end - line_start :]
    width = max(1, display_width(f.excerpt))
    return ["    " + shown, "    " + " " * display_width(before) + "^" * width]


def render_text(reports: Sequence[Report], sources: dict[str, str]) -> str:
    out: list[str] = []
    for r in reports:
        source = sources.get(r.path, "")
        starts = line_starts(source)
        for f in r.findings:
            mark = "（抑制: " + (f.suppression_reason or "") + "）" if f.suppressed else ""
            out.append(f"{r.path}:{f.line}:{f.column}: {f.severity} {f.rule_id} {f.message}{mark}")
            if source and f.end >= f.start and f.line - 1 < len(starts):
                out.extend(_excerpt_lines(source, starts, f))
            out.append(f"    理由: {f.reason}（{f.clause}）")
            if f.suggestions:
                out.append("    提案: " + " / ".join(f.suggestions))
        d = r.decision
        out.append(f"{r.path}: 判定 {d.route}（{ROUTE_LABEL[d.route]}）")
        for reason in d.reasons:
            out.append(f"    - {reason}")
        for ob in d.obligations:
            out.append(f"    * {ob}")
        for note in r.notes:
            out.append(f"    note: {note}")
        out.append("")
    return "\n".join(out)
