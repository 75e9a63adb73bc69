"""The dashboard's live board pushed to every open dashboard over Server-Sent Events.

One ``BoardFeed`` per console reads the board (campaign figures, lines and calls in use,
agents with their time in state) at most once per ``interval`` however many dashboards are
open: each viewer's stream asks for a snapshot no older than it needs, and the first to ask
reads it for all (the complaint about wallboards that each poll the database). An agent's
state change on the supervisors' topic asks for a fresh one at once. Each viewer gets the
board rendered in their language with their own CSRF token. A stream ends after
``stream_seconds`` and the browser reconnects, so an expired or revoked session stops it.
The page falls back to polling every 5 s when the browser has no EventSource or the stream
stays down (console.js).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from admin_api.console.render import SECURITY_HEADERS, render_text
from admin_api.console.session import page, services_of
from admin_api.hub import SUPERVISOR_TOPIC, Subscription
from admin_api.roles import STAFF, Principal, Role

router = APIRouter()
Viewers = Annotated[Principal, Depends(page(*STAFF, Role.AUDITOR))]
Board = dict[str, Any]


@dataclass
class BoardFeed:
    """Single-flight snapshots of the board: ``latest(t)`` reads anew only when the last
    read started before ``t`` (monotonic seconds)."""

    load: Callable[[], Board]
    interval: float
    stream_seconds: float = 300  # a stream ends then; the browser reconnects (session re-checked)
    reads: int = 0  # how many times the board was read (for the tests)
    _board: Board | None = None
    _read_at: float = float("-inf")
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def latest(self, fresh_after: float) -> Board:
        async with self._lock:
            if self._board is None or self._read_at < fresh_after:
                started = time.monotonic()
                self._board = await run_in_threadpool(self.load)
                self._read_at = started
                self.reads += 1
            return self._board


def feed_of(request: Request) -> BoardFeed:
    return cast(BoardFeed, request.app.state.board_feed)


def event(name: str, text: str) -> str:
    """One SSE event: every line of ``text`` as a ``data:`` line."""
    data = "".join(f"data: {line}\n" for line in text.splitlines() or [""])
    return f"event: {name}\n{data}\n"


async def _woken(sub: Subscription, seconds: float) -> bool:
    """Wait ``seconds`` or until a message on the supervisors' topic (True)."""
    try:
        async with asyncio.timeout(seconds):
            await sub.get()
    except TimeoutError:
        return False
    return True


@router.get("/dashboard/stream")
async def board_stream(request: Request, who: Viewers) -> StreamingResponse:
    feed = feed_of(request)
    hub = services_of(request).hub

    async def events() -> AsyncIterator[str]:
        yield f"retry: {int(feed.interval * 1000)}\n\n"
        fresh_after = time.monotonic()
        ends = fresh_after + feed.stream_seconds
        async with hub.subscribe(SUPERVISOR_TOPIC) as sub:
            while True:
                board = await feed.latest(fresh_after)
                yield event("board", render_text(request, "_board.html", board, who=who))
                if time.monotonic() >= ends:
                    return
                woken = await _woken(sub, feed.interval)
                # woken by a change: read after it; else a read from this round will do
                fresh_after = time.monotonic() - (0 if woken else feed.interval / 2)

    headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
