"""Engine worker pools: off the loop, named threads, context variables carried along."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import asr.executor

call_id: contextvars.ContextVar[str] = contextvars.ContextVar("call_id", default="-")


def _where() -> tuple[str, str]:
    return threading.current_thread().name, call_id.get()


async def test_runs_in_the_named_pool_with_the_callers_context() -> None:
    for name in ("asr-test", "tts-test"):
        workers = asr.executor.pool(name, 2)
        assert asr.executor.pool(name, 5) is workers  # one pool per name per process
        call_id.set("call-42")
        thread, seen = await asr.executor.run_in(workers, _where)
        assert thread.startswith(name)
        assert seen == "call-42"
        assert thread != threading.current_thread().name


async def test_two_workers_run_in_parallel() -> None:
    workers = asr.executor.pool("asr-parallel", 2)
    barrier = threading.Barrier(2, timeout=5)
    await asyncio.gather(*(asr.executor.run_in(workers, barrier.wait) for _ in range(2)))


async def test_a_job_behind_a_busy_worker_is_timed_as_waiting() -> None:
    """The pool's record shows a turn queued behind another call's decode: the second job
    of a one-worker pool waits about as long as the first one runs."""
    workers = asr.executor.pool("asr-queued", 1)
    first_runs = threading.Event()

    def slow() -> None:
        first_runs.set()
        time.sleep(0.15)

    first = asyncio.ensure_future(asr.executor.run_in(workers, slow))
    await asyncio.to_thread(first_runs.wait, 5)
    await asyncio.gather(first, asr.executor.run_in(workers, lambda: None))
    (_, wait1, run1), (_, wait2, run2) = asr.executor.timings("asr-queued")
    assert run1 >= 0.15
    assert wait1 < 0.05
    assert 0.1 <= wait2 <= run1 + 0.05
    assert run2 < 0.05
