"""`guard check DIR --jobs N`: the same output as one process, bad inputs, progress, summary."""

from __future__ import annotations

import datetime as dt
import io
import json
import signal
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from fujisns_guard import batch
from fujisns_guard.cli import InputError, _read, main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import generate  # the benchmark's deterministic drafts


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 realistic drafts in nested folders, plus a binary file and an undecodable one among them."""
    root = tmp_path_factory.mktemp("drafts")
    for post in generate(60, 7):
        folder = root / f"g{post.id % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"{post.id:03d}.txt").write_text(post.text, encoding="utf-8")
    (root / "g1" / "030b.txt").write_bytes(b"\x00\x01\x02binary")
    (root / "g2" / "031b.md").write_bytes("市民の皆さまへ".encode("cp932"))
    (root / "policy.toml").write_text('services = ["x"]\n', encoding="utf-8")  # not a draft: *.toml
    return root


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_two_processes_print_the_same_bytes_as_one(drafts: Path, fmt: str) -> None:
    common = ("check", str(drafts), "--format", fmt, "--date", "2024-11-01", "--policy", str(drafts / "policy.toml"))
    one = run(*common, "--jobs", "1")
    two = run(*common, "--jobs", "2")  # the policy is sent to each worker once
    assert one == two  # exit code, stdout and stderr, byte for byte
    code, out, err = one
    assert code == 1  # some generated drafts carry a problem
    if fmt == "json":
        reports = json.loads(out)  # stdout stays parseable: the summary is on stderr
        assert len(reports) == 60
        assert all(r["platforms"] == ["x"] for r in reports)  # the policy reached the workers
        assert [r["path"] for r in reports] == sorted(r["path"] for r in reports)
    errors = [line for line in err.splitlines() if not line.startswith("guard: 集計") and not line.startswith("guard:   ")]
    assert len(errors) == 2
    assert "030b.txt: テキストではありません" in errors[0] and "031b.md" in errors[1] and "cp932" in errors[1]


def test_summary_counts_files_routes_and_categories(drafts: Path) -> None:
    _, out, err = run("check", str(drafts), "--format", "json", "--date", "2024-11-01", "--summary")
    reports = json.loads(out)
    routes = {r["decision"]["route"] for r in reports}
    lines = err.splitlines()
    assert "guard: 集計: 62 件（確認 60 件、入力エラー 2 件）" in lines
    route_line = next(line for line in lines if "判定:" in line)
    for route in routes:
        n = sum(r["decision"]["route"] == route for r in reports)
        assert f"{route} {n}" in route_line
    personal = sum(f["category"] == "personal_info" and not f["suppressed"] for r in reports for f in r["findings"])
    assert f"personal_info {personal}" in next(line for line in lines if "分類:" in line)


def test_without_jobs_or_summary_stderr_has_only_errors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("市民講座のお知らせです。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("会場は市民交流センターです。\n", encoding="utf-8")
    code, _, err = run("check", str(tmp_path))
    assert code == 0 and err == ""


def test_stdin_and_bad_inputs_with_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text("看護婦を募集します。\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("市民講座のお知らせです。\n".encode()), encoding="utf-8"))
    code, out, err = run("check", str(tmp_path / "missing.txt"), "-", str(good), "--jobs", "2", "--format", "json")
    assert code == 1
    assert [r["path"] for r in json.loads(out)] == ["-", str(good)]
    assert err.splitlines()[0] == f"guard: {tmp_path / 'missing.txt'}: ファイルがありません"
    assert "確認 2 件、入力エラー 1 件" in err


def test_jobs_must_be_a_positive_integer(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run("check", "x.txt", "--jobs", "0")
    assert code == 2 and "1 以上の整数" in capsys.readouterr().err  # argparse writes to sys.stderr


class _FakePool:
    """In-process stand-in for ProcessPoolExecutor that records how many futures are pending."""

    pending = 0
    most = 0
    submitted = 0
    cancelled = False

    def __init__(self, jobs: int, *, mp_context: Any, initializer: Any, initargs: Any) -> None:
        initializer(*initargs)

    def __enter__(self) -> _FakePool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        type(self).cancelled = cancel_futures and not wait

    def submit(self, fn: Any, chunk: list[batch.Item]) -> Future[list[batch.Outcome]]:
        cls = type(self)
        cls.submitted += 1
        cls.pending += 1
        cls.most = max(cls.most, cls.pending)
        future: Future[list[batch.Outcome]] = Future()
        future.set_result(fn(chunk))
        return future


def test_few_futures_are_in_flight_and_order_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    paths = []
    for i in range(400):
        p = tmp_path / f"{i:04d}.txt"
        p.write_text(f"お知らせ {i}\n", encoding="utf-8")
        paths.append(p)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", _FakePool)
    real_collect = batch._collect

    def collect(future: Future[list[batch.Outcome]], progress: batch.Progress | None) -> list[batch.Outcome]:
        _FakePool.pending -= 1
        return real_collect(future, progress)

    monkeypatch.setattr(batch, "_collect", collect)
    items = [batch.Item(str(p), p) for p in paths]
    outcomes = list(batch.run(items, batch.Options(_read, InputError), policy=None, jobs=2))
    assert [o.name for o in outcomes] == [str(p) for p in paths]
    assert all(o.report is not None and o.source == f"お知らせ {i}\n" for i, o in enumerate(outcomes))
    assert _FakePool.submitted == 400 // 25  # chunks of 400 // (2 jobs × 8) = 25 files
    assert _FakePool.most <= 2 * 3  # never more than three chunks per worker waiting


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    assert not batch.Progress.wanted(io.StringIO())
    assert batch.Progress.wanted(_Terminal())
    term = _Terminal()
    bar = batch.Progress(term, 4)
    for _ in range(4):
        bar.advance(1)
    assert "4/4 (100%)" in term.getvalue() and "#" * batch.Progress.WIDTH in term.getvalue()
    bar.close()
    assert term.getvalue().endswith("\r") and term.getvalue().rstrip("\r ").endswith("(100%)")


def test_the_cli_draws_the_bar_on_a_terminal_stderr(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("市民講座のお知らせです。\n", encoding="utf-8")
    out, err = io.StringIO(), _Terminal()
    assert main(["check", str(tmp_path), "--format", "json"], out=out, err=err) == 0
    assert "確認中 [" in err.getvalue() and "3/3" in err.getvalue()
    assert "確認中" not in out.getvalue()
    json.loads(out.getvalue())


def test_ctrl_c_cancels_the_pending_chunks_and_workers_ignore_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    items = []
    for i in range(100):
        p = tmp_path / f"{i:03d}.txt"
        p.write_text("お知らせ\n", encoding="utf-8")
        items.append(batch.Item(str(p), p))
    monkeypatch.setattr(batch, "ProcessPoolExecutor", _FakePool)
    before = signal.getsignal(signal.SIGINT)
    try:
        outcomes = batch.run(items, batch.Options(_read, InputError), policy=None, jobs=2)
        next(outcomes)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # set by the worker initializer
        with pytest.raises(KeyboardInterrupt):
            outcomes.throw(KeyboardInterrupt)
    finally:
        signal.signal(signal.SIGINT, before)
    assert _FakePool.cancelled


def test_a_window_of_drafts_gives_each_its_own_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """check_all reads a window of drafts and checks them together (check_many_records): a draft
    that fails to read, or fails at its check, gets its one-line error; the others their reports,
    in order, equal to checking each alone."""
    from fujisns_guard import Guard

    guard = Guard()
    texts = ["看護婦さんを募集します。", "壊れる下書き", "清掃活動を行います。", None, "11月23日(火)に開催します。"]
    items = []
    for n, text in enumerate(texts):
        path = tmp_path / f"{n}.txt"
        if text is None:
            path.write_bytes(b"\x00\x01binary")
        else:
            path.write_text(text, encoding="utf-8")
        items.append(batch.Item(path.name, path))
    opts = batch.Options(read=_read, input_error=InputError, date=dt.date(2026, 11, 20))
    prepare = guard._prepare_with

    def failing(text: str, options: dict[str, Any]) -> Any:
        if "壊れる" in text:
            raise ValueError("この下書きの設定が不正です")
        return prepare(text, options)

    monkeypatch.setattr(guard, "_prepare_with", failing)
    monkeypatch.setattr(batch, "WINDOW_DRAFTS", 3)  # two windows
    outcomes = list(batch.check_all(guard, items, opts))
    assert [o.name for o in outcomes] == [f"{n}.txt" for n in range(5)]
    assert outcomes[1].errors == ("1.txt: この下書きの設定が不正です",) and outcomes[1].report is None
    assert "テキストではありません" in outcomes[3].errors[0]
    alone = Guard()
    for n in (0, 2, 4):
        report = outcomes[n].report
        assert report is not None
        expected = alone.check_record(texts[n] or "", date=opts.date, path=f"{n}.txt")
        assert report == expected
    assert outcomes[0].report is not None and outcomes[0].report.findings[0].excerpt == "看護婦"
