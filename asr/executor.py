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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_pools: dict[str, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def pool(name: str, workers: int) -> ThreadPoolExecutor:
    """The process-wide pool called ``name`` (created on first use with ``workers`` threads)."""
    with _lock:
        if name not in _pools:
            _pools[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        return _pools[name]


async def run_in(
    executor: ThreadPoolExecutor, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run blocking ``fn`` in ``executor`` without blocking the event loop."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(executor, call)
