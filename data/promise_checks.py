"""Due promise checks: find them, and write what ``scoring.promise_check.decide`` decided
(the promise's or plan's status, the case's status and next action) with an audit entry."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.logging import get_logger
from data import audit
from data.campaign_store import OPEN_STATUSES
from data.models import Case, Debtor, Loan, Payment, PaymentPlan, Promise
from scoring.promise_check import CheckPlan, PromiseAtCheck, Verdict

log = get_logger(__name__)
GRACE_DAYS = 1  # as dialer.retry.RetryRules.promise_grace_days: checked the day after next
ACTOR = "system:promise_checks"


def due_case_ids(session: Session, now: datetime, limit: int = 200) -> list[str]:
    channel = Case.next_action["channel"].as_string()
    rows = session.scalars(
        select(Case.id)
        .where(
            channel == "promise_check",
            Case.status.in_((*OPEN_STATUSES, "paid")),
            Case.next_action_at.is_not(None),
            Case.next_action_at <= now,
        )
        .order_by(Case.next_action_at, Case.id)
        .limit(limit)
    )
    return list(rows)


def _paid_since(session: Session, loan_id: str, currency: str, since: datetime) -> int:
    paid = session.scalar(
        select(func.sum(Payment.amount_minor)).where(
            Payment.loan_id == loan_id, Payment.currency == currency, Payment.paid_at >= since
        )
    )
    return int(paid or 0)


def _installments(plan: PaymentPlan) -> list[tuple[date, int]]:
    return sorted(
        (date.fromisoformat(str(i["due"])), int(i["amount_minor"])) for i in plan.installments
    )


def at_check(session: Session, case: Case) -> tuple[PromiseAtCheck, Promise | PaymentPlan] | None:
    """The check the case's next action asks for (None: its promise or plan is gone)."""
    action: dict[str, Any] = dict(case.next_action or {})
    loan = session.get_one(Loan, case.loan_id)
    try:
        due = date.fromisoformat(str(action.get("due")))
    except ValueError:
        return None
    if action.get("kind") == "plan":
        plan = session.scalars(
            select(PaymentPlan)
            .where(PaymentPlan.case_id == case.id, PaymentPlan.status == "active")
            .order_by(PaymentPlan.created_at.desc())
        ).first()
        if plan is None:
            return None
        steps = _installments(plan)
        promised = sum(amount for day, amount in steps if day <= due)
        later = [day for day, _ in steps if day > due]
        paid = _paid_since(session, loan.id, plan.currency, plan.created_at)
        check = PromiseAtCheck(
            case.id, "plan", due, promised, paid, loan.outstanding_minor, min(later, default=None)
        )
        return check, plan
    promise = session.scalars(
        select(Promise)
        .where(Promise.case_id == case.id, Promise.status == "pending", Promise.due_date <= due)
        .order_by(Promise.created_at.desc())
    ).first()
    if promise is None:
        return None
    paid = _paid_since(session, loan.id, promise.currency, promise.created_at)
    return PromiseAtCheck(
        case.id, "promise", due, promise.amount_minor, paid, loan.outstanding_minor
    ), promise


def write_check(
    session: Session,
    case: Case,
    check: PromiseAtCheck,
    kept_or_broken: Promise | PaymentPlan,
    plan: CheckPlan,
    now: datetime,
) -> None:
    """The verdict on the promise (a plan: ``broken``, or ``completed`` after its last
    instalment), the case's status and — unless the strategy plans it next — its next action."""
    if isinstance(kept_or_broken, Promise):
        kept_or_broken.status = plan.verdict.value
    elif plan.verdict is Verdict.BROKEN:
        kept_or_broken.status = "broken"
    elif plan.next_due is None:
        kept_or_broken.status = "completed"
    case.status = plan.case_status
    case.updated_at = now
    if plan.replan:  # the strategy writes the next action; until then it is due now
        case.next_action, case.next_action_at = {"after": f"promise_{plan.verdict}"}, now
    else:
        case.next_action = dict(plan.next_action or {})
        case.next_action_at = None
        if plan.next_due is not None:
            tz = ZoneInfo(session.get_one(Debtor, case.debtor_id).timezone)
            day = plan.next_due + timedelta(days=1 + GRACE_DAYS)
            case.next_action_at = datetime.combine(day, time(0), tzinfo=tz)
    audit.append(
        session,
        at=now,
        actor=ACTOR,
        action="promise.checked",
        subject_type="case",
        subject_id=case.id,
        details={
            "kind": check.kind,
            "due": check.checked_due.isoformat(),
            "verdict": plan.verdict.value,
        },
    )
    log.info("promise.checked", case_id=case.id, kind=check.kind, verdict=plan.verdict.value)


def release(session: Session, case: Case, now: datetime) -> None:
    """A check whose promise or plan is gone (settled by a person): the strategy plans it."""
    case.next_action, case.next_action_at, case.updated_at = {"after": "promise_gone"}, now, now
