"""The pipeline: normalize → tokenize → detect → findings (original spans) → decide → Report.

`Guard` holds the loaded rules (compiled automata and regexes) and reuses the process-wide
Sudachi dictionary; build it once and call `check` for every draft. The engine builds plain
records (`records.py`); `Guard.check` returns the public pydantic `Report` made from them, and
`Guard.check_record` the record itself (the command line: no pydantic for `--format text`).
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from .checks import Check, compile_all
from .checks.wordlist import compile_rule as compile_wordlist
from .coderules.context import effective_policy as cached_effective_policy
from .decide import BASIS_LABEL, decide
from .frontmatter import FrontMatter, parse_front_matter
from .model import Analysis, Basis, DraftKind, Hit, Severity, Tokens
from .normalize import Normalized, normalize
from .platform_limits import lengths
from .policy import AccountPolicy, load_policy
from .quotes import demote_quoted
from .records import Finding, PlatformLength, Report, SentenceBasis
from .ruleset import Example, Rule, RuleSet, Term, WordlistRule, load_ruleset
from .scope.basis import Lookup, Sentence, classify, split_sentences
from .settings import DraftSettings, resolve_settings
from .suppress import apply_allows
from .textpos import line_col, line_starts, mask
from .tokenize import split_chunks, tokenize

if TYPE_CHECKING:
    from . import schema
    from .scope.index import PublishedIndex, Support

POLICY_STYLE_RULE = "discriminatory.policy_style"
PIECE_BYTES = 40_000  # under Sudachi's input limit; a post is always one piece
NO_INDEX_NOTE = "公表済みページ・FAQ の索引がありません（guard index build で作成）。公表済み・FAQ を根拠にできません。"
STALE_CHECK_S = 30.0  # how long a staleness check of the index's sources is trusted
Role = Literal["content", "ride_along", "no_basis"]


class Guard:
    """Loaded rules + policy; checks many drafts. Safe to share across threads (see docs/api.md).

    `policy` is the account's operation policy (an `AccountPolicy` or the path of its TOML file);
    without one, the checks know no city: only the nationwide public numbers and domains.
    """

    def __init__(
        self,
        policy: AccountPolicy | Path | str | None = None,
        *,
        rules_dir: Path | None = None,
        wordlists_dir: Path | None = None,
        ruleset: RuleSet | None = None,
    ) -> None:
        self.ruleset = ruleset or load_ruleset(rules_dir, wordlists_dir)
        self.policy: AccountPolicy | None = load_policy(Path(policy)) if isinstance(policy, str | Path) else policy
        self._checks: list[tuple[Rule, Check]] = compile_all(self.ruleset)
        self._settings: dict[tuple[object, ...], DraftSettings] = {}
        self._selected: dict[tuple[str, frozenset[str] | None], list[tuple[Rule, Check]]] = {}
        # (found at, the policy's index or None, its stale sources): re-found every STALE_CHECK_S
        self._index: tuple[float, PublishedIndex | None, list[str]] | None = None
        style = _policy_style_rule(self.policy)
        if style is not None:
            self._checks.append((style[0], compile_wordlist(*style)))

    @property
    def version(self) -> str:
        return self.ruleset.version

    def check(
        self,
        text: str,
        *,
        kind: DraftKind | None = None,
        date: _dt.date | None = None,
        path: str = "-",
        platforms: Iterable[str] | None = None,
        only: Iterable[str] | None = None,
        extra_findings: Iterable[Finding | schema.Finding] = (),
    ) -> schema.Report:
        """Check one draft (front matter included: it is read, never checked as post text).

        Options given here beat the front matter, which beats the policy (docs/policy.md).
        Offsets in the report index the whole `text`. Raises `FrontMatterError` or `ValueError`
        for an unusable front matter or option. `extra_findings` come from outside the text (the
        attached photos, `photos.check_image`) and go through the same suppressions and routing.
        """
        from .schema import from_record

        record = self.check_record(
            text, kind=kind, date=date, path=path, platforms=platforms, only=only, extra_findings=extra_findings
        )
        return from_record(record)

    def check_record(
        self,
        text: str,
        *,
        kind: DraftKind | None = None,
        date: _dt.date | None = None,
        path: str = "-",
        platforms: Iterable[str] | None = None,
        only: Iterable[str] | None = None,
        extra_findings: Iterable[Finding | schema.Finding] = (),
    ) -> Report:
        """`check`, returning the engine's plain record (`records.Report`, the same fields):
        what the command line renders, without importing pydantic."""
        draft = self._prepare(text, kind, date, path, platforms, only, extra_findings)
        if draft.analysis is not None:
            self._conclude_piece(draft, draft.analysis, _run_checks(draft.checks, draft.analysis), 0, False)
        return self._finish(draft)

    def check_many(
        self, texts: Iterable[str | tuple[str, dict[str, Any]]], *, batch: int = 256, **options: Any
    ) -> Iterator[schema.Report]:
        """Check many drafts with the same rules and tokenizer, in the order given.

        An item is a draft's text, or a (text, options) pair whose options override the shared
        ones (`path`, `kind`, `date`, …). Drafts are taken `batch` at a time: each is read and
        analysed, then every rule runs over the whole batch before the next rule, so the code and
        data of one rule stay in the processor's caches (about 20% faster than one `check` after
        another, docs/performance.md); the reports are the same. An error in a draft's options or
        front matter is raised after the reports of the drafts before it, as `check` would.
        """
        from .schema import from_record

        return map(from_record, self.check_many_records(texts, batch=batch, **options))

    def check_many_records(
        self, texts: Iterable[str | tuple[str, dict[str, Any]]], *, batch: int = 256, **options: Any
    ) -> Iterator[Report]:
        """`check_many`, yielding the engine's plain records (the command line)."""
        pending: list[_Draft] = []
        for item in texts:
            text, extra = (item, None) if isinstance(item, str) else item
            try:
                draft = self._prepare_with(text, {**options, **extra} if extra else options)
            except Exception:
                yield from self._check_batch(pending)
                raise
            pending.append(draft)
            if len(pending) >= batch:
                yield from self._check_batch(pending)
                pending = []
        yield from self._check_batch(pending)

    def _prepare_with(self, text: str, options: dict[str, Any]) -> _Draft:
        unknown = set(options) - _CHECK_OPTIONS
        if unknown:
            raise TypeError(f"unknown option(s) for check: {', '.join(sorted(unknown))}")
        return self._prepare(
            text,
            options.get("kind"),
            options.get("date"),
            options.get("path", "-"),
            options.get("platforms"),
            options.get("only"),
            options.get("extra_findings", ()),
            analyse=False,
        )

    def _check_batch(self, drafts: list[_Draft]) -> Iterator[Report]:
        """Stage by stage over the one-piece drafts of a batch: normalize them all, analyse them
        all, then each rule over all of them (grouped by their list of rules)."""
        todo = [d for d in drafts if d.one_piece and d.analysis is None]
        norms = [normalize(d.text[d.front.body_start :]) for d in todo]
        for d, norm, tokens in zip(todo, norms, [tokenize(n.light.text) for n in norms], strict=True):
            d.analysis = self._analysis(d, norm, tokens, 0)
        groups: dict[int, tuple[list[tuple[Rule, Check]], list[_Draft]]] = {}
        for d in drafts:
            if d.analysis is not None:
                groups.setdefault(id(d.checks), (d.checks, []))[1].append(d)
        found: dict[int, list[tuple[Rule, Hit]]] = {}
        for checks, members in groups.values():
            analyses = [(id(d), d.analysis) for d in members if d.analysis is not None]
            for k, _ in analyses:
                found[k] = []
            for rule, run in checks:
                for k, analysis in analyses:
                    try:
                        hits = run(analysis)
                        if hits:
                            found[k].extend((rule, h) for h in hits)
                    except Exception as exc:  # a broken rule must not let a draft through
                        found[k].append((rule, _failed(rule, exc)))
        for d in drafts:
            if d.analysis is not None:
                self._conclude_piece(d, d.analysis, found[id(d)], 0, False)
            yield self._finish(d)

    def _prepare(
        self,
        text: str,
        kind: DraftKind | None,
        date: _dt.date | None,
        path: str,
        platforms: Iterable[str] | None,
        only: Iterable[str] | None,
        extra_findings: Iterable[Finding | schema.Finding],
        analyse: bool = True,
    ) -> _Draft:
        """Read the front matter and settings and analyse the draft. A post is one piece, left
        for the rules to run on; a long draft is analysed and checked piece by piece here (split
        at line or sentence breaks), so memory stays bounded and time linear whatever its size."""
        front = parse_front_matter(text)
        plats = tuple(platforms) if platforms is not None else None
        reply_note = ""
        if kind is None and (front.meta is None or front.meta.kind is None):
            handle = _leading_mention(text[front.body_start :], self.policy)
            if handle:  # staff paste replies without --reply: the reply-only tone rules must run
                kind = "reply"
                reply_note = f"先頭の {handle} 宛てなので返信として確認しました（投稿なら front matter に kind = \"post\"）。"
        key = (kind, date or _dt.date.today(), plats)
        settings = self._settings.get(key) if front.meta is None else None
        if settings is None:
            cli = {"kind": kind, "date": key[1] if date is None and front.meta is None else date, "platforms": plats}
            settings = resolve_settings(cli, front.meta, self.policy)
            if front.meta is None:  # the same options give the same settings: most drafts
                self._settings[key] = settings
        body = text[front.body_start :]
        draft = _Draft(text, path, front, settings, reply_note, self._checks_for(settings.kind, only), extra_findings)
        draft.lines = line_starts(text) if len(text) > 2000 else None  # computed once for long drafts
        pieces = split_chunks(body, PIECE_BYTES)
        if len(pieces) == 1:
            draft.one_piece = True
            if analyse:
                draft.analysis = self._analyse(draft, body, 0)
            return draft
        for offset, piece in pieces:
            analysis = self._analyse(draft, piece, offset)
            self._conclude_piece(draft, analysis, _run_checks(draft.checks, analysis), offset, True)
        return draft

    def _analyse(self, draft: _Draft, piece: str, offset: int) -> Analysis:
        norm = normalize(piece)
        return self._analysis(draft, norm, tokenize(norm.light.text), offset)

    def _analysis(self, draft: _Draft, norm: Normalized, tokens: Tokens, offset: int) -> Analysis:
        s = draft.settings
        body = draft.text[draft.front.body_start :]
        return Analysis(norm, tokens, s.kind, s.date, self.policy, s.platforms, body, offset)

    def _conclude_piece(
        self, draft: _Draft, analysis: Analysis, hits: list[tuple[Rule, Hit]], offset: int, several: bool
    ) -> None:
        """The findings of one analysed piece, in original offsets."""
        if not several:  # one piece: the length rule already counted the whole post
            draft.counted = analysis.cache.get("length.counts")
            draft.post = analysis
        if hits:
            light = analysis.norm.light.text
            hits = demote_quoted(hits, light)  # 「…」という言葉 / 「…」とのご意見: not our words
            starts = draft.lines or line_starts(draft.text)
            draft.findings.extend(_findings(draft.text, draft.front.body_start + offset, analysis.norm, hits, starts))

    def _finish(self, draft: _Draft) -> Report:
        """Suppressions, the basis of each sentence, the decision and the report."""
        text, front, settings = draft.text, draft.front, draft.settings
        findings = draft.findings
        findings.extend(map(Finding.of, draft.extra_findings))  # from outside the text: attached photos (photos.py)
        findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
        allows = front.meta.allow if front.meta is not None else []
        allowed_terms = self._allowed_terms()
        if allows or allowed_terms:
            findings = apply_allows(findings, allows, allowed_terms, text=text)
        notes = list(settings.notes)
        if draft.reply_note:
            notes.append(draft.reply_note)
        approved = self.policy.approved_bases if self.policy is not None else frozenset()
        sentences = None
        post = draft.post
        if approved and post is not None and not any(f.severity == "error" and not f.suppressed for f in findings):
            try:
                lines = draft.lines or line_starts(text)
                sentences = self._basis(post, text, front.body_start, lines, approved, notes)
            except Exception as exc:  # a broken index must not stop the check: the chief decides
                notes.append(f"事前承認の範囲を判定できませんでした（{type(exc).__name__}）。所属長の承認が必要です。")
        elif approved and post is None:
            notes.append("長い下書きのため、事前承認の範囲は判定していません。")
        min_checkers = self.policy.min_checkers if self.policy is not None else 2
        decision = decide(findings, sentences=sentences, approved=approved, min_checkers=min_checkers)
        body = text[front.body_start :]
        return Report(
            path=draft.path,
            kind=settings.kind,
            date=settings.date.isoformat(),
            findings=findings,
            decision=decision,
            ruleset_version=self.ruleset.version,
            platforms=list(settings.platforms),
            lengths=[PlatformLength(**d) for d in _lengths(body, settings.platforms, draft.counted)],
            notes=notes,
        )

    def _basis(
        self, analysis: Analysis, text: str, shift: int, starts: list[int], approved: frozenset[str], notes: list[str]
    ) -> list[SentenceBasis]:
        """The basis of each sentence of a one-piece draft (G-POST-2), in original offsets."""
        lookup = self._lookup(approved, notes)
        contact = self.policy.is_trusted_phone if self.policy is not None else None
        verdicts = classify(split_sentences(analysis.light, analysis.tokens), lookup, contact, analysis.light)
        to_original = analysis.norm.light.to_original
        out: list[SentenceBasis] = []
        for v in verdicts:
            s, e = to_original(v.sentence.start, v.sentence.end)
            s, e = s + shift, e + shift
            chosen = next((c for c in v.candidates if c[0] in approved), None)
            note = v.contradiction or v.note
            if chosen is None and v.role == "content" and v.candidates and not v.contradiction:
                names = "、".join(BASIS_LABEL[c[0]] for c in v.candidates)
                note = f"{names}に当たりますが、運用ポリシーで事前承認されていません"
            if chosen is not None and v.contradiction:
                chosen = None  # a published page states another value: never a basis
            out.append(
                SentenceBasis(
                    line=line_col(starts, s)[0],
                    start=s,
                    end=e,
                    text=text[s:e],
                    role=cast("Role", v.role),  # classify's roles and bases are these literals
                    basis=cast("Basis | None", chosen[0] if chosen else None),
                    score=chosen[2] if chosen else (v.candidates[0][2] if v.candidates else None),
                    support=list(chosen[1]) if chosen else [],
                    note=note if chosen is None else "",
                )
            )
        return out

    def _lookup(self, approved: frozenset[str], notes: list[str]) -> Lookup | None:
        """The published-content index of the policy, when published/faq are pre-approved."""
        if not approved & {"published", "faq"} or self.policy is None:
            return None
        from .scope.facts import facts_of  # only accounts with a published scope pay for these imports
        from .scope.index import IndexError_, load_for_policy

        now = time.monotonic()
        if self._index is None or now - self._index[0] > STALE_CHECK_S:
            try:  # finding the index costs a hash and a stat per source: once per STALE_CHECK_S
                found = load_for_policy(self.policy)
            except IndexError_ as exc:
                notes.append(f"{exc}。公表済み・FAQ を根拠にできません。")
                return None
            self._index = (now, found, found.stale() if found is not None else [])
        _, index, stale = self._index
        if index is None:
            if self.policy.scope.published or self.policy.scope.faq:
                notes.append(NO_INDEX_NOTE)
            return None
        if stale:
            notes.append(
                f"索引が古くなっています（索引の後に変わった資料 {len(stale)} 件: {stale[0]} など）。"
                "guard index build で作り直すまで、公表済み・FAQ を根拠にしません。"
            )
            return None

        def lookup(sentence: Sentence) -> list[Support]:
            # every source, approved or not: a page that states another value contradicts the draft
            return index.lookup(facts_of(sentence.text, sentence.tokens, offset=sentence.start))

        return lookup

    def _allowed_terms(self) -> Any:
        """The policy's allowed terms, read once per policy (the default policy is a file)."""
        memo: tuple[AccountPolicy | None, Any] | None = getattr(self, "_allowed_memo", None)
        if memo is None or memo[0] is not self.policy:
            memo = (self.policy, cached_effective_policy(self.policy).allowed_terms)
            self._allowed_memo = memo
        return memo[1]

    def _checks_for(self, kind: str, only: Iterable[str] | None) -> list[tuple[Rule, Check]]:
        """The rules that apply to a kind of draft (reply-only rules for replies), memoised."""
        key = (kind, frozenset(only) if only is not None else None)
        checks = self._selected.get(key)
        if checks is None:
            wanted = key[1]
            checks = [
                (rule, run)
                for rule, run in self._checks
                if (kind == "reply" or not rule.spec.reply_only) and (wanted is None or rule.id in wanted)
            ]
            self._selected[key] = checks
        return checks



