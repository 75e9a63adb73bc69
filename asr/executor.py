"""Dedicated worker threads per speech engine (ASR and TTS), so one backlog cannot starve another.

``asyncio.to_thread`` shares the loop's default pool (6 threads on 2 cores) with everything
else; with many calls, queued TTS or database work would delay a caller's transcript. Each
engine gets a small named pool instead; the caller's context variables (the log context with
``call_id``) are carried into the worker like ``to_thread`` does.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_pools: dict[str, ThreadPoolExecutor] = {}
_lock = threading.Lock()
# per pool, the last jobs' (submitted at, queue wait, run) in seconds: how long a turn waited
# behind others (``time.perf_counter`` clock)
Jobs = deque[tuple[float, float, float]]
_timings: dict[str, Jobs] = {}
_jobs_of: dict[ThreadPoolExecutor, Jobs] = {}


def timings(name: str) -> list[tuple[float, float, float]]:
    """The last (up to 1,000) jobs of pool ``name``: submitted at, seconds queued, running."""
    return list(_timings.get(name, ()))


def pool(name: str, workers: int) -> ThreadPoolExecutor:
    """The process-wide pool called ``name`` (created on first use with ``workers`` threads)."""
    with _lock:
        if name not in _pools:
            _pools[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
            _jobs_of[_pools[name]] = _timings[name] = deque(maxlen=1000)
        return _pools[name]


async def run_in(
    executor: ThreadPoolExecutor, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run blocking ``fn`` in ``executor`` without blocking the event loop."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, fn, *args, **kwargs)
    record = _jobs_of.get(executor)  # a pool made by ``pool()``: its jobs are timed
    submitted = time.perf_counter()

    def timed() -> R:
        started = time.perf_counter()
        try:
            return call()
        finally:
            if record is not None:
                record.append((submitted, started - submitted, time.perf_counter() - started))

    return await asyncio.get_running_loop().run_in_executor(executor, timed)
