"""Fixtures for the admin-API tests: a migrated database with a small demo portfolio, one user
per role (the agent user linked to an agent with two assigned cases), and a TestClient.

Imported by the test modules (``from api_fixtures import Api, api, …``) rather than through a
conftest, so the file names stay unique in rootdir mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from admin_api.app import create_app
from admin_api.main import build_services
from admin_api.security import Passwords
from admin_api.services import Services
from admin_api.settings import ApiSettings
from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import Agent, Case, User
from data.portfolio.importer import import_portfolio
from sms.file_gateway import FileSmsGateway
from sms.settings import SmsSettings

AS_OF = date(2026, 11, 29)
PASSWORD = "correct horse battery staple"
ROLES = ("admin", "supervisor", "agent", "auditor")


@dataclass
class Api:
    client: TestClient
    services: Services
    db: Database
    clock: FixedClock
    agent_id: str
    own_cases: list[str]
    other_cases: list[str]
    tokens: dict[str, str] = field(default_factory=dict)

    def login_all(self) -> None:
        for role in ROLES:
            r = self.client.post("/auth/token", data={"username": role, "password": PASSWORD})
            assert r.status_code == 200, r.text
            self.tokens[role] = r.json()["access_token"]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def seed(db: Database, keyring: Keyring, clock: FixedClock, tmp: Path, cases: int) -> str:
    path = tmp / "portfolio.csv"
    write_demo_data(cases, 7, path, AS_OF)
    summary = import_portfolio(db, keyring, path, clock, parallel=False)
    assert summary.stored == cases, summary
    hashed = Passwords(memory_kib=1024, time_cost=1).hash(PASSWORD)
    with db.transaction() as s:
        for role in ROLES:
            s.add(
                User(
                    id=f"usr_{role}",
                    username=role,
                    password_hash=hashed,
                    role=role,
                    active=True,
                    created_at=clock.now(),
                )
            )
        s.flush()
        s.add(
            Agent(
                id="agt_1",
                user_id="usr_agent",
                display_name="Agent One",
                endpoint="PJSIP/agent-1",
                languages=["en"],
                products=[],
                tiers=[],
                capacity=50,
                status="available",
                created_at=clock.now(),
            )
        )
        s.add(
            Agent(
                id="agt_2",
                user_id=None,
                display_name="Agent Two",
                endpoint="PJSIP/agent-2",
                languages=["zh"],
                products=[],
                tiers=[],
                capacity=50,
                status="offline",
                created_at=clock.now(),
            )
        )
        s.flush()
        ids = sorted(s.scalars(select(Case.id)))
        s.execute(update(Case).where(Case.id.in_(ids[:2])).values(assigned_agent_id="agt_1"))
        s.execute(update(Case).where(Case.id.in_(ids[2:4])).values(assigned_agent_id="agt_2"))
    return "agt_1"


def fast_settings(tmp: Path, **extra: object) -> ApiSettings:
    """Fast password hashing, no background rounds, uploads under ``tmp``; ``extra`` adds to
    or overrides these."""
    defaults: dict[str, object] = {
        "upload_dir": str(tmp / "uploads"),
        "login_burst": 50,
        "argon2_memory_kib": 1024,
        "argon2_time_cost": 1,
        "followup_interval": 0,
        "sms_steps_interval": 0,
        "promise_check_interval": 0,
    }
    return ApiSettings(**(defaults | extra))  # type: ignore[arg-type]


def make_api(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp: Path,
    *,
    cases: int = 12,
    settings: ApiSettings | None = None,
) -> Iterator[Api]:
    agent_id = seed(db, keyring, clock, tmp, cases)
    settings = settings or fast_settings(tmp)
    sms = SmsSettings(file_path=tmp / "outbox.jsonl", payment_link="https://pay.example/{case}")
    services = build_services(
        settings, db, keyring, clock, sms_settings=sms, sms_gateway=FileSmsGateway(sms.file_path)
    )
    with db.transaction() as s:
        ids = sorted(s.scalars(select(Case.id)))
    with TestClient(create_app(services)) as client:
        api = Api(client, services, db, clock, agent_id, ids[:2], ids[2:])
        api.login_all()
        yield api


@pytest.fixture
def api(db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> Iterator[Api]:
    """The API over SQLite and over PostgreSQL."""
    yield from make_api(db, keyring, clock, tmp_path)


@pytest.fixture
def sqlite_api(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> Iterator[Api]:
    database = Database.connect(sqlite_url)
    yield from make_api(database, keyring, clock, tmp_path)
    database.dispose()
