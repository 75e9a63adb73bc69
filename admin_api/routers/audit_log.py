"""The audit log for auditors and admins: entries page by page, and the chain check."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from admin_api.deps import get_services, require
from admin_api.roles import Principal, Role
from admin_api.services import Services
from data import audit
from data.models import AuditEntry

router = APIRouter(prefix="/audit", tags=["audit"])
Svc = Annotated[Services, Depends(get_services)]
Auditors = Annotated[Principal, Depends(require(Role.AUDITOR, Role.ADMIN))]


class AuditOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str | None
    details: dict[str, Any]


class ChainOut(BaseModel):
    ok: bool
    entries: int
    problems: list[str]
    keyed: int = 0  # entries whose HMAC checked under the keyring's audit keys
    legacy: int = 0  # unkeyed entries from before the chain was keyed


@router.get("", response_model=list[AuditOut])
def list_entries(
    who: Auditors,
    services: Svc,
    after_seq: Annotated[int, Query(ge=0, le=2**62)] = 0,
    action: Annotated[str | None, Query(max_length=64)] = None,
    subject_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    stmt = select(AuditEntry).where(AuditEntry.seq > after_seq)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    if subject_id is not None:
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    with services.db.transaction() as s:
        return [
            AuditOut(
                seq=e.seq,
                at=e.at,
                actor=e.actor,
                action=e.action,
                subject_type=e.subject_type,
                subject_id=e.subject_id,
                details=e.details,
            )
            for e in s.scalars(stmt.order_by(AuditEntry.seq).limit(limit))
        ]


@router.get("/verify", response_model=ChainOut)
def verify_chain(who: Auditors, services: Svc) -> ChainOut:
    with services.db.transaction() as s:
        report = audit.verify(s)
    return ChainOut(
        ok=report.ok,
        entries=report.entries,
        problems=list(report.problems),
        keyed=report.keyed,
        legacy=report.legacy,
    )
