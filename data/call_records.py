"""Writing one finished call: attempt, outcome, transcript, recording, promise or plan, flags,
the case's status and next action, the dialed phone's fate.

Everything a call produced is written in one transaction, exactly once per attempt, so a crash
never leaves a promise without its attempt or an attempt without its outcome, and a second report
of the same call never overwrites the first. What to write is decided by ``dialer.call_end``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.call_end import CASE_STATUS_BY_OUTCOME, conversation, outcome_of, right_party
from core.dialogue import (
    DialogueCommand,
    RecordAlreadyPaid,
    RecordCease,
    RecordDeceased,
    RecordDisclosureReview,
    RecordDispute,
    RecordEstateContact,
    RecordHardship,
    RecordPaymentPlan,
    RecordPromise,
)
from core.logging import get_logger
from data import audit
from data.attempts import INTERRUPTED
from data.crypto import Keyring
from data.models import (
    Campaign,
    Case,
    CaseNote,
    ContactAttempt,
    Debtor,
    DebtorPhone,
    PaymentPlan,
    Promise,
)

log = get_logger(__name__)


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
    next_action: dict[str, Any] | None = None  # None: the case's next action is left as it is
    next_action_at: datetime | None = None
    retire_phone: str | None = None  # the dialed phone's new status (wrong_number, invalid)


@dataclass(frozen=True, slots=True)
class AttemptAtEnd:
    """What the end of a call needs to know of its attempt, case and debtor."""

    attempt_id: str
    case_id: str
    campaign_id: str | None
    phone_id: int | None
    started_at: datetime | None
    recorded: bool  # the attempt's end is already written (state ``done``)
    usable_phone_ids: tuple[int, ...]  # the debtor's active numbers, in dialing order
    stored_position: int  # the case's ``next_action.phone_position``
    attempts: int  # attempts of the case in this campaign (all channels without one)
    timezone: str
    outcomes: dict[str, int] = field(default_factory=dict)  # earlier attempts' outcomes, counted
    definition: dict[str, Any] | None = None  # the campaign's stored definition (None: no campaign)

    @property
    def phone_position(self) -> int:
        """The dialed phone's place among the usable numbers (the stored one if unknown)."""
        if self.phone_id in self.usable_phone_ids:
            return self.usable_phone_ids.index(self.phone_id)
        return self.stored_position


def is_unknown_end(row: ContactAttempt) -> bool:
    """Closed by recovery (``dialer.recovery``: its worker died) with nothing known of the call:
    ``interrupted`` and never stored as answered. An ``interrupted`` call reported by the IVR
    itself (its line lost with Asterisk) was answered and is a real end."""
    return row.outcome == INTERRUPTED and row.answered_at is None


def unknown_end() -> ColumnElement[bool]:
    """``is_unknown_end`` as a SQL condition."""
    return and_(ContactAttempt.outcome == INTERRUPTED, ContactAttempt.answered_at.is_(None))


def attempt_at_end(session: Session, attempt_id: str, case_id: str | None) -> AttemptAtEnd | None:
    """The attempt's ledger row (or, for a call placed without one, the given case); None when
    neither names a stored case."""
    row = session.get(ContactAttempt, attempt_id)
    case = session.get(Case, row.case_id if row is not None else case_id or "")
    if case is None:
        return None
    debtor = session.get_one(Debtor, case.debtor_id)
    phones = session.scalars(
        select(DebtorPhone.id)
        .where(DebtorPhone.debtor_id == case.debtor_id, DebtorPhone.status == "active")
        .order_by(DebtorPhone.position)
    ).all()
    campaign_id = row.campaign_id if row is not None else None
    same_campaign = (ContactAttempt.case_id == case.id, ContactAttempt.campaign_id == campaign_id)
    attempts = session.scalar(select(func.count()).where(*same_campaign))
    outcomes = session.execute(
        select(ContactAttempt.outcome, func.count())
        .where(*same_campaign, ContactAttempt.id != attempt_id, ContactAttempt.outcome.is_not(None))
        .group_by(ContactAttempt.outcome)
    ).all()
    campaign = session.get(Campaign, campaign_id) if campaign_id else None
    return AttemptAtEnd(
        attempt_id=attempt_id,
        case_id=case.id,
        campaign_id=campaign_id,
        phone_id=row.phone_id if row is not None else None,
        started_at=row.started_at if row is not None else None,
        recorded=row is not None and row.state == "done" and not is_unknown_end(row),
        usable_phone_ids=tuple(phones),
        stored_position=int((case.next_action or {}).get("phone_position", 0)),
        attempts=int(attempts or 0) + (0 if row is not None else 1),
        timezone=debtor.timezone,
        outcomes={str(o): int(n) for o, n in outcomes},
        definition=dict(campaign.definition or {}) if campaign is not None else None,
    )


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
        case RecordDeceased(said=said):  # no automated contact again; a person takes the case
            session.execute(
                update(Debtor)
                .where(Debtor.id == case.debtor_id)
                .values(deceased=True, updated_at=now)
            )
            _note(session, keyring, case.id, "deceased", said, now)
        case RecordEstateContact(said=said):  # a name / number: encrypted like the notes
            _note(session, keyring, case.id, "estate_contact", said, now)
            log.info("call.estate_contact_noted", case_id=case.id, **{"pii.said": said})
        case RecordAlreadyPaid(paid_on=paid_on, channel=channel):
            _note(
                session,
                keyring,
                case.id,
                "already_paid",
                f"says paid on {paid_on} via {channel}; verify",
                now,
            )
        case RecordHardship(said=said):
            _note(session, keyring, case.id, "hardship", said, now)
        case RecordDisclosureReview(said=said):  # for compliance: who heard the debt?
            _note(session, keyring, case.id, "disclosure", said, now)
            log.warning("call.disclosure_review", case_id=case.id, attempt_id=attempt_id)
        case _:
            pass


