"""`guard serve`'s JSON API (Starlette's TestClient) and the `guard serve` command.

Bad requests get a clear 4xx with a one-line Japanese message; nothing a client sends is stored
or logged."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fujisns_guard import Guard
from fujisns_guard.cli import main
from fujisns_guard.cli_serve import is_loopback, load_guards

pytest.importorskip("starlette")
with warnings.catch_warnings():  # Starlette >= 1.x prefers the `httpx2` package; httpx still works
    warnings.filterwarnings("ignore", message=".*httpx2")
    from starlette.testclient import TestClient

from fujisns_guard.web.app import FIELDS, MAX_BYTES, Problem, create_app, parse_check_request

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx2")

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policy" / "guard.toml"
BASE = "http://127.0.0.1:8765"
DRAFT = "市民講座のお知らせです。\n看護婦の山田さん（090-1234-5678）が講師です。\n"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def guards(guard: Guard) -> dict[str, Guard]:
    return {"なし": guard, "fuji": Guard(POLICY, ruleset=guard.ruleset)}


@pytest.fixture(scope="module")
def client(guards: dict[str, Guard]) -> Iterator[TestClient]:
    with TestClient(create_app(guards), base_url=BASE) as c:
        yield c


def _cli_json(text: str, *args: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--format", "json", *args, "-"], out=out, err=err)
    assert code in (0, 1), err.getvalue()
    return json.loads(out.getvalue())


def test_check_returns_the_report_of_guard_check_format_json(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    r = client.post("/api/check", json={"text": DRAFT, "platforms": ["x"], "date": "2026-11-20"})
    assert r.status_code == 200, r.text
    expected = _cli_json(DRAFT, "--platform", "x", "--date", "2026-11-20", monkeypatch=monkeypatch)
    assert r.json() == expected[0]
    body = r.json()
    assert body["decision"]["route"] == "revise"
    assert {f["rule_id"] for f in body["findings"]} >= {"discriminatory.terms", "personal_info.phone"}
    assert body["lengths"][0]["platform"] == "x"


def test_reply_kind_and_platform_alias(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "それは誤解です。ちゃんと読んでください。"
    r = client.post("/api/check", json={"text": text, "kind": "reply", "platform": "line", "date": "2026-11-20"})
    assert r.status_code == 200, r.text
    assert r.json() == _cli_json(text, "--reply", "--platform", "line", "--date", "2026-11-20", monkeypatch=monkeypatch)[0]
    assert r.json()["kind"] == "reply"


def test_policy_is_a_name_the_server_was_started_with(client: TestClient) -> None:
    text = "問い合わせは0545-55-2700へ"
    plain = client.post("/api/check", json={"text": text}).json()
    fuji = client.post("/api/check", json={"text": text, "policy": "fuji"}).json()
    assert "personal_info.phone" in {f["rule_id"] for f in plain["findings"]}
    assert "personal_info.phone" not in {f["rule_id"] for f in fuji["findings"]}  # the city's own number
    assert fuji["platforms"] == ["x", "facebook", "instagram", "line"]  # the policy's services
    r = client.post("/api/check", json={"text": text, "policy": str(POLICY)})  # never a path
    assert r.status_code == 422
    assert r.json()["field"] == "policy"
    assert "なし" in r.json()["error"] and "fuji" in r.json()["error"]


BAD_FIELDS = [
    ({"text": 3}, "text"),
    ({"text": ["看護婦"]}, "text"),
    ({}, "text"),
    ({"text": "a", "kind": "tweet"}, "kind"),
    ({"text": "a", "platforms": 5}, "platforms"),
    ({"text": "a", "platforms": [1]}, "platforms"),
    ({"text": "a", "platform": {"x": 1}}, "platform"),
    ({"text": "a", "platform": "x", "platforms": ["x"]}, "platform"),
    ({"text": "a", "date": 20261120}, "date"),
    ({"text": "a", "date": "2026-13-40"}, "date"),
    ({"text": "a", "policy": 3}, "policy"),
    ({"text": "a", "policy": "../../etc/guard.toml"}, "policy"),
    ({"text": "a", "path": "/etc/passwd"}, "path"),
]


@pytest.mark.parametrize(("body", "field"), BAD_FIELDS, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_FIELDS)])
def test_wrong_types_are_422_in_japanese_naming_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    r = client.post("/api/check", json=body)
    assert r.status_code == 422, r.text
    answer = r.json()
    assert answer["field"] == field
    assert answer["status"] == 422
    assert JAPANESE.search(answer["error"]) and "\n" not in answer["error"]


def test_unknown_platform_and_bad_front_matter_are_422(client: TestClient) -> None:
    r = client.post("/api/check", json={"text": "a", "platforms": ["myspace"]})
    assert r.status_code == 422 and "myspace" in r.json()["error"]
    r = client.post("/api/check", json={"text": "---\nkind = 3\n---\n本文"})
    assert r.status_code == 422 and JAPANESE.search(r.json()["error"])


@pytest.mark.parametrize(
    ("content", "ctype", "status"),
    [
        (b"{", "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"[1, 2]", "application/json", 422),
        (b'"text"', "application/json", 422),
        (b'{"text": "\\ud800"}', "application/json", 422),
        (b'{"text": "a"}', "text/plain", 415),
        (b"text=a", "application/x-www-form-urlencoded", 415),
    ],
)
def test_unreadable_bodies(client: TestClient, content: bytes, ctype: str, status: int) -> None:
    r = client.post("/api/check", content=content, headers={"content-type": ctype})
    assert r.status_code == status, r.text
    assert JAPANESE.search(r.json()["error"])


def test_oversized_requests_are_413_before_checking(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(Guard, "check", lambda *a, **k: calls.append(1))
    big = json.dumps({"text": "あ" * MAX_BYTES}).encode()
    r = client.post("/api/check", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "KB" in r.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b'{"text": "'
        for _ in range(MAX_BYTES // 1000 + 2):
            yield b"a" * 1000
        yield b'"}'

    r = client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert calls == []


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},  # another port is another origin
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ],
)
def test_cross_site_requests_are_403(client: TestClient, headers: dict[str, str]) -> None:
    r = client.post("/api/check", json={"text": "看護婦"}, headers=headers)
    assert r.status_code == 403
    assert "別のサイト" in r.json()["error"]
    assert client.get("/api/rules", headers=headers).status_code == 403


def test_same_origin_requests_pass(client: TestClient) -> None:
    r = client.post("/api/check", json={"text": "看護婦"}, headers={"origin": BASE, "sec-fetch-site": "same-origin"})
    assert r.status_code == 200


def test_a_foreign_host_name_is_refused_dns_rebinding(guards: dict[str, Guard]) -> None:
    with TestClient(create_app(guards), base_url="http://attacker.example:8765") as c:
        r = c.post("/api/check", json={"text": "看護婦"})
        assert r.status_code == 400 and "127.0.0.1" in r.json()["error"]
        assert c.get("/").status_code == 400
    with TestClient(create_app(guards), base_url="http://localhost:8765") as c:
        assert c.post("/api/check", json={"text": "看護婦"}).status_code == 200


def test_token_is_required_when_given(guards: dict[str, Guard]) -> None:
    token = "s3cret-token-0123456789"
    with TestClient(create_app(guards, token=token), base_url="http://192.0.2.10:8765") as c:
        assert c.get("/").status_code == 200  # the page itself holds nothing
        r = c.post("/api/check", json={"text": "看護婦"})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        wrong = c.post("/api/check", json={"text": "看護婦"}, headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = c.post("/api/check", json={"text": "看護婦"}, headers={"authorization": f"Bearer {token}"})
        assert ok.status_code == 200 and ok.json()["decision"]["route"] == "revise"
        assert token not in ok.text


def test_nothing_is_stored_or_logged(
    guards: dict[str, Guard], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    secret = "看護婦の富士花子さん（090-8765-4321）"
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(guards), base_url=BASE) as c:
        assert c.post("/api/check", json={"text": secret}).status_code == 200
        assert c.post("/api/check", json={"text": secret, "kind": 3}).status_code == 422
        monkeypatch.setattr(Guard, "check", _boom)
        r = c.post("/api/check", json={"text": secret})
        assert r.status_code == 500
        assert JAPANESE.search(r.json()["error"]) and secret not in r.text
    assert list(tmp_path.iterdir()) == []
    assert "090-8765-4321" not in caplog.text and "富士花子" not in caplog.text
    assert "RuntimeError" in caplog.text  # the failure is logged, by its type only


def _boom(_self: Guard, text: str, **_options: Any) -> Any:
    raise RuntimeError(text)


def test_rules_info_and_openapi(client: TestClient, guard: Guard) -> None:
    rules = client.get("/api/rules").json()
    assert rules["ruleset_version"] == guard.version
    assert [r["id"] for r in rules["rules"]] == [r.id for r in guard.ruleset.rules]
    assert {"id", "kind", "category", "severity", "clause", "message", "reason", "suggestions"} <= set(rules["rules"][0])
    info = client.get("/api/info").json()
    assert [p["name"] for p in info["policies"]] == ["なし", "fuji"]
    assert {p["id"] for p in info["platforms"]} == {"x", "facebook", "instagram", "line", "threads", "bluesky", "youtube"}
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/check", "/api/rules", "/api/info"}
    assert set(doc["components"]["schemas"]["CheckRequest"]["properties"]) == set(FIELDS)
    report = doc["components"]["schemas"]["Report"]
    assert {"findings", "decision", "lengths"} <= set(report["properties"])
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(doc))
    assert refs and all(name in doc["components"]["schemas"] for name in refs)
    for code in ("400", "403", "413", "415", "422"):
        assert code in doc["paths"]["/api/check"]["post"]["responses"]


def test_page_and_assets_are_local_with_a_strict_csp(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert 'lang="ja"' in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)  # no CDN, no external font or script
    for asset in ("/static/app.js", "/static/style.css"):
        r = client.get(asset)
        assert r.status_code == 200
        assert "http://" not in r.text and "https://" not in r.text.replace("https?:", "")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/index.html").status_code == 404
    assert client.delete("/api/check").status_code == 405


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# (foreground, background, minimum): text 4.5:1, UI components and graphics 3:1 (WCAG 2.1 AA)
PAIRS = [
    ("text", "bg", 4.5), ("muted", "bg", 4.5), ("text", "panel", 4.5), ("muted", "panel", 4.5),
    ("button-text", "button", 4.5), ("button", "bg", 4.5), ("revise-text", "revise-bg", 4.5),
    ("chief-text", "chief-bg", 4.5), ("ok-text", "ok", 4.5), ("error", "bg", 4.5), ("warning", "bg", 4.5),
    ("info", "bg", 4.5), ("text", "error-bg", 4.5), ("text", "warning-bg", 4.5), ("text", "info-bg", 4.5),
    ("error", "error-bg", 3), ("warning", "warning-bg", 3), ("info", "info-bg", 3), ("error", "panel", 4.5),
    ("border", "bg", 3), ("focus", "bg", 3), ("focus", "panel", 3),
]  # fmt: skip


def test_colours_meet_wcag_aa() -> None:
    css = (ROOT / "src" / "fujisns_guard" / "web" / "static" / "style.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", css))
    low = [(f, b, round(contrast(colours[f], colours[b]), 2)) for f, b, need in PAIRS if contrast(colours[f], colours[b]) < need]
    assert not low, low


def test_serve_refuses_an_open_host_without_token_and_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    err = io.StringIO()
    assert main(["serve", "--host", "0.0.0.0"], err=err) == 2
    assert "--token" in err.getvalue() and "0.0.0.0" in err.getvalue()
    err = io.StringIO()
    assert main(["serve", "--host", "0.0.0.0", "--token", "short"], err=err) == 2
    assert "16" in err.getvalue()
    err = io.StringIO()
    assert main(["serve", "--port", "70000"], err=err) == 2
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.3.4.5")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")


def test_serve_reports_a_busy_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        err = io.StringIO()
        assert main(["serve", "--port", str(busy.getsockname()[1])], err=err) == 2
        assert "待ち受けられません" in err.getvalue()


def test_policies_are_loaded_by_name(tmp_path: Path) -> None:
    guards = load_guards([f"富士={POLICY}", str(POLICY.with_name("guard.toml"))], tmp_path)
    assert list(guards) == ["富士", "guard"]
    assert guards["富士"].ruleset is guards["guard"].ruleset  # the rules are loaded once
    with pytest.raises(ValueError, match="重複"):
        load_guards([str(POLICY), str(POLICY)], tmp_path)
    with pytest.raises(ValueError, match="ファイルがありません"):
        load_guards([str(tmp_path / "missing.toml")], tmp_path)
    assert list(load_guards(None, tmp_path)) == ["なし"]


def test_importing_the_package_does_not_import_the_web_stack() -> None:
    code = (
        "import sys, fujisns_guard, fujisns_guard.cli; print([m for m in ('starlette', 'uvicorn', 'anyio') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_guard_serve_serves_the_page(tmp_path: Path) -> None:
    """The real command: binds 127.0.0.1 on a free port, says where, answers, stops on a signal."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fujisns_guard", "serve", "--port", "0"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        body = json.dumps({"text": "看護婦を募集します。"}).encode()
        req = urllib.request.Request(url.group(0) + "api/check", data=body, headers={"Content-Type": "application/json"})
        for _ in range(100):
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    answer = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.1)
        assert answer["decision"]["route"] == "revise"
    finally:
        proc.terminate()
        proc.wait(20)
    assert list(tmp_path.iterdir()) == []


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
VALUES = JSON | st.sampled_from(["post", "reply", "x", "line", "2026-11-20", "fuji", "なし", "看護婦を募集します。"])


@given(st.dictionaries(st.sampled_from([*FIELDS, "extra"]), VALUES, max_size=5))
@settings(max_examples=300)
def test_any_request_is_parsed_or_refused_with_422(body: dict[str, Any]) -> None:
    guards = {"なし": _GUARD_STUB, "fuji": _GUARD_STUB}
    try:
        _guard, options = parse_check_request(body, guards)  # type: ignore[arg-type]
    except Problem as problem:
        assert problem.status == 422
        assert problem.field in (*FIELDS, "extra")
        assert JAPANESE.search(problem.message) and "\n" not in problem.message
        return
    assert isinstance(options["text"], str) and options["path"] == "-"
    assert options.get("kind") in (None, "post", "reply")
    assert all(isinstance(p, str) for p in options.get("platforms", []))


_GUARD_STUB = object()


@given(JSON)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_server_never_fails_on_any_json(client: TestClient, body: Any) -> None:
    r = client.post("/api/check", content=json.dumps(body), headers={"content-type": "application/json"})
    assert r.status_code in (200, 422), r.text
