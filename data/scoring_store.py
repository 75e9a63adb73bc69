"""Scoring adapters: read cases and their history for the model and the planner, write back
scores, tiers and next actions, and keep model versions with their metrics and data hash."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from analytics.early_warning import LIST_THRESHOLD as WARNING_LIST_MIN
from core.call_end import HUMAN_FOLLOW_UPS, held_from_planning
from core.logging import get_logger
from core.money import Money
from data.contact_history import contact_histories
from data.models import (
    Case,
    CaseAnalytics,
    ContactAttempt,
    Debtor,
    DebtorPhone,
    Loan,
    ModelVersion,
    Payment,
    Promise,
)
from scoring.compliance import DEFAULT_PROFILES, JurisdictionProfile
from scoring.model.records import (
    AttemptRecord,
    CaseRecord,
    Outcome,
    PaymentRecord,
    PromiseRecord,
)
from scoring.model.repayment import CaseScore, RepaymentModel, loads
from scoring.strategy import PlanCase, summarise, to_frame

log = get_logger(__name__)
ACTIVE_STATUSES = ("open", "promised", "plan")
REPAYMENT = "repayment"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _active_cases(
    session: Session, case_ids: Collection[str] | None = None
) -> list[tuple[Case, Loan, Debtor]]:
    stmt = (
        select(Case, Loan, Debtor)
        .join(Loan, Loan.id == Case.loan_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .where(Case.status.in_(ACTIVE_STATUSES))
        .order_by(Case.id)
    )
    if case_ids is not None:
        stmt = stmt.where(Case.id.in_(list(case_ids)))
    rows = session.execute(stmt).all()
    return [(c, ln, d) for c, ln, d in rows]


def _history(
    session: Session, case_ids: Sequence[str]
) -> tuple[dict[str, list[Payment]], dict[str, list[Promise]], dict[str, list[ContactAttempt]]]:
    pays: dict[str, list[Payment]] = defaultdict(list)
    proms: dict[str, list[Promise]] = defaultdict(list)
    tries: dict[str, list[ContactAttempt]] = defaultdict(list)
    wanted = set(case_ids)
    for p in session.scalars(select(Payment)):
        if p.loan_id in wanted:
            pays[p.loan_id].append(p)
    for pr in session.scalars(select(Promise)):
        if pr.case_id in wanted:
            proms[pr.case_id].append(pr)
    for a in session.scalars(select(ContactAttempt)):
        tries[a.case_id].append(a)
    return pays, proms, tries


def case_records(session: Session, as_of: date) -> list[CaseRecord]:
    """Every active case as the model sees it at the start of ``as_of`` (UTC)."""
    cases = _active_cases(session)
    pays, proms, tries = _history(session, [c.id for c, _, _ in cases])
    cut = _start_of(as_of)
    out = []
    for case, loan, debtor in cases:
        paid_since = sum(p.amount_minor for p in pays[case.id] if p.paid_at >= cut)
        out.append(
            CaseRecord(
                case_id=case.id,
                product=loan.product,
                currency=loan.currency,
                principal_minor=loan.principal_minor,
                outstanding_minor=loan.outstanding_minor + paid_since,
                days_past_due=max(loan.days_past_due - (loan.as_of - as_of).days, 0),
                as_of=as_of,
                origination_date=loan.origination_date,
                jurisdiction=debtor.jurisdiction,
                timezone=debtor.timezone,
                payments=tuple(PaymentRecord(p.amount_minor, p.paid_at) for p in pays[case.id]),
                promises=tuple(
                    PromiseRecord(p.amount_minor, p.due_date, p.status, p.created_at)
                    for p in proms[case.id]
                ),
                attempts=tuple(
                    AttemptRecord(a.channel, a.started_at, a.connected, a.conversation, a.outcome)
                    for a in tries[case.id]
                ),
            )
        )
    return out


def outcomes(records: Sequence[CaseRecord], days: int = 30) -> list[Outcome]:
    """The label of each record: payments in the ``days`` after its ``as_of``."""
    result = []
    for r in records:
        start = _start_of(r.as_of)
        end = start + timedelta(days=days)
        amount = sum(p.amount_minor for p in r.payments if start <= p.paid_at < end)
        result.append(Outcome(amount > 0, min(amount, r.outstanding_minor)))
    return result


def save_model(session: Session, model: RepaymentModel, now: datetime) -> None:
    """Store a model version and make it the active one."""
    session.execute(update(ModelVersion).where(ModelVersion.kind == REPAYMENT).values(active=False))
    session.merge(
        ModelVersion(
            id=model.version,
            kind=REPAYMENT,
            created_at=now,
            data_hash=model.data_hash,
            trained_rows=model.trained_rows,
            metrics=model.metrics.as_dict(),
            active=True,
            body=model.dumps(),
        )
    )
    log.info(
        "scoring.model_saved",
        version=model.version,
        rows=model.trained_rows,
        auc=round(model.metrics.auc, 4),
        ks=round(model.metrics.ks, 4),
        data_hash=model.data_hash,
    )


def active_model(session: Session) -> RepaymentModel | None:
    row = session.scalars(
        select(ModelVersion).where(ModelVersion.kind == REPAYMENT, ModelVersion.active)
    ).first()
    return loads(row.body) if row else None


def model_versions(session: Session) -> list[ModelVersion]:
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.created_at.desc())))


def write_scores(session: Session, scores: Sequence[CaseScore], now: datetime) -> int:
    rows = [
        {
            "id": s.case_id,
            "score": s.probability,
            "risk_tier": s.tier.value,
            "expected_amount_minor": s.expected_amount_minor,
            "reason_codes": [r.as_dict() for r in s.reasons],
            "updated_at": now,
        }
        for s in scores
    ]
    if rows:
        session.execute(update(Case), rows)
    log.info("scoring.scores_written", cases=len(rows))
    return len(rows)


def plan_frame(
    session: Session,
    profiles: Mapping[str, JurisdictionProfile] | None = None,
    case_ids: Collection[str] | None = None,
) -> pd.DataFrame:
    """The planner's input: one row per active case (of ``case_ids``, None: all), its history
    (``data.contact_history``, the one the guard reads) reduced to rule anchors."""
    known = profiles or dict(DEFAULT_PROFILES)
    cases = _active_cases(session, case_ids)
    proms: dict[str, list[Promise]] = defaultdict(list)
    promises = select(Promise)
    if case_ids is not None:
        promises = promises.where(Promise.case_id.in_(list(case_ids)))
    for pr in session.scalars(promises):
        proms[pr.case_id].append(pr)
    debtors = None if case_ids is None else {d.id for _, _, d in cases}
    histories = contact_histories(session, debtors, None)
    phones = _primary_phones(session)
    tags = _analytics(session)
    plan_cases = []
    for case, loan, debtor in cases:
        profile = known.get(debtor.jurisdiction, DEFAULT_PROFILES["US"])
        history = histories.get(debtor.id, [])
        phone = phones.get(debtor.id)
        plan_cases.append(
            PlanCase(
                case_id=case.id,
                jurisdiction=debtor.jurisdiction,
                timezone=debtor.timezone,
                tier=case.risk_tier or "medium",
                dpd=loan.days_past_due,
                product=loan.product,
                balance_minor=loan.outstanding_minor,
                currency=loan.currency,
                broken_promises=sum(1 for p in proms[case.id] if p.status == "broken"),
                flags=frozenset(debtor.flags()),
                do_not_call=phone is None or phone.do_not_call,
                consent_call=debtor.consent_call,
                consent_sms=debtor.consent_sms,
                summary=summarise(history, case.id, profile, debtor.timezone),
                segment=tags.get(case.id, ("", False))[0],
                early_warning=tags.get(case.id, ("", False))[1],
            )
        )
    return to_frame(plan_cases)


def _analytics(session: Session) -> dict[str, tuple[str, bool]]:
    """Each analysed case's segment and whether it is on the early-warning list."""
    rows = session.execute(
        select(CaseAnalytics.case_id, CaseAnalytics.segment, CaseAnalytics.warning_score)
    )
    return {
        row.case_id: (
            row.segment or "",
            row.warning_score is not None and row.warning_score >= WARNING_LIST_MIN,
        )
        for row in rows
    }


