"""Report queries: SQL aggregations (no personal data), the same answers on SQLite and PostgreSQL.

Periods are UTC days, ISO weeks (starting Monday) or months, named by their first day
(``YYYY-MM-DD``). Money is summed in integer minor units per currency and returned as Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, literal, select
from sqlalchemy.orm import Session

from core.money import Money
from data.models import Case, ContactAttempt, Loan, Payment, Promise, SmsMessage
from data.reports import DPD_BUCKETS

Grain = Literal["day", "week", "month"]
Money_ = dict[str, Decimal]


def period_of(column: Any, grain: Grain, dialect: str) -> ColumnElement[str]:
    """The first day of ``column``'s UTC day/week/month as ``YYYY-MM-DD`` text."""
    if dialect == "postgresql":
        utc = func.timezone("UTC", column)
        return func.to_char(func.date_trunc(grain, utc), "YYYY-MM-DD")
    if grain == "day":
        return func.strftime("%Y-%m-%d", column)
    if grain == "month":
        return func.strftime("%Y-%m-01", column)
    return func.date(column, "weekday 0", "-6 days")


def seconds_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _money(rows: Any) -> Money_:
    out: Money_ = {}
    for currency, minor in rows:
        if currency is not None:
            out[str(currency)] = Money.from_minor(int(minor or 0), str(currency)).amount
    return out


@dataclass(frozen=True, slots=True)
class ProgressRow:
    period: str
    attempts: int = 0
    cases_contacted: int = 0
    right_party_contacts: int = 0
    promises: int = 0
    kept_promises: int = 0
    promised: Money_ = field(default_factory=dict)
    collected: Money_ = field(default_factory=dict)


