"""Payment feed import: idempotent by reference; reduces outstanding balances."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import ValidationError
from core.money import MINOR_UNITS, parse_amount
from data import audit
from data.db import Database
from data.models import BalanceHistory, Case, Loan, Payment
from data.portfolio.reader import check_file, read_records

PAYMENT_COLUMNS = ("loan_id", "amount", "currency", "paid_at", "reference")


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
        raise ValidationError(f"paid_at {text!r} is not an ISO 8601 time") from e
    if value.tzinfo is None:
        raise ValidationError(f"paid_at {text!r} has no UTC offset")
    return value


def parse_payment(raw: dict[str, Any], line: int) -> PaymentRow:
    def text(key: str) -> str:
        value = "" if raw.get(key) is None else str(raw[key]).strip()
        if not value and key in PAYMENT_COLUMNS:
            raise ValidationError(f"{key} is empty")
        return value

    currency = text("currency").upper()
    if currency not in MINOR_UNITS:
        raise ValidationError(f"currency {currency!r} is not an ISO 4217 code")
    amount = parse_amount(text("amount"))
    if amount <= 0:
        raise ValidationError(f"amount {amount} must be positive")
    scaled = amount.scaleb(MINOR_UNITS[currency])
    if scaled != scaled.to_integral_value():
        raise ValidationError(f"amount {amount} has more decimals than {currency} allows")
    return PaymentRow(
        line,
        text("loan_id"),
        int(scaled),
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
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    summary.rejected = len(summary.rejects)
    if summary.rejects:
        with path.with_name(path.name + ".rejects.csv").open(
            "w", newline="", encoding="utf-8"
        ) as f:
            w = csv.writer(f)
            w.writerow(["line", "reason"])
            w.writerows(sorted(summary.rejects))
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
