"""Encrypted SQLite backups: create while the database is in use, verify, refuse an altered,
cut or foreign file, restore and find the audit chain intact and the personal data readable."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hostile_files import base_rows, stored_names, write_csv
from typer.testing import CliRunner

from cli.main import app
from core.clock import FixedClock
from data import audit, backup
from data.backup import BackupError
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.portfolio.importer import import_portfolio


@pytest.fixture
def live(tmp_path: Path, keyring: Keyring, clock: FixedClock) -> Database:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    migrate(url)
    db = Database.connect(url)
    db.use_audit_keys(keyring.audit_keys())
    rows = base_rows(tmp_path, 25)
    import_portfolio(db, keyring, write_csv(tmp_path / "p.csv", rows), clock, parallel=False)
    return db


def test_create_verify_restore_round_trip(
    live: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    out = tmp_path / "b.cbk"
    made = backup.create(live.url, keyring, out, clock.now())
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert b"debtors" not in out.read_bytes()  # nothing readable, not even table names
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    keys = keyring.audit_keys()
    checked = backup.verify(out, keyring, keys)
    assert (checked.debtors, checked.audit_seq) == (25, made.audit_seq)
    with live.transaction() as s:  # the live database moves on; the backup does not
        audit.append(s, at=clock.now(), actor="t", action="x", subject_type="y")
    target = tmp_path / "restored.sqlite3"
    backup.restore(out, keyring, keys, target)
    restored = Database.connect(f"sqlite:///{target}")
    restored.use_audit_keys(keys)
    with restored.transaction() as s:
        report = audit.verify(s)
    assert report.ok
    assert report.entries == made.audit_seq
    assert stored_names(restored, keyring) == stored_names(live, keyring)
    with pytest.raises(BackupError, match="exists"):
        backup.restore(out, keyring, keys, target)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-1], "cut short or altered"),
        (lambda b: b[: len(b) // 2], "cut short or altered"),
        (lambda b: b[:200] + bytes([b[200] ^ 1]) + b[201:], "altered"),
        (lambda b: b + b"x", "altered"),
        (lambda b: b"garbage" + b, "not a CollectBot backup"),
    ],
)
def test_an_altered_or_cut_backup_is_refused(
    live: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    damage: object,
    message: str,
) -> None:
    out = tmp_path / "b.cbk"
    backup.create(live.url, keyring, out, clock.now())
    out.write_bytes(damage(out.read_bytes()))  # type: ignore[operator]
    with pytest.raises(BackupError, match=message):
        backup.verify(out, keyring, keyring.audit_keys())
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_backup_needs_its_key_and_never_overwrites(
    live: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    out = tmp_path / "b.cbk"
    backup.create(live.url, keyring, out, clock.now())
    other = Keyring.from_spec(new_key_spec())
    with pytest.raises(BackupError, match="not in the keyring"):
        backup.verify(out, other, other.audit_keys())
    with pytest.raises(BackupError, match="never overwrites"):
        backup.create(live.url, keyring, out, clock.now())
    link = tmp_path / "link.cbk"
    link.symlink_to(tmp_path / "victim")
    with pytest.raises(BackupError, match="never overwrites"):
        backup.create(live.url, keyring, link, clock.now())
    assert not (tmp_path / "victim").exists()


def test_cli_backup_create_verify_restore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", new_key_spec())
    runner = CliRunner()
    rows = base_rows(tmp_path, 5)
    assert (
        runner.invoke(
            app, ["portfolio", "import", str(write_csv(tmp_path / "p.csv", rows))]
        ).exit_code
        == 0
    )
    out = tmp_path / "cli.cbk"
    made = runner.invoke(app, ["backup", "create", str(out)])
    assert made.exit_code == 0, made.output
    checked = runner.invoke(app, ["backup", "verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "5 debtors" in checked.output
    refused = runner.invoke(app, ["backup", "restore", str(out)])  # the live file exists
    assert refused.exit_code == 2
    restored = runner.invoke(app, ["backup", "restore", str(out), "--to", str(tmp_path / "r.db")])
    assert restored.exit_code == 0, restored.output
    out.write_bytes(out.read_bytes()[:-5])
    broken = runner.invoke(app, ["backup", "verify", str(out)])
    assert broken.exit_code == 1
    assert "BROKEN" in broken.output
