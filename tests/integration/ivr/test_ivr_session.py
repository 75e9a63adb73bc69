"""Call sessions end to end through the real sandbox Asterisk, with real espeak-ng speech and
real Whisper recognition: the ``IvrApp`` answers the debtor leg (Stasis app ``collectbot-ivr``)
while a simulated debtor on the other half of the Local channel listens and speaks over RTP.
The dialogue policy is scripted here (the NLU/policy has its own tests)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pytest
from ivr_sandbox_fixtures import Harness, MediaLeg, asterisk, harness
from structlog.testing import capture_logs

from asr.whisper import WhisperRecognizer
from core.clock import SystemClock
from core.dialogue import (
    AskDTMF,
    BargedIn,
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Lang,
    Outcome,
    Parse,
    RecordPromise,
    Say,
    ScheduleCallback,
    TransferToAgent,
    UtteranceHeard,
)
from core.money import Money
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult, Conversation, TransferStarted
from ivr.conversation import PolicyConversation
from ivr.errors import AriError
from ivr.media.audio import rms
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from nlu.policy import demo_case
from simulation.simulator import SimulatedDebtor
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer

__all__ = ["asterisk", "harness"]

IVR_APP = "collectbot-ivr"
LONG = (
    "Hello, this is the collections department of Example Bank calling about your loan "
    "account. Before we continue, please listen carefully to the following information, "
    "because it concerns the balance that is now overdue on your account."
)
Script = Callable[[DialogueEvent], Sequence[DialogueCommand]]


class ScriptedConversation:
    """A stand-in for NLU + policy: any words are a promise; replies come from ``script``."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.events: list[DialogueEvent] = []

    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("promise_to_pay", 0.9)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        self.events.append(event)
        return self.script(event)


@dataclass
class IvrRun:
    app: IvrApp
    script: list[Script]
    results: list[CallResult] = field(default_factory=list)
    published: list[TransferStarted] = field(default_factory=list)
    conversations: list[ScriptedConversation] = field(default_factory=list)
    real: list[PolicyConversation] = field(default_factory=list)  # when set: used instead
    done: asyncio.Event = field(default_factory=asyncio.Event)
    transferred: asyncio.Event = field(default_factory=asyncio.Event)

    async def result(self, within: float = 30.0) -> CallResult:
        await asyncio.wait_for(self.done.wait(), within)
        return self.results[0]


@pytest.fixture(scope="session")
def whisper() -> WhisperRecognizer:
    recognizer = WhisperRecognizer()
    asyncio.run(recognizer.warm_up())
    return recognizer


@pytest.fixture(scope="session")
def espeak() -> EspeakSynthesizer:
    return EspeakSynthesizer()


@pytest.fixture
async def ivr(
    asterisk: AriSettings, whisper: WhisperRecognizer, espeak: EspeakSynthesizer
) -> AsyncIterator[IvrRun]:
    settings = asterisk.model_copy(update={"app": IVR_APP})
    ivr_settings = IvrSettings(no_input_s=6.0, max_call_s=120.0, agent_answer_timeout_s=5.0)
    async with AriClient(settings) as ari:
        box: list[IvrRun] = []

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            run = box[0]
            conversation: Conversation
            if run.real:
                conversation = run.real.pop(0)
            else:
                conversation = ScriptedConversation(run.script[0])
                run.conversations.append(conversation)

            async def publish(event: TransferStarted) -> None:
                run.published.append(event)
                run.transferred.set()

            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=conversation, recognizer=whisper,
                synthesizer=espeak, clock=SystemClock(), settings=ivr_settings, claim=claim,
                publish=publish,
            )  # fmt: skip

        async def on_result(result: CallResult) -> None:
            box[0].results.append(result)
            box[0].done.set()

        app = IvrApp(settings, ari, factory, on_result)
        box.append(IvrRun(app, [lambda e: []]))
        task = asyncio.create_task(app.run())
        try:
            await asyncio.wait_for(app.ready.wait(), 10)
            yield box[0]
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            for result in box[0].results:
                if result.recording:
                    with contextlib.suppress(AriError):
                        await ari.delete_stored_recording(result.recording)


async def _debtor(
    harness: Harness,
) -> tuple[str, str, MediaLeg, SimulatedDebtor, asyncio.Task[None]]:
    debtor, sim = await harness.simulated_call(bot_app=IVR_APP)
    person = await harness.media_leg(sim)
    simulated = SimulatedDebtor(person.endpoint, person.sender)
    listener = asyncio.create_task(simulated.listen())
    return debtor, sim, person, simulated, listener


async def _line(espeak: EspeakSynthesizer, text: str) -> bytes:
    return await espeak.synthesize(text, "en", 8000)


