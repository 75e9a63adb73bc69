"""An originate that times out, through the real sandbox Asterisk: the call is neither lost nor
dialled twice, and exactly one result is kept.

The dialer's ``AriOriginator`` and a real ``IvrApp`` share one ARI client whose transport makes
the originate (``POST /channels``) time out (``ari_faults``): ``lost`` (never reaches Asterisk),
``late`` (carried out shortly after the timeout: while the originator asks Asterisk whether the
channel exists) or ``very_late`` (carried out after the originator gave up on it). The far end
is ``answer-wait`` (answers at once), or, through ``DIALER_AMD=asterisk``'s dialplan,
``sim-ring-answer`` (rings 3 s, then answers). Once the dust settles Asterisk holds nothing of
the call.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import pytest
from ari_faults import Fault, FaultyTransport, faulty_client
from ivr_sandbox_fixtures import asterisk, ensure_contexts

from asr.fake import FakeRecognizer
from core.clock import SystemClock
from core.dialogue import CallAnswered, DialogueCommand, DialogueEvent, Hangup, Outcome, Say
from dialer.ari_originator import AriOriginator
from dialer.origination import CallOutcome, DialRequest
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult, Conversation
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.fake import FakeSynthesizer

__all__ = ["asterisk"]

APP = "collectbot-originate-faults"
TIMEOUT_S = 1.0  # the bot's ARI request timeout here (5 s in production)


class Promises:
    """Greets and hangs up with a promise: the result a lost conversation would take along."""

    def understand(self, text: str, lang: str) -> object:
        raise AssertionError("nobody speaks in these calls")

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [Say("hello", "greeting", "en"), Hangup(Outcome.PROMISE_TO_PAY)]
        return []


@dataclass
class Rig:
    transport: FaultyTransport
    ari: AriClient
    app: IvrApp
    originator: AriOriginator
    sessions: list[str] = field(default_factory=list)
    results: list[CallResult] = field(default_factory=list)


@pytest.fixture
async def rig(asterisk: AriSettings) -> AsyncIterator[Rig]:
    settings = asterisk.model_copy(update={"app": APP, "request_timeout_s": TIMEOUT_S})
    ivr = IvrSettings(no_input_s=3.0, max_call_s=30.0, record_calls=False)
    transport = FaultyTransport()
    async with faulty_client(settings, transport) as ari:
        box: list[Rig] = []

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            box[0].sessions.append(channel.id)
            conversation: Conversation = Promises()  # type: ignore[assignment]
            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=conversation,
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(), clock=SystemClock(),
                settings=ivr, claim=claim,
            )  # fmt: skip

        async def on_result(result: CallResult) -> None:
            box[0].results.append(result)

        app = IvrApp(settings, ari, factory, on_result)
        originator = AriOriginator(
            ari, app.watchers, SystemClock(), endpoint_for=lambda r: "Local/s@answer-wait/n",
            app=APP, max_call_s=30.0, amd="off", amd_context="collectbot-amd",
        )  # fmt: skip
        box.append(Rig(transport, ari, app, originator))
        task = asyncio.create_task(app.run())
        try:
            await asyncio.wait_for(app.ready.wait(), 10)
            yield box[0]
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task


def _request() -> DialRequest:
    attempt = f"t-att-{uuid.uuid4().hex[:12]}"
    return DialRequest(attempt, "case-1", "camp-1", "+15550100", "en", ring_timeout_s=15.0)


async def _states_until_gone(ari: AriClient, channel_id: str, within: float) -> list[str]:
    """The states Asterisk gives the channel, asked every 0.1 s, until it is gone."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    states: list[str] = []
    while loop.time() < deadline:
        channel = next((c for c in await ari.list_channels() if c.id == channel_id), None)
        if channel is None:
            return states
        if not states or states[-1] != channel.state:
            states.append(channel.state)
        await asyncio.sleep(0.1)
    raise AssertionError(f"{channel_id} still there after {within} s: {states}")


