"""Ending what is left in Asterisk of a call whose worker died.

A worker killed mid-call leaves its debtor leg (channel id = attempt id) parked in its Stasis
application, with the legs and bridge its IVR session made (ids prefixed with the call id:
``<id>;2``, ``<id>-em``, ``<id>-agent``, ``<id>-br``). Nobody is talking to the debtor any
more, so the reaper hangs all of them up and destroys the bridges. The debtor leg is also
bounded by Asterisk itself (``TIMEOUT(absolute)`` set at originate), should no reaper come.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

from core.logging import get_logger
from ivr.ari.models import Bridge, Channel
from ivr.errors import AriError, AriNotFound

log = get_logger(__name__)


class AriLines(Protocol):
    """The part of ``ivr.ari.AriClient`` the reaper uses."""

    async def list_channels(self) -> list[Channel]: ...
    async def list_bridges(self) -> list[Bridge]: ...
    async def hangup(self, channel_id: str, reason: str = "normal") -> None: ...
    async def destroy_bridge(self, bridge_id: str) -> None: ...


class CallReaper(Protocol):
    async def reap(self, call_id: str) -> str | None:
        """Hang up what is left of the call; the state its line was in, None if it was gone."""
        ...


class NoReaper:
    """For a dialer without telephony access (tests with a fake phone): nothing to end."""

    async def reap(self, call_id: str) -> str | None:
        return None


def belongs(resource_id: str, call_id: str) -> bool:
    return resource_id == call_id or resource_id.startswith((f"{call_id};", f"{call_id}-"))


class AriCallReaper:
    def __init__(self, ari: AriLines) -> None:
        self._ari = ari

    async def reap(self, call_id: str) -> str | None:
        channels = [c for c in await self._ari.list_channels() if belongs(c.id, call_id)]
        bridges = [b for b in await self._ari.list_bridges() if belongs(b.id, call_id)]
        state = next((c.state for c in channels if c.id == call_id), None)
        for channel in channels:
            await self._quietly(self._ari.hangup(channel.id))
        for bridge in bridges:
            await self._quietly(self._ari.destroy_bridge(bridge.id))
        if channels or bridges:
            log.warning(
                "dialer.orphan_call_ended",
                call_id=call_id,
                state=state,
                channels=[c.id for c in channels],
                bridges=[b.id for b in bridges],
            )
        return state

    @staticmethod
    async def _quietly(step: Awaitable[None]) -> None:
        try:
            await step
        except AriNotFound:  # ended meanwhile: fine
            pass
        except AriError as e:
            log.warning("dialer.orphan_cleanup_failed", error=str(e))
