"""The ASGI app of `guard serve`: the page (package data) and the JSON API (docs/web.md).

One `Guard` per account policy the server was started with, built once; checks run in a small
thread pool (a `Guard` is thread-safe: one Sudachi tokenizer per thread). Nothing a client sends
is stored or logged: a draft lives only for the request that checks it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from importlib import resources
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..engine import Guard
from ..frontmatter import FrontMatterError
from ..model import Report
from ..platform_limits import platforms as platform_table
from ..policy import SERVICES
from .openapi import openapi_document

MAX_BYTES = 256 * 1024  # a post is a few KB; the limit keeps one request from holding a thread for long
THREADS = 4
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
FIELDS = ("text", "kind", "platforms", "platform", "date", "policy")
BUG = "予期しないエラーです。再現手順とともに開発チームへ報告してください"

log = logging.getLogger("fujisns_guard.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
STATIC_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


class Problem(Exception):
    """A request we refuse: HTTP status and a one-line Japanese message (and the field, if any)."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"error": self.message, "status": self.status}
        if self.field is not None:
            body["field"] = self.field
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


def _host_name(host_header: str) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`; `[::1]:8765` → `::1`."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0].lower()
    return host_header.rsplit(":", 1)[0].lower() if host_header.count(":") == 1 else host_header.lower()


class Gate:
    """Refuses what must never reach the app, and adds the security headers to every answer.

    - Host: without a token, only the loopback names (or the bound host): a page elsewhere cannot
      reach the API through DNS rebinding.
    - Origin: /api/ requests from another origin are refused (403); browsers send Origin on every
      cross-site POST and Sec-Fetch-Site on every request.
    - Token: with `--token`, every /api/ request needs `Authorization: Bearer <token>` (401).
    """

    def __init__(self, app: ASGIApp, *, token: str | None, allowed_hosts: frozenset[str]) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            self.refuse(scope)
        except Problem as problem:
            await problem.response()(scope, receive, send_secure)
            return
        await self.app(scope, receive, send_secure)

    def refuse(self, scope: Scope) -> None:
        headers = Headers(scope=scope)
        if self.token is None and _host_name(headers.get("host", "")) not in self.allowed_hosts:
            raise Problem(400, "このサーバーには 127.0.0.1 または localhost のアドレスで接続してください")
        path = str(scope.get("path", ""))
        if not path.startswith("/api/"):
            return
        origin = headers.get("origin")
        host = headers.get("host", "")
        if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
            raise Problem(403, "別のサイトからのリクエストは受け付けません（Origin が一致しません）")
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise Problem(403, "別のサイトからのリクエストは受け付けません（Sec-Fetch-Site）")
        if self.token is not None:
            given = headers.get("authorization", "")
            expected = f"Bearer {self.token}"
            if not hmac.compare_digest(given.encode(), expected.encode()):
                raise Problem(401, "アクセストークンが違うか、ありません（ページのアドレスの #token=… を確かめてください）")


def _static_files() -> dict[str, bytes]:
    folder = resources.files("fujisns_guard.web") / "static"
    return {name: (folder / name).read_bytes() for name in STATIC_TYPES}


async def _read_body(request: Request, max_bytes: int) -> bytes:
    too_big = Problem(413, f"リクエストが大きすぎます（{max_bytes // 1024} KB まで）")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def parse_check_request(data: Any, guards: Mapping[str, Guard]) -> tuple[Guard, dict[str, Any]]:
    """The request's JSON → the Guard to use and the keyword arguments of `Guard.check`.

    Raises `Problem(422, …)` naming the field for a wrong type or value. `policy` is only ever a
    name among the policies the server was started with: never a path."""
    if not isinstance(data, dict):
        raise Problem(422, 'リクエストの本文は JSON のオブジェクト（{"text": …}）にしてください')
    unknown = [k for k in data if k not in FIELDS]
    if unknown:
        raise Problem(422, f"知らない項目です: {', '.join(map(str, unknown))}（使える項目: {', '.join(FIELDS)}）", unknown[0])
    if "text" not in data:
        raise Problem(422, "text（下書きの本文）がありません", "text")
    text = data["text"]
    if not isinstance(text, str):
        raise Problem(422, "text（下書きの本文）は文字列にしてください", "text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(422, "text に文字として不正なコード（対になっていないサロゲート）が含まれています", "text") from None
    options: dict[str, Any] = {"path": "-"}
    kind = data.get("kind")
    if kind is not None:
        if kind not in ("post", "reply"):
            raise Problem(422, 'kind は "post"（投稿）か "reply"（返信）にしてください', "kind")
        options["kind"] = kind
    if "platforms" in data and "platform" in data:
        raise Problem(422, "platforms と platform のどちらか一方だけを指定してください", "platform")
    field = "platforms" if "platforms" in data else "platform"
    plats = data.get(field)
    if plats is not None:
        if isinstance(plats, str):
            plats = [plats]
        if not isinstance(plats, list) or not all(isinstance(p, str) for p in plats):
            raise Problem(422, f"{field} は投稿先の名前（{', '.join(SERVICES)}）の配列にしてください", field)
        options["platforms"] = plats
    day = data.get("date")
    if day is not None:
        try:
            if not isinstance(day, str):
                raise ValueError(day)
            options["date"] = _dt.date.fromisoformat(day)
        except ValueError:
            raise Problem(422, "date（投稿予定日）は YYYY-MM-DD の形式の文字列にしてください", "date") from None
    name = data.get("policy")
    if name is None:
        guard = next(iter(guards.values()))
    elif not isinstance(name, str):
        raise Problem(422, "policy は運用ポリシーの名前（文字列）にしてください", "policy")
    elif name not in guards:
        raise Problem(422, f"運用ポリシー {name!r} はこのサーバーにありません（使えるもの: {', '.join(guards)}）", "policy")
    else:
        guard = guards[name]
    return guard, {"text": text, **options}


def rules_json(guard: Guard) -> dict[str, Any]:
    rules = []
    for rule in guard.ruleset.rules:
        spec = rule.spec
        rules.append(
            {
                "id": rule.id,
                "kind": spec.kind,
                "category": spec.category,
                "severity": rule.severity,
                "clause": spec.clause,
                "message": spec.message,
                "reason": spec.reason,
                "suggestions": list(spec.suggestions or []),
            }
        )
    return {"ruleset_version": guard.version, "rules": rules}


def info_json(guards: Mapping[str, Guard], max_bytes: int) -> dict[str, Any]:
    table = platform_table()
    return {
        "version": __version__,
        "ruleset_version": next(iter(guards.values())).version,
        "policies": [
            {"name": name, "services": list(g.policy.services) if g.policy is not None else []} for name, g in guards.items()
        ],
        # the services a request may name, and the names of what the report's lengths count
        "platforms": [{"id": p, "name": table[p].name if p in table else "YouTube"} for p in SERVICES],
        "limits": {k: {"name": v.name, "limit": v.limit, "unit": v.unit} for k, v in table.items()},
        "max_bytes": max_bytes,
    }


def create_app(
    guards: Mapping[str, Guard],
    *,
    token: str | None = None,
    max_bytes: int = MAX_BYTES,
    threads: int = THREADS,
    allowed_hosts: frozenset[str] = LOOPBACK_NAMES,
) -> Gate:
    """The app: `guards` maps a policy name to its Guard (the first is the default)."""
    if not guards:
        raise ValueError("create_app needs at least one Guard")
    guards = dict(guards)
    static = _static_files()
    state: dict[str, Any] = {}

    def limiter() -> anyio.CapacityLimiter:
        if "limiter" not in state:  # created inside the event loop, on the first check
            state["limiter"] = anyio.CapacityLimiter(threads)
        return state["limiter"]  # type: ignore[no-any-return]

    async def page(_request: Request) -> Response:
        return Response(static["index.html"], media_type=STATIC_TYPES["index.html"])

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static or name == "index.html":
            return Problem(404, "ありません").response()
        return Response(static[name], media_type=STATIC_TYPES[name])

    async def check(request: Request) -> Response:
        try:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype != "application/json":
                raise Problem(415, "Content-Type は application/json にしてください")
            body = await _read_body(request, max_bytes)
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                raise Problem(400, "リクエストの本文を JSON として読めません") from None
            guard, options = parse_check_request(data, guards)
            try:
                report: Report = await anyio.to_thread.run_sync(functools.partial(guard.check, **options), limiter=limiter())
            except (FrontMatterError, ValueError) as exc:
                raise Problem(422, str(exc)) from None
        except Problem as problem:
            return problem.response()
        except Exception as exc:  # never the draft in a log: the type of the error only
            log.error("check failed: %s", type(exc).__name__)
            return Problem(500, BUG).response()
        return JSONResponse(report.model_dump(mode="json"))

    async def rules(_request: Request) -> Response:
        return JSONResponse(rules_json(next(iter(guards.values()))))

    async def info(_request: Request) -> Response:
        return JSONResponse(info_json(guards, max_bytes))

    async def openapi(_request: Request) -> Response:
        if "openapi" not in state:
            state["openapi"] = openapi_document(max_bytes)
        return JSONResponse(state["openapi"])

    async def not_found(_request: Request, _exc: Exception) -> Response:
        return Problem(404, "ありません").response()

    async def not_allowed(_request: Request, _exc: Exception) -> Response:
        return Problem(405, "このメソッドは使えません").response()

    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/static/{name}", asset, methods=["GET"]),
            Route("/api/check", check, methods=["POST"]),
            Route("/api/rules", rules, methods=["GET"]),
            Route("/api/info", info, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
        ],
        exception_handlers={404: not_found, 405: not_allowed},
    )
    return Gate(app, token=token, allowed_hosts=allowed_hosts)
