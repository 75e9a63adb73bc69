"""ARI REST calls over httpx. Every call has a timeout; errors say whether they are retryable."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Self, TypeAlias

import httpx

from core.logging import get_logger
from ivr.ari.models import (
    Bridge,
    Channel,
    ExternalMediaChannel,
    LiveRecording,
    Playback,
    StoredRecording,
    as_list,
    as_obj,
)
from ivr.ari.timing import RequestTimings, RequestTrace
from ivr.errors import AriError, AriNotFound, AriTimeout
from ivr.settings import AriSettings

log = get_logger(__name__)

Params: TypeAlias = Mapping[str, str | int | None]


def _clean(params: Params | None) -> dict[str, str]:
    return {k: str(v) for k, v in (params or {}).items() if v is not None}


def pooled_http(
    settings: AriSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The REST connection pool of one process. A call's requests come seconds apart: idle
    connections are kept ``http_keepalive_s`` (httpx's default, 5 s, made most of them open a new
    TCP connection, where a loaded Asterisk's requests mostly timed out); a TCP connect has its
    own, shorter limit and is tried again (``http_connect_retries``: nothing was sent yet, so
    even a ``POST`` is safe to repeat); the answer has ``request_timeout_s``."""
    limits = httpx.Limits(
        max_keepalive_connections=settings.http_keepalive_max,
        keepalive_expiry=settings.http_keepalive_s,
    )
    return httpx.AsyncClient(
        base_url=f"{settings.url.rstrip('/')}/ari",
        auth=(settings.user, settings.password.get_secret_value()),
        timeout=httpx.Timeout(settings.request_timeout_s, connect=settings.http_connect_timeout_s),
        transport=transport
        or httpx.AsyncHTTPTransport(limits=limits, retries=settings.http_connect_retries),
    )


