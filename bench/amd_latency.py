"""Answering-machine detection on the sandbox Asterisk: what Asterisk's AMD costs the greeting,
and what it decides for a person and for a voicemail.

    flock /tmp/collectbot-sandbox.lock .venv/bin/python bench/amd_latency.py [--calls 10]

Each far end answers at once. "direct" originates into the Stasis app (what DIALER_AMD=off or
heuristic does): the bot may speak as soon as StasisStart arrives. "amd" originates into the
[collectbot-amd] context (DIALER_AMD=asterisk): StasisStart arrives only once AMD() has
decided (and, for a machine, the greeting and beep are over). Printed: originate -> StasisStart
(median, p90, max) and the verdicts. Far ends: [sim-human] says "hello" (0.8 s) then stays
silent; [sim-machine] waits 1.5 s, then a 8.9 s greeting and a beep.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration" / "dialer"))

from amd_sandbox import ensure_amd_dialplan

from core.logging import configure_logging
from ivr.ari import AriClient, AriEvent, AriEventStream, OrderedDispatcher
from ivr.settings import AriSettings
from ivr.stasis_args import StasisArgs
from simulation.sandbox import ensure_running, status, stop
from simulation.sandbox.settings import SandboxSettings

APP = "collectbot-amd-bench"


class Starts:
    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[tuple[float, tuple[str, ...]]]] = {}

    async def on_event(self, event: AriEvent) -> None:
        future = self.waiting.get(event.channel_id or "")
        if event.type == "StasisStart" and future is not None and not future.done():
            future.set_result((time.perf_counter(), event.args))


async def one_call(
    ari: AriClient, starts: Starts, far_end: str, via_amd: bool
) -> tuple[float, str]:
    channel_id = f"amdb-{uuid.uuid4().hex[:12]}"
    future: asyncio.Future[tuple[float, tuple[str, ...]]] = (
        asyncio.get_running_loop().create_future()
    )
    starts.waiting[channel_id] = future
    t0 = time.perf_counter()
    if via_amd:
        await ari.originate(
            f"Local/s@{far_end}/n",
            dialplan=("collectbot-amd", "s", 1),
            channel_id=channel_id,
            variables={"COLLECTBOT_APP": APP, "COLLECTBOT_CASE": "c1", "COLLECTBOT_LANG": "en"},
        )
    else:
        await ari.originate(
            f"Local/s@{far_end}/n",
            app=APP,
            app_args=StasisArgs.outbound("c1", "en").format(),
            channel_id=channel_id,
        )
    at, args = await asyncio.wait_for(future, 40)
    await ari.hangup(channel_id)
    del starts.waiting[channel_id]
    call = StasisArgs.parse(args)
    verdict = f"{call.amd}:{call.amd_cause}" if call and call.amd else "-"
    return at - t0, verdict


async def run(settings: AriSettings, calls: int) -> None:
    starts = Starts()
    async with (
        AriClient(settings) as ari,
        OrderedDispatcher(starts.on_event) as dispatcher,
        asyncio.TaskGroup() as tg,
    ):
        stream = AriEventStream(settings, ari, dispatcher.submit)
        events = tg.create_task(stream.run())
        await asyncio.wait_for(stream.connected.wait(), 10)
        for far_end in ("sim-human", "sim-machine"):
            for via_amd in (False, True):
                runs = [await one_call(ari, starts, far_end, via_amd) for _ in range(calls)]
                ms = sorted(t * 1000 for t, _ in runs)
                verdicts = Counter(v.split(":")[0] for _, v in runs)
                print(
                    f"{far_end:12} {'amd' if via_amd else 'direct':6} originate->StasisStart ms:"
                    f" median {statistics.median(ms):7.0f}  p90 {ms[int(0.9 * (len(ms) - 1))]:7.0f}"
                    f"  max {ms[-1]:7.0f}  verdicts {dict(verdicts)}",
                    flush=True,
                )
        events.cancel()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    configure_logging(level="WARNING", stream=sys.stderr)
    sandbox, ari = SandboxSettings(), AriSettings()
    was_running = status(sandbox, ari).running
    ensure_running(sandbox, ari)
    try:
        ensure_amd_dialplan(ari)
        asyncio.run(run(ari.model_copy(update={"app": APP}), args.calls))
    finally:
        if not was_running:
            stop(sandbox)


if __name__ == "__main__":
    main()
