"""Request bodies that no handler can store or echo: refused with a 4xx before routing.

A JSON string may escape a lone surrogate (``"\\ud800"``): Python decodes it into a ``str``
that cannot be encoded as UTF-8, so storing it or echoing it in a validation error fails with
a 500. This ASGI middleware reads JSON bodies (bounded) and answers 422 for such a body, and
validation errors are rendered with ASCII escapes so they can never fail to encode.
"""

from __future__ import annotations

import json
import re

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_JSON_BYTES = 8 << 20
_LONE = re.compile(r"[\ud800-\udfff]")


class AsciiJSONResponse(JSONResponse):
    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


class _NonFinite(ValueError):
    pass


def _no_constant(name: str) -> object:
    raise _NonFinite(name)


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return _LONE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def body_problem(body: bytes) -> str | None:
    """Why this JSON body must be refused before any handler sees it, or None."""
    if len(body) > MAX_JSON_BYTES:
        return f"the JSON body is larger than {MAX_JSON_BYTES} bytes"
    if not any(marker in body for marker in (b"\\u", b"NaN", b"Infinity")):
        return None  # no escape and no constant: nothing this guard looks for
    try:
        parsed = json.loads(body, parse_constant=_no_constant)
    except _NonFinite:
        return "the JSON body holds NaN or Infinity, which JSON does not allow"
    except (ValueError, RecursionError):
        return None  # malformed: FastAPI answers 422 itself
    if _has_lone_surrogate(parsed):
        return "the JSON body holds an invalid character (a lone surrogate \\ud800-\\udfff)"
    return None


class JsonGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False) and size <= MAX_JSON_BYTES
        body = b"".join(chunks)
        problem = body_problem(body)
        if problem is not None:
            await AsciiJSONResponse({"detail": problem}, status_code=422)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 for an invalid request, rendered so that it cannot fail to encode."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return AsciiJSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
