"""The standalone worker's readiness checks (``collectbot worker``, its metrics port): the
database (``SELECT 1`` on an async engine of its own, so a hung database is cancelled on the
loop and never holds a thread the calls' ASR/TTS need), Redis (``PING`` of the dial queue's
and the live events' Redis) and the telephony (models loaded, ARI connected now)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import redis.asyncio as aioredis
from sqlalchemy import text

from data.db import make_async_engine
from dialer.health import TelephonyHealth
from dialer.settings import DialerSettings
from ivr.settings import IvrSettings
from telemetry.health import CACHE_S, CHECK_TIMEOUT_S, Readiness, ReadyCheck


def _redis_check(url: str) -> ReadyCheck:
    async def check() -> None:
        client = aioredis.Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT_S, socket_timeout=CHECK_TIMEOUT_S
        )
        try:
            await client.ping()
        finally:
            await client.aclose()

    return check


@contextlib.asynccontextmanager
async def worker_readiness(
    database_url: str, telephony: TelephonyHealth, *, cache_s: float = CACHE_S
) -> AsyncIterator[Readiness]:
    engine = make_async_engine(database_url)

    async def database() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    checks: dict[str, ReadyCheck] = {"database": database}
    urls = {DialerSettings().redis_url, IvrSettings().live_redis_url} - {""}
    for n, url in enumerate(sorted(urls)):
        checks["redis" if n == 0 else f"redis_{n}"] = _redis_check(url)
    checks["telephony"] = telephony.check
    try:
        yield Readiness(checks, cache_s=cache_s)
    finally:
        await engine.dispose()
