"""The worker's periodic ``malloc_trim``: when it runs (an injected clock), that it waits for
a moment with no reply pending, skips when little is free, runs off the event loop and logs
the bytes given back; and glibc's own call on this machine."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest
import structlog

from core.clock import FixedClock
from dialer.memory_trim import (
    MB,
    Glibc,
    MemoryTrimmer,
    Step,
    Trimmed,
    TrimSchedule,
    memory_trimmer,
)
from dialer.settings import DialerSettings
from ivr.reply_window import ReplyWindows

AT = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)


def schedule(every_s: float = 300.0) -> TrimSchedule:
    return TrimSchedule(every_s, FixedClock(AT))


def later(s: TrimSchedule, seconds: float) -> None:
    assert isinstance(s.clock, FixedClock)
    s.clock.advance(timedelta(seconds=seconds))


def test_not_before_one_period_after_the_start_then_every_period() -> None:
    s = schedule(every_s=300)
    assert s.step(True) is Step.SLEEP
    later(s, 299.9)
    assert s.step(True) is Step.SLEEP
    later(s, 0.1)
    assert s.step(True) is Step.TRIM
    s.done()
    later(s, 150)
    assert s.step(True) is Step.SLEEP
    later(s, 150)
    assert s.step(True) is Step.TRIM


def test_a_due_trim_waits_while_a_reply_is_pending_and_runs_once_quiet() -> None:
    s = schedule(every_s=300)
    later(s, 300)
    assert s.step(False) is Step.WAIT
    assert s.sleep_s() == pytest.approx(0.2)  # looks again soon, not a period later
    later(s, 5)
    assert s.step(False) is Step.WAIT
    later(s, 0.2)
    assert s.step(True) is Step.TRIM
    s.done()  # the next period counts from the trim, not from when it fell due
    later(s, 299)
    assert s.step(True) is Step.SLEEP
    later(s, 1)
    assert s.step(True) is Step.TRIM


def test_busy_for_a_whole_period_skips_that_round() -> None:
    s = schedule(every_s=60)
    later(s, 60)
    assert s.step(False) is Step.WAIT
    later(s, 59.9)
    assert s.step(False) is Step.WAIT
    later(s, 0.1)
    assert s.step(False) is Step.SKIP
    assert s.step(True) is Step.SLEEP  # the next round is a period later
    later(s, 60)
    assert s.step(True) is Step.TRIM


def test_sleeps_until_due() -> None:
    s = schedule(every_s=300)
    assert s.sleep_s() == pytest.approx(300)
    later(s, 250)
    assert s.sleep_s() == pytest.approx(50)
    later(s, 60)
    assert s.sleep_s() == pytest.approx(0.2)


class FakeAllocator:
    def __init__(self, free: int) -> None:
        self.free = free
        self.threads: list[threading.Thread] = []
        self.asked: list[threading.Thread] = []

    def free_kept(self) -> int | None:
        return self.free

    def trim(self) -> Trimmed:
        self.threads.append(threading.current_thread())
        return Trimmed(1000 * MB, 850 * MB, 0.012)


async def test_the_trimmer_waits_for_quiet_trims_in_a_thread_and_logs_what_came_back() -> None:
    clock = FixedClock(AT)
    allocator = FakeAllocator(150 * MB)
    replies = ReplyWindows()
    replies.enter()  # a call waits for its reply's first audio
    trimmer = MemoryTrimmer(allocator, TrimSchedule(0.0, clock), replies, 32 * MB)
    with structlog.testing.capture_logs() as logs:
        task = asyncio.create_task(trimmer.run())
        await asyncio.sleep(0.5)
        assert trimmer.trims == 0  # a reply pending: no trim
        replies.leave()
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert trimmer.trims >= 1
    assert all(t is not threading.main_thread() for t in allocator.threads)
    skipped = [e for e in logs if e["event"] == "worker.malloc_trim_skipped"]
    assert skipped  # busy for a whole (here: zero-length) period: that round is skipped
    assert {e["replies_pending"] for e in skipped} == {1}
    [first, *_] = [e for e in logs if e["event"] == "worker.malloc_trimmed"]
    assert first["returned_mb"] == 150.0
    assert (first["rss_before_mb"], first["rss_after_mb"]) == (1000.0, 850.0)
    assert (first["free_kept_mb"], first["trim_ms"], first["turns_ended_during"]) == (150, 12, 0)


@pytest.mark.parametrize(("free_mb", "trims"), [(31.9, 0), (32.0, 1), (None, 1)])
async def test_too_little_free_is_not_trimmed_and_an_allocator_that_cannot_tell_is(
    free_mb: float | None, trims: int
) -> None:
    class Telling(FakeAllocator):
        def free_kept(self) -> int | None:
            self.asked.append(threading.current_thread())
            return None if free_mb is None else int(free_mb * MB)

    allocator = Telling(0)
    due = TrimSchedule(60.0, FixedClock(AT), last=-60.0)  # due at once
    trimmer = MemoryTrimmer(allocator, due, ReplyWindows(), 32 * MB)
    with structlog.testing.capture_logs() as logs:
        task = asyncio.create_task(trimmer.run())
        await until_logged(logs)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert trimmer.trims == trims
    assert allocator.asked
    assert all(t is not threading.main_thread() for t in allocator.asked)  # mallinfo2: a thread
    skipped = [e for e in logs if e["event"] == "worker.malloc_trim_skipped"]
    assert len(skipped) == 1 - trims
    if skipped:
        assert skipped[0]["free_kept_mb"] == 31.9


async def until_logged(logs: Sequence[Mapping[str, object]]) -> None:
    async with asyncio.timeout(3):
        while not any(str(e["event"]).startswith("worker.malloc_trim") for e in logs):  # noqa: ASYNC110 - the log has no event to wait on
            await asyncio.sleep(0.01)


async def test_a_failing_trim_is_logged_and_the_trimmer_goes_on() -> None:
    class Broken(FakeAllocator):
        def trim(self) -> Trimmed:
            raise OSError("no")

    schedule = TrimSchedule(0.0, FixedClock(AT))
    trimmer = MemoryTrimmer(Broken(100 * MB), schedule, ReplyWindows(), 0)
    with structlog.testing.capture_logs() as logs:
        task = asyncio.create_task(trimmer.run())
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert sum(e["event"] == "worker.malloc_trim_failed" for e in logs) >= 2


def test_off_by_setting_on_by_default() -> None:
    clock = FixedClock(AT)
    assert memory_trimmer(0, 32, clock, ReplyWindows()) is None
    settings = DialerSettings()
    assert settings.malloc_trim_every_s > 0
    trimmer = memory_trimmer(
        settings.malloc_trim_every_s, settings.malloc_trim_min_free_mb, clock, ReplyWindows()
    )
    assert trimmer is not None  # this machine's libc is glibc


def test_glibc_on_this_machine_answers_both_calls() -> None:
    glibc = Glibc.load()
    assert glibc is not None
    free = glibc.free_kept()
    assert free is not None
    assert free >= 0
    done = glibc.trim()
    assert 0 <= done.seconds < 5
    assert done.rss_before > 0
    assert done.rss_after > 0