class AriClient:
    """The REST half of ARI. Use as ``async with AriClient(settings) as ari: …``."""

    def __init__(self, settings: AriSettings, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._timeout = settings.request_timeout_s
        self._http = http or pooled_http(settings)
        self.timings = RequestTimings()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        body: Mapping[str, object] | None = None,
        timeout_s: float | None = None,
    ) -> httpx.Response:
        trace = RequestTrace()
        timed_out = False
        try:
            async with asyncio.timeout(timeout_s or self._timeout):
                r = await self._http.request(
                    method, path, params=_clean(params), json=body, extensions={"trace": trace}
                )
        except (TimeoutError, httpx.TimeoutException) as e:  # it may never have left: ask again
            timed_out = True
            log.warning(
                "ari.request_timed_out",
                method=method,
                path=_template(path),
                phase=trace.phase,
                elapsed_ms=round((time.monotonic() - trace.started) * 1000),
            )
            raise AriTimeout(f"ARI {method} {path} timed out ({trace.phase})") from e
        except httpx.TransportError as e:
            raise AriError(f"ARI {method} {path} failed: {e!r}", retryable=True) from e
        except asyncio.CancelledError:  # its caller gave up (a call's end): its connection closes
            trace.cancelled = True
            raise
        finally:
            self.timings.add(trace, timed_out=timed_out)
            if self.timings.due(self.settings.request_stats_every_s):
                log.info("ari.requests", **self.timings.take())
        if r.status_code == 404:
            raise AriNotFound(f"ARI {method} {path}: {_message(r)}")
        if r.status_code >= 400:
            raise AriError(
                f"ARI {method} {path} -> {r.status_code}: {_message(r)}",
                status=r.status_code,
                retryable=r.status_code >= 500 or r.status_code == 429,
            )
        return r

    async def _json(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        body: Mapping[str, object] | None = None,
    ) -> object:
        r = await self._request(method, path, params, body)
        try:
            return r.json()
        except ValueError as e:
            raise AriError(f"ARI {method} {path}: not JSON", retryable=False) from e

    # --- asterisk ---------------------------------------------------------------------------
    async def info(self) -> Mapping[str, object]:
        return as_obj(await self._json("GET", "/asterisk/info"), "asterisk info")

    # --- channels -----------------------------------------------------------------------------
    async def list_channels(self) -> list[Channel]:
        return [
            Channel.from_json(c) for c in as_list(await self._json("GET", "/channels"), "channels")
        ]

    async def get_channel(self, channel_id: str) -> Channel:
        return Channel.from_json(await self._json("GET", f"/channels/{channel_id}"))

    async def channel_exists(self, channel_id: str) -> bool:
        """False when Asterisk no longer has the channel; other errors raise."""
        try:
            await self.get_channel(channel_id)
        except AriNotFound:
            return False
        return True

    async def originate(
        self,
        endpoint: str,
        *,
        app: str | None = None,
        app_args: Sequence[str] = (),
        channel_id: str | None = None,
        other_channel_id: str | None = None,
        caller_id: str | None = None,
        timeout_s: int = 30,
        variables: Mapping[str, str] | None = None,
        dialplan: tuple[str, str, int] | None = None,
    ) -> Channel:
        """Dial ``endpoint`` (``PJSIP/…``, ``Local/…``) into the Stasis app, or, with
        ``dialplan=(context, extension, priority)``, into that dialplan location once answered
        (the app is then not subscribed to the channel: see ``subscribe``)."""
        params: dict[str, str | int | None] = {
            "endpoint": endpoint,
            "app": None if dialplan else app or self.settings.app,
            "appArgs": None if dialplan else ",".join(app_args) or None,
            "context": dialplan[0] if dialplan else None,
            "extension": dialplan[1] if dialplan else None,
            "priority": dialplan[2] if dialplan else None,
            "channelId": channel_id,
            "otherChannelId": other_channel_id,
            "callerId": caller_id,
            "timeout": timeout_s,
        }
        body = {"variables": dict(variables)} if variables else None
        return Channel.from_json(await self._json("POST", "/channels", params, body))

    async def subscribe(self, event_source: str, app: str | None = None) -> None:
        """Subscribe the app to ``event_source`` (``channel:<id>``, ``bridge:<id>``, …)."""
        name = app or self.settings.app
        await self._request(
            "POST", f"/applications/{name}/subscription", {"eventSource": event_source}
        )

    async def answer(self, channel_id: str) -> None:
        await self._request("POST", f"/channels/{channel_id}/answer")

    async def hangup(self, channel_id: str, reason: str = "normal") -> None:
        await self._request("DELETE", f"/channels/{channel_id}", {"reason": reason})

    async def play(
        self,
        channel_id: str,
        media: str | Sequence[str],
        *,
        playback_id: str | None = None,
        lang: str | None = None,
    ) -> Playback:
        uris = media if isinstance(media, str) else ",".join(media)
        params = {"media": uris, "playbackId": playback_id, "lang": lang}
        return Playback.from_json(await self._json("POST", f"/channels/{channel_id}/play", params))

    async def get_variable(self, channel_id: str, name: str) -> str:
        obj = as_obj(
            await self._json("GET", f"/channels/{channel_id}/variable", {"variable": name}),
            "a variable",
        )
        value = obj.get("value")
        return value if isinstance(value, str) else ""

    async def set_variable(self, channel_id: str, name: str, value: str) -> None:
        await self._request(
            "POST", f"/channels/{channel_id}/variable", {"variable": name, "value": value}
        )

    async def send_dtmf(
        self, channel_id: str, dtmf: str, *, duration_ms: int = 100, between_ms: int = 100
    ) -> None:
        params: Params = {"dtmf": dtmf, "duration": duration_ms, "between": between_ms}
        await self._request("POST", f"/channels/{channel_id}/dtmf", params)

    async def snoop(
        self,
        channel_id: str,
        *,
        spy: str = "in",
        whisper: str = "none",
        app: str | None = None,
        app_args: Sequence[str] = (),
        snoop_id: str | None = None,
    ) -> Channel:
        """A snoop channel on ``channel_id``; record it to capture one side, play unblocked."""
        params = {
            "spy": spy,
            "whisper": whisper,
            "app": app or self.settings.app,
            "appArgs": ",".join(app_args) or None,
            "snoopId": snoop_id,
        }
        return Channel.from_json(await self._json("POST", f"/channels/{channel_id}/snoop", params))

    async def record_channel(
        self, channel_id: str, name: str, *, fmt: str = "wav", if_exists: str = "overwrite"
    ) -> LiveRecording:
        """Record a channel. Beware: it blocks later ``play`` on that channel (use a snoop)."""
        params = {"name": name, "format": fmt, "ifExists": if_exists}
        return LiveRecording.from_json(
            await self._json("POST", f"/channels/{channel_id}/record", params)
        )

    async def external_media(
        self,
        external_host: str,
        *,
        fmt: str = "slin",
        app: str | None = None,
        channel_id: str | None = None,
        encapsulation: str = "rtp",
        transport: str = "udp",
        direction: str = "both",
    ) -> ExternalMediaChannel:
        """An ExternalMedia channel sending RTP to ``external_host`` (``host:port``)."""
        params = {
            "app": app or self.settings.app,
            "external_host": external_host,
            "format": fmt,
            "encapsulation": encapsulation,
            "transport": transport,
            "direction": direction,
            "channelId": channel_id,
        }
        channel = Channel.from_json(await self._json("POST", "/channels/externalMedia", params))
        return ExternalMediaChannel.from_channel(channel)

    # --- bridges ------------------------------------------------------------------------------
    async def create_bridge(
        self, *, bridge_type: str = "mixing", bridge_id: str | None = None, name: str | None = None
    ) -> Bridge:
        params = {"type": bridge_type, "bridgeId": bridge_id, "name": name}
        return Bridge.from_json(await self._json("POST", "/bridges", params))

    async def list_bridges(self) -> list[Bridge]:
        return [
            Bridge.from_json(b) for b in as_list(await self._json("GET", "/bridges"), "bridges")
        ]

    async def get_bridge(self, bridge_id: str) -> Bridge:
        return Bridge.from_json(await self._json("GET", f"/bridges/{bridge_id}"))

    async def add_to_bridge(self, bridge_id: str, channel_ids: Sequence[str]) -> None:
        params = {"channel": ",".join(channel_ids)}
        await self._request("POST", f"/bridges/{bridge_id}/addChannel", params)

    async def remove_from_bridge(self, bridge_id: str, channel_ids: Sequence[str]) -> None:
        params = {"channel": ",".join(channel_ids)}
        await self._request("POST", f"/bridges/{bridge_id}/removeChannel", params)

    async def destroy_bridge(self, bridge_id: str) -> None:
        await self._request("DELETE", f"/bridges/{bridge_id}")

    async def record_bridge(
        self,
        bridge_id: str,
        name: str,
        *,
        fmt: str = "wav",
        if_exists: str = "overwrite",
        max_duration_s: int = 0,
    ) -> LiveRecording:
        """Record the whole bridge (both parties) without blocking playback."""
        params: Params = {
            "name": name,
            "format": fmt,
            "ifExists": if_exists,
            "maxDurationSeconds": max_duration_s,
        }
        return LiveRecording.from_json(
            await self._json("POST", f"/bridges/{bridge_id}/record", params)
        )

    # --- recordings ---------------------------------------------------------------------------
    async def stop_recording(self, name: str) -> None:
        await self._request("POST", f"/recordings/live/{name}/stop")

    async def list_stored_recordings(self) -> list[StoredRecording]:
        raw = await self._json("GET", "/recordings/stored")
        return [StoredRecording.from_json(r) for r in as_list(raw, "recordings")]

    async def stored_recording_file(self, name: str, *, timeout_s: float = 30.0) -> bytes:
        r = await self._request("GET", f"/recordings/stored/{name}/file", timeout_s=timeout_s)
        return r.content

    async def delete_stored_recording(self, name: str) -> None:
        await self._request("DELETE", f"/recordings/stored/{name}")

    # --- playbacks ----------------------------------------------------------------------------
    async def get_playback(self, playback_id: str) -> Playback:
        return Playback.from_json(await self._json("GET", f"/playbacks/{playback_id}"))

    async def stop_playback(self, playback_id: str) -> None:
        await self._request("DELETE", f"/playbacks/{playback_id}")


def _template(path: str) -> str:
    """``/channels/att_1f…/answer`` -> ``/channels/{id}/answer``: no call's id in a log field
    meant for counting (the ids are logged by the callers)."""
    parts = path.split("/")
    return "/".join(p if i < 2 or p in _PATH_WORDS else "{id}" for i, p in enumerate(parts))


_PATH_WORDS = frozenset(
    {"externalMedia", "answer", "play", "variable", "dtmf", "snoop", "record", "addChannel",
     "removeChannel", "live", "stored", "stop", "file", "subscription", "info"}
)  # fmt: skip


def _message(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text[:200]
    if isinstance(body, Mapping) and "message" in body:
        return str(body["message"])
    return r.text[:200]
