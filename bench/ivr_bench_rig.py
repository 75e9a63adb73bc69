"""Shared rig for the IVR benchmarks: the sandbox Asterisk, an ``IvrApp`` answering calls with
real TTS and ASR, and simulated debtors on the far legs, all driven over ARI.

Each call: the bot greets, the debtor says a line after the bot's turn ends, the bot answers
(a short question) until the debtor's lines are used up, then says goodbye and hangs up.
voice-to-voice = the debtor's line has been sent -> the bot's first audio reaches the debtor.
processing = the session's own VAD end-of-turn -> first reply frame sent (ASR + policy + TTS).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from asr.base import Recognizer
from core.clock import SystemClock
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Lang,
    Outcome,
    Parse,
    Say,
    UtteranceHeard,
)
from ivr.ari import AriClient, AriEvent, AriEventStream, Channel, OrderedDispatcher
from ivr.calls import CallResult
from ivr.errors import AriError
from ivr.media import open_rtp_endpoint
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from ivr.simulator import SimulatedDebtor
from tts.base import Synthesizer

IVR_APP = "collectbot-ivr-bench"
GREETING = "Hello, this is Example Bank calling about your loan. When can you pay?"
REPLY = "I see. How much could you pay this week?"
BYE = "Thank you. Goodbye."
LINES = (
    "I can pay two hundred dollars on Friday.",
    "I get paid at the end of the month.",
    "Maybe fifty dollars next week.",
    "Can I pay in two parts?",
    "I already paid last Tuesday.",
    "Please call me back tomorrow.",
)


class BenchConversation:
    def __init__(self, turns: int) -> None:
        self.turns, self.heard = turns, 0

    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("promise_to_pay", 0.9)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        match event:
            case CallAnswered():
                return [Say(GREETING, "greet", "en")]
            case UtteranceHeard():
                self.heard += 1
                if self.heard < self.turns:
                    return [Say(REPLY, "ask", "en")]
                return [Say(BYE, "bye", "en"), Hangup(Outcome.PROMISE_TO_PAY)]
        return []


@dataclass
class CallStats:
    voice_to_voice_ms: list[float] = field(default_factory=list)
    result: CallResult | None = None

    @property
    def processing_ms(self) -> list[float]:
        timings = self.result.timings if self.result else []
        return [t.first_audio_ms for t in timings if t.first_audio_ms is not None]


class Rig:
    def __init__(
        self,
        ari_settings: AriSettings,
        recognizer: Recognizer,
        synthesizer: Synthesizer,
        turns: int,
    ) -> None:
        self.sim_settings = ari_settings
        self.bot_settings = ari_settings.model_copy(update={"app": IVR_APP})
        self.recognizer, self.synthesizer, self.turns = recognizer, synthesizer, turns
        self._waiters: dict[str, asyncio.Future[AriEvent]] = {}
        self._results: dict[str, asyncio.Future[CallResult]] = {}

    async def _sim_event(self, event: AriEvent) -> None:
        waiter = self._waiters.get(f"{event.type}:{event.channel_id}")
        if waiter is not None and not waiter.done():
            waiter.set_result(event)

    def _expect(self, kind: str, channel_id: str) -> asyncio.Future[AriEvent]:
        future: asyncio.Future[AriEvent] = asyncio.get_running_loop().create_future()
        self._waiters[f"{kind}:{channel_id}"] = future
        return future

    def _factory(
        self, ari: AriClient
    ) -> Callable[[Channel, tuple[str, ...], Callable[[str], None]], CallSession]:
        settings = IvrSettings(no_input_s=10.0, max_call_s=300.0)

        def make(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            return CallSession(
                ari=ari, channel_id=channel.id, conversation=BenchConversation(self.turns),
                recognizer=self.recognizer, synthesizer=self.synthesizer, clock=SystemClock(),
                settings=settings, claim=claim,
            )  # fmt: skip

        return make

    async def _on_result(self, result: CallResult) -> None:
        future = self._results.get(result.channel_id)
        if future is not None and not future.done():
            future.set_result(result)

    async def run(self, body: Callable[[Rig], object]) -> None:
        """Start both ARI connections, run ``await body(self)``, tear down."""
        async with (
            AriClient(self.sim_settings) as sim_ari,
            AriClient(self.bot_settings) as bot_ari,
            OrderedDispatcher(self._sim_event) as dispatcher,
            asyncio.TaskGroup() as tg,
        ):
            self.sim_ari = sim_ari
            stream = AriEventStream(self.sim_settings, sim_ari, dispatcher.submit)
            app = IvrApp(self.bot_settings, bot_ari, self._factory(bot_ari), self._on_result)
            tasks = [tg.create_task(stream.run()), tg.create_task(app.run())]
            await asyncio.wait_for(stream.connected.wait(), 10)
            await asyncio.wait_for(app.ready.wait(), 10)
            try:
                await body(self)  # type: ignore[misc]
            finally:
                for task in tasks:
                    task.cancel()

    async def call(self, lines: Sequence[bytes]) -> CallStats:
        """One call; returns its per-turn figures."""
        ari, tag = self.sim_ari, uuid.uuid4().hex[:10]
        debtor, sim, em_id = f"b-debtor-{tag}", f"b-sim-{tag}", f"b-em-{tag}"
        stats = CallStats()
        self._results[debtor] = asyncio.get_running_loop().create_future()
        sim_up = self._expect("StasisStart", sim)
        await ari.originate("Local/100@sim-debtor/n", app=IVR_APP, app_args=["outbound"],
                            channel_id=debtor, other_channel_id=sim)  # fmt: skip
        await asyncio.wait_for(sim_up, 10)
        await ari.answer(sim)
        endpoint = await open_rtp_endpoint()
        em_up = self._expect("StasisStart", em_id)
        em = await ari.external_media(endpoint.external_host, channel_id=em_id)
        await asyncio.wait_for(em_up, 10)
        bridge = await ari.create_bridge(bridge_id=f"b-br-{tag}")
        await ari.add_to_bridge(bridge.id, [sim, em_id])
        debtor_sim = SimulatedDebtor(endpoint, endpoint.sender(em.local_host, em.local_port))
        listener = asyncio.create_task(debtor_sim.listen())
        try:
            after = 0.0
            for line in lines:
                await debtor_sim.wait_turn_end(after=after, silence_ms=500, within=60)
                said = await debtor_sim.say(line)
                reply = await debtor_sim.wait_first_loud(after=said.ended_at, within=60)
                stats.voice_to_voice_ms.append((reply - said.ended_at) * 1000)
                after = said.ended_at
            stats.result = await asyncio.wait_for(self._results[debtor], 60)
        finally:
            listener.cancel()
            for channel_id in (em_id, sim, debtor):
                with contextlib.suppress(AriError):
                    await ari.hangup(channel_id)
            with contextlib.suppress(AriError):
                await ari.destroy_bridge(bridge.id)
            endpoint.close()
            if stats.result is not None and stats.result.recording:
                await asyncio.sleep(0.2)
                with contextlib.suppress(AriError):
                    await ari.delete_stored_recording(stats.result.recording)
        return stats


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
