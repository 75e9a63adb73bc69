"""Give glibc's kept free pages back to the system now and then (``malloc_trim(0)``).

A worker's allocated memory is flat once its models are loaded and warmed; its RSS also counts
the pages glibc keeps after the calls free them (150–200 MB after a burst at 10 lines,
docs/operations.md "Session 13, ops10"). ``malloc_trim(0)`` returns them. It walks every arena
under that arena's lock, so a thread that allocates meanwhile (a call's ASR or TTS) waits: the
trim runs in a thread of its own (never on the event loop), at most every
``DIALER_MALLOC_TRIM_EVERY_S``, only while no call is between its debtor's end of turn and the
reply's first audio (``ivr.reply_window``), and only when glibc keeps at least
``DIALER_MALLOC_TRIM_MIN_FREE_MB`` free. Logged ``worker.malloc_trimmed`` with the bytes given
back; glibc only (elsewhere ``worker.malloc_trim_unavailable`` once, and nothing runs).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import time
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from core.clock import Clock
from core.logging import get_logger
from ivr.reply_window import ReplyWindows

log = get_logger(__name__)
MB = 2**20
POLL_S = 0.2  # how often a due trim looks for a moment with no reply pending


_MALLINFO2 = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in _MALLINFO2.split()]  # glibc >= 2.33


@dataclass(frozen=True, slots=True)
class Trimmed:
    rss_before: int
    rss_after: int
    seconds: float  # wall time of malloc_trim itself

    @property
    def returned(self) -> int:
        return max(0, self.rss_before - self.rss_after)


class Allocator(Protocol):
    def free_kept(self) -> int | None:
        """Bytes free inside the allocator's heaps (None: it cannot tell)."""
        ...

    def trim(self) -> Trimmed:
        """Give free pages back (blocking: call it off the event loop)."""
        ...


def _rss() -> int:
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Glibc:
    """``malloc_trim`` and ``mallinfo2`` through ctypes (the calls release the GIL)."""

    def __init__(self, libc: ctypes.CDLL) -> None:
        self._trim = libc.malloc_trim
        self._trim.argtypes, self._trim.restype = [ctypes.c_size_t], ctypes.c_int
        self._info = getattr(libc, "mallinfo2", None)
        if self._info is not None:
            self._info.argtypes, self._info.restype = [], _MallInfo2

    @classmethod
    def load(cls) -> Glibc | None:
        """The process's glibc, or None (musl, another OS: no ``malloc_trim``)."""
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.gnu_get_libc_version  # noqa: B018 - glibc's own symbol, absent in musl
            return cls(libc)
        except (OSError, AttributeError):
            return None

    def free_kept(self) -> int | None:
        return None if self._info is None else int(self._info().fordblks)

    def trim(self) -> Trimmed:
        before, started = _rss(), time.perf_counter()
        self._trim(0)
        took = time.perf_counter() - started
        return Trimmed(before, _rss(), took)


class Step(Enum):
    SLEEP = "sleep"  # not due yet
    WAIT = "wait"  # due, but a call waits for its reply's first audio: look again soon
    TRIM = "trim"
    SKIP = "skip"  # due, but busy for a whole period: next period


@dataclass
class TrimSchedule:
    """When to trim (pure; the clock is injected). The first trim is one period after the
    start (the models' load and warm-up are over by then). A trim due while calls keep a reply
    pending waits; busy for a whole period, that round is skipped."""

    every_s: float
    clock: Clock
    last: float = float("nan")
    due_since: float | None = None

    def __post_init__(self) -> None:
        if self.last != self.last:  # NaN: counted from now
            self.last = self.clock.monotonic()

    def step(self, quiet: bool) -> Step:
        """What to do now (``quiet``: no call waits for its reply's first audio)."""
        now = self.clock.monotonic()
        if now - self.last < self.every_s:
            return Step.SLEEP
        if self.due_since is None:
            self.due_since = now
        if not quiet:
            if now - self.due_since < self.every_s:
                return Step.WAIT
            self.done()
            return Step.SKIP
        return Step.TRIM

    def done(self) -> None:
        self.last, self.due_since = self.clock.monotonic(), None

    def sleep_s(self) -> float:
        """How long to sleep before the next ``step``."""
        if self.due_since is not None:
            return POLL_S
        return max(POLL_S, self.last + self.every_s - self.clock.monotonic())


class MemoryTrimmer:
    """Runs ``TrimSchedule`` until cancelled, trimming only while ``replies`` is quiet (no call
    waits for its reply's first audio) and glibc keeps at least ``min_free`` bytes free (both
    asked in the trim's thread: ``mallinfo2`` walks the arenas too); a turn that ended during a
    trim is counted in its log."""

    def __init__(
        self, allocator: Allocator, schedule: TrimSchedule, replies: ReplyWindows, min_free: int
    ) -> None:
        self._allocator, self._schedule, self._replies = allocator, schedule, replies
        self._min_free = min_free
        self.trims = 0

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._schedule.sleep_s())
            waited_since = self._schedule.due_since
            match self._schedule.step(self._replies.quiet()):
                case Step.TRIM:
                    await self._trim(waited_since)
                case Step.SKIP:
                    log.info("worker.malloc_trim_skipped", replies_pending=self._replies.open)
                case Step.SLEEP | Step.WAIT:
                    pass

    def _free_then_trim(self) -> tuple[int | None, Trimmed | None]:
        """In the trim's thread: what is free, and the trim when it is enough."""
        free = self._allocator.free_kept()
        if free is not None and free < self._min_free:
            return free, None
        return free, self._allocator.trim()

    async def _trim(self, due_since: float | None) -> None:
        schedule = self._schedule
        waited = 0.0 if due_since is None else schedule.clock.monotonic() - due_since
        turns = self._replies.opened
        try:
            free, done = await asyncio.to_thread(self._free_then_trim)
        except Exception as e:  # housekeeping: never the worker's end
            log.warning("worker.malloc_trim_failed", error=repr(e))
            return
        finally:
            schedule.done()
        if done is None:
            assert free is not None
            log.info("worker.malloc_trim_skipped", free_kept_mb=round(free / MB, 1))
            return
        self.trims += 1
        log.info(
            "worker.malloc_trimmed",
            returned_mb=round(done.returned / MB, 1),
            rss_before_mb=round(done.rss_before / MB, 1),
            rss_after_mb=round(done.rss_after / MB, 1),
            free_kept_mb=None if free is None else round(free / MB, 1),
            trim_ms=round(done.seconds * 1000, 1),
            waited_s=round(waited, 2),
            turns_ended_during=self._replies.opened - turns,
        )


def memory_trimmer(
    every_s: float,
    min_free_mb: float,
    clock: Clock,
    replies: ReplyWindows,
) -> MemoryTrimmer | None:
    """The worker's trimmer (``every_s`` 0: off; None also without glibc)."""
    if every_s <= 0:
        return None
    glibc = Glibc.load()
    if glibc is None:
        log.warning("worker.malloc_trim_unavailable")
        return None
    return MemoryTrimmer(glibc, TrimSchedule(every_s, clock), replies, int(min_free_mb * MB))
