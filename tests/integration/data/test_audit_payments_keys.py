"""Audit chain, payment feed and key rotation on real SQLite and PostgreSQL databases."""

from __future__ import annotations

import base64
import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data import audit
from data.crypto import Keyring, new_key_spec
from data.db import Database
from data.keys import rotate
from data.lookup import debtors_by_phone
from data.models import BalanceHistory, Case, Debtor, Loan, Payment
from data.portfolio.importer import import_portfolio
from data.portfolio.payments import import_payments


def write_entries(db: Database, clock: FixedClock, n: int) -> None:
    for i in range(n):
        with db.transaction() as s:
            audit.append(
                s,
                at=clock.now(),
                actor="tester",
                action="case.read",
                subject_type="case",
                subject_id=f"L{i}",
                details={"fields": ["name", "phone"], "n": i},
            )
        clock.advance(timedelta(seconds=1))


def _without_guard(db: Database, sql: str) -> None:
    """What an attacker with database access does: bypass the append-only trigger."""
    with db.transaction() as s:
        if db.dialect == "sqlite":
            s.execute(text("DROP TRIGGER audit_log_no_update"))
            s.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            s.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        s.execute(text(sql))


def test_chain_intact(db: Database, clock: FixedClock) -> None:
    write_entries(db, clock, 5)
    with db.transaction() as s:
        report = audit.verify(s)
    assert (report.ok, report.entries, report.problems) == (True, 5, ())


def test_audit_log_is_append_only_in_the_database(db: Database, clock: FixedClock) -> None:
    write_entries(db, clock, 2)
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(text("UPDATE audit_log SET actor = 'x' WHERE seq = 1"))
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", "entry 3: content was changed"),
        ("DELETE FROM audit_log WHERE seq = 2", "entries 2..2 are missing"),
        (
            "DELETE FROM audit_log WHERE seq = 5",
            "the log ends at entry 4 but the head records entry 5",
        ),
    ],
)
def test_tampering_is_detected(db: Database, clock: FixedClock, sql: str, problem: str) -> None:
    write_entries(db, clock, 5)
    _without_guard(db, sql)
    with db.transaction() as s:
        report = audit.verify(s)
    assert not report.ok
    assert any(problem in p for p in report.problems), report.problems


def _portfolio(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> list[dict[str, str]]:
    path = tmp_path / "p.csv"
    write_demo_data(30, 11, path, date(2026, 11, 29))
    import_portfolio(db, keyring, path, clock)
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_payments_feed_is_idempotent_and_updates_balances(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    rows = _portfolio(db, keyring, clock, tmp_path)
    a, b = rows[0], rows[1]
    feed = tmp_path / "payments.csv"
    with feed.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["loan_id", "amount", "currency", "paid_at", "reference"])
        w.writerow([a["loan_id"], "10.25", a["currency"], "2026-11-28T10:00:00+08:00", "PAY-1"])
        w.writerow([b["loan_id"], b["outstanding"], b["currency"], "2026-11-28", "PAY-2"])
        w.writerow(["NOPE", "5", "USD", "2026-11-28", "PAY-3"])
        w.writerow(
            [a["loan_id"], "5", "EUR" if a["currency"] != "EUR" else "USD", "2026-11-28", "PAY-4"]
        )
    first = import_payments(db, feed, clock)
    assert (first.applied, first.duplicates, first.rejected) == (2, 0, 2)
    second = import_payments(db, feed, clock)
    assert (second.applied, second.duplicates, second.rejected) == (0, 2, 2)
    with db.transaction() as s:
        loan_a = s.get(Loan, a["loan_id"])
        assert loan_a is not None
        expected = round(float(a["outstanding"]) * 100) - 1025
        assert loan_a.outstanding_minor == expected
        assert s.get(Case, b["loan_id"]).status == "paid"  # type: ignore[union-attr]
        assert len(s.scalars(select(Payment)).all()) == 2
        hist = s.scalars(
            select(BalanceHistory.source).where(BalanceHistory.loan_id == a["loan_id"])
        ).all()
        assert hist == ["import", "payment"]


def spec_of(ring: Keyring) -> str:
    return f"{ring.active.kid}:{base64.b64encode(ring.active.key).decode()}"


def test_key_rotation_reencrypts_everything_and_lookups_keep_working(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    rows = _portfolio(db, keyring, clock, tmp_path)
    old_spec = spec_of(keyring)
    both = Keyring.from_spec(f"{new_key_spec()},{old_spec}")
    with db.transaction() as s:  # during the rotation window, lookups search under both keys
        assert debtors_by_phone(s, both, rows[0]["phone"]) == [rows[0]["debtor_id"]]
    report = rotate(db, both, batch=7)
    assert report.rows > 30
    assert rotate(db, both).rows == 0  # resumable: nothing left under the old key
    new_only = Keyring.from_spec(spec_of(both))
    with db.transaction() as s:
        for debtor in s.scalars(select(Debtor)):
            assert new_only.kid_of(debtor.name_enc) == new_only.active.kid
            new_only.decrypt(debtor.name_enc, "debtors.name")
        assert debtors_by_phone(s, new_only, rows[0]["phone"]) == [rows[0]["debtor_id"]]
