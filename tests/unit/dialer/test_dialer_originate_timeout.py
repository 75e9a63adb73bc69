"""An originate that timed out: carried out after all, the call goes on and its own end is its
one result; not carried out, the attempt fails (the rules decide the next) and a channel that
appears later all the same is hung up by the IVR application before anything is said.

Asterisk's REST half is an ``httpx.MockTransport`` behind the real ``AriClient``; the originate
"times out" by raising httpx's ``ReadTimeout`` (after, or instead of, making the channel)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from core.clock import FixedClock
from core.dialogue import Outcome
from dialer.ari_originator import AriOriginator, Liveness
from dialer.origination import CallOutcome, DialRequest
from ivr.ari import AriClient, Channel
from ivr.ari.models import AriEvent
from ivr.call_watch import CallWatchers
from ivr.calls import CallResult
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings

NOW = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
ATT = "att_1"
FAST = Liveness(originate_asks=3, originate_ask_every_s=0.05)


@dataclass
class Pbx:
    """``carried``: the originate makes the channel before its answer is lost; ``appears_at``:
    the channel appears at that ``GET`` (a late originate); ``checks_time_out``: every ``GET``
    times out too."""

    carried: bool = False
    appears_at: int = 0
    checks_time_out: bool = False
    channels: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/ari")
        self.requests.append(f"{request.method} {path}")
        if request.method == "POST" and path == "/channels":
            if self.carried:
                self.channels.add(request.url.params["channelId"])
            raise httpx.ReadTimeout("no answer", request=request)
        if request.method == "GET" and path.startswith("/channels/"):
            if self.checks_time_out:
                raise httpx.ReadTimeout("no answer", request=request)
            cid = path.rsplit("/", 1)[1]
            gets = sum(r.startswith("GET /channels/") for r in self.requests)
            if self.appears_at and gets >= self.appears_at:
                self.channels.add(cid)
            if cid in self.channels:
                return httpx.Response(200, json={"id": cid, "name": f"L/{cid}", "state": "Ring"})
            return httpx.Response(404, json={"message": "Channel not found"})
        if request.method == "DELETE" and path.startswith("/channels/"):
            self.channels.discard(path.rsplit("/", 1)[1])
            return httpx.Response(204)
        return httpx.Response(500, json={"message": f"not served: {path}"})

    def client(self) -> AriClient:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(self.handle), base_url="http://ari.test/ari"
        )
        return AriClient(AriSettings(), http=http)

    def originates(self) -> int:
        return self.requests.count("POST /channels")


def _request() -> DialRequest:
    return DialRequest(ATT, "case-1", "camp-1", "+15550100", "en", ring_timeout_s=0.2)


def _originator(ari: AriClient, watchers: CallWatchers) -> AriOriginator:
    return AriOriginator(
        ari, watchers, FixedClock(NOW), endpoint_for=lambda r: "Local/s@x", app="t",
        max_call_s=5.0, amd="off", amd_context="amd", liveness=FAST,
    )  # fmt: skip


def _event(kind: str, cid: str = ATT, **raw: object) -> AriEvent:
    return AriEvent.from_json({"type": kind, "application": "t", "channel": {"id": cid}, **raw})


@pytest.mark.parametrize(
    "pbx", [Pbx(carried=True), Pbx(appears_at=2)], ids=["carried_before", "carried_late"]
)
async def test_an_originate_carried_out_after_its_timeout_goes_on_to_its_own_end(
    pbx: Pbx,
) -> None:
    watchers = CallWatchers()
    async with pbx.client() as ari:
        placing = asyncio.create_task(_originator(ari, watchers).place(_request()))
        await asyncio.sleep(0.3)
        assert not placing.done(), "a call Asterisk made must not be recorded failed"
        watchers.finished(CallResult(ATT, ATT, NOW, outcome=Outcome.PROMISE_TO_PAY, ended_at=NOW))
        result = await asyncio.wait_for(placing, 2)
    assert result.outcome is CallOutcome.ANSWERED
    assert result.disposition == "promise_to_pay"  # the conversation's result, kept
    assert pbx.originates() == 1
    assert watchers.given_up_call(_event("StasisStart")) is None


async def test_an_originate_asterisk_never_saw_fails_and_is_given_up() -> None:
    pbx, watchers = Pbx(), CallWatchers()
    async with pbx.client() as ari:
        result = await asyncio.wait_for(_originator(ari, watchers).place(_request()), 2)
    assert result.outcome is CallOutcome.FAILED
    assert result.detail["reason"] == "originate_timed_out"
    assert pbx.requests.count(f"GET /channels/{ATT}") == FAST.originate_asks
    assert pbx.originates() == 1  # never dialled again here: the rules decide the next attempt
    # a channel of that attempt that turns up later is someone else's to hang up (the router)
    assert watchers.given_up_call(_event("ChannelVarset")) == (ATT, False)
    watchers.hang_up_asked(ATT)
    assert watchers.given_up_call(_event("StasisStart")) == (ATT, True)
    watchers.forget_given_up(ATT)
    assert watchers.given_up_call(_event("StasisStart")) is None


async def test_a_call_whose_end_arrives_while_asking_is_ended_by_it() -> None:
    """Its events (a ``ChannelDestroyed``: busy) came before any ``GET`` said it exists."""
    pbx, watchers = Pbx(), CallWatchers()
    async with pbx.client() as ari:
        placing = asyncio.create_task(_originator(ari, watchers).place(_request()))
        await asyncio.sleep(0.02)
        watchers.unowned_event(_event("ChannelDestroyed", cause=17))
        result = await asyncio.wait_for(placing, 2)
    assert result.outcome is CallOutcome.BUSY
    assert watchers.given_up_call(_event("StasisStart")) is None


async def test_no_answer_at_all_is_watched_as_placed_not_failed() -> None:
    """Asterisk answers neither the originate nor the checks: the call may be up, so it is
    watched (its events, or the liveness checks, end it), not recorded failed at once."""
    pbx, watchers = Pbx(checks_time_out=True), CallWatchers()
    async with pbx.client() as ari:
        placing = asyncio.create_task(_originator(ari, watchers).place(_request()))
        await asyncio.sleep(0.4)
        assert not placing.done()
        watchers.unowned_event(_event("ChannelDestroyed", cause=19))
        result = await asyncio.wait_for(placing, 2)
    assert result.outcome is CallOutcome.NO_ANSWER
    assert watchers.given_up_call(_event("StasisStart")) is None


@pytest.mark.parametrize(
    "first",
    [
        _event("StasisStart", args=["outbound", "case-1", "en"]),
        AriEvent.from_json({"type": "Dial", "application": "t", "peer": {"id": ATT}}),
    ],
    ids=["answered", "ringing"],
)
async def test_the_router_hangs_up_a_given_up_call_at_its_first_event(first: AriEvent) -> None:
    pbx = Pbx(channels={ATT})
    started: list[str] = []
    async with pbx.client() as ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            started.append(channel.id)
            raise AssertionError("no session for a call the dialer gave up")

        app = IvrApp(AriSettings(), ari, factory, None)
        app.watchers.give_up(ATT)
        await app._on_event(first)
        assert pbx.requests == [f"DELETE /channels/{ATT}"]
        assert pbx.channels == set()
        # it was answered as the hang-up went out (the sandbox did that): still no session
        await app._on_event(_event("ChannelVarset"))
        await app._on_event(_event("StasisStart", args=["outbound", "case-1", "en"]))
        await app._on_event(_event("StasisEnd"))
        await app._on_event(_event("ChannelDestroyed"))
        assert app.watchers.given_up_call(_event("StasisStart")) is None  # forgotten
    assert started == []
    assert set(pbx.requests) == {f"DELETE /channels/{ATT}"}
    assert len(pbx.requests) == 2  # the first sign, then its entering the app


async def test_a_call_not_given_up_still_starts_its_session() -> None:
    pbx = Pbx(channels={ATT})
    started: list[str] = []
    async with pbx.client() as ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            started.append(channel.id)
            raise RuntimeError("stop here")

        app = IvrApp(AriSettings(), ari, factory, None)
        app.watchers.give_up("att_other")
        async with asyncio.TaskGroup() as tg:
            app._tg = tg
            with pytest.raises(RuntimeError):
                await app._on_event(_event("StasisStart", args=["outbound", "case-1", "en"]))
    assert started == [ATT]
    assert pbx.requests == []


# DIALER_AMD=asterisk: the originate goes into the dialplan (AMD first); the app is subscribed to
# the channel only after a successful originate, so a given-up channel sends the app nothing
# while it rings. The originator asks Asterisk for it a while longer and hangs it up if it comes.
WATCH = Liveness(
    originate_asks=3, originate_ask_every_s=0.05, given_up_watch_s=0.5, given_up_poll_s=0.05
)


def _amd_originator(ari: AriClient, watchers: CallWatchers, amd: str) -> AriOriginator:
    return AriOriginator(
        ari, watchers, FixedClock(NOW), endpoint_for=lambda r: "Local/s@x", app="t",
        max_call_s=5.0, amd=amd, amd_context="amd", liveness=WATCH,
    )  # fmt: skip


async def test_amd_a_given_up_channel_that_turns_up_while_ringing_is_hung_up() -> None:
    pbx, watchers = Pbx(appears_at=WATCH.originate_asks + 3), CallWatchers()  # after the asks
    async with pbx.client() as ari:
        result = await asyncio.wait_for(
            _amd_originator(ari, watchers, "asterisk").place(_request()), 2
        )
    assert result.outcome is CallOutcome.FAILED
    assert result.detail["reason"] == "originate_timed_out"
    assert pbx.requests.count(f"DELETE /channels/{ATT}") == 1
    assert pbx.channels == set()  # hung up while it rang (its state was "Ring")
    gets = pbx.requests.count(f"GET /channels/{ATT}")
    assert gets == WATCH.originate_asks + 3  # asked no more once it was hung up
    assert pbx.originates() == 1
    assert watchers.given_up_call(_event("StasisStart")) == (ATT, False)  # the router's net stays


async def test_amd_a_given_up_channel_that_never_comes_is_asked_for_until_the_watch_ends() -> None:
    pbx, watchers = Pbx(), CallWatchers()
    async with pbx.client() as ari:
        loop = asyncio.get_running_loop()
        began = loop.time()
        result = await asyncio.wait_for(
            _amd_originator(ari, watchers, "asterisk").place(_request()), 3
        )
        took = loop.time() - began
    assert result.outcome is CallOutcome.FAILED
    assert not [r for r in pbx.requests if r.startswith("DELETE")]
    polls = pbx.requests.count(f"GET /channels/{ATT}") - WATCH.originate_asks
    assert polls >= WATCH.given_up_watch_s / WATCH.given_up_poll_s / 2  # asked all along
    assert took < WATCH.given_up_watch_s + 1.0  # and then let go


async def test_without_asterisk_amd_the_given_up_channel_is_left_to_the_router() -> None:
    """Straight into the app: its first event reaches the router, which hangs it up."""
    pbx, watchers = Pbx(), CallWatchers()
    async with pbx.client() as ari:
        result = await asyncio.wait_for(_amd_originator(ari, watchers, "off").place(_request()), 2)
    assert result.outcome is CallOutcome.FAILED
    assert pbx.requests.count(f"GET /channels/{ATT}") == WATCH.originate_asks
