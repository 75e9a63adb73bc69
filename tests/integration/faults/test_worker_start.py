"""A starting ``collectbot worker`` (issue 16): while its models load it is alive but not
ready. Probed from the moment it is spawned, every ~0.1 s: from its first answer on
``/health/live`` answers 200 within a probe's 1 s, never missing 3 in a row (what would have a
default liveness probe restart the worker in a loop; on a loaded machine a probe now and then
takes longer: seen once at load 12–14, its cause not found); ``/health/ready`` answers 503
naming ``telephony: failed: models not loaded`` (the database and Redis ok) until the models are
in, then 200. The times printed
(spawn → live → models → ready) are what a unit's start grace must cover (docs/operations.md,
"Session 13, ops10").

A private sandbox Asterisk, the shared Redis, a database of its own on the shared PostgreSQL.
Run under ``flock /tmp/collectbot-sandbox.lock``.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from fault_rig import (
    PrivateAsterisk,
    Worker,
    free_port,
    make_campaign,
    own_pg_url,
    private_asterisk,
)

__all__ = ["own_pg_url", "private_asterisk"]

REDIS_URL = "redis://127.0.0.1:56379/0"
PROBE_TIMEOUT_S = 1.0  # a kubelet's default timeoutSeconds
FAILURE_THRESHOLD = 3  # a kubelet's default: that many misses in a row restart the worker


def _get(
    port: int, path: str, timeout_s: float = PROBE_TIMEOUT_S
) -> tuple[int | None, float, dict[str, object] | None]:
    started = time.monotonic()
    try:
        r = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=timeout_s)
    except httpx.ConnectError:
        return None, time.monotonic() - started, None  # not listening yet
    except httpx.TimeoutException:
        return -1, time.monotonic() - started, None  # listening, but no answer in time
    return r.status_code, time.monotonic() - started, r.json()


def test_a_starting_worker_is_alive_and_not_ready_until_its_models_are_loaded(
    private_asterisk: PrivateAsterisk, own_pg_url: str, tmp_path: Path
) -> None:
    camp = make_campaign(own_pg_url, tmp_path, 1)
    port = free_port()
    began = time.monotonic()
    worker = Worker(
        tmp_path, f"start-{camp.id[5:]}", camp, own_pg_url, REDIS_URL, private_asterisk, 1,
        COLLECTBOT_METRICS_PORT=str(port),
    )  # fmt: skip
    lives: list[tuple[float, int | None, float]] = []
    readies: list[tuple[float, int | None, dict[str, object] | None]] = []
    try:
        while time.monotonic() - began < 300:  # a loaded machine: minutes
            assert worker.alive(), worker.tail()
            status, took, _ = _get(port, "/health/live")
            lives.append((time.monotonic() - began, status, took))
            status, _, body = _get(port, "/health/ready", 3.0)  # its checks take up to 1 s
            readies.append((time.monotonic() - began, status, body))
            if status == 200:
                break
            time.sleep(0.1)
    finally:
        worker.stop()
    first = next((n for n, x in enumerate(lives) if x[1] is not None), None)
    assert first is not None, "the worker never answered /health/live"
    answered = lives[first:]  # from its first answer on
    live_at = answered[0][0]
    misses = [t for t, status, _ in answered if status != 200]
    in_a_row = longest = 0
    for _, status, _ in answered:
        in_a_row = 0 if status == 200 else in_a_row + 1
        longest = max(longest, in_a_row)
    loading = [
        (t, body) for t, status, body in readies
        if status == 503 and body is not None
        and body["checks"] == {"database": "ok", "redis": "ok",
                               "telephony": "failed: models not loaded"}
    ]  # fmt: skip
    models_at = next((t for t, status, body in readies if body and "models" not in str(body)), None)
    ready_at = next((t for t, status, _ in readies if status == 200), None)
    worst = max(took for _, _, took in answered)
    print(
        f"spawn -> live {live_at:.1f} s, -> models loaded {models_at} s, -> ready {ready_at} s;"
        f" {len(answered)} live probes while starting, slowest {worst * 1000:.0f} ms,"
        f" {len(misses)} not answered within {PROBE_TIMEOUT_S} s (at {misses}), {longest} in a"
        f" row; {len(loading)} ready answers 'models not loaded'"
    )
    assert ready_at is not None, worker.tail()
    assert all(status in (200, -1) for _, status, _ in answered)  # listening from then on
    assert longest < FAILURE_THRESHOLD  # a default liveness probe would not restart it
    assert loading, readies[:5]  # alive, and not ready for the models, while they load
    assert all(status in (None, 503, 200) for _, status, _ in readies)
