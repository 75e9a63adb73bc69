"""The media leg of a call: caller audio in (frames), bot audio out (play, stop).

``MediaLeg`` is what the listener and the speaker use (``RtpMediaLeg``: our RTP socket, the
far side being Asterisk's ExternalMedia channel). ``AriMedia`` sets one up for a call: the
socket, an ExternalMedia channel, a mixing bridge with the caller in it, and the bridge's
recording; ``close`` undoes all of it (and the legs a transfer added). A hang-up while it is
being set up leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from ivr.call_control import CallControl, make_by_id, tidy
from ivr.call_events import CallEvents
from ivr.errors import AriError
from ivr.media import PlayResult, RtpEndpoint, RtpSender, open_rtp_endpoint
from ivr.settings import IvrSettings


class MediaLeg(Protocol):
    def frames(self) -> AsyncIterator[bytes]:
        """The caller's audio (native int16, 8 kHz), until the leg closes."""
        ...

    async def play(self, audio: AsyncIterable[bytes]) -> PlayResult: ...

    def stop(self) -> None:
        """Stop what is playing at the next frame (barge-in, hang-up)."""
        ...

    def close(self) -> None: ...


@dataclass(slots=True)
class RtpMediaLeg:
    endpoint: RtpEndpoint
    sender: RtpSender

    def frames(self) -> AsyncIterator[bytes]:
        return self.endpoint.receiver.chunks()

    async def play(self, audio: AsyncIterable[bytes]) -> PlayResult:
        return await self.sender.play(audio)

    def stop(self) -> None:
        self.sender.stop()

    def close(self) -> None:
        self.endpoint.close()


@dataclass(slots=True)
class CallMedia:
    """A call's media as bridged in Asterisk; a transfer adds legs and bridges to undo."""

    leg: MediaLeg
    em_id: str  # the ExternalMedia channel
    bridge_id: str
    recording: str | None = None
    extra_legs: list[str] = field(default_factory=list)  # e.g. the agent's, the snoop
    extra_bridges: list[str] = field(default_factory=list)


class MediaOpener(Protocol):
    async def open(self, events: CallEvents, bridged: Callable[[CallMedia], None]) -> CallMedia:
        """Set the call's media up; ``bridged`` gets it as soon as there is something for
        ``close`` to undo (a failure after that leaves the undoing to ``close``)."""
        ...

    async def close(self, media: CallMedia) -> None: ...


@dataclass
class AriMedia:
    """Bridges the call's channel with an ExternalMedia channel that streams RTP to us."""

    control: CallControl
    call_id: str
    channel_id: str
    settings: IvrSettings
    claim: Callable[[str], None] = lambda _id: None

    async def open(self, events: CallEvents, bridged: Callable[[CallMedia], None]) -> CallMedia:
        endpoint = await open_rtp_endpoint(self.settings.media_host)
        em_id, bridge_id = f"{self.call_id}-em", f"{self.call_id}-br"
        self.claim(em_id)
        handed_over = False
        try:
            em = await self.control.external_media(endpoint.external_host, channel_id=em_id)
            try:
                await events.wait_ari("StasisStart", em_id, 5.0)
            except TimeoutError as e:
                raise AriError("ExternalMedia channel never entered Stasis", retryable=True) from e
            await make_by_id(partial(self.control.create_bridge, bridge_id=bridge_id))
            leg = RtpMediaLeg(endpoint, endpoint.sender(em.local_host, em.local_port))
            media = CallMedia(leg, em_id, bridge_id)
            events.when_hung_up(leg.stop)  # nobody listens any more
            bridged(media)  # from here on, ``close`` undoes it
            handed_over = True
            await self.control.add_to_bridge(bridge_id, [self.channel_id, em_id])
            if self.settings.record_calls:
                name = f"call-{self.call_id}"
                fmt = self.settings.recording_format
                await self.control.record_bridge(bridge_id, name, fmt=fmt)
                media.recording = name
        except BaseException:
            if not handed_over:  # not yet ``close``'s to undo: the legs made so far
                try:
                    await asyncio.shield(self._undo(em_id, bridge_id))
                finally:  # the session's time may run out during the undo: never leak the port
                    endpoint.close()
            raise
        return media

    async def _undo(self, em_id: str, bridge_id: str) -> None:
        await tidy(self.call_id, "hangup", lambda: self.control.hangup(em_id))
        await tidy(self.call_id, "destroy_bridge", lambda: self.control.destroy_bridge(bridge_id))

    async def close(self, media: CallMedia) -> None:
        media.leg.stop()
        if (name := media.recording) is not None:
            await tidy(self.call_id, "stop_recording", lambda: self.control.stop_recording(name))
        for leg in dict.fromkeys([media.em_id, *media.extra_legs]):
            await tidy(self.call_id, "hangup", partial(self.control.hangup, leg))
        for bridge_id in [media.bridge_id, *media.extra_bridges]:
            await tidy(
                self.call_id, "destroy_bridge", partial(self.control.destroy_bridge, bridge_id)
            )
        media.leg.close()
