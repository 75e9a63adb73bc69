"""A placed call whose end never reaches the dialer (its events went to another connection of
the same Stasis app, or Asterisk restarted) must not hold a dialer line for the whole
``max_call_s``: once the channel is gone from the real sandbox Asterisk, ``AriOriginator``
ends the attempt as failed ("channel_vanished"); while it is still up, it keeps waiting.
Run under ``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from dialer_sandbox import asterisk

from core.clock import SystemClock
from dialer.ari_originator import AriOriginator, Liveness
from dialer.origination import CallOutcome, DialRequest
from ivr.ari import AriClient, AriEvent, AriEventStream
from ivr.call_watch import CallEnd
from ivr.settings import AriSettings

__all__ = ["asterisk"]

APP = "collectbot-lost-events-test"


class LostEvents:
    """A watcher whose futures never resolve: every end event is lost."""

    def watch(self, channel_id: str) -> asyncio.Future[CallEnd]:
        return asyncio.get_running_loop().create_future()

    def give_up(self, channel_id: str) -> None:
        raise AssertionError("no originate times out here")


@pytest.fixture
async def ari(asterisk: AriSettings) -> AsyncIterator[AriClient]:
    settings = asterisk.model_copy(update={"app": APP})

    def drop(event: AriEvent) -> None:
        del event

    async with AriClient(settings) as client:
        stream = AriEventStream(settings, client, drop)  # the app exists; its events go nowhere
        task = asyncio.create_task(stream.run())
        await asyncio.wait_for(stream.connected.wait(), 10)
        try:
            yield client
        finally:
            task.cancel()


def _originator(ari: AriClient, far_end: str) -> AriOriginator:
    return AriOriginator(
        ari, LostEvents(), SystemClock(), endpoint_for=lambda _r: far_end, app=APP,
        amd="off", amd_context="-", liveness=Liveness(0.5, 0.5, 0.5),
    )  # fmt: skip


def _request() -> DialRequest:
    return DialRequest(
        attempt_id=f"t-lost-{uuid.uuid4().hex[:12]}", case_id="case-1", campaign_id="camp-1",
        phone="+15550100", language="en", ring_timeout_s=1.0,
    )  # fmt: skip


async def test_a_call_gone_without_its_end_event_frees_the_line(ari: AriClient) -> None:
    result = await asyncio.wait_for(
        _originator(ari, "Local/s@answer-hangup/n").place(_request()), 30
    )
    assert result.outcome is CallOutcome.FAILED
    assert result.detail["reason"] == "channel_vanished"


async def test_a_live_call_without_events_is_waited_for_until_it_is_gone(
    ari: AriClient,
) -> None:
    request = _request()
    placed = asyncio.create_task(_originator(ari, "Local/s@answer-wait/n").place(request))
    await asyncio.sleep(4.0)  # several look-ups: the channel is up, so the call goes on
    assert not placed.done()
    await ari.hangup(request.attempt_id)
    result = await asyncio.wait_for(placed, 10)
    assert result.outcome is CallOutcome.FAILED
    assert result.detail["reason"] == "channel_vanished"
