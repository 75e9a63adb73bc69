"""Background work of the API process, round after round (promise confirmations, SMS steps)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from core.logging import get_logger

log = get_logger(__name__)


async def every(interval: float, one_round: Callable[[], Awaitable[object]], failed: str) -> None:
    """``one_round`` every ``interval`` seconds until cancelled; a failed round is logged (event
    ``failed``), never fatal to the API."""
    while True:
        try:
            await one_round()
        except Exception as e:  # a background loop must survive a bad round
            log.error(failed, error=type(e).__name__)
        await asyncio.sleep(interval)
