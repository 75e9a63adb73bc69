"""Cases, campaigns, contact attempts, promises, payment plans and SMS messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Float, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base

CASE_STATUSES = (
    "open", "promised", "plan", "disputed", "ceased", "deceased", "paid", "closed"
)  # fmt: skip


class Case(Base):
    """One collection case per loan (its id is the loan id)."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.id"), unique=True)
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    risk_tier: Mapped[str | None] = mapped_column(String(8), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    expected_amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    reason_codes: Mapped[list[Any] | None] = mapped_column(JSON)
    strategy_arm: Mapped[str | None] = mapped_column(String(16))
    assigned_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), index=True)
    next_action: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    next_action_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CaseNote(Base):
    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="note")  # note|assignment|transfer
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContactAttempt(Base):
    """Every call or SMS attempt; ``idempotency_key`` makes the dialer's ledger exact-once."""

    __tablename__ = "contact_attempts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # call|sms
    # the dialer's ledger: claimed -> dialing -> done (see dialer.ledger)
    state: Mapped[str] = mapped_column(String(16), default="done", index=True)
    worker: Mapped[str | None] = mapped_column(String(64))
    phone_id: Mapped[int | None] = mapped_column(ForeignKey("debtor_phones.id"))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    started_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    # set the moment the call reaches the bot, while it is still up (the console's "calls in
    # progress"); the stored result of the call is answered_at, written at its end
    live_since: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(32), index=True)
    connected: Mapped[bool] = mapped_column(default=False)
    conversation: Mapped[bool] = mapped_column(default=False)
    transcript_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    recording_ref: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Promise(Base):
    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    attempt_id: Mapped[str | None] = mapped_column(ForeignKey("contact_attempts.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|kept|broken
    created_at: Mapped[datetime]


class PaymentPlan(Base):
    __tablename__ = "payment_plans"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    attempt_id: Mapped[str | None] = mapped_column(ForeignKey("contact_attempts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    installments: Mapped[list[Any]] = mapped_column(JSON)  # [{"due": iso, "amount_minor": int}]
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime]


class SmsMessage(Base):
    __tablename__ = "sms_messages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    phone_id: Mapped[int | None] = mapped_column(ForeignKey("debtor_phones.id"))
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    provider_ref: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    reply_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    detail: Mapped[str | None] = mapped_column(Text)
