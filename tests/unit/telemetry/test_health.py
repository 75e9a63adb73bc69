"""The worker port's readiness: each check failing is a 503 naming it, a hung check is a
timeout within the cap and never stalls the loop, results are kept ~1 s, and the telephony
check follows ARI's connection now (up, then lost: not ready)."""

from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest
from virtual_time import in_virtual_time

from dialer.health import TelephonyHealth
from telemetry.health import CHECK_TIMEOUT_S, NotReady, Readiness, ReadyCheck, health_app
from telemetry.metrics import Metrics

NAMES = ("database", "redis", "telephony")


def _ok() -> ReadyCheck:
    async def check() -> None:
        return None

    return check


def _failing(error: Exception) -> ReadyCheck:
    async def check() -> None:
        raise error

    return check


async def _get(readiness: Readiness, path: str, metrics: Metrics | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=health_app(readiness, metrics))
    async with httpx.AsyncClient(transport=transport, base_url="http://worker") as client:
        return await client.get(path)


async def test_all_checks_answering_is_200_naming_each() -> None:
    response = await _get(Readiness({n: _ok() for n in NAMES}), "/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": dict.fromkeys(NAMES, "ok")}


@pytest.mark.parametrize("failing", NAMES)
async def test_each_failing_check_is_503_naming_it_and_only_it(failing: str) -> None:
    checks = {n: _failing(ConnectionRefusedError("redis://:secret@db:6379")) if n == failing
              else _ok() for n in NAMES}  # fmt: skip
    response = await _get(Readiness(checks), "/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"][failing] == "failed: ConnectionRefusedError"
    assert all(body["checks"][n] == "ok" for n in NAMES if n != failing)
    assert "secret" not in response.text  # the reason, never the URL


@in_virtual_time  # the loop's own clock: the cap and the ticks, not the machine's load
async def test_a_hung_check_times_out_within_the_cap_and_the_loop_keeps_ticking() -> None:
    async def hangs() -> None:
        await asyncio.sleep(60)

    loop = asyncio.get_running_loop()
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(loop.time())
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    began = loop.time()
    report = await Readiness({"database": hangs, "redis": _ok()}, timeout_s=5.0).report()
    took = loop.time() - began
    task.cancel()
    assert dict(report.checks) == {"database": "timeout", "redis": "ok"}
    assert CHECK_TIMEOUT_S <= took < CHECK_TIMEOUT_S + 0.5  # capped at 1 s, not the 5 asked
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 30
    assert max(gaps) < 0.2


async def test_a_result_is_kept_for_the_cache_time_then_asked_again() -> None:
    calls, now = [0], [100.0]

    async def counted() -> None:
        calls[0] += 1
        if calls[0] > 1:
            raise NotReady("ARI not connected")

    readiness = Readiness({"telephony": counted}, cache_s=1.0, now=lambda: now[0])
    assert (await readiness.report()).ok
    now[0] += 0.9
    assert (await readiness.report()).ok
    assert calls[0] == 1  # cached
    now[0] += 0.2
    report = await readiness.report()
    assert calls[0] == 2
    assert dict(report.checks) == {"telephony": "failed: ARI not connected"}


async def test_concurrent_probes_share_one_round_of_checks() -> None:
    calls = [0]

    async def slow() -> None:
        calls[0] += 1
        await asyncio.sleep(0.05)

    readiness = Readiness({"database": slow})
    reports = await asyncio.gather(*(readiness.report() for _ in range(20)))
    assert calls[0] == 1
    assert all(r.ok for r in reports)


class FakeTelephony:
    def __init__(self) -> None:
        self.connected = False

    def ari_connected(self) -> bool:
        return self.connected


async def _telephony_result(health: TelephonyHealth) -> httpx.Response:
    return await _get(Readiness({"telephony": health.check}, cache_s=0.0), "/health/ready")


async def test_telephony_is_ready_only_while_models_are_loaded_and_ari_is_connected_now() -> None:
    health, link = TelephonyHealth(), FakeTelephony()
    first = await _telephony_result(health)
    assert first.status_code == 503
    assert first.json()["checks"] == {"telephony": "failed: models not loaded"}
    health.models_loaded = True
    assert (await _telephony_result(health)).json()["checks"]["telephony"] == (
        "failed: ARI not connected"
    )  # no Telephony running yet
    health.current = link
    assert (await _telephony_result(health)).status_code == 503  # running, websocket not open
    link.connected = True
    up = await _telephony_result(health)
    assert up.status_code == 200
    assert up.json()["status"] == "ready"
    link.connected = False  # the websocket dropped after being up
    down = await _telephony_result(health)
    assert down.status_code == 503
    assert down.json()["checks"] == {"telephony": "failed: ARI not connected"}
    link.connected, health.current = True, None  # between two runs of the telephony
    assert (await _telephony_result(health)).status_code == 503


async def test_live_answers_and_metrics_are_served_on_the_same_port() -> None:
    readiness = Readiness({"database": _failing(OSError())})
    live = await _get(readiness, "/health/live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
    metrics = Metrics()
    metrics.observe(None, "info", {"event": "dialer.originate"})
    scraped = await _get(readiness, "/metrics", metrics)
    assert scraped.status_code == 200
    assert "collectbot_originates_total 1.0" in scraped.text
