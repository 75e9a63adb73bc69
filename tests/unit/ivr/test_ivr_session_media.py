"""The media set-up of a call (``AriMedia``: RTP socket, ExternalMedia channel, bridge,
recording) against ARI over ``httpx.MockTransport``: the caller hanging up or Asterisk failing
at each step leaves nothing behind; and the router reports each call's end exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from ivr_session_fakes import AT, CALLER, FakeAsterisk, MarkerDetector, Scripted, event

from asr.fake import FakeRecognizer
from core.clock import FixedClock
from core.dialogue import (
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Outcome,
    Say,
)
from ivr import media_leg
from ivr.ari import AriClient, Channel
from ivr.call_events import CallEvents
from ivr.calls import CallResult
from ivr.errors import AriError
from ivr.media import open_rtp_endpoint
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.fake import FakeSynthesizer

SETTINGS = IvrSettings(no_input_s=0.3, max_call_s=10.0)
EM, BRIDGE = f"{CALLER}-em", f"{CALLER}-br"


def greet_and_end(e: DialogueEvent) -> list[DialogueCommand]:
    if isinstance(e, CallAnswered):
        return [Say("hello", "greeting", "en"), Hangup(Outcome.REFUSED)]
    return [Hangup(Outcome.HUNG_UP)] if isinstance(e, CallerHungUp) else []


def session_over(ari: AriClient, conversation: Scripted) -> CallSession:
    return CallSession.over_ari(
        ari=ari, channel_id=CALLER, conversation=conversation, recognizer=FakeRecognizer(),
        synthesizer=FakeSynthesizer(), clock=FixedClock(AT), settings=SETTINGS,
        end_of_turn=MarkerDetector,
    )  # fmt: skip


def em_enters_stasis(asterisk: FakeAsterisk, session: Callable[[], CallSession]) -> None:
    def hook(line: str, request: object) -> None:
        if line == "POST /channels/externalMedia":
            loop = asyncio.get_running_loop()
            loop.call_soon(session().deliver, event("StasisStart", EM))

    asterisk.on_request.append(hook)


async def test_the_media_is_bridged_recorded_and_all_undone_at_the_end() -> None:
    asterisk, conversation = FakeAsterisk(), Scripted(greet_and_end)
    async with asterisk.client() as ari:
        session = session_over(ari, conversation)
        em_enters_stasis(asterisk, lambda: session)
        result = await asyncio.wait_for(session.run(), 5)
    assert asterisk.requests[:4] == [
        "POST /channels/externalMedia",
        "POST /bridges",
        f"POST /bridges/{BRIDGE}/addChannel",
        f"POST /bridges/{BRIDGE}/record",
    ]
    assert result.recording == f"call-{CALLER}"
    assert result.end_reason == "bot_hung_up"
    assert f"POST /recordings/live/call-{CALLER}/stop" in asterisk.requests
    assert asterisk.left_behind() == (set(), {}, set())


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        ("POST /channels/externalMedia", "caller_hung_up"),  # before the leg enters Stasis
        ("POST /bridges", "caller_hung_up"),  # the caller is gone when it is bridged: a 404
        (f"POST /bridges/{BRIDGE}/addChannel", "caller_hung_up"),
        # the media is up: the hang-up is news for the dialogue (here the bot ends first)
        (f"POST /bridges/{BRIDGE}/record", "bot_hung_up"),
    ],
)
async def test_a_hangup_at_each_step_of_the_media_set_up_leaves_nothing(
    step: str, reason: str
) -> None:
    """The caller hangs up just before ``step`` is served: no leg, bridge or recording stays
    in Asterisk, and the greeting is not played to a caller who left during the set-up."""
    asterisk, conversation = FakeAsterisk(), Scripted(greet_and_end)
    async with asterisk.client() as ari:
        session = session_over(ari, conversation)
        if step != "POST /channels/externalMedia":
            em_enters_stasis(asterisk, lambda: session)

        def hang_up(line: str) -> None:
            if line == step:
                asterisk.channels.discard(CALLER)
                session.deliver(event("StasisEnd"))

        asterisk.before_request.append(hang_up)
        result = await asyncio.wait_for(session.run(), 8)
    assert result.end_reason == reason
    assert bool(result.transcript) is (reason == "bot_hung_up")
    assert asterisk.left_behind() == (set(), {}, set())


@pytest.mark.parametrize("status", [500, 400])
async def test_an_ari_error_while_setting_up_the_media_fails_the_call_and_leaves_nothing(
    status: int,
) -> None:
    asterisk, conversation = FakeAsterisk(), Scripted(greet_and_end)
    asterisk.fail["POST /bridges"] = status
    async with asterisk.client() as ari:
        session = session_over(ari, conversation)
        em_enters_stasis(asterisk, lambda: session)
        with pytest.raises(AriError):
            await asyncio.wait_for(session.run(), 5)
    assert conversation.events == []  # nothing was said
    assert asterisk.left_behind() == (set(), {}, set())
    assert session.result.ended_at is not None


@pytest.mark.parametrize("status", [404, 400])
async def test_a_refused_bridge_after_the_caller_left_is_a_hang_up(status: int) -> None:
    """Asterisk refuses to bridge a channel that is being hung up (404, or 400 "Channel not
    found"): the call ends as the caller's hang-up, not as an error."""
    asterisk, conversation = FakeAsterisk(), Scripted(greet_and_end)
    asterisk.fail[f"POST /bridges/{BRIDGE}/addChannel"] = status

    def gone(line: str) -> None:
        if line.endswith("/addChannel"):
            asterisk.channels.discard(CALLER)

    asterisk.before_request.append(gone)
    async with asterisk.client() as ari:
        session = session_over(ari, conversation)
        em_enters_stasis(asterisk, lambda: session)
        result = await asyncio.wait_for(session.run(), 5)
    assert (result.end_reason, result.outcome) == ("caller_hung_up", Outcome.HUNG_UP)
    assert conversation.events == []
    assert asterisk.left_behind() == (set(), {}, set())


async def test_a_404_while_the_caller_is_still_there_is_an_error() -> None:
    asterisk, conversation = FakeAsterisk(), Scripted(greet_and_end)
    asterisk.fail[f"POST /bridges/{BRIDGE}/addChannel"] = 404
    async with asterisk.client() as ari:
        session = session_over(ari, conversation)
        em_enters_stasis(asterisk, lambda: session)
        with pytest.raises(AriError):
            await asyncio.wait_for(session.run(), 5)
    assert asterisk.left_behind() == (set(), {}, set())


# --- the router --------------------------------------------------------------------------------
@pytest.mark.parametrize("fails", [False, True])
async def test_the_router_reports_each_calls_end_once(fails: bool) -> None:
    asterisk = FakeAsterisk()
    if fails:
        asterisk.fail["POST /bridges"] = 500
    reported: list[CallResult] = []

    async def sink(result: CallResult) -> None:
        reported.append(result)

    async with asterisk.client() as ari:
        sessions: list[CallSession] = []

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            session = CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=Scripted(greet_and_end),
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(),
                clock=FixedClock(AT), settings=SETTINGS, claim=claim,
                end_of_turn=MarkerDetector,
            )  # fmt: skip
            sessions.append(session)
            return session

        app = IvrApp(AriSettings(), ari, factory, sink, linger_s=0.2)

        def route(line: str, request: object) -> None:
            if line == "POST /channels/externalMedia":
                loop = asyncio.get_running_loop()
                loop.call_soon(asyncio.ensure_future, app._on_event(event("StasisStart", EM)))

        asterisk.on_request.append(route)
        async with asyncio.TaskGroup() as tg:
            app._tg = tg
            start = event("StasisStart", args=["outbound", "case-1", "en"])
            await app._on_event(start)
            await asyncio.wait_for(_ended(app), 5)
            # late events of the ended call go nowhere (no second session, no second report)
            await app._on_event(event("StasisEnd"))
            await app._on_event(event("ChannelDestroyed"))
            await app._on_event(event("ChannelDestroyed", EM))  # the session's hang-up of it
            # a leg of the ended call that Asterisk brings up late (its request had timed out)
            # is hung up; a channel that was never a leg of ours is left alone
            asterisk.requests.clear()
            await app._on_event(event("StasisStart", EM))
            await app._on_event(event("StasisStart", "someone-else"))
    assert [r for r in asterisk.requests if r.startswith("DELETE /channels/")] == [
        f"DELETE /channels/{EM}"
    ]
    assert len(sessions) == 1
    assert [r.channel_id for r in reported] == [CALLER]
    assert reported[0].end_reason.startswith("error:") is fails
    assert app.active == {}


