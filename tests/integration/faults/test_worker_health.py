"""A real ``collectbot worker`` answers ``/health/live`` and ``/health/ready`` on its metrics
port (issue 16): not ready while its models load, ready once the database, Redis and ARI
answer, probed while its calls run (each answer timed), then not ready naming ``telephony``
when its Asterisk is killed and naming ``redis`` when its Redis is killed.

A private sandbox Asterisk and a private Redis (this test kills both), a database of its own
on the shared PostgreSQL, two lines of the demo's US cases answered by ``answer-hold``.
Run under ``flock /tmp/collectbot-sandbox.lock``.
"""

from __future__ import annotations

import os
import signal
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fault_rig import (
    PrivateAsterisk,
    PrivateService,
    Worker,
    free_port,
    make_campaign,
    own_pg_url,
    private_asterisk,
    running_service,
    wait,
)

__all__ = ["own_pg_url", "private_asterisk"]

LINES = 2


@pytest.fixture
def private_redis() -> Iterator[PrivateService]:
    with running_service("redis") as service:
        yield service


def _ready(port: int) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=3)


def test_worker_health_follows_its_database_redis_and_asterisk(
    private_asterisk: PrivateAsterisk,
    private_redis: PrivateService,
    own_pg_url: str,
    tmp_path: Path,
) -> None:
    camp = make_campaign(own_pg_url, tmp_path, LINES)
    port = free_port()
    url = f"redis://127.0.0.1:{private_redis.port}/0"
    worker = Worker(
        tmp_path, f"health-{camp.id[5:]}", camp, own_pg_url, url, private_asterisk, LINES,
        COLLECTBOT_METRICS_PORT=str(port), IVR_MAX_CALL_S="8",
    )  # fmt: skip
    try:
        began = time.monotonic()

        def live() -> bool:
            assert worker.alive(), worker.tail()
            try:
                return httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).is_success
            except httpx.HTTPError:
                return False

        wait("/health/live", live, 60, worker)
        first = _ready(port)
        print(f"live after {time.monotonic() - began:.1f} s; first ready: {first.text}")
        if first.status_code == 503:  # models still loading: named, the rest answered
            assert first.json()["checks"]["telephony"] == "failed: models not loaded"
            assert first.json()["checks"]["database"] == "ok"

        wait("ready", lambda: _ready(port).status_code == 200, 180, worker)
        body = _ready(port).json()
        assert body == {
            "status": "ready",
            "checks": {"database": "ok", "redis": "ok", "telephony": "ok"},
        }
        print(f"ready after {time.monotonic() - began:.1f} s")

        def calls_up() -> bool:
            assert worker.alive(), worker.tail()
            return any(r.state == "dialing" for r in camp.attempts())

        wait("a call up", calls_up, 120, worker)
        taken: list[float] = []
        for _ in range(40):  # 8 s of probes at 5 a second while the calls run
            t0 = time.monotonic()
            assert _ready(port).status_code == 200
            taken.append(time.monotonic() - t0)
            time.sleep(0.2)
        print(
            f"ready probes during calls: n={len(taken)} "
            f"median {statistics.median(taken) * 1000:.1f} ms, max {max(taken) * 1000:.1f} ms"
        )
        assert max(taken) < 1.5

        private_asterisk.kill()
        killed = time.monotonic()
        wait("ARI lost", lambda: _ready(port).status_code == 503, 10, worker)
        lost = _ready(port).json()
        print(f"not ready {time.monotonic() - killed:.2f} s after Asterisk was killed: {lost}")
        assert lost["status"] == "not_ready"
        assert lost["checks"]["telephony"] == "failed: ARI not connected"
        assert lost["checks"]["database"] == lost["checks"]["redis"] == "ok"

        os.kill(private_redis.pid(), signal.SIGKILL)
        killed = time.monotonic()
        wait("redis down", lambda: _ready(port).json()["checks"]["redis"] != "ok", 10, worker)
        down = _ready(port)
        print(f"redis failing {time.monotonic() - killed:.2f} s after it was killed: {down.text}")
        assert down.status_code == 503
        assert down.json()["checks"]["redis"].startswith("failed")
        assert httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200
        assert (
            "collectbot_originates_total"
            in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=3).text
        )
    finally:
        worker.stop()
