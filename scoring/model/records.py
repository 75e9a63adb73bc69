"""Plain records the repayment model reads: a case with its loan, payments, promises, attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    amount_minor: int
    paid_at: datetime


@dataclass(frozen=True, slots=True)
class PromiseRecord:
    amount_minor: int
    due_date: date
    status: str  # pending | kept | broken
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    channel: str  # call | sms
    started_at: datetime
    connected: bool
    conversation: bool
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    case_id: str
    product: str
    currency: str
    principal_minor: int
    outstanding_minor: int
    days_past_due: int
    as_of: date
    origination_date: date | None
    jurisdiction: str
    timezone: str
    payments: tuple[PaymentRecord, ...] = ()
    promises: tuple[PromiseRecord, ...] = ()
    attempts: tuple[AttemptRecord, ...] = ()
    # what the debtor's own words say (named figures mined from transcripts and SMS replies
    # before ``as_of``); empty for a case nobody has talked to yet
    talk: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened in the 30 days after ``as_of``: the label the model learns."""

    paid: bool
    amount_minor: int
