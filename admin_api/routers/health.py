"""Liveness, readiness and Prometheus metrics for process managers and scrapers.

``/health/live``: the process answers. ``/health/ready``: it can do its work — the database
answers, Redis answers when the API uses one, and whatever else the process added (``serve``
adds Asterisk's ARI and the speech models); 503 with each check's result otherwise.
``/metrics``: the Prometheus text format, behind ``API_METRICS_TOKEN`` when set (production
serves it only then). None of these carry personal data.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from admin_api.services import Services

router = APIRouter(tags=["health"])
ReadyCheck = Callable[[], Awaitable[None]]


@router.get("/health")
@router.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}


def _database_check(services: Services) -> ReadyCheck:
    def select_one() -> None:
        with services.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    async def check() -> None:
        await to_thread.run_sync(select_one)

    return check


def _redis_check(url: str) -> ReadyCheck:
    async def check() -> None:
        client = aioredis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)
        try:
            await client.ping()
        finally:
            await client.aclose()

    return check


def ready_checks(services: Services) -> dict[str, ReadyCheck]:
    checks = {"database": _database_check(services)}
    urls = {services.settings.login_redis_url, services.settings.live_redis_url} - {""}
    for n, url in enumerate(sorted(urls)):
        checks["redis" if n == 0 else f"redis_{n}"] = _redis_check(url)
    return checks | services.ready_checks


async def _run(check: ReadyCheck, limit_s: float) -> str:
    try:
        async with asyncio.timeout(limit_s):
            await check()
    except TimeoutError:
        return "timeout"
    except Exception as e:  # the reason, never a traceback or a URL with a password
        return f"failed: {type(e).__name__}"
    return "ok"


@router.get("/health/ready")
async def ready(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    checks = ready_checks(services)
    timeout = services.settings.ready_timeout
    results = await asyncio.gather(*(_run(c, timeout) for c in checks.values()))
    report = dict(zip(checks, results, strict=True))
    ok = all(r == "ok" for r in results)
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": report},
        status_code=200 if ok else 503,
    )


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    token = services.settings.metrics_token.get_secret_value()
    if token:
        sent = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    elif services.settings.production:
        return Response(status_code=404)
    body, content_type = services.metrics.exposition()
    return Response(body, media_type=content_type)
