"""PostgreSQL stopped under the API and started again: 503 while it is down, never a 500 or a
half answer, and service again by itself once it is back (recovery time printed).

Runs a private PostgreSQL cluster (scripts/services.sh with its own folder and port), so the
shared test database is never touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import Api, make_api
from sqlalchemy import create_engine, text

from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database, migrate

SERVICES = Path(__file__).resolve().parents[3] / "scripts" / "services.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PrivatePostgres:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.env = os.environ | {
            "COLLECTBOT_SERVICES_DIR": str(folder),
            "COLLECTBOT_PG_PORT": str(self.port),
        }

    def _run(self, action: str) -> None:
        done = subprocess.run(
            ["bash", str(SERVICES), action, "postgres"],
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr + done.stdout

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/collectbot"


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    # initdb runs as the postgres user, who cannot enter pytest's 0700 temporary folders
    folder = Path(tempfile.mkdtemp(prefix="collectbot-pg-fault-", dir="/var/tmp"))
    folder.chmod(0o755)
    pg = PrivatePostgres(folder)
    pg.start()
    try:
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def api_on_private_pg(
    private_pg: PrivatePostgres, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> Iterator[tuple[Api, PrivatePostgres]]:
    migrate(private_pg.url)
    db = Database.connect(private_pg.url)
    try:
        for api in make_api(db, keyring, clock, tmp_path):
            yield api, private_pg
    finally:
        db.dispose()


def test_the_api_answers_503_while_postgres_is_down_and_recovers_alone(
    api_on_private_pg: tuple[Api, PrivatePostgres],
) -> None:
    api, pg = api_on_private_pg
    case = api.own_cases[0]
    agent = api.headers("agent")
    assert api.client.get(f"/cases/{case}", headers=agent).status_code == 200

    pg.stop()
    for path in (f"/cases/{case}", "/cases", "/campaigns"):
        answer = api.client.get(
            path, headers=api.headers("supervisor" if path != f"/cases/{case}" else "agent")
        )
        assert answer.status_code == 503, (path, answer.status_code, answer.text[:300])
        assert answer.headers.get("retry-after")
        assert "database" in answer.json()["detail"]
    ready = api.client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] != "ok"
    # a login while the database is down is refused cleanly too (no token handed out)
    login = api.client.post("/auth/token", data={"username": "agent", "password": "x" * 12})
    assert login.status_code == 503

    pg.start()
    back = time.monotonic()
    while True:
        answer = api.client.get(f"/cases/{case}", headers=agent)
        if answer.status_code == 200:
            break
        assert answer.status_code == 503, answer.text[:300]
        assert time.monotonic() - back < 30, "the API did not recover within 30 s"
        time.sleep(0.2)
    print(f"\nrecovered {time.monotonic() - back:.2f} s after PostgreSQL accepted connections")
    assert api.client.get("/health/ready").status_code == 200
    # nothing half-written: the audit chain written before, during and after still verifies
    engine = create_engine(pg.url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0
    engine.dispose()