def _between(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def collection_progress(
    s: Session, start: datetime, end: datetime, grain: Grain
) -> list[ProgressRow]:
    d = s.get_bind().dialect.name
    rows: dict[str, dict[str, Any]] = {}

    def slot(p: str) -> dict[str, Any]:
        return rows.setdefault(p, {"promised": {}, "collected": {}})

    p_att = period_of(ContactAttempt.started_at, grain, d)
    for p, n, cases, rpc in s.execute(
        select(
            p_att,
            func.count(),
            func.count(distinct(ContactAttempt.case_id)),
            func.count().filter(ContactAttempt.conversation.is_(True)),
        )
        .where(_between(ContactAttempt.started_at, start, end))
        .group_by(p_att)
    ):
        slot(p).update(attempts=int(n), cases_contacted=int(cases), right_party_contacts=int(rpc))
    p_pro = period_of(Promise.created_at, grain, d)
    for p, currency, n, kept, minor in s.execute(
        select(
            p_pro,
            Promise.currency,
            func.count(),
            func.count().filter(Promise.status == "kept"),
            func.sum(Promise.amount_minor),
        )
        .where(_between(Promise.created_at, start, end))
        .group_by(p_pro, Promise.currency)
    ):
        r = slot(p)
        r["promises"] = r.get("promises", 0) + int(n)
        r["kept_promises"] = r.get("kept_promises", 0) + int(kept)
        r["promised"].update(_money([(currency, minor)]))
    p_pay = period_of(Payment.paid_at, grain, d)
    for p, currency, minor in s.execute(
        select(p_pay, Payment.currency, func.sum(Payment.amount_minor))
        .where(_between(Payment.paid_at, start, end))
        .group_by(p_pay, Payment.currency)
    ):
        slot(p)["collected"].update(_money([(currency, minor)]))
    return [ProgressRow(period=str(p), **v) for p, v in sorted(rows.items())]


@dataclass(frozen=True, slots=True)
class SegmentRow:
    dimension: str
    segment: str
    cases: int
    contacted: int
    promises: int
    outstanding: Money_
    collected: Money_


def _bucket() -> ColumnElement[str]:
    whens = [(Loan.days_past_due.between(lo, hi), label) for lo, hi, label in DPD_BUCKETS]
    return case(*whens, (Loan.days_past_due <= 0, "current"), else_="181+")


def customer_analysis(s: Session, start: datetime, end: datetime) -> list[SegmentRow]:
    """Cases by tier, DPD bucket and product: contacted, promises, outstanding, collected."""
    contacted = (
        select(ContactAttempt.case_id.label("case_id"))
        .where(_between(ContactAttempt.started_at, start, end))
        .distinct()
        .subquery()
    )
    promises = (
        select(Promise.case_id.label("case_id"), func.count().label("n"))
        .where(_between(Promise.created_at, start, end))
        .group_by(Promise.case_id)
        .subquery()
    )
    paid = (
        select(Payment.loan_id.label("loan_id"), func.sum(Payment.amount_minor).label("minor"))
        .where(_between(Payment.paid_at, start, end))
        .group_by(Payment.loan_id)
        .subquery()
    )
    dims: tuple[tuple[str, ColumnElement[Any]], ...] = (
        ("tier", func.coalesce(Case.risk_tier, literal("unscored"))),
        ("dpd_bucket", _bucket()),
        ("product", Loan.product.expression),
    )
    out: list[SegmentRow] = []
    for name, dim in dims:
        stmt: Select[Any] = (
            select(
                dim.label("segment"),
                Loan.currency,
                func.count(),
                func.count(contacted.c.case_id),
                func.coalesce(func.sum(promises.c.n), 0),
                func.sum(Loan.outstanding_minor),
                func.coalesce(func.sum(paid.c.minor), 0),
            )
            .select_from(Case)
            .join(Loan, Loan.id == Case.loan_id)
            .outerjoin(contacted, contacted.c.case_id == Case.id)
            .outerjoin(promises, promises.c.case_id == Case.id)
            .outerjoin(paid, paid.c.loan_id == Loan.id)
            .group_by(dim, Loan.currency)
            .order_by(dim, Loan.currency)
        )
        merged: dict[str, list[Any]] = {}
        for row in s.execute(stmt):
            m = merged.setdefault(str(row[0]), [0, 0, 0, {}, {}])
            m[0] += int(row[2])
            m[1] += int(row[3])
            m[2] += int(row[4])
            m[3].update(_money([(row[1], row[5])]))
            m[4].update(_money([(row[1], row[6])]))
        out.extend(SegmentRow(name, seg, *vals) for seg, vals in merged.items())
    return out


@dataclass(frozen=True, slots=True)
class AgentRow:
    agent_id: str
    attempts: int
    conversations: int
    talk_minutes: Decimal
    promises: int
    kept_promises: int
    promised: Money_


def agent_performance(s: Session, start: datetime, end: datetime) -> list[AgentRow]:
    d = s.get_bind().dialect.name
    talk = seconds_between(ContactAttempt.answered_at, ContactAttempt.ended_at, d)
    window = _between(ContactAttempt.started_at, start, end)
    base: dict[str, list[Any]] = {}
    for agent, n, conv, secs in s.execute(
        select(
            ContactAttempt.agent_id,
            func.count(),
            func.count().filter(ContactAttempt.conversation.is_(True)),
            func.coalesce(func.sum(talk), 0),
        )
        .where(window, ContactAttempt.agent_id.is_not(None))
        .group_by(ContactAttempt.agent_id)
    ):
        base[str(agent)] = [_int(n), _int(conv), _minutes(secs), 0, 0, {}]
    for agent, cur, n, kept, minor in s.execute(
        select(
            ContactAttempt.agent_id,
            Promise.currency,
            func.count(),
            func.count().filter(Promise.status == "kept"),
            func.sum(Promise.amount_minor),
        )
        .join(ContactAttempt, ContactAttempt.id == Promise.attempt_id)
        .where(window, ContactAttempt.agent_id.is_not(None))
        .group_by(ContactAttempt.agent_id, Promise.currency)
    ):
        row = base.setdefault(str(agent), [0, 0, Decimal(0), 0, 0, {}])
        row[3] += int(n)
        row[4] += int(kept)
        row[5].update(_money([(cur, minor)]))
    return [AgentRow(agent, *vals) for agent, vals in sorted(base.items())]


def _int(value: Any) -> int:
    return int(value or 0)


def _minutes(seconds: Any) -> Decimal:
    return (Decimal(str(float(seconds or 0))) / 60).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class ChannelCost:
    calls: int
    connected_calls: int
    call_minutes: Decimal
    sms: int
    cost: Decimal
    collected: Money_
    cost_per_collected_unit: dict[str, Decimal | None]


def channel_cost(
    s: Session,
    start: datetime,
    end: datetime,
    *,
    cost_per_minute: Decimal,
    cost_per_sms: Decimal,
) -> ChannelCost:
    """Minutes are billed from answer to hang-up; the cost is per unit of each currency."""
    d = s.get_bind().dialect.name
    talk = seconds_between(ContactAttempt.answered_at, ContactAttempt.ended_at, d)
    calls, connected, secs = s.execute(
        select(
            func.count(),
            func.count().filter(ContactAttempt.connected.is_(True)),
            func.coalesce(func.sum(talk), 0),
        ).where(ContactAttempt.channel == "call", _between(ContactAttempt.started_at, start, end))
    ).one()
    sms = s.scalar(
        select(func.count())
        .select_from(SmsMessage)
        .where(SmsMessage.sent_at.is_not(None), _between(SmsMessage.sent_at, start, end))
    )
    collected = _money(
        s.execute(
            select(Payment.currency, func.sum(Payment.amount_minor))
            .where(_between(Payment.paid_at, start, end))
            .group_by(Payment.currency)
        )
    )
    minutes = _minutes(secs)
    cost = (minutes * cost_per_minute + int(sms or 0) * cost_per_sms).quantize(Decimal("0.0001"))
    per_unit = {
        c: (cost / v).quantize(Decimal("0.0001")) if v else None for c, v in collected.items()
    }
    return ChannelCost(_int(calls), _int(connected), minutes, _int(sms), cost, collected, per_unit)


@dataclass(frozen=True, slots=True)
class ArmRow:
    arm: str
    cases: int
    contacted: int
    right_party_contacts: int
    promises: int
    kept_promises: int
    outstanding: Money_
    collected: Money_


def champion_challenger(s: Session, start: datetime, end: datetime) -> list[ArmRow]:
    arm = func.coalesce(Case.strategy_arm, literal("unassigned"))
    window = _between(ContactAttempt.started_at, start, end)
    rows: dict[str, list[Any]] = {}
    for a, cur, n, out_minor in s.execute(
        select(arm, Loan.currency, func.count(), func.sum(Loan.outstanding_minor))
        .join(Loan, Loan.id == Case.loan_id)
        .group_by(arm, Loan.currency)
    ):
        r = rows.setdefault(str(a), [0, 0, 0, 0, 0, {}, {}])
        r[0] += int(n)
        r[5].update(_money([(cur, out_minor)]))
    for a, cont, rpc in s.execute(
        select(
            arm,
            func.count(distinct(ContactAttempt.case_id)),
            func.count(
                distinct(case((ContactAttempt.conversation.is_(True), ContactAttempt.case_id)))
            ),
        )
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(window)
        .group_by(arm)
    ):
        r = rows.setdefault(str(a), [0, 0, 0, 0, 0, {}, {}])
        r[1], r[2] = int(cont), int(rpc)
    for a, n, kept in s.execute(
        select(arm, func.count(), func.count().filter(Promise.status == "kept"))
        .join(Case, Case.id == Promise.case_id)
        .where(_between(Promise.created_at, start, end))
        .group_by(arm)
    ):
        r = rows.setdefault(str(a), [0, 0, 0, 0, 0, {}, {}])
        r[3], r[4] = int(n), int(kept)
    for a, cur, minor in s.execute(
        select(arm, Payment.currency, func.sum(Payment.amount_minor))
        .join(Case, Case.loan_id == Payment.loan_id)
        .where(_between(Payment.paid_at, start, end))
        .group_by(arm, Payment.currency)
    ):
        r = rows.setdefault(str(a), [0, 0, 0, 0, 0, {}, {}])
        r[6].update(_money([(cur, minor)]))
    return [ArmRow(a, *v) for a, v in sorted(rows.items())]


@dataclass(frozen=True, slots=True)
class TemplateRow:
    template: str
    language: str
    sent: int
    delivered: int
    replied: int
    paid_within_7_days: int


def sms_effect(s: Session, start: datetime, end: datetime) -> list[TemplateRow]:
    """Per template: messages sent, delivered, replied, and followed by a payment within 7 days."""
    d = s.get_bind().dialect.name
    gap = seconds_between(SmsMessage.sent_at, Payment.paid_at, d)
    paid_after = (
        select(Payment.id)
        .join(Case, Case.loan_id == Payment.loan_id)
        .where(Case.id == SmsMessage.case_id, gap > 0, gap <= 7 * 86400)
        .exists()
    )
    stmt = (
        select(
            SmsMessage.template,
            SmsMessage.language,
            func.count(),
            func.count().filter(SmsMessage.delivered_at.is_not(None)),
            func.count().filter(SmsMessage.reply_enc.is_not(None)),
            func.count().filter(paid_after),
        )
        .where(SmsMessage.sent_at.is_not(None), _between(SmsMessage.sent_at, start, end))
        .group_by(SmsMessage.template, SmsMessage.language)
        .order_by(SmsMessage.template, SmsMessage.language)
    )
    return [TemplateRow(t, lang, *(int(x) for x in xs)) for t, lang, *xs in s.execute(stmt)]
