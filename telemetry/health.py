"""A worker's own HTTP port: ``/health/live``, ``/health/ready`` and ``/metrics``.

The API serves these as routes of its own app; a standalone ``collectbot worker`` serves them
here, on its metrics port, in its own event loop (uvicorn, as ``collectbot serve`` runs the API):
``/health/live`` answers only while that loop runs, and ``/health/ready`` asks each check on the
loop with its own timeout (≤ 1 s), so a probe never holds a call. The answer is the API's shape,
``{"status": "ready"|"not_ready", "checks": {name: "ok"|"timeout"|"failed: …"}}``, 200 or 503;
it names no URL or password. A result is kept ``cache_s`` (1 s): probes from several process
managers cost one round of checks a second at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from telemetry.metrics import Metrics

ReadyCheck = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_S = 1.0
CACHE_S = 1.0


class NotReady(Exception):
    """A check's own verdict; its message (fixed text, never a URL) goes into the answer."""


@dataclass(frozen=True, slots=True)
class ReadyReport:
    checks: Mapping[str, str]

    @property
    def ok(self) -> bool:
        return all(result == "ok" for result in self.checks.values())

    def body(self) -> dict[str, object]:
        return {"status": "ready" if self.ok else "not_ready", "checks": dict(self.checks)}


async def run_check(check: ReadyCheck, limit_s: float) -> str:
    try:
        async with asyncio.timeout(limit_s):
            await check()
    except TimeoutError:
        return "timeout"
    except NotReady as e:
        return f"failed: {e}"
    except Exception as e:  # the reason, never a traceback or a URL with a password
        return f"failed: {type(e).__name__}"
    return "ok"


class Readiness:
    """Runs every check concurrently, each within ``timeout_s``; keeps a result ``cache_s``.
    Concurrent probes wait for the one round in flight instead of starting their own."""

    def __init__(
        self,
        checks: Mapping[str, ReadyCheck],
        *,
        timeout_s: float = CHECK_TIMEOUT_S,
        cache_s: float = CACHE_S,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._checks = dict(checks)
        self._timeout_s, self._cache_s, self._now = min(timeout_s, CHECK_TIMEOUT_S), cache_s, now
        self._last: tuple[float, ReadyReport] | None = None
        self._lock = asyncio.Lock()

    async def report(self) -> ReadyReport:
        async with self._lock:
            if self._last is not None and self._now() - self._last[0] < self._cache_s:
                return self._last[1]
            names = list(self._checks)
            results = await asyncio.gather(
                *(run_check(self._checks[n], self._timeout_s) for n in names)
            )
            report = ReadyReport(dict(zip(names, results, strict=True)))
            self._last = (self._now(), report)
            return report


def health_app(readiness: Readiness, metrics: Metrics | None = None) -> Starlette:
    """The worker port's routes; ``/metrics`` is rendered off the loop (a worker thread)."""

    async def live(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(_request: Request) -> Response:
        report = await readiness.report()
        return JSONResponse(report.body(), status_code=200 if report.ok else 503)

    def exposition(_request: Request) -> Response:  # sync: Starlette runs it in a thread
        if metrics is None:
            return Response(status_code=404)
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    return Starlette(
        routes=[
            Route("/health", live),
            Route("/health/live", live),
            Route("/health/ready", ready),
            Route("/metrics", exposition),
        ]
    )


class EmbeddedServer(uvicorn.Server):
    """uvicorn in our event loop; the process's signals are ours, not uvicorn's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bound_socket(host: str, port: int) -> socket.socket:
    """The port, bound before the worker loads anything: a taken port stops it at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def health_server(app: Starlette) -> EmbeddedServer:
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    return EmbeddedServer(config)
