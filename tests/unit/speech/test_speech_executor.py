"""Engine worker pools: off the loop, named threads, context variables carried along."""

from __future__ import annotations

import asyncio
import contextvars
import threading

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
