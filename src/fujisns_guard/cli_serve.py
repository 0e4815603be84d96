"""`guard serve`: the local page for PR staff (docs/web.md).

Binds 127.0.0.1 by default; any other address needs an access token. The web stack (the
optional extra `fujisns-guard[web]`) is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from .cli_common import load_policy_file
from .engine import Guard
from .policy import AccountPolicy, find_policy

EXIT_OK, EXIT_INPUT = 0, 2
DEFAULT_PORT = 8765
MIN_TOKEN = 16
TOKEN_ENV = "GUARD_SERVE_TOKEN"


def add_serve_commands(sub: Any) -> None:
    srv = sub.add_parser("serve", help="確認ページをこの PC で開く（http://127.0.0.1:8765/）")
    srv.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"ポート番号（既定: {DEFAULT_PORT}、0 で空いている番号）")
    srv.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス（既定: 127.0.0.1。ほかは --token が必要）")
    srv.add_argument("--token", default=None, help=f"アクセストークン（16 文字以上。環境変数 {TOKEN_ENV} でも可）")
    srv.add_argument(
        "--policy",
        action="append",
        default=None,
        metavar="[名前=]FILE",
        help="運用ポリシー（繰り返し可。ページで名前から選べる。既定: ./guard.toml）",
    )
    srv.set_defaults(func=_cmd_serve)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_guards(specs: list[str] | None, cwd: Path) -> dict[str, Guard]:
    """`[name=]FILE` items → name → Guard (sharing one loaded rule set). Without any: the
    policy found in `cwd` (guard.toml / pyproject.toml), else no city."""
    named: list[tuple[str, AccountPolicy | None]] = []
    if specs:
        for spec in specs:
            name, sep, file = spec.partition("=")
            path = Path(file if sep else spec)
            label = name if sep else path.stem
            if not label or any(label == n for n, _ in named):
                raise ValueError(f"{spec}: 運用ポリシーの名前が空か重複しています（名前=FILE で区別してください）")
            if not path.is_file():
                raise ValueError(f"{path}: ファイルがありません")
            named.append((label, load_policy_file(path)))
    else:
        found = find_policy(cwd)
        named.append((found.stem if found is not None else "なし", load_policy_file(found) if found is not None else None))
    guards: dict[str, Guard] = {}
    first: Guard | None = None
    for label, policy in named:
        guard = Guard(policy, ruleset=first.ruleset if first is not None else None)
        first = first or guard
        guards[label] = guard
    return guards


def _cmd_serve(args: argparse.Namespace, _out: TextIO, err: TextIO) -> int:
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if not is_loopback(args.host) and token is None:
        err.write(f"guard: --host {args.host}: この PC の外に公開するにはアクセストークン（--token）が必要です\n")
        return EXIT_INPUT
    if token is not None and (len(token) < MIN_TOKEN or not token.isascii() or not token.isprintable() or " " in token):
        err.write(f"guard: --token: 空白を含まない {MIN_TOKEN} 文字以上の英数字・記号にしてください\n")
        return EXIT_INPUT
    if not 0 <= args.port <= 65535:
        err.write(f"guard: --port {args.port}: 0〜65535 で指定してください\n")
        return EXIT_INPUT
    try:
        import uvicorn

        from .web.app import LOOPBACK_NAMES, create_app
    except ImportError:
        err.write("guard: guard serve には追加のパッケージが必要です: pip install 'fujisns-guard[web]'\n")
        return EXIT_INPUT
    try:
        guards = load_guards(args.policy, Path.cwd())
    except ValueError as exc:
        err.write(f"guard: {exc}\n")
        return EXIT_INPUT
    import socket

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host.strip("[]"), args.port))
    except OSError as exc:
        sock.close()
        err.write(f"guard: {args.host}:{args.port} で待ち受けられません（{exc.strerror}）\n")
        return EXIT_INPUT
    port = sock.getsockname()[1]
    hosts = LOOPBACK_NAMES | {args.host.strip("[]").lower()}
    app = create_app(guards, token=token, allowed_hosts=hosts)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/"
    err.write(f"guard: 確認ページ {url}{'#token=（トークン）' if token else ''} （終了は Ctrl+C）\n")
    err.write(f"guard: 運用ポリシー: {', '.join(guards)}\n")
    err.flush()
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    sys.stderr.flush()
    return EXIT_OK
