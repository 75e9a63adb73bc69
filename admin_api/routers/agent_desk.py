"""The agent's desk: the queue of assigned cases with follow-ups due, and the call's wrap-up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from admin_api import schemas, wrapup
from admin_api.case_service import _summary, _summary_stmt
from admin_api.deps import get_services, require
from admin_api.errors import Forbidden, Unprocessable
from admin_api.roles import STAFF, Principal, Role
from admin_api.services import Services
from data import allocation_store
from data.models import Case

router = APIRouter(tags=["agent desk"])
Svc = Annotated[Services, Depends(get_services)]
Workers = Annotated[Principal, Depends(require(*STAFF, Role.AGENT))]


class QueueItem(BaseModel):
    case: schemas.CaseSummary
    due: bool  # the follow-up's time has come
    follow_up: str | None  # what is due: callback, promise_check, verify_payment, call…


class Queue(BaseModel):
    agent_id: str
    due: int
    items: list[QueueItem]


def _follow_up(action: dict[str, Any] | None) -> str | None:
    if not action:
        return None
    if action.get("reason") == "callback":
        return "callback"
    channel = action.get("channel")
    return str(channel) if channel and channel != "none" else None


def queue(s: Session, agent_id: str, now: datetime, limit: int) -> Queue:
    """The agent's active cases, follow-ups due first (then by time, then the rest)."""
    rows = s.execute(
        _summary_stmt()
        .where(Case.assigned_agent_id == agent_id, Case.status.in_(allocation_store.ACTIVE))
        .order_by(Case.next_action_at.is_(None), Case.next_action_at, Case.id)
        .limit(limit)
    ).all()
    items = []
    for case, loan, debtor in rows:
        follow = _follow_up(case.next_action)
        at = case.next_action_at
        due = follow is not None and at is not None and _aware(at) <= now
        items.append(QueueItem(case=_summary(case, loan, debtor), due=due, follow_up=follow))
    items.sort(key=lambda i: not i.due)  # stable: due ones first, each group still by time
    return Queue(agent_id=agent_id, due=sum(i.due for i in items), items=items)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def queue_agent(who: Principal, agent_id: str | None) -> str:
    """An agent's own queue; staff name the agent (403 for an agent naming another)."""
    if who.role is Role.AGENT:
        if who.agent_id is None:
            raise Forbidden("this user is not an agent")
        if agent_id not in (None, who.agent_id):
            raise Forbidden("agents see their own queue only")
        return who.agent_id
    if agent_id is None:
        raise Unprocessable("name the agent whose queue to show (agent_id)")
    return agent_id


@router.get("/desk/queue", response_model=Queue)
def get_queue(
    who: Workers,
    services: Svc,
    agent_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Queue:
    target = queue_agent(who, agent_id)
    with services.db.transaction() as s:
        return queue(s, target, services.clock.now(), limit)


@router.post("/cases/{case_id}/wrapup", response_model=wrapup.WrapUpOut, status_code=201)
def wrap_up(case_id: str, body: wrapup.WrapUpIn, who: Workers, services: Svc) -> wrapup.WrapUpOut:
    """Record what the agent agreed on the call: the same records a bot's call writes."""
    with services.db.transaction() as s:
        out = wrapup.record(s, services.keyring, services.clock, who, case_id, body)
    services.webhooks.emit("outcome", {"case_id": case_id, "outcome": out.outcome})
    return out