def _primary_phones(session: Session) -> dict[str, DebtorPhone]:
    first: dict[str, DebtorPhone] = {}
    query = select(DebtorPhone).where(DebtorPhone.status == "active")
    for phone in session.scalars(query.order_by(DebtorPhone.debtor_id, DebtorPhone.position)):
        first.setdefault(phone.debtor_id, phone)
    return first


def _when(value: Any) -> datetime | None:
    return None if value is None or value is pd.NaT else pd.Timestamp(value).to_pydatetime()


def _local(moment: datetime | None, tz: str) -> str | None:
    """The instant in the debtor's own zone, e.g. '2026-06-11T09:00:00-05:00'."""
    return moment.astimezone(ZoneInfo(tz)).isoformat() if moment else None


def _held(session: Session, now: datetime) -> set[str]:
    """Cases whose next action a call's end set and the planner leaves alone for now."""
    channel = Case.next_action["channel"].as_string()
    reason = Case.next_action["reason"].as_string()
    rows = session.execute(
        select(Case.id, Case.next_action, Case.next_action_at).where(
            or_(channel.in_(HUMAN_FOLLOW_UPS), reason == "callback")
        )
    )
    return {r.id for r in rows if held_from_planning(r.next_action, r.next_action_at, now)}


def write_plan(session: Session, planned: pd.DataFrame, now: datetime) -> int:
    """Store each case's next action (JSON) and its earliest time, and its strategy arm; a case
    waiting for what its last call decided (``core.call_end.held_from_planning``) keeps it."""
    rows = []
    held = _held(session, now)
    for r in planned.to_dict("records"):
        if r["case_id"] in held:
            continue
        earliest, latest = _when(r["earliest"]), _when(r["latest"])
        action = {
            "treatment": r["treatment"],
            "step": r["step"],
            "channel": r["channel"],
            "script": r["script"],
            "timezone": r["timezone"],
            "earliest": earliest.isoformat() if earliest else None,
            "latest": latest.isoformat() if latest else None,
            "earliest_local": _local(earliest, r["timezone"]),
            "latest_local": _local(latest, r["timezone"]),
            "blocked": bool(r["blocked"]),
            "reasons": [x for x in str(r["reasons"]).split(",") if x],
            "letter": bool(r["letter"]),
            "field_visit": bool(r["field_visit"]),
            "legal_review": bool(r["legal_review"]),
            "negotiation": {
                "min_promise_share": str(r["min_promise_share"]),
                "max_promise_days": int(r["max_promise_days"]),
                "plan_lengths": [int(x) for x in str(r["plan_lengths"]).split(",") if x],
            },
        }
        rows.append(
            {
                "id": r["case_id"],
                "next_action": action,
                "next_action_at": earliest,
                "strategy_arm": r["arm"],
                "updated_at": now,
            }
        )
    if rows:
        session.execute(update(Case), rows)
    blocked = sum(1 for r in rows if r["next_action"]["blocked"])
    log.info("strategy.plan_written", cases=len(rows), blocked=blocked, held=len(held))
    return len(rows)


def arm_results(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Per strategy arm: cases, cases with a payment since ``since``, and the amount collected
    per currency (``{"USD": "1234.50", ...}``: amounts are never summed across currencies)."""
    arms: dict[str, dict[str, Any]] = {}
    for arm, n in session.execute(
        select(Case.strategy_arm, func.count(Case.id)).group_by(Case.strategy_arm)
    ):
        arms[arm or "unplanned"] = {"arm": arm or "unplanned", "cases": int(n), "collected": {}}
    payers: dict[str, set[str]] = defaultdict(set)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    paid = (
        select(Case.strategy_arm, Case.id, Payment.currency, func.sum(Payment.amount_minor))
        .join(Payment, Payment.loan_id == Case.loan_id)
        .where(Payment.paid_at >= since)
        .group_by(Case.strategy_arm, Case.id, Payment.currency)
    )
    for arm, case_id, currency, minor in session.execute(paid):
        payers[arm or "unplanned"].add(case_id)
        totals[(arm or "unplanned", currency)] += int(minor or 0)
    for (arm, currency), minor in sorted(totals.items()):
        arms[arm]["collected"][currency] = str(Money.from_minor(minor, currency).amount)
    return [{**arms[k], "paying_cases": len(payers[k])} for k in sorted(arms)]
