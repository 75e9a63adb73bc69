"""Watching a dialed channel until its call ends, for whoever placed it (the dialer).

A call ends either unanswered (the channel is destroyed before it ever reached the IVR, with a
Q.850 cause) or as an IVR ``CallSession`` whose ``CallResult`` says how the conversation went.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from ivr.ari.models import AriEvent
from ivr.calls import CallResult
from ivr.errors import AlreadyWatched


@dataclass(frozen=True, slots=True)
class HungUpUnanswered:
    cause: int
    cause_text: str
    dial_status: str = ""  # the last ARI ``Dial`` event's status (BUSY, NOANSWER, ...)
    answered: bool = False  # it was up (answered) when destroyed: a hang-up racing the IVR


CallEnd = CallResult | HungUpUnanswered
GIVEN_UP_KEPT = 1000  # calls given up, remembered (a late originate comes within seconds)


class CallWatchers:
    """Futures keyed by channel id, resolved by the IVR application's event dispatch."""

    def __init__(self) -> None:
        self._futures: dict[str, asyncio.Future[CallEnd]] = {}
        self._dial_status: dict[str, str] = {}
        self._given_up: OrderedDict[str, bool] = OrderedDict()  # id -> hang-up asked

    def give_up(self, channel_id: str) -> None:
        """The dialer recorded this call failed (its originate timed out and Asterisk had no such
        channel): if Asterisk carries the originate out after all, nobody may talk on it. The
        IVR application hangs it up at its first event and never starts a session for it
        (``given_up_call``), until its ``ChannelDestroyed`` (``forget_given_up``)."""
        self._given_up[channel_id] = False
        while len(self._given_up) > GIVEN_UP_KEPT:
            self._given_up.popitem(last=False)

    def given_up_call(self, event: AriEvent) -> tuple[str, bool] | None:
        """The id of the given-up call this event is about and whether its hang-up was asked
        for already; None for any other event."""
        channel_id = event.channel_id
        peer = event.raw.get("peer")
        if channel_id is None and event.type == "Dial" and isinstance(peer, dict):
            channel_id = str(peer.get("id", ""))
        if not channel_id or channel_id not in self._given_up:
            return None
        return channel_id, self._given_up[channel_id]

    def hang_up_asked(self, channel_id: str) -> None:
        if channel_id in self._given_up:
            self._given_up[channel_id] = True

    def forget_given_up(self, channel_id: str) -> None:
        self._given_up.pop(channel_id, None)

    def watch(self, channel_id: str) -> asyncio.Future[CallEnd]:
        """Raises ``AlreadyWatched`` while an earlier watch of ``channel_id`` is pending."""
        if channel_id in self._futures:
            raise AlreadyWatched(channel_id)
        future: asyncio.Future[CallEnd] = asyncio.get_running_loop().create_future()
        self._futures[channel_id] = future

        def forget(done: asyncio.Future[CallEnd]) -> None:
            if self._futures.get(channel_id) is done:
                del self._futures[channel_id]
                self._dial_status.pop(channel_id, None)

        future.add_done_callback(forget)
        return future

    def unowned_event(self, event: AriEvent) -> None:
        """An event of a channel no session owns: a destroyed channel never answered.

        A busy or congested far end on a Local channel is signalled only by the ``Dial``
        event's status (the channel is destroyed with cause 0), so that status is kept too."""
        channel_id = event.channel_id
        peer = event.raw.get("peer")
        if event.type == "Dial" and isinstance(peer, dict):
            channel_id = str(peer.get("id", ""))
        future = self._futures.get(channel_id) if channel_id else None
        if channel_id is None or future is None or future.done():
            return
        if event.type == "Dial" and event.raw.get("dialstatus"):
            self._dial_status[channel_id] = str(event.raw["dialstatus"])
        if event.type != "ChannelDestroyed":
            return
        cause = event.raw.get("cause", 0)
        status = self._dial_status.pop(channel_id, "")
        up = event.channel is not None and event.channel.state == "Up"
        future.set_result(
            HungUpUnanswered(
                int(cause) if isinstance(cause, int) else 0,
                str(event.raw.get("cause_txt", "")),
                status,
                answered=up or status == "ANSWER",
            )
        )

    def finished(self, result: CallResult) -> None:
        future = self._futures.get(result.channel_id)
        if future is not None and not future.done():
            future.set_result(result)
