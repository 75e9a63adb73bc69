"""Request bodies past the upload limit: refused with 413 before they are spooled.

Starlette parses a multipart upload into a temporary file as it reads it, so a route-level size
check only runs once the whole body is on disk. This ASGI middleware runs first: a declared
``Content-Length`` over the limit is answered 413 without reading a byte, and a body without
one (chunked) is counted as it streams and cut at the limit (413, whatever the route would have
said about the cut body), so at most ``limit`` bytes ever reach the parser.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _Exceeded(Exception):
    pass


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 19 else -1
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit = app, limit

    def _refusal(self) -> JSONResponse:
        mb = self.limit >> 20
        return JSONResponse({"detail": f"the request body is larger than {mb} MB"}, 413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and (declared < 0 or declared > self.limit):
            await self._refusal()(scope, receive, send)
            return
        seen, exceeded, started = 0, False, False

        async def counted() -> Message:
            nonlocal seen, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise _Exceeded
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the route's answer to a cut body: replaced by the 413 below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self._refusal()(scope, receive, send)