class _HeldSession:
    """A session the test ends: it claims an ExternalMedia leg and never hangs anything up (as
    when its hang-ups were lost on a loaded Asterisk)."""

    def __init__(self, channel: Channel, claim: Callable[[str], None]) -> None:
        self.channel_id = self.call_id = channel.id
        self.result = CallResult(channel.id, channel.id, AT)
        self.over = asyncio.Event()
        self.heard: list[str] = []
        self._claim = claim

    async def run(self) -> CallResult:
        self._claim(EM)  # asked for its media leg
        await self.over.wait()
        return self.result

    def deliver(self, e: object) -> None:
        self.heard.append(getattr(e, "type", ""))


@pytest.mark.parametrize("ended_meanwhile", [False, True])
async def test_a_leg_still_up_after_its_session_ended_is_hung_up(ended_meanwhile: bool) -> None:
    """A leg that came up while its session owned it (ExternalMedia carried out after the
    request timed out) and is still up a moment after the session ended is hung up by the
    router; a leg that ended meanwhile is left alone."""
    asterisk = FakeAsterisk()
    sessions = await _held_call(asterisk, linger_s=0.2, ended_meanwhile=ended_meanwhile)
    assert sessions[0].heard == ["StasisStart", "StasisEnd"]  # its leg's start, the caller's end
    expected = [] if ended_meanwhile else [f"DELETE /channels/{EM}"]
    assert [r for r in asterisk.requests if r.startswith("DELETE")] == expected


