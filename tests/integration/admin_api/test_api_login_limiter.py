"""The login limiter shared through Redis: two app instances and two processes draw from one
bucket; a dead Redis falls back to per-process buckets (or refuses logins when configured to),
logs the outage once, and goes back to the shared bucket when Redis returns."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from api_fixtures import PASSWORD, seed
from conftest import ensure_service
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from admin_api.app import create_app
from admin_api.login_limiter import LoginUnavailable, RedisLoginLimiter
from admin_api.main import build_services
from admin_api.security import TokenBucketLimiter
from admin_api.settings import ApiSettings
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database

REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
DEAD_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_url() -> Iterator[str]:
    ensure_service("redis", REDIS_PORT)
    yield REDIS_URL
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("collectbot:login:*"):
        client.delete(key)
    client.close()


def _limiter(url: str, clock: FixedClock, *, on_down: str = "local") -> RedisLoginLimiter:
    client = redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)
    return RedisLoginLimiter(
        client,
        capacity=3,
        per_second=1 / 20,
        clock=clock,
        fallback=TokenBucketLimiter(3, 1 / 20, clock),
        on_redis_down="closed" if on_down == "closed" else "local",
        retry_s=5.0,
    )


def _settings(tmp: Path, url: str, down: str = "local") -> ApiSettings:
    return ApiSettings(
        upload_dir=str(tmp / "uploads"),
        login_burst=10,
        login_per_minute=1,
        login_redis_url=url,
        login_redis_down=down,
        argon2_memory_kib=1024,
        argon2_time_cost=1,
        followup_interval=0,
        sms_steps_interval=0,
        promise_check_interval=0,
    )


def test_two_limiters_share_one_bucket_and_it_refills(redis_url: str, clock: FixedClock) -> None:
    one, two = _limiter(redis_url, clock), _limiter(redis_url, clock)
    key = f"ann|10.0.0.{uuid.uuid4().int % 250}"
    assert [one.allow(key), two.allow(key), one.allow(key)] == [True, True, True]
    assert not two.allow(key)
    assert not one.allow(key)
    assert one.allow("someone-else|10.0.0.1")  # buckets are per key
    clock.advance(timedelta(seconds=20))  # one token back (3 per minute)
    assert two.allow(key)
    assert not one.allow(key)
    assert not one.degraded()


def test_another_process_draws_from_the_same_bucket(redis_url: str, clock: FixedClock) -> None:
    key = f"bob|{uuid.uuid4().hex}"
    child = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "import redis\n"
        "from admin_api.login_limiter import RedisLoginLimiter\n"
        "from admin_api.security import TokenBucketLimiter\n"
        "from core.clock import FixedClock\n"
        f"clock = FixedClock(datetime.fromisoformat({clock.now().isoformat()!r}))\n"
        "local = TokenBucketLimiter(3, 1 / 20, clock)\n"
        "lim = RedisLoginLimiter(redis.Redis.from_url(sys.argv[1]), capacity=3,\n"
        "    per_second=1 / 20, clock=clock, fallback=local)\n"
        "print(''.join('y' if lim.allow(sys.argv[2]) else 'n' for _ in range(2)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", child, redis_url, key],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert out == "yy"
    here = _limiter(redis_url, clock)
    assert here.allow(key)
    assert not here.allow(key)  # the other process took two of the three


@pytest.fixture
def seeded(
    keyring: Keyring, clock: FixedClock, tmp_path: Path, sqlite_url: str
) -> Iterator[Database]:
    db = Database.connect(sqlite_url)
    seed(db, keyring, clock, tmp_path, 4)
    yield db
    db.dispose()


def _instance(
    db: Database, keyring: Keyring, clock: FixedClock, tmp: Path, url: str, down: str = "local"
) -> TestClient:
    """One app instance with its own services (and limiter) over the shared database."""
    return TestClient(create_app(build_services(_settings(tmp, url, down), db, keyring, clock)))


def _login(client: TestClient, user: str, password: str) -> int:
    return client.post("/auth/token", data={"username": user, "password": password}).status_code


def test_two_app_instances_share_the_login_count(
    redis_url: str, seeded: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    with (
        _instance(seeded, keyring, clock, tmp_path, redis_url) as one,
        _instance(seeded, keyring, clock, tmp_path, redis_url) as two,
    ):
        user = f"agent-{uuid.uuid4().hex[:6]}"
        statuses = [_login(one if i % 2 else two, user, "wrong") for i in range(12)]
        # ten attempts (the burst) across both instances, then 429 from either of them
        assert statuses == [401] * 10 + [429, 429]
        assert _login(one, "admin", PASSWORD) == 200  # another username, another bucket


def test_dead_redis_falls_back_to_the_process_bucket(clock: FixedClock) -> None:
    limiter = _limiter(DEAD_URL, clock)
    with capture_logs() as logs:
        results = [limiter.allow("eve|10.6.6.6") for _ in range(6)]
    assert results == [True, True, True, False, False, False]  # still limited
    assert limiter.degraded()
    down = [e for e in logs if e["event"] == "auth.limiter_redis_down"]
    assert len(down) == 1  # once per outage
    assert down[0]["log_level"] == "error"


def test_dead_redis_refuses_logins_when_set_to_closed(clock: FixedClock) -> None:
    limiter = _limiter(DEAD_URL, clock, on_down="closed")
    for _ in range(3):
        with pytest.raises(LoginUnavailable):
            limiter.allow("eve|10.6.6.6")


def test_login_over_a_dead_redis(
    seeded: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    with _instance(seeded, keyring, clock, tmp_path, DEAD_URL, "local") as api:
        assert _login(api, "agent", PASSWORD) == 200  # staff can still log in
        statuses = [_login(api, "agent", "wrong") for _ in range(11)]
        assert statuses == [401] * 9 + [429, 429]  # and the process bucket still limits
    with _instance(seeded, keyring, clock, tmp_path, DEAD_URL, "closed") as api:
        r = api.post("/auth/token", data={"username": "agent", "password": PASSWORD})
        assert r.status_code == 503
        assert "rate limiter" in r.json()["detail"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_redis(port: int, tmp: Path) -> subprocess.Popen[bytes]:
    exe = shutil.which("redis-server")
    assert exe, "redis-server is not installed (scripts/install-system-deps.sh)"
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            client.ping()
            return proc
        except redis.RedisError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the throwaway redis-server did not start")


def test_the_shared_bucket_returns_after_an_outage(tmp_path: Path, clock: FixedClock) -> None:
    port = _free_port()
    proc = _start_redis(port, tmp_path)
    url = f"redis://127.0.0.1:{port}/0"
    limiter, other = _limiter(url, clock), _limiter(url, clock)
    try:
        assert limiter.allow("amy|1")
        proc.terminate()
        proc.wait(timeout=10)
        with capture_logs() as logs:
            assert limiter.allow("amy|1")  # the local bucket: a fresh burst of 3
            assert limiter.degraded()
            proc = _start_redis(port, tmp_path)  # an empty Redis: the shared bucket is new
            assert limiter.allow("amy|1")  # still local until the retry period is over
            clock.advance(timedelta(seconds=5))
            assert limiter.allow("amy|1")
            assert not limiter.degraded()
            assert other.allow("amy|1")
            assert other.allow("amy|1")
            assert not limiter.allow("amy|1")  # shared again: 3 taken from the new bucket
        events = [e["event"] for e in logs if e["event"].startswith("auth.limiter")]
        assert events == ["auth.limiter_redis_down", "auth.limiter_redis_back"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
