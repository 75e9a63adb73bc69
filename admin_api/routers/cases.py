"""Cases: search, detail (personal data per role, audited), history, assignment, notes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from admin_api import case_reads, case_service, schemas, sms_service
from admin_api.deps import get_services, require
from admin_api.hub import agent_topic
from admin_api.roles import ALL_ROLES, STAFF, Principal, Role
from admin_api.services import Services

router = APIRouter(prefix="/cases", tags=["cases"])
Svc = Annotated[Services, Depends(get_services)]
Anyone = Annotated[Principal, Depends(require(*ALL_ROLES))]
Workers = Annotated[Principal, Depends(require(*STAFF, Role.AGENT))]
Staff = Annotated[Principal, Depends(require(*STAFF))]
Reveal = Annotated[bool, Query(description="staff: show personal data in clear (audited)")]
Text = Annotated[str | None, Query(max_length=64)]


def _json(body: BaseModel) -> Response:
    """The hot reads answer with their model's JSON directly: returning a model from a sync
    route makes FastAPI validate it again in another threadpool hop before serialising it.
    (``response_model`` still documents the body.)"""
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("", response_model=schemas.CasePage)
def search_cases(
    who: Anyone,
    services: Svc,
    status: Text = None,
    risk_tier: Text = None,
    product: Text = None,
    language: Text = None,
    jurisdiction: Text = None,
    agent_id: Text = None,
    dpd_min: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    dpd_max: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    f = case_service.CaseFilter(
        status, risk_tier, product, language, jurisdiction, agent_id, dpd_min, dpd_max
    )
    with services.db.transaction() as s:
        return _json(case_reads.search(s, who, f, limit, offset))


@router.get("/{case_id}", response_model=schemas.CaseDetail)
def get_case(case_id: str, who: Anyone, services: Svc, reveal: Reveal = False) -> Response:
    with services.db.transaction() as s:
        out, record = case_reads.detail(s, services.keyring, services.clock, who, case_id, reveal)
    services.audit.write(record)  # committed before the personal data leaves
    return _json(out)


@router.get("/{case_id}/history", response_model=schemas.CaseHistory)
def get_history(case_id: str, who: Anyone, services: Svc, reveal: Reveal = False) -> Response:
    with services.db.transaction() as s:
        out, record = case_service.history(
            s, services.keyring, services.clock, who, case_id, reveal
        )
    services.audit.write(record)  # committed before the personal data leaves
    return _json(out)


@router.post("/{case_id}/assign", response_model=schemas.CaseSummary)
def assign_case(
    case_id: str, body: schemas.AssignIn, who: Staff, services: Svc
) -> schemas.CaseSummary:
    with services.db.transaction() as s:
        out = case_service.assign(s, services.keyring, services.clock, who, case_id, body)
    if body.agent_id:
        services.hub.publish(
            agent_topic(body.agent_id), {"type": "case.assigned", "case_id": case_id}
        )
    return out


@router.post("/{case_id}/notes", response_model=schemas.NoteOut, status_code=201)
def add_note(case_id: str, body: schemas.NoteIn, who: Workers, services: Svc) -> schemas.NoteOut:
    with services.db.transaction() as s:
        out = case_service.add_note(s, services.keyring, services.clock, who, case_id, body)
    if body.outcome:
        services.webhooks.emit("outcome", {"case_id": case_id, "outcome": body.outcome})
    return out


@router.post("/{case_id}/sms", response_model=sms_service.SmsOut, status_code=201)
async def send_sms(
    case_id: str, body: sms_service.SmsSendIn, who: Workers, services: Svc
) -> sms_service.SmsOut:
    """Send a template in the debtor's language; 409 with the reasons when it may not go now."""
    return await sms_service.send(services, who, case_id, body)


@router.post("/{case_id}/transfer", response_model=schemas.CaseSummary, status_code=202)
def transfer_case(
    case_id: str, body: schemas.TransferIn, who: Staff, services: Svc
) -> schemas.CaseSummary:
    """Hand a live call to an agent who speaks the debtor's language and has room (409 if not):
    the case is assigned to them and their console pops."""
    reason = schemas.AssignIn(agent_id=body.agent_id, reason=f"transfer {body.call_id or ''}")
    with services.db.transaction() as s:
        case, loan, debtor = case_service.load_case(s, who, case_id)
        case_service.require_can_take(s, case, loan, debtor, body.agent_id)
        out = case_service.assign(s, services.keyring, services.clock, who, case_id, reason)
    services.hub.publish(
        agent_topic(body.agent_id),
        {
            "type": "screen_pop",
            "case": out.model_dump(mode="json"),
            "call_id": body.call_id,
            "summary": body.summary,
            "by": who.username,
        },
    )
    return out
