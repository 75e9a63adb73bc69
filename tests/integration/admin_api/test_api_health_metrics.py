"""Liveness, readiness and /metrics for process managers and Prometheus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import api_fixtures
import pytest
from api_fixtures import Api, fast_settings, make_api
from fastapi.testclient import TestClient

from admin_api.app import create_app
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database

sqlite_api = api_fixtures.sqlite_api
STRONG = "Jx3vQ9r2LmT8wZk1Pf6Ns4Hd7Yb0Gc5R"


@pytest.fixture
def api_with_token(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> Iterator[Api]:
    db = Database.connect(sqlite_url)
    yield from make_api(
        db, keyring, clock, tmp_path, settings=fast_settings(tmp_path, metrics_token=STRONG)
    )
    db.dispose()


def test_live_and_ready_answer_without_a_token(sqlite_api: Api) -> None:
    client = sqlite_api.client
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "checks": {"database": "ok"}}


def test_ready_is_503_with_the_failing_check_named(sqlite_api: Api) -> None:
    async def ari_down() -> None:
        raise ConnectionError("refused")

    sqlite_api.services.ready_checks["telephony"] = ari_down
    answer = sqlite_api.client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["checks"] == {"database": "ok", "telephony": "failed: ConnectionError"}


def test_ready_reports_a_redis_that_does_not_answer(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    db = Database.connect(sqlite_url)
    settings = fast_settings(tmp_path, live_redis_url="redis://127.0.0.1:9/0", ready_timeout=1.0)
    try:
        for api in make_api(db, keyring, clock, tmp_path, settings=settings):
            answer = api.client.get("/health/ready")
            assert answer.status_code == 503
            checks = answer.json()["checks"]
            assert checks["database"] == "ok"
            assert checks["redis"] != "ok"
            assert "127.0.0.1:9" not in answer.text  # no URL (it may hold a password)
    finally:
        db.dispose()


def test_ready_reports_a_database_that_does_not_answer(sqlite_api: Api) -> None:
    # a PostgreSQL that is not there (nothing listens on port 9)
    sqlite_api.services.db = Database.connect("postgresql+psycopg://cb@127.0.0.1:9/none")
    answer = sqlite_api.client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["checks"]["database"].startswith("failed")


def test_metrics_count_requests_by_route_template_not_by_raw_path(sqlite_api: Api) -> None:
    client = sqlite_api.client
    for case_id in sqlite_api.own_cases:
        assert (
            client.get(f"/cases/{case_id}", headers=sqlite_api.headers("agent")).status_code == 200
        )
    client.get("/cases/no-such-case", headers=sqlite_api.headers("agent"))
    text = client.get("/metrics").text
    counted = 'collectbot_api_request_seconds_count{method="GET",route="/cases/{case_id}",'
    assert counted + 'status="200"} 2.0' in text
    assert 'route="/cases/{case_id}",status="404"' in text
    for case_id in sqlite_api.own_cases:
        assert case_id not in text
    for family in ("collectbot_calls_ended_total", "collectbot_guard_refusals_total",
                   "collectbot_turn_seconds", "collectbot_log_errors_total"):  # fmt: skip
        assert f"# TYPE {family}" in text
    # each case read with personal data is one audit record; the writer's lag, one per record
    lag = {
        line.split(" ")[0]: float(line.split(" ")[1])
        for line in text.splitlines()
        if line.startswith("collectbot_audit_lag_seconds_")
    }
    assert lag["collectbot_audit_lag_seconds_count"] == len(sqlite_api.own_cases)
    assert 0 < lag["collectbot_audit_lag_seconds_sum"] < 30  # a commit, not the writer's timeout


def test_metrics_behind_a_token_when_one_is_set(api_with_token: Api) -> None:
    client = api_with_token.client
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": f"Bearer {STRONG}"})
    assert ok.status_code == 200
    assert "collectbot_api_request_seconds" in ok.text


def test_production_without_a_token_serves_no_metrics(sqlite_api: Api) -> None:
    production = sqlite_api.services.settings.model_copy(update={"environment": "production"})
    sqlite_api.services.settings = production
    with TestClient(create_app(sqlite_api.services)) as client:
        assert client.get("/metrics").status_code == 404
        assert client.get("/health/live").status_code == 200
