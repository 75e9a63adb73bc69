"""An ARI request of a call that times out leaves no channel or bridge in Asterisk.

The soak at load 18 left 4 channels after its drain, each a caller leg whose hang-up
(``DELETE /channels/<id>``) had timed out and was never carried out: the simulated debtor was
still on the line minutes later, and nothing in the bot tried again. Here the real sandbox
Asterisk and a real ``IvrApp`` run one call each; the bot's ARI client makes one kind of request
time out (``ari_faults``: lost, or carried out after the timeout) and, after the call, nothing of
it may be left: ``GET /channels`` and ``GET /bridges`` hold none of the call's legs or bridges.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import pytest
from ari_faults import Fault, FaultyTransport, faulty_client
from ivr_sandbox_fixtures import Harness, asterisk, harness

from asr.fake import FakeRecognizer
from core.clock import SystemClock
from core.dialogue import CallAnswered, DialogueCommand, DialogueEvent, Hangup, Outcome, Say
from ivr.ari import Channel
from ivr.calls import CallResult, Conversation
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.fake import FakeSynthesizer

__all__ = ["asterisk", "harness"]

IVR_APP = "collectbot-ivr-faults"
TIMEOUT_S = 1.0  # the bot's ARI request timeout here (5 s in production)


class Greets:
    """Says one line and hangs up (the policy is not what is tested)."""

    def understand(self, text: str, lang: str) -> object:
        raise AssertionError("nobody speaks in these calls")

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [Say("hello", "greeting", "en"), Hangup(Outcome.REFUSED)]
        return []


@dataclass
class Bot:
    transport: FaultyTransport
    results: list[CallResult] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    async def result(self, within: float = 60.0) -> CallResult:
        await asyncio.wait_for(self.done.wait(), within)
        return self.results[0]


@pytest.fixture
async def bot(asterisk: AriSettings) -> AsyncIterator[Bot]:
    settings = asterisk.model_copy(update={"app": IVR_APP, "request_timeout_s": TIMEOUT_S})
    ivr = IvrSettings(no_input_s=3.0, max_call_s=60.0, record_calls=False)
    run = Bot(FaultyTransport())
    async with faulty_client(settings, run.transport) as ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            conversation: Conversation = Greets()  # type: ignore[assignment]
            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=conversation,
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(), clock=SystemClock(),
                settings=ivr, claim=claim,
            )  # fmt: skip

        async def on_result(result: CallResult) -> None:
            run.results.append(result)
            run.done.set()

        app = IvrApp(settings, ari, factory, on_result)
        task = asyncio.create_task(app.run())
        try:
            await asyncio.wait_for(app.ready.wait(), 10)
            yield run
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task


async def _left(harness: Harness, ids: set[str], *, within: float = 45.0) -> set[str]:
    """The call's channels and bridges Asterisk still has once ``within`` seconds passed (or
    none, as soon as none are left)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        channels = {c.id for c in await harness.ari.list_channels()}
        bridges = {b.id for b in await harness.ari.list_bridges()}
        left = ids & (channels | bridges)
        if not left or loop.time() > deadline:
            return left
        await asyncio.sleep(0.25)


CALLER = r"/channels/t-debtor-[0-9a-f]+"  # the harness's ids for the bot's side of a call
EM, BRIDGE = rf"{CALLER}-em", r"/bridges/t-debtor-[0-9a-f]+-br"


def _faults(kind: str) -> list[Fault]:
    return {
        # the caller's hang-up never reaches Asterisk, three times over (the session's own,
        # its clean-up's, the router's net's)
        "caller_hangup_lost": [Fault("DELETE", CALLER, "lost", times=3)],
        "media_hangup_lost": [Fault("DELETE", EM, "lost", times=3)],
        "external_media_late": [Fault("POST", "/channels/externalMedia", "late")],
        "external_media_lost": [Fault("POST", "/channels/externalMedia", "lost")],
        "bridge_late": [Fault("POST", "/bridges", "late")],
        "add_channel_lost": [Fault("POST", f"{BRIDGE}/addChannel", "lost")],
        "bridge_destroy_lost": [Fault("DELETE", BRIDGE, "lost", times=2)],
    }[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "caller_hangup_lost",
        "media_hangup_lost",
        "external_media_late",
        "external_media_lost",
        "bridge_late",
        "add_channel_lost",
        "bridge_destroy_lost",
    ],
)
async def test_a_request_that_times_out_leaves_nothing_in_asterisk(
    harness: Harness, bot: Bot, kind: str
) -> None:
    bot.transport.faults = _faults(kind)
    caller, sim = await harness.simulated_call(bot_app=IVR_APP)
    result = await bot.result()
    assert bot.transport.faults[0].hit >= 1, "the fault was never injected"
    assert result.call_id == caller
    ids = {caller, sim, f"{caller}-em", f"{caller}-br"}
    assert await _left(harness, ids) == set()
