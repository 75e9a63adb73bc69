"""Portfolio summary figures (no personal data: counts and sums only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from core.money import Money
from data.models import Case, Debtor, DebtorPhone, Loan

DPD_BUCKETS = ((1, 30, "1-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, 180, "91-180"))


@dataclass
class PortfolioSummary:
    debtors: int = 0
    phones: int = 0
    cases: int = 0
    outstanding: dict[str, Decimal] = field(default_factory=dict)
    by_product: dict[str, int] = field(default_factory=dict)
    by_bucket: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    by_jurisdiction: dict[str, int] = field(default_factory=dict)


def _bucket_expr() -> ColumnElement[str]:
    whens = [(Loan.days_past_due.between(lo, hi), label) for lo, hi, label in DPD_BUCKETS]
    return case(*whens, (Loan.days_past_due <= 0, "current"), else_="181+")


def portfolio_summary(session: Session) -> PortfolioSummary:
    out = PortfolioSummary()
    out.debtors = session.scalar(select(func.count()).select_from(Debtor)) or 0
    out.phones = session.scalar(select(func.count()).select_from(DebtorPhone)) or 0
    out.cases = session.scalar(select(func.count()).select_from(Case)) or 0
    for currency, minor in session.execute(
        select(Loan.currency, func.sum(Loan.outstanding_minor)).group_by(Loan.currency)
    ):
        out.outstanding[currency] = Money.from_minor(int(minor or 0), currency).amount
    bucket = _bucket_expr()
    columns: tuple[tuple[dict[str, int], ColumnElement[str]], ...] = (
        (out.by_product, Loan.product.expression),
        (out.by_bucket, bucket),
        (out.by_status, Case.status.expression),
        (out.by_language, Debtor.language.expression),
        (out.by_jurisdiction, Debtor.jurisdiction.expression),
    )
    for target, column in columns:
        stmt = (
            select(column, func.count())
            .select_from(Case)
            .join(Loan, Loan.id == Case.loan_id)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .group_by(column)
        )
        for key, count in session.execute(stmt):
            target[str(key)] = int(count)
    return out
