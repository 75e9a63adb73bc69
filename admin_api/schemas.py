"""Request and response bodies (pydantic only at the boundary)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Short = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int
    role: str


class CaseSummary(BaseModel):
    id: str
    loan_id: str
    debtor_id: str
    status: str
    risk_tier: str | None
    score: float | None
    product: str
    currency: str
    outstanding: Decimal
    days_past_due: int
    assigned_agent_id: str | None
    next_action_at: datetime | None
    language: str
    jurisdiction: str


class CasePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CaseSummary]


class PhoneOut(BaseModel):
    id: int
    number: str
    kind: str
    status: str
    do_not_call: bool


class DebtorOut(BaseModel):
    name: str
    email: str | None
    address: str | None
    national_id: str | None
    birth_date: str | None
    phones: list[PhoneOut]
    flags: list[str]
    timezone: str


class CaseDetail(BaseModel):
    case: CaseSummary
    debtor: DebtorOut
    masked: bool


class AttemptOut(BaseModel):
    id: str
    channel: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    connected: bool
    conversation: bool
    agent_id: str | None
    transcript: str | None
    has_recording: bool = False  # GET /cases/{case}/attempts/{id}/recording serves it


class PromiseOut(BaseModel):
    id: int
    amount: Decimal
    currency: str
    due_date: date
    status: str
    created_at: datetime


class PaymentOut(BaseModel):
    reference: str
    amount: Decimal
    currency: str
    paid_at: datetime
    channel: str | None


class NoteOut(BaseModel):
    id: int
    author: str
    kind: str
    body: str | None
    created_at: datetime


class CaseHistory(BaseModel):
    attempts: list[AttemptOut]
    promises: list[PromiseOut]
    payments: list[PaymentOut]
    notes: list[NoteOut]
    masked: bool


class AssignIn(Body):
    agent_id: Short | None
    reason: Reason


class NoteIn(Body):
    body: Reason
    outcome: Annotated[str, Field(max_length=32)] | None = None


class TransferIn(Body):
    agent_id: Short
    summary: Annotated[str, Field(max_length=4000)] = ""
    call_id: Annotated[str, Field(max_length=64)] | None = None


AgentStatus = Literal["available", "on_call", "wrap_up", "paused", "offline"]


class AgentIn(Body):
    display_name: Annotated[str, Field(min_length=1, max_length=120)]
    endpoint: Annotated[str, Field(min_length=1, max_length=120)]
    user_id: Short | None = None
    languages: list[Annotated[str, Field(min_length=2, max_length=2)]] = Field(default_factory=list)
    products: list[Short] = Field(default_factory=list)
    tiers: list[Annotated[str, Field(min_length=1, max_length=8)]] = Field(default_factory=list)
    capacity: Annotated[int, Field(ge=1, le=10_000)] = 50


class AgentPatch(Body):
    display_name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    endpoint: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    languages: list[Annotated[str, Field(min_length=2, max_length=2)]] | None = None
    products: list[Short] | None = None
    tiers: list[Annotated[str, Field(min_length=1, max_length=8)]] | None = None
    capacity: Annotated[int, Field(ge=1, le=10_000)] | None = None


class AgentStatusIn(Body):
    status: AgentStatus


class AgentOut(BaseModel):
    id: str
    user_id: str | None
    display_name: str
    endpoint: str
    languages: list[Any]
    products: list[Any]
    tiers: list[Any]
    capacity: int
    status: str


RoleName = Literal["admin", "supervisor", "agent", "auditor"]


class UserIn(Body):
    username: Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
    password: Annotated[str, Field(min_length=12, max_length=256)]
    role: RoleName


class UserPatch(Body):
    password: Annotated[str, Field(min_length=12, max_length=256)] | None = None
    role: RoleName | None = None
    active: bool | None = None


class UserOut(BaseModel):
    id: str
    username: str
    role: str
    active: bool
    created_at: datetime


class ImportOut(BaseModel):
    file: str
    records: int
    stored: int
    rejected: int
    loans_new: int
    loans_changed: int
    seconds: float
    reasons: dict[str, int]
    rejects: list[dict[str, str]]


class PaymentsImportOut(BaseModel):
    file: str
    records: int
    applied: int
    duplicates: int
    rejected: int
    rejects: list[dict[str, str]]
