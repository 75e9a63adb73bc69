"""One finished call written in one transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from core.dialogue import Installment, RecordDispute, RecordPaymentPlan, RecordPromise
from core.money import Money
from data import audit
from data.call_records import CallRecord, read_transcript, save_call
from data.crypto import Keyring
from data.db import Database
from data.models import Case, CaseNote, ContactAttempt, Debtor, PaymentPlan, Promise
from data.portfolio.importer import import_portfolio

T0 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def first_case(db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> str:
    path = tmp_path / "p.csv"
    write_demo_data(5, 2, path, date(2026, 11, 30))
    import_portfolio(db, keyring, path, clock)
    with path.open(encoding="utf-8") as f:
        return next(csv.DictReader(f))["loan_id"]


def test_promise_call_is_written_whole(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    case_id = first_case(db, keyring, clock, tmp_path)
    record = CallRecord(
        attempt_id="att_1",
        case_id=case_id,
        started_at=T0,
        answered_at=T0 + timedelta(seconds=5),
        ended_at=T0 + timedelta(seconds=95),
        outcome="promise_to_pay",
        transcript=[
            (T0, "bot", "Hello, may I speak with Jane?"),
            (T0, "debtor", "i can pay 200 on friday"),
        ],
        recording_ref="recordings/att_1.wav",
        records=[RecordPromise(Money.of("200", "USD"), date(2026, 12, 4))],
    )
    with db.transaction() as s:
        save_call(s, keyring, record, T0)
    with db.transaction() as s:
        attempt = s.get(ContactAttempt, "att_1")
        assert attempt is not None
        assert (attempt.outcome, attempt.state, attempt.connected) == (
            "promise_to_pay",
            "done",
            True,
        )
        assert b"friday" not in (attempt.transcript_enc or b"")
        assert read_transcript(keyring, attempt)[1]["text"] == "i can pay 200 on friday"
        promise = s.scalars(select(Promise).where(Promise.case_id == case_id)).one()
        assert (promise.amount_minor, promise.currency, promise.due_date) == (
            20000,
            "USD",
            date(2026, 12, 4),
        )
        assert s.get(Case, case_id).status == "promised"  # type: ignore[union-attr]
        assert audit.verify(s).ok


def test_failure_mid_write_leaves_nothing(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    case_id = first_case(db, keyring, clock, tmp_path)
    plan = RecordPaymentPlan((Installment(Money.of("50", "USD"), date(2026, 12, 15)),))
    record = CallRecord(
        attempt_id="att_2",
        case_id=case_id,
        started_at=T0,
        ended_at=T0,
        outcome="dispute",
        records=[RecordDispute("never had this loan"), plan],
    )

    def write_then_crash() -> None:
        with db.transaction() as s:
            save_call(s, keyring, record, T0)
            raise RuntimeError("crash after writing")

    with pytest.raises(RuntimeError, match="crash after writing"):
        write_then_crash()
    with db.transaction() as s:
        assert s.get(ContactAttempt, "att_2") is None
        assert s.scalars(select(PaymentPlan)).all() == []
        case = s.get(Case, case_id)
        assert case is not None
        assert case.status == "open"
        debtor = s.get(Debtor, case.debtor_id)
        assert debtor is not None
        assert debtor.dispute is False


def test_dispute_sets_the_flag_and_keeps_a_note(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    case_id = first_case(db, keyring, clock, tmp_path)
    record = CallRecord(
        attempt_id="att_3",
        case_id=case_id,
        started_at=T0,
        ended_at=T0,
        outcome="dispute",
        records=[RecordDispute("I never took this loan")],
    )
    with db.transaction() as s:
        save_call(s, keyring, record, T0)
    with db.transaction() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert case.status == "disputed"
        assert s.get(Debtor, case.debtor_id).dispute is True  # type: ignore[union-attr]
        note = s.scalars(select(CaseNote).where(CaseNote.case_id == case_id)).one()
        assert keyring.decrypt(note.body_enc, "case_notes.body") == "I never took this loan"
