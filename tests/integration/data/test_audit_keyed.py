"""The keyed audit chain and its signed checkpoints, against an attacker who can write to the
database (triggers dropped) but does not hold the data keyring. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from cli.main import app
from core.clock import FixedClock
from data import audit, audit_checkpoint
from data.crypto import Keyring, new_key_spec
from data.db import Database
from data.models import AuditEntry


def write(db: Database, clock: FixedClock, n: int, actor: str = "tester") -> None:
    for i in range(n):
        with db.transaction() as s:
            audit.append(s, at=clock.now(), actor=actor, action="case.read",
                         subject_type="case", subject_id=f"L{i}", details={"n": i})  # fmt: skip
        clock.advance(timedelta(seconds=1))


def unguarded(db: Database, *sql: str) -> None:
    with db.transaction() as s:
        if db.dialect == "sqlite":
            s.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            s.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        else:
            s.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        for statement in sql:
            s.execute(text(statement))


def rehash(db: Database, key: bytes | None, actor: str | None = None) -> None:
    """The attacker's rewrite: change an actor, recompute every hash and the head."""
    with db.transaction() as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        rows = [(e.seq, e.at, e.actor, e.action, e.subject_type, e.subject_id, e.details)
                for e in entries]  # fmt: skip
    prev, updates = audit.GENESIS, []
    for seq, at, who, action, stype, sid, details in rows:
        who = actor if (actor and seq == 3) else who
        digest = audit.entry_hash(
            seq=seq, at=at, actor=who, action=action, subject_type=stype,
            subject_id=sid, details=details, prev_hash=prev, key=key,
        )  # fmt: skip
        updates.append(
            f"UPDATE audit_log SET actor = '{who}', prev_hash = '{prev}', hash = '{digest}' "
            f"WHERE seq = {seq}"
        )
        prev = digest
    unguarded(db, *updates, f"UPDATE audit_head SET last_hash = '{prev}' WHERE id = 1")


@pytest.fixture
def keyed(db: Database, keyring: Keyring) -> Database:
    db.use_audit_keys(keyring.audit_keys())
    return db


def verify(db: Database) -> audit.ChainReport:
    with db.transaction() as s:
        return audit.verify(s)


def test_a_keyed_chain_verifies_and_says_it_is_keyed(keyed: Database, clock: FixedClock) -> None:
    write(keyed, clock, 5)
    report = verify(keyed)
    assert (report.ok, report.entries, report.keyed, report.legacy) == (True, 5, 5, 0)


@pytest.mark.parametrize("attacker_key", [None, b"k" * 32])
def test_rewriting_an_actor_and_rehashing_without_the_key_is_detected(
    keyed: Database, clock: FixedClock, attacker_key: bytes | None
) -> None:
    write(keyed, clock, 6)
    rehash(keyed, attacker_key, actor="mallory")
    report = verify(keyed)
    assert not report.ok
    assert report.problems[0].startswith("entry 1: "), report.problems


def test_legacy_entries_count_only_before_the_first_keyed_one(
    db: Database, keyring: Keyring, clock: FixedClock
) -> None:
    write(db, clock, 3)  # a chain written before keying (no keys in the sessions)
    db.use_audit_keys(keyring.audit_keys())
    write(db, clock, 3)
    report = verify(db)  # the bound of legacy entries was not given: they are suspect
    assert [p[:20] for p in report.problems] == ["entry 1: not keyed ("] * 1 + [
        "entry 2: not keyed (",
        "entry 3: not keyed (",
    ]
    db.use_audit_keys(keyring.audit_keys(legacy_until=3))
    report = verify(db)
    assert (report.ok, report.keyed, report.legacy) == (True, 3, 3)
    unkeyed = Database.connect(db.url)  # a writer without the key, after keyed entries
    write(unkeyed, clock, 1, actor="mallory")
    unkeyed.dispose()
    report = verify(db)
    assert not report.ok
    assert any("entry 7: not keyed" in p for p in report.problems), report.problems


def test_a_rotated_keyring_verifies_entries_signed_with_the_old_key(
    db: Database, keyring: Keyring, clock: FixedClock
) -> None:
    db.use_audit_keys(keyring.audit_keys())
    write(db, clock, 2)
    old_spec = f"{keyring.active.kid}:{__import__('base64').b64encode(keyring.active.key).decode()}"
    rotated = Keyring.from_spec(new_key_spec() + "," + old_spec)
    db.use_audit_keys(rotated.audit_keys())
    write(db, clock, 2)
    assert verify(db).ok
    db.use_audit_keys(Keyring.from_spec(new_key_spec()).audit_keys())  # the old key dropped
    assert not verify(db).ok  # entries it signed can no longer be vouched for


def test_a_checkpoint_catches_truncation_with_a_rewritten_head(
    keyed: Database, keyring: Keyring, clock: FixedClock
) -> None:
    write(keyed, clock, 20)
    keys = keyring.audit_keys()
    with keyed.transaction() as s:
        cp = audit_checkpoint.make(s, keys, clock.now())
        assert audit_checkpoint.check(s, cp, keys) == []
    with keyed.transaction() as s:
        tenth = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 10))
    unguarded(keyed, "DELETE FROM audit_log WHERE seq > 10",
              f"UPDATE audit_head SET seq = 10, last_hash = '{tenth}' WHERE id = 1")  # fmt: skip
    assert verify(keyed).ok  # the database alone cannot tell
    with keyed.transaction() as s:
        problems = audit_checkpoint.check(s, cp, keys)
    assert "truncated" in problems[0]
    assert "entry 20" in problems[0]


def test_a_checkpoint_catches_a_chain_rewritten_as_legacy_and_refuses_edits(
    keyed: Database, keyring: Keyring, clock: FixedClock
) -> None:
    write(keyed, clock, 5)
    keys = keyring.audit_keys()
    with keyed.transaction() as s:
        cp = audit_checkpoint.make(s, keys, clock.now())
    rehash(keyed, None, actor="mallory")  # every entry rewritten as an unkeyed legacy chain
    with keyed.transaction() as s:
        assert "differs from the checkpoint" in audit_checkpoint.check(s, cp, keys)[0]
        edited = {**cp, "seq": 3}
        assert "altered" in audit_checkpoint.check(s, edited, keys)[0]
        other = Keyring.from_spec(new_key_spec()).audit_keys()
        assert "not in the keyring" in audit_checkpoint.check(s, cp, other)[0]
        assert "not a checkpoint" in audit_checkpoint.check(s, {"seq": 1}, keys)[0]


def test_cli_checkpoint_then_verify_detects_a_truncation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", url)
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", new_key_spec())
    runner = CliRunner()
    for _ in range(3):
        assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    out = tmp_path / "cp.json"
    result = runner.invoke(app, ["audit", "checkpoint", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["seq"] == 4
    ok = runner.invoke(app, ["audit", "verify", "--checkpoint", str(out)])
    assert ok.exit_code == 0, ok.output
    assert "4 keyed" in ok.output
    db = Database.connect(url)
    with db.transaction() as s:
        third = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 3))
    unguarded(db, "DELETE FROM audit_log WHERE seq = 4",
              f"UPDATE audit_head SET seq = 3, last_hash = '{third}' WHERE id = 1")  # fmt: skip
    db.dispose()
    broken = runner.invoke(app, ["audit", "verify", "--checkpoint", str(out)])
    assert broken.exit_code == 1
    assert "truncated" in broken.output