_CHECK_OPTIONS = frozenset({"kind", "date", "path", "platforms", "only", "extra_findings"})


@dataclass(slots=True)
class _Draft:
    """One draft between its analysis and its report (`Guard._prepare` … `Guard._finish`)."""

    text: str
    path: str
    front: FrontMatter
    settings: DraftSettings
    reply_note: str
    checks: list[tuple[Rule, Check]]
    extra_findings: Iterable[Finding | schema.Finding]
    one_piece: bool = False  # a post: analysed whole (else piece by piece in `_prepare`)
    analysis: Analysis | None = None  # a one-piece draft whose rules have not run yet
    findings: list[Finding] = field(default_factory=list)
    counted: list[dict[str, Any]] | None = None  # what the length rule counted (one piece)
    post: Analysis | None = None  # the analysis of a one-piece draft, for its basis
    lines: list[int] | None = None


def _run_checks(checks: list[tuple[Rule, Check]], analysis: Analysis) -> list[tuple[Rule, Hit]]:
    hits: list[tuple[Rule, Hit]] = []
    for rule, run in checks:
        try:
            found = run(analysis)
            if found:  # most rules find nothing: no generator for them
                hits.extend((rule, h) for h in found)
        except Exception as exc:  # a broken rule must not let a draft through
            hits.append((rule, _failed(rule, exc)))
    return hits


