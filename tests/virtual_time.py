"""An event loop whose clock moves only when the loop has nothing to do: a test of a schedule (the
RTP sender's 20 ms frames, a readiness check's time cap) then measures the schedule, not how busy
the machine was (on a loaded CI machine a real clock stretched a 20 ms schedule past the tests'
bounds; benches measure real time). A synchronous call that blocks the loop does not move this
clock either: a cap implemented by blocking shows as no time passed.

Real sockets still work: whenever nothing is ready, the loop first takes the datagrams already
waiting (loopback delivery is immediate), at the present time; only when there are none does
its clock jump to the next timer. A test that waits for real I/O with no timer pending blocks
as on any loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 0.0

    def time(self) -> float:
        return self._virtual_now

    def _run_once(self) -> None:
        if not self._ready and not self._stopping and self._scheduled:  # type: ignore[attr-defined]
            events = self._selector.select(0)  # type: ignore[attr-defined]
            if events:
                self._process_events(events)  # type: ignore[attr-defined]
            else:
                due = [h.when() for h in self._scheduled if not h.cancelled()]  # type: ignore[attr-defined]
                if due:
                    self._virtual_now = max(self._virtual_now, min(due))
        super()._run_once()  # type: ignore[misc]


def in_virtual_time(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """A synchronous test that runs the coroutine ``test`` on a fresh ``VirtualTimeLoop``."""

    def run() -> None:
        loop = VirtualTimeLoop()
        try:
            loop.run_until_complete(test())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    run.__name__, run.__qualname__, run.__doc__ = test.__name__, test.__qualname__, test.__doc__
    return run