async def _gone(ari: AriClient, channel_id: str, within: float = 30.0) -> bool:
    """True once Asterisk has no channel of the call (the bot's leg, its Local partner, its
    ExternalMedia leg), within ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        left = [c.id for c in await ari.list_channels() if c.id.startswith(channel_id)]
        if not left:
            return True
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.25)


async def test_an_originate_carried_out_after_its_timeout_is_one_call_with_one_result(
    rig: Rig,
) -> None:
    rig.transport.faults = [Fault("POST", "/channels", "late", late_s=TIMEOUT_S + 0.5)]
    request = _request()
    result = await asyncio.wait_for(rig.originator.place(request), 45)
    assert rig.transport.faults[0].hit == 1, "the fault was never injected"
    # the call went on: the conversation's own end is the attempt's result, not "failed"
    assert result.outcome is CallOutcome.ANSWERED
    assert result.disposition == "promise_to_pay"
    assert rig.sessions == [request.attempt_id]
    assert [r.channel_id for r in rig.results] == [request.attempt_id]
    assert await _gone(rig.ari, request.attempt_id)


async def test_an_originate_that_never_reached_asterisk_fails_and_nothing_rings(
    rig: Rig,
) -> None:
    rig.transport.faults = [Fault("POST", "/channels", "lost")]
    request = _request()
    result = await asyncio.wait_for(rig.originator.place(request), 30)
    assert rig.transport.faults[0].hit == 1
    assert result.outcome is CallOutcome.FAILED  # recorded failed: the rules decide the retry
    assert result.detail["reason"] == "originate_timed_out"
    await asyncio.sleep(2.0)
    assert rig.sessions == []
    assert await _gone(rig.ari, request.attempt_id, within=0)


async def test_an_originate_carried_out_after_it_was_given_up_is_hung_up_unheard(
    rig: Rig,
) -> None:
    """The originator asked three times, a second apart, and recorded the attempt failed; then
    Asterisk carried the originate out. The IVR hangs that channel up at its first event: no
    session starts (nothing is said), nothing is left."""
    rig.transport.faults = [Fault("POST", "/channels", "late", late_s=7.0)]
    request = _request()
    result = await asyncio.wait_for(rig.originator.place(request), 30)
    assert result.outcome is CallOutcome.FAILED
    assert result.detail["reason"] == "originate_timed_out"
    await asyncio.wait_for(asyncio.gather(*rig.transport.late), 15)  # carried out now
    assert await _gone(rig.ari, request.attempt_id)
    assert rig.sessions == []
    assert rig.results == []


async def test_amd_an_originate_carried_out_after_it_was_given_up_is_hung_up_while_it_rings(
    rig: Rig, asterisk: AriSettings
) -> None:
    """``DIALER_AMD=asterisk``: the originate goes into the AMD dialplan, and the app is
    subscribed to the channel only after an originate that answered, so the IVR hears nothing
    of a given-up channel until it enters the app after AMD: the person would answer and be
    hung up at once. The far end rings 3 s before it answers: the channel must be gone before
    that, never answered, no session."""
    ensure_contexts(asterisk, "collectbot-amd", "sim-ring-answer")
    originator = AriOriginator(
        rig.ari, rig.app.watchers, SystemClock(), app=APP, max_call_s=30.0,
        endpoint_for=lambda r: "Local/s@sim-ring-answer/n", amd="asterisk",
        amd_context="collectbot-amd",
    )  # fmt: skip
    rig.transport.faults = [Fault("POST", "/channels", "late", late_s=7.0)]
    request = _request()
    placing = asyncio.create_task(originator.place(request))
    loop = asyncio.get_running_loop()
    while not rig.transport.late:
        assert not placing.done(), "the fault was never injected"
        await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*rig.transport.late), 15)  # carried out now
    carried_at = loop.time()
    states = await _states_until_gone(rig.ari, request.attempt_id, within=20.0)
    rang_s = loop.time() - carried_at
    result = await asyncio.wait_for(placing, 45)
    print(f"given-up AMD channel: states {states}, gone {rang_s:.2f} s after it was made")
    assert result.outcome is CallOutcome.FAILED
    assert result.detail["reason"] == "originate_timed_out"
    assert "Up" not in states, f"the person answered a call the dialer had given up: {states}"
    assert rang_s < 3.0  # before the far end answers
    assert await _gone(rig.ari, request.attempt_id)
    assert rig.sessions == []
    assert rig.results == []