def _lengths(body: str, platforms: tuple[str, ...], counted: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Count and limit per platform: what the length rule counted, else counted here."""
    if not platforms:
        return []
    return counted if counted is not None else lengths(body, platforms)


_MENTION_START = re.compile(r"\A[\s\u3000]*[@＠]([A-Za-z0-9_]{1,15})(?=[\s\u3000])")


def _leading_mention(body: str, policy: AccountPolicy | None) -> str:
    """`@handle` when the draft opens with another account's handle (a reply), else ''."""
    m = _MENTION_START.match(body)
    if m is None:
        return ""
    own = {
        (r.account_id or "").lstrip("@＠").lower() for r in (policy.registration.values() if policy is not None else ())
    }
    return "" if m.group(1).lower() in own else "@" + m.group(1)


def _policy_style_rule(policy: AccountPolicy | None) -> tuple[Rule, RuleSet] | None:
    """The wording the city enforces (障害者 → 障がい者) as one more word-list rule."""
    if policy is None or not policy.style_preferences:
        return None
    terms = tuple(
        Term(
            term=old,
            category="discriminatory",
            severity=pref.severity,
            reason=pref.reason,
            alternatives=[pref.prefer],
            source="運用ポリシー style_preferences",
            list_name="policy",
        )
        for pref in policy.style_preferences
        for old in pref.instead_of
    )
    first = terms[0].term
    spec = WordlistRule(
        kind="wordlist",
        category="discriminatory",
        clause="G-RULE-4",
        message="「{match}」ではなく{alternatives}と書くことを運用ポリシーが定めています。",
        reason="アカウントの運用ポリシーが定める表記です。",
        lists=["policy.toml"],
        examples=[Example(text=first, expect=[first])],
    )
    rule = Rule(POLICY_STYLE_RULE, spec, "運用ポリシー style_preferences")
    return rule, RuleSet((rule,), {"policy.toml": terms}, "")


def _failed(rule: Rule, exc: Exception) -> Hit:
    return Hit(
        rule.id,
        0,
        0,
        "",
        f"規則の実行に失敗: {type(exc).__name__}",
        severity="warning",
        message=f"規則 {rule.id} の確認を実行できませんでした。目視で確認してください。",
    )


def _findings(text: str, shift: int, norm: Any, hits: list[tuple[Rule, Hit]], starts: list[int]) -> list[Finding]:
    out: list[Finding] = []
    secrets: list[tuple[int, int, str]] = []
    seen: set[tuple[str, int, int]] = set()
    for rule, h in hits:
        s, e = norm.light.to_original(h.start, h.end)
        s, e = s + shift, e + shift
        key = (rule.id, s, e)
        if key in seen:
            continue
        seen.add(key)
        excerpt = text[s:e]
        shown = excerpt
        if h.secret:
            shown = mask(excerpt)
            secrets.append((s, e, excerpt))
        spec = rule.spec
        line, col = line_col(starts, s)
        message = h.message or spec.message.format(match=shown)
        out.append(
            Finding(
                rule_id=rule.id,
                category=h.category or spec.category,
                severity=cast("Severity", h.severity or rule.severity),  # rule files and detectors give valid ones
                start=s,
                end=e,
                line=line,
                column=col,
                excerpt=shown,
                message=message,
                reason=h.reason or spec.reason,
                suggestions=list(h.suggestions or spec.suggestions),
                clause=spec.clause,
                explanation=h.detail,
                suppressed=False,
                suppression_reason=None,
            )
        )
    if secrets:
        out = _hide_secrets(out, text, secrets)
    policy_spans = {(f.start, f.end) for f in out if f.rule_id == POLICY_STYLE_RULE}
    if policy_spans:  # the city's own rule replaces the shipped style note on the same words
        out = [f for f in out if f.rule_id == POLICY_STYLE_RULE or (f.start, f.end) not in policy_spans or f.severity != "info"]
    return out


def _hide_secrets(findings: list[Finding], text: str, secrets: list[tuple[int, int, str]]) -> list[Finding]:
    """Mask a secret wherever another finding repeats it (a Latin-letter password quoted as
    'a passage in another language', a URL rule quoting a token): excerpt, message, explanation."""
    out: list[Finding] = []
    for f in findings:
        inside = [
            (s, e, raw)
            for s, e, raw in secrets
            if s < f.end and f.start < e and not ((s, e) == (f.start, f.end) and f.excerpt == mask(raw))
        ]
        if not inside and not any(raw in f.message or raw in f.explanation for _, _, raw in secrets):
            out.append(f)
            continue
        excerpt = text[f.start : f.end]
        for s, e, raw in sorted(inside, reverse=True):
            lo, hi = max(s, f.start) - f.start, min(e, f.end) - f.start
            excerpt = excerpt[:lo] + mask(raw) + excerpt[hi:]
        message, explanation = f.message, f.explanation
        for _, _, raw in secrets:
            if raw:
                message, explanation = message.replace(raw, mask(raw)), explanation.replace(raw, mask(raw))
        update = {"excerpt": excerpt if inside else f.excerpt, "message": message, "explanation": explanation}
        out.append(f.model_copy(update=update))
    return out


_default_guard: Guard | None = None


def check(
    text: str,
    *,
    kind: DraftKind | None = None,
    date: _dt.date | None = None,
    policy: AccountPolicy | Path | str | None = None,
) -> schema.Report:
    """Check one draft with the shipped rules. Without a policy, a process-wide `Guard` is
    reused; with one, build a `Guard(policy)` yourself to check many drafts."""
    global _default_guard
    if policy is not None:
        return Guard(policy).check(text, kind=kind, date=date)
    if _default_guard is None:
        _default_guard = Guard()
    return _default_guard.check(text, kind=kind, date=date)