async def test_promise_call_with_speech_both_ways(
    harness: Harness, ivr: IvrRun, espeak: EspeakSynthesizer
) -> None:
    def script(event: DialogueEvent) -> Sequence[DialogueCommand]:
        match event:
            case CallAnswered():
                return [Say("Hello, this is Example Bank. When can you pay?", "greet", "en")]
            case UtteranceHeard():
                return [
                    Say("Thank you. Goodbye.", "bye", "en"),
                    RecordPromise(Money.of("200", "USD"), date(2026, 12, 4)),
                    Hangup(Outcome.PROMISE_TO_PAY),
                ]
        return []

    ivr.script[0] = script
    debtor, _sim, _person, simulated, listener = await _debtor(harness)
    await simulated.wait_turn_end()
    said = await simulated.say(await _line(espeak, "I can pay two hundred dollars on Friday."))
    result = await ivr.result()
    listener.cancel()

    assert result.outcome == Outcome.PROMISE_TO_PAY
    assert RecordPromise(Money.of("200", "USD"), date(2026, 12, 4)) in result.records
    debtor_lines = [line.text.lower() for line in result.transcript if line.speaker == "debtor"]
    print("heard:", debtor_lines, "timings:", result.timings)
    assert len(debtor_lines) == 1
    assert "pay" in debtor_lines[0] or "friday" in debtor_lines[0]
    reply = simulated.first_loud_after(said.ended_at)
    assert reply is not None
    print(f"voice-to-voice (line sent -> reply heard): {(reply - said.ended_at) * 1000:.0f} ms")
    assert [t.first_audio_ms is not None for t in result.timings] == [True]

    assert result.recording is not None
    harness.recordings.append(result.recording)
    rate, pcm = await harness.download_wav(result.recording)
    assert rate == 8000
    assert rms(pcm) > 100
    assert await harness.bridge_gone(f"{debtor}-br")
    assert await harness.channel_gone(f"{debtor}-em")


