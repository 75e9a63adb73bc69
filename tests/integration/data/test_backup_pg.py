"""PostgreSQL backups against the running server: ``pg_dump`` sealed as it streams (consistent
with the audit head while writers run), restored into a fresh database where the audit chain
verifies and the debtors' personal data decrypts; altered files and existing targets refused.
Also the scheduled backups' keep-N."""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import PG_ADMIN_URL
from hostile_files import base_rows, stored_names, write_csv
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from cli.main import app
from core.clock import FixedClock
from data import audit, backup_pg, backup_schedule
from data.backup import BackupError
from data.crypto import Keyring, new_key_spec
from data.db import Database
from data.portfolio.importer import import_portfolio


def _databases() -> set[str]:
    admin = create_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT datname FROM pg_database"))}
    admin.dispose()
    return names


@pytest.fixture
def live(pg_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> Iterator[Database]:
    db = Database.connect(pg_url)
    db.use_audit_keys(keyring.audit_keys())
    rows = base_rows(tmp_path, 20)
    import_portfolio(db, keyring, write_csv(tmp_path / "p.csv", rows), clock, parallel=False)
    yield db
    db.dispose()


@pytest.fixture
def fresh_url() -> Iterator[str]:
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/r_{uuid.uuid4().hex[:12]}"
    yield url
    backup_pg.drop_db(url)


def test_a_dump_taken_while_writers_run_restores_with_its_chain_and_readable_data(
    live: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path, fresh_url: str
) -> None:
    stop = threading.Event()

    def write() -> None:  # the API keeps writing while the backup runs
        while not stop.is_set():
            with live.transaction() as s:
                audit.append(s, at=clock.now(), actor="t", action="busy", subject_type="x")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        out = tmp_path / "pg.cbk"
        made = backup_pg.create(live.url, keyring, out, clock.now())
    finally:
        stop.set()
        writer.join()
    assert made.engine == "postgresql"
    assert made.debtors == 20
    blob = out.read_bytes()
    assert b"debtors" not in blob
    assert b"PGDMP" not in blob  # the custom-format dump's magic: nothing in clear
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    keys = keyring.audit_keys()
    restored = backup_pg.restore(out, keyring, keys, fresh_url)
    assert restored.audit_entries == made.audit_seq  # the head of the dump's own instant
    db = Database.connect(fresh_url)
    db.use_audit_keys(keys)
    try:
        with db.transaction() as s:
            assert audit.verify(s).ok
        assert stored_names(db, keyring) == stored_names(live, keyring)  # decrypts, all of it
    finally:
        db.dispose()
    with pytest.raises(BackupError, match="exists"):
        backup_pg.restore(out, keyring, keys, fresh_url)


def test_an_altered_dump_is_refused_and_leaves_no_database(
    live: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path, fresh_url: str
) -> None:
    out = tmp_path / "pg.cbk"
    backup_pg.create(live.url, keyring, out, clock.now())
    blob = bytearray(out.read_bytes())
    blob[len(blob) // 2] ^= 1
    out.write_bytes(bytes(blob))
    with pytest.raises(BackupError, match="altered"):  # never half-restored
        backup_pg.restore(out, keyring, keyring.audit_keys(), fresh_url)
    assert fresh_url.rsplit("/", 1)[1] not in _databases()
    other = Keyring.from_spec(new_key_spec())
    with pytest.raises(BackupError, match="not in the keyring"):
        backup_pg.restore(out, other, other.audit_keys(), fresh_url)


def test_verify_restores_into_a_scratch_database_and_drops_it(
    live: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    out = tmp_path / "pg.cbk"
    backup_pg.create(live.url, keyring, out, clock.now())
    before = _databases()
    report = backup_pg.verify(out, keyring, keyring.audit_keys(), live.url)
    assert report.debtors == 20
    assert _databases() == before


def test_cli_backs_up_postgres_and_restores_it(
    live: Database, tmp_path: Path, keyring: Keyring, fresh_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", live.url)
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", f"{keyring.active.kid}:" + _b64(keyring))
    runner = CliRunner()
    out = tmp_path / "cli.cbk"
    made = runner.invoke(app, ["backup", "create", str(out)])
    assert made.exit_code == 0, made.output
    assert "postgresql" in made.output
    checked = runner.invoke(app, ["backup", "verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "20 debtors" in checked.output
    no_target = runner.invoke(app, ["backup", "restore", str(out)])
    assert no_target.exit_code == 2
    done = runner.invoke(app, ["backup", "restore", str(out), "--to-url", fresh_url])
    assert done.exit_code == 0, done.output


def _b64(keyring: Keyring) -> str:
    return base64.b64encode(keyring.active.key).decode()


def test_scheduled_backups_keep_the_newest_n(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    stranger = folder / "notes.txt"  # not ours: never removed
    stranger.write_text("x")
    made = []
    for hour in range(5):
        at = clock.now() + timedelta(hours=hour)
        made.append(backup_schedule.take(sqlite_url, keyring, folder, at, keep=3))
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted([*(m.path.name for m in made[-3:]), "notes.txt"])
    assert [len(m.removed) for m in made] == [0, 0, 0, 1, 1]
