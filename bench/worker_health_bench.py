"""Does a readiness probe stall a worker's event loop? The worker port's app (uvicorn on the
loop, the real checks against the shared PostgreSQL and Redis, the telephony check up) with a
ticker on the loop every 5 ms; a thread sends ``GET /health/ready`` (curl) at ``--rate`` a second.
Phases: idle, curl to a closed port (the probes' own CPU, no answer), probes with the
1 s cache, probes with no cache (every probe runs every check).
Prints, per phase, how late the ticker woke (p50 / p99 / max ms) and the probes' latency.

    PYTHONPATH=. python bench/worker_health_bench.py [--seconds 5] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import threading
import time

from cli.worker_health import worker_readiness
from dialer.health import TelephonyHealth
from telemetry.health import bound_socket, health_app, health_server

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
TICK_S = 0.005


class Connected:
    def ari_connected(self) -> bool:
        return True


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def _phase(url: str, seconds: float, rate: float) -> tuple[list[float], list[float]]:
    late: list[float] = []
    probes: list[float] = []
    stop = threading.Event()

    def prober() -> None:  # curl, another process (as a process manager's probe)
        command = ["curl", "-s", "-o", "/dev/null", "-m", "3", "-w", "%{time_total}", url]
        while not stop.is_set():
            t0 = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            probes.append(float(done.stdout or "nan"))
            time.sleep(max(0.0, 1 / rate - (time.perf_counter() - t0)))

    thread = threading.Thread(target=prober, daemon=True) if rate else None
    if thread:
        thread.start()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        await asyncio.sleep(TICK_S)
        late.append(time.perf_counter() - t0 - TICK_S)
    stop.set()
    if thread:
        await asyncio.to_thread(thread.join)
    return late, probes


async def main(seconds: float, rate: float) -> None:
    health = TelephonyHealth(models_loaded=True, current=Connected())
    print("| phase | ticks | tick late p50 / p99 / max ms | probes | probe p50 / max ms |")
    print("|---|---|---|---|---|")
    phases = (
        ("idle", 1.0, 0.0, False),
        ("curl to a closed port (control)", 1.0, rate, True),
        ("cached 1 s", 1.0, rate, False),
        ("no cache", 0.0, rate, False),
    )
    for name, cache_s, r, closed in phases:
        sock = bound_socket("127.0.0.1", 0)
        port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port + 1 if closed else port}/health/ready"
        async with worker_readiness(PG_URL, health, cache_s=cache_s) as readiness:
            server = health_server(health_app(readiness))
            task = asyncio.create_task(server.serve(sockets=[sock]))
            await asyncio.sleep(0.5)
            late, probes = await _phase(url, seconds, r)
            server.should_exit = True
            await task
        ms = [x * 1000 for x in late]
        pm = [x * 1000 for x in probes if not closed]
        probe = f"{statistics.median(pm):.1f} / {max(pm):.1f}" if pm else "—"
        print(
            f"| {name} | {len(ms)} | {_pct(ms, 0.5):.2f} / {_pct(ms, 0.99):.2f} / {max(ms):.1f} "
            f"| {len(pm)} | {probe} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.rate))
