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
from simulation.simulator import SimulatedDebtor

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
                return [Say(GREETING, "state_debt#0", "en")]
            case UtteranceHeard():
                self.heard += 1
                if self.heard < self.turns:
                    return [Say(REPLY, "ask_promise_amount#0", "en")]
                return [Say(BYE, "promise_thanks#0", "en"), Hangup(Outcome.PROMISE_TO_PAY)]
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

    def __init__(self, ari_settings: AriSettings, turns: int, tts: str, levers: str = "") -> None:
        self.sim_settings = ari_settings
        self.turns, self.tts, self.levers = turns, tts, levers
        self._waiters: dict[str, asyncio.Future[AriEvent]] = {}
        self._results: dict[str, asyncio.Future[dict[str, object]]] = {}
        self.bot_pid: int | None = None

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
            future = self._results.get(str(result["channel_id"]))
            if future is not None and not future.done():
                future.set_result(result)

    async def run(self, body: Callable[[Rig], Awaitable[None]]) -> None:
        """Start the bot process and the simulators' ARI connection, run ``body``, tear down."""
        worker = Path(__file__).with_name("ivr_bot_worker.py")
        cmd = [sys.executable, str(worker), "--turns", str(self.turns), "--tts", self.tts,
               "--levers", self.levers]  # fmt: skip
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
        try:
            after = 0.0
            for line in lines:
                await debtor_sim.wait_turn_end(after=after, silence_ms=700, within=120)
                said = await debtor_sim.say(line)
                reply = await debtor_sim.wait_first_loud(after=said.ended_at, within=120)
                stats.voice_to_voice_ms.append((reply - said.ended_at) * 1000)
                after = said.ended_at
            stats.result = await asyncio.wait_for(self._results[debtor], 120)
            stats.duration_s = time.monotonic() - started
        finally:
            listener.cancel()
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
    return [
        f"  v2v_ms p50 {percentile(v2v, 50):.0f}  p95 {percentile(v2v, 95):.0f}"
        f"  ({len(v2v)} turns, {len(calls)} calls, {minutes:.1f} call-minutes, {wall_s:.0f} s)",
        f"  bot CPU-s per call-minute {per_min:.2f}; CPU-s bot {cpu['bot']:.1f}, far end "
        f"{cpu['far_end']:.1f}, asterisk {cpu['asterisk']:.1f}",
        f"  turn ends from meaning {sum(c.count('early_ends') for c in calls)}, long waits "
        f"{sum(c.count('long_waits') for c in calls)}, cut-offs {sum(c.cut_offs for c in calls)}; "
        f"early decodes {sum(c.count('early_decodes') for c in calls)}, dropped "
        f"{sum(c.count('dropped_decodes') for c in calls)}",
        "  bot loop lag ms p95 (worst call) "
        f"{max((x[1] for x in lag), default=float('nan')):.1f}, max "
        f"{max((x[2] for x in lag), default=float('nan')):.1f}",
    ]


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
