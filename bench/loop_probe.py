"""What holds an event loop when it stalls: a watchdog thread and the garbage collector's pauses.

``LoopProbe`` ticks on the loop every ``TICK_S``; a daemon thread checks the tick and, while the
loop has not ticked for ``stall_ms``, samples the loop thread's Python stack every ``SAMPLE_S``
(``sys._current_frames``). ``gc.callbacks`` time every collection by generation. ``report()``
gives the stalls (count, worst), the stacks seen most in them and the GC pauses, as JSON-able
figures. A bench tool: it costs a thread waking every 10 ms.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import os
import sys
import threading
import time
import traceback
from typing import Any

TICK_S = 0.01
SAMPLE_S = 0.01


class LoopProbe:
    def __init__(self, stall_ms: float = 60.0) -> None:
        self.stall_s = stall_ms / 1000
        self._beat = time.perf_counter()
        self._loop_tid = threading.get_ident()
        self._loop_native = threading.get_native_id()
        # the loop thread's time in stalls (after detection): running, waiting for a CPU
        # (runnable, the machine is busy), blocked (the GIL, a lock, a syscall), in ms
        self.stall_split = {"on_cpu": 0.0, "runqueue": 0.0, "blocked": 0.0}
        self.stalls: list[float] = []  # ms, each stall's length
        self.stacks: collections.Counter[str] = collections.Counter()
        self.others: collections.Counter[str] = collections.Counter()  # other threads meanwhile
        self.gc_pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._gc_started: float | None = None
        self._gc_during_stall = 0
        self._in_gc = False
        self._stop = threading.Event()

    def start(self) -> asyncio.Task[None]:
        gc.callbacks.append(self._on_gc)
        threading.Thread(target=self._watch, name="loop-probe", daemon=True).start()
        return asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            self._beat = time.perf_counter()
            await asyncio.sleep(TICK_S)

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started, self._in_gc = time.perf_counter(), True
        elif self._gc_started is not None:
            pause = (time.perf_counter() - self._gc_started) * 1000
            self.gc_pauses[int(info["generation"])].append(pause)
            self._in_gc = False

    def _watch(self) -> None:
        stalled_since: float | None = None
        sched0 = (0, 0)
        while not self._stop.wait(SAMPLE_S):
            now = time.perf_counter()
            late = now - self._beat - TICK_S
            if late < self.stall_s:
                if stalled_since is not None:
                    wall = now - stalled_since
                    self.stalls.append(wall * 1000)
                    run1, wait1 = _schedstat(self._loop_native)
                    run, wait = run1 - sched0[0], wait1 - sched0[1]
                    self.stall_split["on_cpu"] += run / 1e6
                    self.stall_split["runqueue"] += wait / 1e6
                    self.stall_split["blocked"] += wall * 1000 - (run + wait) / 1e6
                    stalled_since = None
                continue
            if stalled_since is None:
                # the split counts from the stall's detection (the first stall_ms not in it)
                stalled_since, sched0 = now, _schedstat(self._loop_native)
            if self._in_gc:
                self._gc_during_stall += 1
                self.stacks["<gc>"] += 1
                continue
            frames = sys._current_frames()
            names = {t.ident: t.name for t in threading.enumerate()}
            for tid, frame in frames.items():
                if tid == threading.get_ident():
                    continue
                lines = traceback.format_stack(frame, limit=6 if tid == self._loop_tid else 2)
                where = " | ".join(x.strip().split("\n")[0] for x in lines[-4:])
                who = "LOOP" if tid == self._loop_tid else names.get(tid, "?").rsplit("_", 1)[0]
                (self.stacks if who == "LOOP" else self.others)[f"{who}: {where}"] += 1

    def threads(self) -> dict[str, dict[str, float]]:
        """Each thread role's CPU-s and seconds runnable but waiting for a CPU, so far."""
        names = {t.native_id: t.name for t in threading.enumerate()}
        out: dict[str, dict[str, float]] = {}
        for tid in os.listdir("/proc/self/task"):
            name = names.get(int(tid), "other")
            role = "loop" if int(tid) == self._loop_native else name.rsplit("_", 1)[0]
            run, wait = _schedstat(int(tid))
            acc = out.setdefault(role, {"cpu_s": 0.0, "runqueue_s": 0.0})
            acc["cpu_s"] = round(acc["cpu_s"] + run / 1e9, 2)
            acc["runqueue_s"] = round(acc["runqueue_s"] + wait / 1e9, 2)
        return out

    def report(self, top: int = 8) -> dict[str, object]:
        stalls = sorted(self.stalls)
        gc_summary = {
            str(g): {"n": len(p), "total_ms": round(sum(p), 1), "max_ms": _max(p)}
            for g, p in self.gc_pauses.items()
        }
        return {
            "stalls": len(stalls),
            "stall_ms_max": round(stalls[-1], 1) if stalls else 0.0,
            "stall_ms_total": round(sum(stalls), 1),
            "samples_in_gc": self._gc_during_stall,
            "stall_split_ms": {k: round(v) for k, v in self.stall_split.items()},
            "threads": self.threads(),
            "gc": gc_summary,
            "top_stacks": self.stacks.most_common(top),
            "other_threads": self.others.most_common(top),
        }


def _schedstat(tid: int) -> tuple[int, int]:
    """A thread's nanoseconds on a CPU and runnable-waiting (``/proc/.../schedstat``)."""
    try:
        with open(f"/proc/self/task/{tid}/schedstat") as f:
            run, wait, _ = f.read().split()
    except (OSError, ValueError):
        return 0, 0
    return int(run), int(wait)


def _max(values: list[float]) -> float:
    return round(max(values, default=0.0), 1)
