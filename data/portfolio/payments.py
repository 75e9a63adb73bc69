"""Payment feed import: idempotent by reference; reduces outstanding balances."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import ValidationError
from core.money import MINOR_UNITS
from data import audit
from data.db import Database
from data.models import BalanceHistory, Case, Loan, Payment
from data.portfolio.fields import check_fields, excerpt
from data.portfolio.reader import check_file, read_records
from data.portfolio.rejects import RejectsFile
from data.portfolio.rows import MAX_DATE, MIN_DATE, amount_minor

PAYMENT_COLUMNS = ("loan_id", "amount", "currency", "paid_at", "reference")
PAYMENT_MAX_CHARS = {
    "loan_id": 64,
    "amount": 40,
    "currency": 8,
    "paid_at": 40,
    "reference": 128,
    "channel": 32,
}


@dataclass(frozen=True, slots=True)
class PaymentRow:
    line: int
    loan_id: str
    amount_minor: int
    currency: str
    paid_at: datetime
    reference: str
    channel: str | None


@dataclass
class PaymentSummary:
    file: str
    records: int = 0
    applied: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def line(self) -> str:
        return (
            f"{self.file}: {self.records} payments, {self.applied} applied, "
            f"{self.duplicates} already applied, {self.rejected} rejected"
        )


def _paid_at(text: str) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        value = datetime.fromisoformat(text)
    except ValueError as e:
        raise ValidationError(f"paid_at {excerpt(text)} is not an ISO 8601 time") from e
    if value.tzinfo is None:
        raise ValidationError(f"paid_at {excerpt(text)} has no UTC offset")
    if not MIN_DATE.year <= value.year <= MAX_DATE.year:
        raise ValidationError(f"paid_at {excerpt(text)} is outside {MIN_DATE.year}–{MAX_DATE.year}")
    return value


def parse_payment(raw: dict[str, Any], line: int) -> PaymentRow:
    def text(key: str) -> str:
        value = "" if raw.get(key) is None else str(raw[key]).strip()
        if not value and key in PAYMENT_COLUMNS:
            raise ValidationError(f"{key} is empty")
        return value

    check_fields(raw, PAYMENT_MAX_CHARS)
    currency = text("currency").upper()
    if currency not in MINOR_UNITS:
        raise ValidationError(f"currency {excerpt(currency)} is not an ISO 4217 code")
    minor = amount_minor(raw, "amount", currency)
    if minor <= 0:
        raise ValidationError(f"amount {excerpt(text('amount'))} must be positive")
    return PaymentRow(
        line,
        text("loan_id"),
        minor,
        currency,
        _paid_at(text("paid_at")),
        text("reference"),
        text("channel") or None,
    )


def apply_payments(
    session: Session, rows: list[PaymentRow], now: datetime
) -> tuple[int, int, list[tuple[int, str]]]:
    """Apply a batch in the caller's transaction: (applied, duplicates, rejects)."""
    refs = [r.reference for r in rows]
    known = set(session.scalars(select(Payment.reference).where(Payment.reference.in_(refs))))
    loans = {
        lid: (cur, out, dpd, as_of)
        for lid, cur, out, dpd, as_of in session.execute(
            select(
                Loan.id, Loan.currency, Loan.outstanding_minor, Loan.days_past_due, Loan.as_of
            ).where(Loan.id.in_({r.loan_id for r in rows}))
        )
    }
    applied, duplicates, rejects = 0, 0, []
    for r in rows:
        if r.reference in known:
            duplicates += 1
            continue
        loan = loans.get(r.loan_id)
        if loan is None:
            rejects.append((r.line, f"loan_id {r.loan_id!r} is not in the portfolio"))
            continue
        if loan[0] != r.currency:
            rejects.append((r.line, f"currency {r.currency} differs from the loan's {loan[0]}"))
            continue
        known.add(r.reference)
        remaining = max(loan[1] - r.amount_minor, 0)
        loans[r.loan_id] = (loan[0], remaining, loan[2], loan[3])
        session.add(
            Payment(
                reference=r.reference,
                loan_id=r.loan_id,
                amount_minor=r.amount_minor,
                currency=r.currency,
                paid_at=r.paid_at,
                channel=r.channel,
                recorded_at=now,
            )
        )
        session.execute(
            update(Loan)
            .where(Loan.id == r.loan_id)
            .values(outstanding_minor=remaining, updated_at=now)
        )
        session.add(
            BalanceHistory(
                loan_id=r.loan_id,
                outstanding_minor=remaining,
                days_past_due=loan[2],
                as_of=r.paid_at.date(),
                source="payment",
                recorded_at=now,
            )
        )
        if remaining == 0:
            session.execute(
                update(Case).where(Case.loan_id == r.loan_id).values(status="paid", updated_at=now)
            )
        applied += 1
    return applied, duplicates, rejects


def import_payments(
    db: Database, path: Path, clock: Clock, *, actor: str = "cli", batch_size: int = 1000
) -> PaymentSummary:
    _, sha = check_file(path, PAYMENT_COLUMNS)
    summary = PaymentSummary(file=path.name)
    batch: list[PaymentRow] = []

    def flush() -> None:
        with db.transaction() as s:
            applied, dups, rejects = apply_payments(s, batch, clock.now())
        summary.applied += applied
        summary.duplicates += dups
        summary.rejects.extend(rejects)
        batch.clear()

    for line, raw in read_records(path, PAYMENT_COLUMNS):
        summary.records += 1
        if isinstance(raw, str):
            summary.rejects.append((line, raw))
            continue
        try:
            batch.append(parse_payment(raw, line))
        except ValidationError as e:
            summary.rejects.append((line, str(e)))
        except Exception as e:  # a value no check foresaw: this row, not the feed
            summary.rejects.append((line, f"the row could not be read ({type(e).__name__})"))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    summary.rejected = len(summary.rejects)
    rejects = RejectsFile(path.with_name(path.name + ".rejects.csv"), ())
    for line, reason in sorted(summary.rejects):
        rejects.add(line, reason, None)
    rejects.close()
    with db.transaction() as s:
        audit.append(
            s,
            at=clock.now(),
            actor=actor,
            action="payments.import",
            subject_type="import",
            details={"file_sha256": sha, "applied": summary.applied, "rejected": summary.rejected},
        )
    return summary
