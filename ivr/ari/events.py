"""The ARI event websocket: reconnect with backoff, and a state resync after each reconnect."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeAlias
from urllib.parse import urlencode, urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidStatus, WebSocketException

from core.logging import get_logger
from ivr.ari.client import AriClient
from ivr.ari.models import AriEvent, Bridge, Channel
from ivr.errors import AriError
from ivr.settings import AriSettings

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ResyncReport:
    """What Asterisk holds after a reconnect, and the channels that ended while we were away."""

    channels: tuple[Channel, ...]
    bridges: tuple[Bridge, ...]
    vanished_channel_ids: frozenset[str]
    reconnects: int


EventSink: TypeAlias = Callable[[AriEvent], None]
ResyncHandler: TypeAlias = Callable[[ResyncReport], Awaitable[None]]


def events_url(settings: AriSettings) -> str:
    parts = urlsplit(settings.url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    query = urlencode({"app": settings.app, "subscribeAll": "false"})
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/ari/events?{query}"


class AriEventStream:
    """Keeps one event websocket open for the Stasis app and feeds every event to ``sink``.

    ``run()`` loops until cancelled: connect, read, and on any failure wait (exponential
    backoff with jitter) and connect again. After a reconnect it lists channels and bridges
    and calls ``on_resync`` with the channels that vanished meanwhile (orphaned sessions).
    """

    def __init__(
        self,
        settings: AriSettings,
        client: AriClient,
        sink: EventSink,
        on_resync: ResyncHandler | None = None,
    ) -> None:
        self._settings = settings
        self._client = client
        self._sink = sink
        self._on_resync = on_resync
        self._ws: ClientConnection | None = None
        self._tracked: set[str] = set()
        self.connected = asyncio.Event()
        self.connections = 0

    @property
    def tracked_channels(self) -> frozenset[str]:
        """Channels in the app now: StasisStart seen, StasisEnd/ChannelDestroyed not yet."""
        return frozenset(self._tracked)

    def _headers(self) -> dict[str, str]:
        pair = f"{self._settings.user}:{self._settings.password.get_secret_value()}"
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                async with connect(
                    events_url(self._settings),
                    additional_headers=self._headers(),
                    open_timeout=self._settings.connect_timeout_s,
                    ping_interval=5.0,
                    ping_timeout=self._settings.request_timeout_s,
                    max_size=2**22,
                ) as ws:
                    failures = 0
                    await self._session(ws)
            except InvalidStatus as e:
                status = e.response.status_code
                if status in (401, 403):
                    raise AriError(
                        "ARI refused the credentials", status=status, retryable=False
                    ) from e
                log.warning("ari.ws_refused", status=status)
            except (OSError, TimeoutError, InvalidHandshake, WebSocketException, AriError) as e:
                log.warning("ari.ws_lost", error=repr(e), connections=self.connections)
            finally:
                self._ws = None
                self.connected.clear()
            failures += 1
            await asyncio.sleep(self._backoff(failures))

    def _backoff(self, failures: int) -> float:
        s = self._settings
        delay: float = min(s.reconnect_max_s, s.reconnect_min_s * 2.0 ** (failures - 1))
        return delay * random.uniform(0.5, 1.0)

    async def _session(self, ws: ClientConnection) -> None:
        self._ws = ws
        self.connections += 1
        log.info("ari.ws_connected", connections=self.connections)
        if self.connections > 1:
            await self._resync()
        self.connected.set()
        async for message in ws:
            self._handle(message)

    def _handle(self, message: str | bytes) -> None:
        try:
            event = AriEvent.from_json(json.loads(message))
        except (ValueError, AriError) as e:
            log.warning("ari.bad_event", error=repr(e))
            return
        channel_id = event.channel_id
        if channel_id:
            if event.type == "StasisStart":
                self._tracked.add(channel_id)
            elif event.type in ("StasisEnd", "ChannelDestroyed"):
                self._tracked.discard(channel_id)
        self._sink(event)

    async def _resync(self) -> None:
        channels = await self._client.list_channels()
        bridges = await self._client.list_bridges()
        live = {c.id for c in channels}
        vanished = frozenset(self._tracked - live)
        self._tracked &= live
        report = ResyncReport(tuple(channels), tuple(bridges), vanished, self.connections - 1)
        log.info(
            "ari.resynced", channels=len(channels), bridges=len(bridges), vanished=len(vanished)
        )
        if self._on_resync is not None:
            await self._on_resync(report)

    async def drop(self) -> None:
        """Close the current websocket as a network failure would (tests, operator action)."""
        ws = self._ws
        if ws is not None:
            transport = ws.transport
            transport.abort()
