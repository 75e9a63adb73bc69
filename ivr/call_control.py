"""The call-control port: the part of ARI one call uses (``AriClient`` is the adapter).

A session sets up its media (ExternalMedia channel, bridge, recording), hangs up, transfers
(originate the agent's leg, re-bridge, snoop) and cleans up through this and nothing else,
so it can be run against a fake in unit tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from core.logging import get_logger
from ivr.ari.models import Bridge, Channel, ExternalMediaChannel, LiveRecording
from ivr.errors import AriError, AriNotFound, AriTimeout

log = get_logger(__name__)


class CallControl(Protocol):
    async def hangup(self, channel_id: str, reason: str = "normal") -> None: ...

    async def channel_exists(self, channel_id: str) -> bool: ...

    async def external_media(
        self, external_host: str, *, channel_id: str | None = None
    ) -> ExternalMediaChannel: ...

    async def create_bridge(self, *, bridge_id: str | None = None) -> Bridge: ...

    async def add_to_bridge(self, bridge_id: str, channel_ids: Sequence[str]) -> None: ...

    async def remove_from_bridge(self, bridge_id: str, channel_ids: Sequence[str]) -> None: ...

    async def destroy_bridge(self, bridge_id: str) -> None: ...

    async def record_bridge(self, bridge_id: str, name: str, *, fmt: str) -> LiveRecording: ...

    async def stop_recording(self, name: str) -> None: ...

    async def originate(
        self,
        endpoint: str,
        *,
        app_args: Sequence[str] = (),
        channel_id: str | None = None,
        other_channel_id: str | None = None,
        timeout_s: int = 30,
    ) -> Channel: ...

    async def snoop(
        self,
        channel_id: str,
        *,
        spy: str = "in",
        app_args: Sequence[str] = (),
        snoop_id: str | None = None,
    ) -> Channel: ...


TIDY_TRIES = 3  # a clean-up request that times out is asked this many times in all
TIDY_PAUSE_S = 1.0


async def tidy(
    call_id: str,
    step: str,
    call: Callable[[], Awaitable[None]],
    *,
    tries: int = TIDY_TRIES,
    pause_s: float = TIDY_PAUSE_S,
) -> bool:
    """One clean-up step; what is already gone is fine, other failures are logged. True once
    it is done (or was already).

    A step whose request timed out is asked again: a timed-out ``DELETE`` may never have reached
    a loaded Asterisk (the soak's channels left after its drain were callers whose one hang-up
    timed out, the debtor still on the line minutes later), and asking again costs nothing (a
    leg or bridge already gone answers 404)."""
    for attempt in range(1, tries + 1):
        try:
            await call()
        except AriNotFound:
            return True
        except AriTimeout as e:
            if attempt < tries:
                log.info("ivr.cleanup_retried", call_id=call_id, step=step, attempt=attempt)
                await asyncio.sleep(pause_s)
                continue
            log.warning("ivr.cleanup_failed", call_id=call_id, step=step, error=str(e))
        except AriError as e:
            log.warning("ivr.cleanup_failed", call_id=call_id, step=step, error=str(e))
        else:
            return True
        return False
    return False


async def make_by_id(
    call: Callable[[], Awaitable[object]],
    *,
    tries: int = TIDY_TRIES,
    pause_s: float = TIDY_PAUSE_S,
) -> None:
    """Make something under an id of ours (a call's bridge), asking again while the request
    times out: a create that timed out may never have arrived, or may arrive after the call's
    undo, and nobody would ever destroy it. Asked again, Asterisk makes it or answers 409 (an
    earlier ask made it: it is ours); a last timeout is raised."""
    for attempt in range(1, tries + 1):
        try:
            await call()
            return
        except AriTimeout:
            if attempt == tries:
                raise
        except AriError as e:
            if attempt > 1 and e.status == 409:
                return
            raise
        await asyncio.sleep(pause_s)