async def _held_call(
    asterisk: FakeAsterisk, *, linger_s: float, ended_meanwhile: bool = False
) -> list[_HeldSession]:
    """One call through the router: its session claims its ExternalMedia leg, which comes up;
    the caller's leg ends, then the session; the router's net runs to its end."""
    async with asterisk.client() as ari:
        sessions: list[_HeldSession] = []

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            sessions.append(_HeldSession(channel, claim))
            return sessions[-1]  # type: ignore[return-value]

        app = IvrApp(AriSettings(), ari, factory, None, linger_s=linger_s)
        async with asyncio.TaskGroup() as tg:
            app._tg = tg
            await app._on_event(event("StasisStart", args=["outbound", "case-1", "en"]))
            await asyncio.sleep(0)  # the session runs and claims its leg
            await app._on_event(event("StasisStart", EM))  # delivered to its session
            await app._on_event(event("StasisEnd"))  # the caller's leg ended
            sessions[0].over.set()
            await asyncio.wait_for(_ended(app), 5)
            if ended_meanwhile:
                await app._on_event(event("ChannelDestroyed", EM))
    return sessions


async def _ended(app: IvrApp) -> None:
    await asyncio.sleep(0.01)
    while app.active:  # noqa: ASYNC110 - the router has no event for "no calls left"
        await asyncio.sleep(0.01)


async def test_the_rtp_port_is_closed_when_the_time_runs_out_during_the_undo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ExternalMedia timed out, then the undo's hang-up hangs on a loaded Asterisk and the
    session's time runs out: the RTP socket must still be closed (the soak found ten left)."""
    opened: list[object] = []

    async def tracked(host: str = "127.0.0.1") -> object:
        endpoint = await open_rtp_endpoint(host)
        opened.append(endpoint)
        return endpoint

    class SlowAsterisk:
        async def external_media(self, host: str, *, channel_id: str) -> object:
            raise AriError("ARI POST /channels/externalMedia timed out", retryable=True)

        async def hangup(self, channel_id: str) -> None:
            await asyncio.sleep(1)

        async def destroy_bridge(self, bridge_id: str) -> None:
            await asyncio.sleep(1)

    monkeypatch.setattr(media_leg, "open_rtp_endpoint", tracked)
    media = media_leg.AriMedia(SlowAsterisk(), "c1", "chan-1", SETTINGS)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await media.open(CallEvents("chan-1"), lambda m: None)
    assert len(opened) == 1
    assert opened[0].transport.is_closing()  # type: ignore[attr-defined]


async def test_a_lingering_leg_whose_hang_ups_time_out_is_hung_up_a_round_later() -> None:
    """The router's own hang-ups of a lingering leg time out (never reaching a loaded Asterisk,
    as the session's did): it asks again, round after round, until Asterisk has done it."""
    asterisk = FakeAsterisk()
    lost = 4  # a whole round of asks (3) and the first of the next

    def no_connection(line: str) -> None:
        nonlocal lost
        if line == f"DELETE /channels/{EM}" and lost > 0:
            lost -= 1
            raise httpx.ConnectTimeout("the connection never came")

    asterisk.before_request.append(no_connection)
    asterisk.channels.add(EM)
    await _held_call(asterisk, linger_s=0.05)
    assert [r for r in asterisk.requests if r == f"DELETE /channels/{EM}"] == [
        f"DELETE /channels/{EM}"
    ] * 5
    assert EM not in asterisk.channels
