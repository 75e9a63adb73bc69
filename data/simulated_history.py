"""The demo's simulated past: attempts, promises and payments of imported demo cases written
once, so the repayment model and the reports have a history to learn from (``scoring
simulate-history``). Kept apart from the scoring store, which reads real history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Case, ContactAttempt, Payment, Promise
from scoring.synthetic.history import SimulatedCase


def insert_history(session: Session, cases: Sequence[SimulatedCase], now: datetime) -> int:
    """Write simulated past attempts, promises and payments of imported demo cases.

    Only what happened before each case's ``as_of`` is written (the future stays unknown).
    Cases missing from the database are skipped, and so are cases whose simulated history is
    already there (the demo run a second time on the same database). Returns the number of
    rows written.
    """
    known = set(session.scalars(select(Case.id)))
    simulated = {
        key.split(":")[1]
        for key in [
            *session.scalars(select(ContactAttempt.id).where(ContactAttempt.id.like("sim:%"))),
            *session.scalars(select(Payment.reference).where(Payment.reference.like("sim:%"))),
        ]
    }
    written = 0
    for sim in cases:
        r = sim.record
        if r.case_id not in known or r.case_id in simulated:
            continue
        for i, a in enumerate(r.attempts):
            key = f"sim:{r.case_id}:{i}"
            session.add(
                ContactAttempt(
                    id=key,
                    idempotency_key=key,
                    case_id=r.case_id,
                    channel=a.channel,
                    started_at=a.started_at,
                    answered_at=a.started_at if a.connected else None,
                    ended_at=a.started_at,
                    outcome=a.outcome,
                    connected=a.connected,
                    conversation=a.conversation,
                )
            )
        for i, p in enumerate(r.payments):
            session.add(
                Payment(
                    reference=f"sim:{r.case_id}:{i}",
                    loan_id=r.case_id,
                    amount_minor=p.amount_minor,
                    currency=r.currency,
                    paid_at=p.paid_at,
                    channel="simulated",
                    recorded_at=now,
                )
            )
        for pr in r.promises:
            session.add(
                Promise(
                    case_id=r.case_id,
                    amount_minor=pr.amount_minor,
                    currency=r.currency,
                    due_date=pr.due_date,
                    status=pr.status,
                    created_at=pr.created_at,
                )
            )
        written += len(r.attempts) + len(r.payments) + len(r.promises)
    return written
