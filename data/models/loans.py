"""Loans (accounts), their balance history and payments. Money as integer minor units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base

PRODUCTS = ("personal", "business", "small", "large", "online", "offline")


class Loan(Base):
    __tablename__ = "loans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id"), index=True)
    product: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    principal_minor: Mapped[int] = mapped_column(BigInteger)
    outstanding_minor: Mapped[int] = mapped_column(BigInteger)
    due_date: Mapped[date] = mapped_column(Date)
    days_past_due: Mapped[int]
    as_of: Mapped[date] = mapped_column(Date)
    origination_date: Mapped[date | None] = mapped_column(Date)
    row_digest: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BalanceHistory(Base):
    """One row each time a loan's balance or days past due changes (import or payment)."""

    __tablename__ = "loan_balance_history"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    outstanding_minor: Mapped[int] = mapped_column(BigInteger)
    days_past_due: Mapped[int]
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))  # import|payment
    recorded_at: Mapped[datetime]


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(128), unique=True)
    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(32))
    recorded_at: Mapped[datetime]
