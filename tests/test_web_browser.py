"""`guard serve`'s page in a real browser: Debian's chromium driven by Playwright (no browser
download). Without chromium these tests skip locally; in CI (CI=true) they fail instead."""

from __future__ import annotations

import datetime
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from fujisns_guard import Guard

CHROMIUM = os.environ.get("GUARD_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=ja",
]
DRAFT = "市民講座のお知らせです。\n看護婦の山田さん（090-1234-5678）が講師です。\n"
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "serve.png"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(guard: Guard) -> Iterator[str]:
    """The app on a free loopback port, served by uvicorn in a thread (as `guard serve` does)."""
    import uvicorn

    from fujisns_guard.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app({"なし": guard}), log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    # Playwright starts every launch with a new, empty profile (its own --user-data-dir).
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def _type_draft(page: Any, server: str, text: str) -> None:
    page.goto(server + "/")
    page.locator("#platforms input").first.wait_for()
    page.check("#pf-x")
    page.fill("#draft", text)


def test_findings_are_highlighted_and_a_suggestion_fixes_one(page: Any, server: str) -> None:
    _type_draft(page, server, DRAFT)
    page.wait_for_selector("#backdrop mark[data-rules~='personal_info.phone']")
    marks = page.eval_on_selector_all("#backdrop mark", "ms => ms.map(m => [m.textContent, m.dataset.rules])")
    by_text = {text: rules for text, rules in marks}
    assert "discriminatory.terms" in by_text["看護婦"]
    assert "personal_info.phone" in by_text["090-1234-5678"]
    assert page.text_content("#route-label") == "修正が必要"
    assert "指摘" in page.text_content("#status")
    # each finding shows its message, reason and clause
    item = page.locator("li.finding[data-rule='discriminatory.terms']")
    assert "看護婦" in item.locator(".msg").text_content()
    assert item.locator(".reason").text_content().startswith("理由")
    assert "G-RULE-4" in item.locator(".clause").text_content()
    # per-platform length counter
    assert page.text_content("#lengths").startswith("X (旧Twitter): ")
    if os.environ.get("GUARD_SCREENSHOT"):  # regenerate docs/serve.png (docs/web.md)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="「看護師」に置き換える").click()
    expect(page.locator("li.finding[data-rule='discriminatory.terms']")).to_have_count(0)
    assert "看護師の山田さん" in page.input_value("#draft")
    texts = page.eval_on_selector_all("#backdrop mark", "ms => ms.map(m => m.textContent)")
    assert "看護婦" not in texts
    assert "090-1234-5678" in texts  # the other finding stays
    assert page.text_content("#route-label") == "修正が必要"


def test_offsets_are_code_points_even_after_emoji(page: Any, server: str) -> None:
    # 😀 and 𠮷 are two UTF-16 units each but one code point: the highlight must still sit on 看護婦
    _type_draft(page, server, "😀𠮷お知らせ\n看護婦を募集します。")
    page.wait_for_selector("#backdrop mark[data-rules~='discriminatory.terms']")
    texts = page.eval_on_selector_all("#backdrop mark", "ms => ms.map(m => m.textContent)")
    assert texts == ["看護婦"]


def test_the_page_asks_only_its_own_server(page: Any, server: str) -> None:
    hosts: list[str] = []
    page.on("request", lambda req: hosts.append(req.url))
    _type_draft(page, server, DRAFT)
    page.wait_for_selector("#backdrop mark")
    page.get_by_role("button", name="最終文をコピー").click()
    own = urlsplit(server).netloc
    assert hosts, "the page made no request at all"
    others = [u for u in hosts if urlsplit(u).scheme not in ("data",) and urlsplit(u).netloc != own]
    assert not others, others
    paths = {urlsplit(u).path for u in hosts}
    assert {"/", "/static/app.js", "/static/style.css", "/api/check"} <= paths


def test_keyboard_only(page: Any, server: str) -> None:
    """The draft is reachable by Tab, and a suggestion is applied with the keyboard."""
    page.goto(server + "/")
    page.locator("#platforms input").first.wait_for()
    page.focus("#draft")
    page.keyboard.insert_text("看護婦を募集します。")
    button = page.get_by_role("button", name="「看護師」に置き換える")
    button.wait_for()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#draft")).to_have_value("看護師を募集します。")
    assert page.evaluate("document.activeElement.id") == "draft"
    assert page.get_attribute("#status", "aria-live") == "polite"
    assert page.locator("label[for='draft']").text_content() == "下書き"


def test_autonomous_route_shows_obligations_and_support_links(page: Any, server: str, guard: Guard) -> None:
    """The route panel renders `report.decision` whatever the engine decides: an autonomous
    report (served here by intercepting /api/check) shows its label, obligations and links."""
    report = guard.check("ごみの収集日は毎週月曜日です。", date=datetime.date(2026, 11, 20)).model_dump(mode="json")
    report["decision"].update(
        route="autonomous",
        basis=["published"],
        reasons=["全ての文が事前承認の範囲内です: 公表済みの内容。"],
        obligations=["投稿前に複数の職員で内容を確認する", "投稿後、所属長へ報告する"],
        support=[{"line": 1, "basis": "published", "title": "ごみの出し方", "url": "https://www.city.fuji.shizuoka.jp/gomi.html"},
                 {"line": 1, "basis": "faq", "title": "FAQ 12", "url": "javascript:alert(1)"}],
    )  # fmt: skip
    page.route("**/api/check", lambda route: route.fulfill(json=report))
    _type_draft(page, server, "ごみの収集日は毎週月曜日です。")
    expect(page.locator("#route-label")).to_have_text("自律投稿可 — 複数職員で確認・所属長へ報告")
    detail = page.locator("#route-detail")
    expect(detail).to_contain_text("投稿後、所属長へ報告する")
    expect(detail).to_contain_text("公表済みの内容")
    link = detail.get_by_role("link", name="ごみの出し方")
    assert link.get_attribute("href") == "https://www.city.fuji.shizuoka.jp/gomi.html"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert detail.get_by_role("link", name="FAQ 12").count() == 0  # only http(s) addresses become links
    expect(detail).to_contain_text("FAQ 12")


def test_token_from_the_address_is_sent_and_hidden(browser: Any, guard: Guard) -> None:
    import uvicorn

    from fujisns_guard.web.app import create_app

    token = "page-token-0123456789abcdef"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    srv = uvicorn.Server(uvicorn.Config(create_app({"なし": guard}, token=token), log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    context = browser.new_context()
    try:
        for _ in range(200):
            if srv.started:
                break
            time.sleep(0.05)
        page = context.new_page()
        page.goto(f"{url}/#token={token}")
        page.locator("#platforms input").first.wait_for()
        assert token not in page.url
        page.fill("#draft", "看護婦を募集します。")
        expect(page.locator("#route-label")).to_have_text("修正が必要")
    finally:
        context.close()
        srv.should_exit = True
        thread.join(10)
        sock.close()


def test_copy_gives_the_text_to_post_without_front_matter(browser: Any, server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        _type_draft(page, server, '---\nplatform = ["x"]\n---\n看護師を募集します。\n')
        expect(page.locator("#route-label")).not_to_have_text("下書きを入力してください")
        page.get_by_role("button", name="最終文をコピー").click()
        expect(page.locator("#copy-status")).to_contain_text("コピーしました")
        assert page.evaluate("navigator.clipboard.readText()") == "看護師を募集します。\n"
    finally:
        context.close()
