"""The one contact history (``data.contact_history``) on SQLite and PostgreSQL: every call and
SMS to the debtor on any of their cases, keyed by case, failed SMS and other debtors left out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.contact_history import contact_histories, contact_history, guard_since
from data.crypto import Keyring
from data.db import Database
from data.models import Case, ContactAttempt, SmsMessage
from data.portfolio.importer import import_portfolio
from scoring.compliance import CN, DEFAULT_PROFILES, US, Channel, HistoryEntry

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def test_every_contact_of_the_debtor_once_keyed_by_case(
    db: Database, keyring: Keyring, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    write_demo_data(6, 3, path, date(2026, 12, 1))
    import_portfolio(db, keyring, path, FixedClock(NOW))
    with db.transaction() as s:
        a, b, other = s.scalars(select(Case).order_by(Case.id)).all()[:3]
        b.debtor_id = a.debtor_id  # a debtor with two cases
        s.flush()

        def call(key: str, case: Case, ago: timedelta, talk: bool = False) -> None:
            s.add(ContactAttempt(
                id=key, idempotency_key=key, case_id=case.id, channel="call",
                started_at=NOW - ago, state="done", connected=talk, conversation=talk,
            ))  # fmt: skip

        def sms(key: str, case: Case, ago: timedelta, status: str) -> None:
            s.add(SmsMessage(
                id=key, case_id=case.id, template="t", language="en", body_enc=b"x",
                status=status, created_at=NOW - ago,
                sent_at=NOW - ago if status == "sent" else None,
            ))  # fmt: skip

        call("c1", a, timedelta(days=1), talk=True)
        call("c2", b, timedelta(hours=2))
        call("c-old", a, timedelta(days=30))
        call("c-other", other, timedelta(hours=1))
        sms("s1", a, timedelta(hours=3), "sent")
        sms("s2", b, timedelta(hours=1), "queued")  # may already be on its way: counts
        sms("s3", a, timedelta(hours=4), "failed")
        s.add(ContactAttempt(id="sim", idempotency_key="sim", case_id=a.id, channel="letter",
                             started_at=NOW, state="done"))  # fmt: skip
        s.flush()
        recent = contact_history(s, a.debtor_id, guard_since(NOW))
        everything = contact_histories(s, None, None)
        a_id, b_id, debtor = a.id, b.id, a.debtor_id
    assert recent == [
        HistoryEntry(Channel.CALL, NOW - timedelta(days=1), a_id, True, True),
        HistoryEntry(Channel.SMS, NOW - timedelta(hours=3), a_id),
        HistoryEntry(Channel.CALL, NOW - timedelta(hours=2), b_id),
        HistoryEntry(Channel.SMS, NOW - timedelta(hours=1), b_id),
    ]
    assert len(everything[debtor]) == 5  # the 30-day-old call too
    assert all(h.debt_id != a_id for h in everything[other.debtor_id])


def test_the_window_covers_every_rule_of_the_profiles() -> None:
    assert guard_since(NOW) == NOW - timedelta(days=8)
    wide = {"US": US, "XX": replace(CN, code="XX", window_days=10)}
    assert guard_since(NOW, wide) == NOW - timedelta(days=11)
    assert set(DEFAULT_PROFILES) == {"US", "CN"}