async def test_barge_in_stops_the_prompt_and_the_policy_sees_it(
    harness: Harness, ivr: IvrRun, espeak: EspeakSynthesizer
) -> None:
    def script(event: DialogueEvent) -> Sequence[DialogueCommand]:
        match event:
            case CallAnswered():
                return [Say(LONG, "long", "en"), Say("This must not be said.", "more", "en")]
            case UtteranceHeard():
                return [Hangup(Outcome.REFUSED)]
        return []

    ivr.script[0] = script
    _debtor_id, _sim, _person, simulated, listener = await _debtor(harness)
    await simulated.wait_first_loud()
    await asyncio.sleep(1.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await simulated.say(await _line(espeak, "Stop. I do not want to talk to you."))
    result = await ivr.result()
    listener.cancel()

    bot_after = simulated.loud_times(after=started)
    stopped_after = (bot_after[-1] - started) if bot_after else 0.0
    print(f"barge-in: bot audio stopped {stopped_after * 1000:.0f} ms after the debtor began")
    assert stopped_after < 0.5
    events = ivr.conversations[0].events
    kinds = [type(e).__name__ for e in events]
    assert BargedIn("long") in events
    assert kinds.index("BargedIn") < kinds.index("UtteranceHeard")
    assert result.outcome == Outcome.REFUSED
    assert not any(line.text.startswith("This must not") for line in result.transcript)


async def test_dtmf_reaches_the_policy_even_after_a_websocket_drop(
    harness: Harness, ivr: IvrRun
) -> None:
    def script(event: DialogueEvent) -> Sequence[DialogueCommand]:
        match event:
            case CallAnswered():
                return [Say("Press one to be called back.", "menu", "en"), AskDTMF("menu", 1)]
            case DtmfReceived(digits="1"):
                return [ScheduleCallback(None, "dtmf 1"), Hangup(Outcome.CALLBACK_SCHEDULED)]
        return []

    ivr.script[0] = script
    _debtor_id, sim, _person, simulated, listener = await _debtor(harness)
    await simulated.wait_turn_end()
    assert ivr.app.stream is not None
    await ivr.app.stream.drop()
    await asyncio.sleep(0.05)
    await asyncio.wait_for(ivr.app.stream.connected.wait(), 5)
    await harness.ari.send_dtmf(sim, "1")
    result = await ivr.result()
    listener.cancel()
    assert ivr.app.stream.connections == 2
    assert DtmfReceived("1") in ivr.conversations[0].events
    assert result.outcome == Outcome.CALLBACK_SCHEDULED
    assert ScheduleCallback(None, "dtmf 1") in result.records


async def test_transfer_bridges_debtor_and_agent_and_publishes(
    harness: Harness, ivr: IvrRun
) -> None:
    def script(event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [
                Say("Let me put you through to a colleague.", "xfer", "en"),
                TransferToAgent("request_agent", "debtor asked for a person"),
            ]
        return []

    ivr.script[0] = script
    debtor, sim, _person, simulated, listener = await _debtor(harness)
    await asyncio.wait_for(ivr.transferred.wait(), 15)
    event = ivr.published[0]
    bridge = await harness.ari.get_bridge(f"{debtor}-br")
    assert set(bridge.channels) == {debtor, event.agent_channel_id}
    assert event.call_id == debtor
    assert [line.text for line in event.transcript] == ["Let me put you through to a colleague."]
    mark = asyncio.get_running_loop().time()
    await asyncio.sleep(2.0)  # the agent answers, waits 0.5 s, plays a prompt
    assert simulated.loud_times(after=mark)

    await harness.ari.hangup(sim)
    result = await ivr.result()
    listener.cancel()
    assert result.outcome == Outcome.TRANSFERRED
    assert await harness.channel_gone(event.agent_channel_id)
    assert await harness.channel_gone(f"{debtor}-em")


async def test_caller_hang_up_mid_prompt_ends_the_session_cleanly(
    harness: Harness, ivr: IvrRun
) -> None:
    def script(event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [Say(LONG, "long", "en", interruptible=False)]
        return []

    ivr.script[0] = script
    debtor, sim, _person, simulated, listener = await _debtor(harness)
    await simulated.wait_first_loud()
    loop = asyncio.get_running_loop()
    hung_up = loop.time()
    await harness.ari.hangup(sim)
    result = await ivr.result()
    ended = loop.time() - hung_up
    listener.cancel()
    assert ended < 1.5
    assert result.outcome == Outcome.HUNG_UP
    assert result.end_reason == "caller_hung_up"
    assert await harness.bridge_gone(f"{debtor}-br")


@pytest.mark.parametrize("after_ms", [0, 10, 25, 50, 100])
async def test_caller_hang_up_during_media_set_up_is_a_hang_up_not_an_error(
    harness: Harness, ivr: IvrRun, after_ms: int
) -> None:
    """The debtor hangs up while the session is still opening its ExternalMedia channel,
    bridge and recording (a far end that answers and drops at once): whatever step the
    hang-up lands in, the call ends as ``caller_hung_up`` with nothing left behind."""
    ivr.script[0] = lambda e: [Say(LONG, "long", "en")] if isinstance(e, CallAnswered) else []
    with capture_logs() as logs:
        debtor, sim = await harness.simulated_call(bot_app=IVR_APP)
        await asyncio.sleep(after_ms / 1000)
        await harness.ari.hangup(sim)
        result = await ivr.result()
    assert [e for e in logs if e["event"] == "ivr.call_failed"] == []
    assert result.outcome == Outcome.HUNG_UP
    assert result.end_reason == "caller_hung_up"
    assert await harness.channel_gone(f"{debtor}-em")
    assert await harness.bridge_gone(f"{debtor}-br")


async def test_agent_hang_up_after_transfer_ends_the_call(harness: Harness, ivr: IvrRun) -> None:
    def script(event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [TransferToAgent("request_agent", "")]
        return []

    ivr.script[0] = script
    debtor, _sim, _person, _simulated, listener = await _debtor(harness)
    await asyncio.wait_for(ivr.transferred.wait(), 15)
    await harness.ari.hangup(ivr.published[0].agent_channel_id)
    result = await ivr.result()
    listener.cancel()
    assert result.outcome == Outcome.TRANSFERRED
    assert result.end_reason == "agent_hung_up"
    assert await harness.channel_gone(debtor)
    assert await harness.bridge_gone(f"{debtor}-br")


async def test_promise_to_pay_with_the_real_policy_records_amount_and_date(
    harness: Harness, ivr: IvrRun
) -> None:
    """The demo case (John Smith, 1,250 USD) with the real NLU and policy: verify name and
    birth year, decline the full amount, promise 300 on Friday, confirm. The debtor speaks
    with the Piper voice. Sunday 2026-11-29 makes Friday 2026-12-04."""
    piper = PiperSynthesizer()
    ivr.real.append(PolicyConversation(demo_case("en"), date(2026, 11, 29)))
    lines = ["Yes, speaking.", "I was born in nineteen eighty-five.", "No, I cannot pay all of it.",
             "I can pay three hundred dollars on Friday.", "Yes, that is correct."]  # fmt: skip
    _debtor_id, _sim, _person, simulated, listener = await _debtor(harness)
    after = 0.0
    for text in lines:
        with contextlib.suppress(TimeoutError):  # a missed turn shows in the transcript below
            await simulated.wait_turn_end(after=after, silence_ms=1200, within=45)
        after = (await simulated.say(await piper.synthesize(text, "en", 8000))).ended_at
    result = await ivr.result(within=130)
    listener.cancel()
    print([(line.speaker, line.text) for line in result.transcript])
    assert RecordPromise(Money.of("300", "USD"), date(2026, 12, 4)) in result.records
    assert result.outcome == Outcome.PROMISE_TO_PAY
    assert not any("1,250" in line.text for line in result.transcript[:3])  # not before verified