def _claim_end(session: Session, record: CallRecord, values: dict[str, Any]) -> bool:
    """Write the attempt's end unless it is written already (False): the conditional update
    (or the insert, for a call placed without a ledger row) makes the end exactly-once. A row
    recovery closed as ``interrupted`` (its end unknown) takes the call's real end, once."""
    open_or_unknown = or_(ContactAttempt.state != "done", unknown_end())
    result = session.execute(
        update(ContactAttempt)
        .where(ContactAttempt.id == record.attempt_id, open_or_unknown)
        .values(**values)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return True
    if session.get(ContactAttempt, record.attempt_id) is not None:
        return False
    try:
        with session.begin_nested():
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
    except IntegrityError:  # the other side inserted it meanwhile
        return False
    return True


def save_call(session: Session, keyring: Keyring, record: CallRecord, now: datetime) -> bool:
    """Write the call's end in the caller's transaction: attempt, transcript, records, the
    case's status and next action, the dialed phone's fate. False (nothing written) when the
    attempt's end was written before."""
    case = session.get(Case, record.case_id)
    if case is None:
        raise LookupError(f"case {record.case_id} does not exist")
    transcript = json.dumps(
        [{"at": at.isoformat(), "speaker": who, "text": t} for at, who, t in record.transcript],
        ensure_ascii=False,
    )
    values = {
        "state": "done",
        "outcome": record.outcome,
        "answered_at": record.answered_at,
        "ended_at": record.ended_at,
        "connected": right_party(record.outcome),
        "conversation": conversation(record.outcome),
        "transcript_enc": keyring.encrypt(transcript, "contact_attempts.transcript"),
        "recording_ref": record.recording_ref,
        "agent_id": record.agent_id,
        "detail": dict(record.detail),
    }
    if not _claim_end(session, record, values):
        return False
    for cmd in record.records:
        _apply(session, keyring, case, record.attempt_id, cmd, now)
    if status := CASE_STATUS_BY_OUTCOME.get(outcome_of(record.outcome)):  # type: ignore[arg-type]
        case.status = status
    if record.next_action is not None:
        case.next_action, case.next_action_at = dict(record.next_action), record.next_action_at
    if record.retire_phone and record.phone_id is not None:
        session.execute(
            update(DebtorPhone)
            .where(DebtorPhone.id == record.phone_id)
            .values(status=record.retire_phone)
        )
    case.updated_at = now
    audit.append(
        session,
        at=now,
        actor="call_end",
        action="call.recorded",
        subject_type="case",
        subject_id=case.id,
        details={"attempt_id": record.attempt_id, "outcome": record.outcome},
    )
    return True


def read_transcript(keyring: Keyring, attempt: ContactAttempt) -> list[dict[str, str]]:
    if attempt.transcript_enc is None:
        return []
    lines: list[dict[str, str]] = json.loads(
        keyring.decrypt(attempt.transcript_enc, "contact_attempts.transcript")
    )
    return lines
