"""Writing one finished call: attempt, outcome, transcript, recording, promise or plan, flags.

Everything a call produced is written in one transaction, so a crash never leaves a promise
without its attempt or an attempt without its outcome.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.dialogue import (
    DialogueCommand,
    RecordAlreadyPaid,
    RecordCease,
    RecordDispute,
    RecordHardship,
    RecordPaymentPlan,
    RecordPromise,
    ScheduleCallback,
)
from data import audit
from data.crypto import Keyring
from data.models import Case, CaseNote, ContactAttempt, Debtor, PaymentPlan, Promise

RIGHT_PARTY_OUTCOMES = frozenset(
    {
        "promise_to_pay",
        "payment_plan",
        "already_paid",
        "dispute",
        "callback_scheduled",
        "refused",
        "transferred",
        "cease_requested",
    }
)
CASE_STATUS_BY_OUTCOME = {
    "promise_to_pay": "promised",
    "payment_plan": "plan",
    "dispute": "disputed",
    "cease_requested": "ceased",
}


@dataclass(frozen=True, slots=True)
class CallRecord:
    attempt_id: str
    case_id: str
    started_at: datetime
    ended_at: datetime
    outcome: str
    answered_at: datetime | None = None
    campaign_id: str | None = None
    phone_id: int | None = None
    agent_id: str | None = None
    transcript: Sequence[tuple[datetime, str, str]] = ()  # (at, speaker, text)
    recording_ref: str | None = None
    records: Sequence[DialogueCommand] = ()
    detail: dict[str, object] = field(default_factory=dict)


def _note(
    session: Session, keyring: Keyring, case_id: str, kind: str, text: str, now: datetime
) -> None:
    session.add(
        CaseNote(
            case_id=case_id,
            author="bot",
            kind=kind,
            body_enc=keyring.encrypt(text, "case_notes.body"),
            created_at=now,
        )
    )


def _apply(
    session: Session,
    keyring: Keyring,
    case: Case,
    attempt_id: str,
    cmd: DialogueCommand,
    now: datetime,
) -> None:
    match cmd:
        case RecordPromise(amount=amount, due=due):
            session.add(
                Promise(
                    case_id=case.id,
                    attempt_id=attempt_id,
                    amount_minor=amount.minor,
                    currency=amount.currency,
                    due_date=due,
                    status="pending",
                    created_at=now,
                )
            )
        case RecordPaymentPlan(installments=items):
            session.add(
                PaymentPlan(
                    case_id=case.id,
                    attempt_id=attempt_id,
                    currency=items[0].amount.currency,
                    installments=[
                        {"due": i.due.isoformat(), "amount_minor": i.amount.minor} for i in items
                    ],
                    status="active",
                    created_at=now,
                )
            )
        case RecordDispute(reason=reason):
            session.execute(
                update(Debtor)
                .where(Debtor.id == case.debtor_id)
                .values(dispute=True, updated_at=now)
            )
            _note(session, keyring, case.id, "dispute", reason, now)
        case RecordCease(said=said):
            session.execute(
                update(Debtor).where(Debtor.id == case.debtor_id).values(cease=True, updated_at=now)
            )
            _note(session, keyring, case.id, "cease", said, now)
        case RecordAlreadyPaid(paid_on=paid_on, channel=channel):
            _note(
                session,
                keyring,
                case.id,
                "already_paid",
                f"says paid on {paid_on} via {channel}; verify",
                now,
            )
            case.next_action = {
                "channel": "verify_payment",
                "paid_on": str(paid_on),
                "via": channel,
            }
        case RecordHardship(said=said):
            _note(session, keyring, case.id, "hardship", said, now)
        case ScheduleCallback(at=at):
            case.next_action_at = at or now + timedelta(days=1)
            case.next_action = {"channel": "call", "reason": "callback"}
        case _:
            pass


def save_call(session: Session, keyring: Keyring, record: CallRecord, now: datetime) -> None:
    """Write the call in the caller's transaction (the dialer's ledger row is completed)."""
    case = session.get(Case, record.case_id)
    if case is None:
        raise LookupError(f"case {record.case_id} does not exist")
    transcript = json.dumps(
        [
            {"at": at.isoformat(), "speaker": who, "text": text}
            for at, who, text in record.transcript
        ],
        ensure_ascii=False,
    )
    right_party = record.outcome in RIGHT_PARTY_OUTCOMES
    values = {
        "state": "done",
        "outcome": record.outcome,
        "answered_at": record.answered_at,
        "ended_at": record.ended_at,
        "connected": right_party,
        "conversation": right_party and record.outcome not in ("refused",),
        "transcript_enc": keyring.encrypt(transcript, "contact_attempts.transcript"),
        "recording_ref": record.recording_ref,
        "agent_id": record.agent_id,
        "detail": dict(record.detail),
    }
    exists = session.scalar(select(ContactAttempt.id).where(ContactAttempt.id == record.attempt_id))
    if exists:
        session.execute(
            update(ContactAttempt).where(ContactAttempt.id == record.attempt_id).values(**values)
        )
    else:
        session.add(
            ContactAttempt(
                id=record.attempt_id,
                idempotency_key=f"call:{record.attempt_id}",
                case_id=record.case_id,
                campaign_id=record.campaign_id,
                channel="call",
                phone_id=record.phone_id,
                started_at=record.started_at,
                **values,
            )
        )
        session.flush()
    for cmd in record.records:
        _apply(session, keyring, case, record.attempt_id, cmd, now)
    if record.outcome in CASE_STATUS_BY_OUTCOME:
        case.status = CASE_STATUS_BY_OUTCOME[record.outcome]
    case.updated_at = now
    audit.append(
        session,
        at=now,
        actor="ivr",
        action="call.recorded",
        subject_type="case",
        subject_id=case.id,
        details={"attempt_id": record.attempt_id, "outcome": record.outcome},
    )


def read_transcript(keyring: Keyring, attempt: ContactAttempt) -> list[dict[str, str]]:
    if attempt.transcript_enc is None:
        return []
    lines: list[dict[str, str]] = json.loads(
        keyring.decrypt(attempt.transcript_enc, "contact_attempts.transcript")
    )
    return lines
