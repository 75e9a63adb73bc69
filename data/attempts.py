"""The attempt ledger (exactly-once dialing) and what the dialer needs to place one contact.

The ledger is the final word on whether a contact was made: an attempt row is keyed by an
idempotency key (campaign, case, slot), so two workers can never both own the same slot. Its
``state`` moves ``claimed`` → ``dialing`` → ``done``; a worker that died leaves ``claimed``
(never dialed: safe to take over) or ``dialing`` (may have been dialed: never dialed again;
``close_lost`` records it once its worker is known to be gone, see ``dialer.recovery``). A
call's end is written by ``data.call_records.save_call`` (for ``dialer.call_end``) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import new_id
from data.contact_history import contact_history, guard_since
from data.crypto import Keyring
from data.models import Case, ContactAttempt, Debtor, DebtorPhone, Loan
from scoring.compliance import HistoryEntry

INTERRUPTED = "interrupted"  # closed by recovery, its end unknown: the real end may replace it


@dataclass(frozen=True, slots=True)
class PhoneTarget:
    phone_id: int
    e164: str
    do_not_call: bool
    status: str


@dataclass(frozen=True, slots=True)
class DialTarget:
    """A case ready for the compliance guard and the dialer (decrypted phones inside)."""

    case_id: str
    debtor_id: str
    jurisdiction: str
    timezone: str
    language: str
    flags: tuple[str, ...]
    phones: tuple[PhoneTarget, ...]
    history: tuple[HistoryEntry, ...]  # what the guard reads (``data.contact_history``)
    case_status: str
    outstanding_minor: int
    currency: str
    next_action: dict[str, Any]
    consent_call: bool = True
    consent_sms: bool = True


async def load_target(
    session: AsyncSession, keyring: Keyring, case_id: str, now: datetime
) -> DialTarget | None:
    row = (
        await session.execute(
            select(Case, Debtor, Loan)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .join(Loan, Loan.id == Case.loan_id)
            .where(Case.id == case_id)
        )
    ).one_or_none()
    if row is None:
        return None
    case, debtor, loan = row
    phones = (
        await session.scalars(
            select(DebtorPhone)
            .where(DebtorPhone.debtor_id == debtor.id)
            .order_by(DebtorPhone.position)
        )
    ).all()
    since = guard_since(now)
    history = await session.run_sync(lambda s: contact_history(s, debtor.id, since))
    return DialTarget(
        case_id=case.id,
        debtor_id=debtor.id,
        jurisdiction=debtor.jurisdiction,
        timezone=debtor.timezone,
        language=debtor.language,
        flags=tuple(debtor.flags()),
        phones=tuple(
            PhoneTarget(
                p.id, keyring.decrypt(p.phone_enc, "debtor_phones.phone"), p.do_not_call, p.status
            )
            for p in phones
        ),
        history=tuple(history),
        case_status=case.status,
        outstanding_minor=loan.outstanding_minor,
        currency=loan.currency,
        next_action=dict(case.next_action or {}),
        consent_call=debtor.consent_call,
        consent_sms=debtor.consent_sms,
    )


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    attempt_id: str
    state: str
    worker: str | None
    taken_over: bool


async def claim_attempt(
    session: AsyncSession,
    *,
    key: str,
    case_id: str,
    campaign_id: str | None,
    channel: str,
    phone_id: int | None,
    worker: str,
    now: datetime,
) -> LedgerEntry:
    """Own the slot ``key`` in the ledger, or learn who does and in what state."""
    attempt = ContactAttempt(
        id=new_id("att"),
        idempotency_key=key,
        case_id=case_id,
        campaign_id=campaign_id,
        channel=channel,
        phone_id=phone_id,
        started_at=now,
        state="claimed",
        worker=worker,
    )
    try:
        async with session.begin_nested():
            session.add(attempt)
        await session.commit()
        return LedgerEntry(attempt.id, "claimed", worker, taken_over=False)
    except IntegrityError:
        await session.rollback()
    existing = (
        await session.execute(
            select(ContactAttempt.id, ContactAttempt.state, ContactAttempt.worker).where(
                ContactAttempt.idempotency_key == key
            )
        )
    ).one()
    if existing.state == "claimed" and existing.worker != worker:
        # its owner died before dialing: take it over (only one worker wins the update)
        result = await session.execute(
            update(ContactAttempt)
            .where(
                ContactAttempt.id == existing.id,
                ContactAttempt.state == "claimed",
                ContactAttempt.worker == existing.worker,
            )
            .values(worker=worker, phone_id=phone_id, started_at=now)
        )
        await session.commit()
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return LedgerEntry(existing.id, "claimed", worker, taken_over=True)
    return LedgerEntry(existing.id, existing.state, existing.worker, taken_over=False)


async def mark_dialing(
    session: AsyncSession, attempt_id: str, worker: str, phone_id: int | None
) -> bool:
    """Commit the intent to dial before dialing; False when another worker owns the attempt."""
    result = await session.execute(
        update(ContactAttempt)
        .where(
            ContactAttempt.id == attempt_id,
            ContactAttempt.state == "claimed",
            ContactAttempt.worker == worker,
        )
        .values(state="dialing", phone_id=phone_id)
    )
    await session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def mark_live(session: AsyncSession, case_id: str, now: datetime) -> bool:
    """The case's placed call was answered and reached the bot: it counts as a call in
    progress (no longer a ringing line) until its end closes the attempt. False when no call
    of the case is being dialled (an inbound call, or the attempt already closed)."""
    result = await session.execute(
        update(ContactAttempt)
        .where(
            ContactAttempt.case_id == case_id,
            ContactAttempt.channel == "call",
            ContactAttempt.state == "dialing",
            ContactAttempt.live_since.is_(None),
        )
        .values(live_since=now)
    )
    await session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class InDoubt:
    """An attempt left ``dialing``: its call may be up, over, or never placed."""

    attempt_id: str
    case_id: str
    worker: str | None
    started_at: datetime


async def dialing_attempts(session: AsyncSession, campaign_id: str) -> list[InDoubt]:
    rows = (
        await session.execute(
            select(
                ContactAttempt.id,
                ContactAttempt.case_id,
                ContactAttempt.worker,
                ContactAttempt.started_at,
            ).where(ContactAttempt.campaign_id == campaign_id, ContactAttempt.state == "dialing")
        )
    ).all()
    return [InDoubt(a, c, w, at) for a, c, w, at in rows]


async def close_lost(
    session: AsyncSession,
    attempt: InDoubt,
    *,
    now: datetime,
    detail: dict[str, Any],
    outcome: str = INTERRUPTED,
) -> bool:
    """Close an attempt whose worker is gone; False when it was closed or retaken meanwhile.

    Never re-opens the slot: the call may have happened, so it is recorded, not redialed.
    """
    result = await session.execute(
        update(ContactAttempt)
        .where(
            ContactAttempt.id == attempt.attempt_id,
            ContactAttempt.state == "dialing",
            ContactAttempt.worker == attempt.worker,
        )
        .values(state="done", outcome=outcome, ended_at=now, detail=detail)
    )
    await session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
