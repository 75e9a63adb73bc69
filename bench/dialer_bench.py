"""Dialer benchmark: sustained ARI originate rate against the sandbox Asterisk, and the
strategy planner's time for 100,000 cases.

    flock /tmp/collectbot-sandbox.lock .venv/bin/python bench/dialer_bench.py [--calls 2000]

Originates go to ``Local/s@answer-hangup/n`` (answers and hangs up at once) into a throwaway
Stasis app, with a bounded number of originate requests in flight; the rate counts originates
Asterisk accepted, and every call is followed to its ``ChannelDestroyed`` (none may be lost).
Starts the sandbox if it is not running (and stops it again afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime

from plan_bench import synthetic

from core.logging import configure_logging
from ivr.ari import AriClient, AriEvent, AriEventStream, OrderedDispatcher
from ivr.settings import AriSettings
from scoring.strategy import load_strategy, plan
from simulation.sandbox import ensure_running, status, stop
from simulation.sandbox.settings import SandboxSettings

APP = "collectbot-dialer-bench"
ENDPOINT = "Local/s@answer-hangup/n"


class Tracker:
    """Counts StasisStart/ChannelDestroyed of our channels; ``all_ended`` when none is left."""

    def __init__(self) -> None:
        self.started: set[str] = set()
        self.pending: dict[str, float] = {}  # channel id -> originate time
        self.lifetimes: list[float] = []
        self.changed = asyncio.Event()

    async def on_event(self, event: AriEvent) -> None:
        channel_id = event.channel_id
        if channel_id is None:
            return
        if event.type == "StasisStart":
            self.started.add(channel_id)
        elif event.type == "ChannelDestroyed" and channel_id in self.pending:
            self.lifetimes.append(time.perf_counter() - self.pending.pop(channel_id))
            self.changed.set()


async def _originate_all(
    ari: AriClient, tracker: Tracker, calls: int, in_flight: int
) -> tuple[float, int]:
    slots = asyncio.Semaphore(in_flight)
    failures: list[str] = []

    async def one(i: int) -> None:
        channel_id = f"att_{uuid.uuid4().hex}"  # fixed length, like the dialer's attempt ids
        async with slots:
            tracker.pending[channel_id] = time.perf_counter()
            try:
                await ari.originate(ENDPOINT, app=APP, channel_id=channel_id, timeout_s=15)
            except Exception as e:  # a refused originate is a figure, not a crash
                tracker.pending.pop(channel_id, None)
                failures.append(repr(e))

    started = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        for i in range(calls):
            tg.create_task(one(i))
    took = time.perf_counter() - started
    if failures:
        print(f"refused originates: {len(failures)} (first: {failures[0]})")
    return took, len(failures)


async def originate_rate(settings: AriSettings, calls: int, in_flight: int) -> None:
    tracker = Tracker()
    async with (
        AriClient(settings) as ari,
        OrderedDispatcher(tracker.on_event) as dispatcher,
        asyncio.TaskGroup() as tg,
    ):
        stream = AriEventStream(settings, ari, dispatcher.submit)
        events = tg.create_task(stream.run())
        await asyncio.wait_for(stream.connected.wait(), 10)
        await _originate_all(ari, tracker, min(50, calls), in_flight)  # warm-up
        await _drain(tracker, 30)
        tracker.started.clear()
        tracker.lifetimes.clear()
        took, refused = await _originate_all(ari, tracker, calls, in_flight)
        accepted = calls - refused
        drained = await _drain(tracker, 60)
        events.cancel()
    ended = len(tracker.lifetimes)
    life = sorted(tracker.lifetimes)
    print(f"originates: {calls} in {took:.2f} s, {in_flight} in flight")
    rate = accepted / took
    print(f"sustained originate rate: {rate:,.0f} originates/s accepted ({refused} refused)")
    print(
        f"calls ended: {ended}/{calls} (all ended {drained:.2f} s after the last originate); "
        f"StasisStart seen: {len(tracker.started)}"
    )
    if life:
        p95 = life[int(0.95 * (len(life) - 1))]
        print(
            f"originate -> destroyed: median {statistics.median(life) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {life[-1] * 1000:.1f} ms"
        )
    if tracker.pending:
        print(f"LOST: {len(tracker.pending)} calls never ended")


async def _drain(tracker: Tracker, within: float) -> float:
    started = time.perf_counter()
    async with asyncio.timeout(within):
        while tracker.pending:
            tracker.changed.clear()
            await tracker.changed.wait()
    return time.perf_counter() - started


def planning_time(n: int) -> None:
    now = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    strategy = load_strategy()
    frame = synthetic(n, now)
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = plan(frame, strategy, now)
        timings.append(time.perf_counter() - t0)
    print(
        f"planning {n:,} cases: best {min(timings):.2f} s, median "
        f"{statistics.median(timings):.2f} s of 3 ({n / min(timings):,.0f} cases/s); "
        f"calls planned: {(out['channel'] == 'call').sum():,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=32)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    configure_logging(level="WARNING", stream=sys.stderr)
    sandbox, ari = SandboxSettings(), AriSettings()
    was_running = status(sandbox, ari).running
    ensure_running(sandbox, ari)
    try:
        asyncio.run(originate_rate(ari.model_copy(update={"app": APP}), args.calls, args.in_flight))
    finally:
        if not was_running:
            stop(sandbox)
    planning_time(args.cases)


if __name__ == "__main__":
    main()
