"""The OpenAPI 3.1 description of `guard serve`'s API (`GET /openapi.json`).

Written by hand for the request and the errors; the Report schema is pydantic's own, so the
description cannot drift from what `guard check --format json` prints.
"""

from __future__ import annotations

from typing import Any

from ..model import Report
from ..policy import SERVICES

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def openapi_document(max_bytes: int) -> dict[str, Any]:
    report = Report.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = report.pop("$defs", {})
    platform = {"type": "string", "enum": list(SERVICES)}
    check_request = {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "description": "下書きの本文（先頭にフロントマターを置けます）"},
            "kind": {"type": "string", "enum": ["post", "reply"], "description": "投稿か返信か（既定: post）"},
            "platforms": {"type": "array", "items": platform, "description": "投稿先（既定: 運用ポリシーのサービス）"},
            "platform": {"oneOf": [platform, {"type": "array", "items": platform}], "description": "platforms の別名"},
            "date": {"type": "string", "format": "date", "description": "投稿予定日 YYYY-MM-DD（既定: 今日）"},
            "policy": {
                "type": "string",
                "description": "運用ポリシーの名前: 起動時に読み込んだものの一つ（GET /api/info）。パスは不可",
            },
        },
    }
    errors = {
        "400": _error("JSON として読めない本文、または許可されていない Host"),
        "401": _error("アクセストークンがない、または違う（--token で起動したとき）"),
        "403": _error("別のオリジンからのリクエスト"),
        "413": _error(f"本文が {max_bytes} バイトを超える"),
        "415": _error("Content-Type が application/json でない"),
        "422": _error("項目の型・値が正しくない（field がその項目）"),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fujisns_guard — guard serve",
            "version": "1",
            "description": "SNS 投稿の下書きを富士市ソーシャルメディア運用指針に照らして確認します。下書きは保存しません。",
        },
        "paths": {
            "/api/check": {
                "post": {
                    "summary": "下書きを確認する（guard check --format json の 1 件分と同じ Report）",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "確認の結果",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}},
                        },
                        **errors,
                    },
                }
            },
            "/api/rules": {
                "get": {
                    "summary": "規則の一覧",
                    "responses": {"200": {"description": "規則と規則セットの版", "content": {"application/json": {}}}},
                }
            },
            "/api/info": {
                "get": {
                    "summary": "サーバーの運用ポリシー名・投稿先・上限",
                    "responses": {"200": {"description": "設定", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {
            "schemas": {
                "CheckRequest": check_request,
                "Report": report,
                **defs,
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {
                        "error": {"type": "string", "description": "日本語の説明（1 行）"},
                        "status": {"type": "integer"},
                        "field": {"type": "string", "description": "問題のある項目"},
                    },
                },
            }
        },
    }
