"""Agents: CRUD, skills (languages, products, tiers) and availability."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from admin_api import schemas
from admin_api.deps import get_services, require
from admin_api.errors import Conflict, Forbidden, NotFound
from admin_api.hub import SUPERVISOR_TOPIC
from admin_api.roles import ALL_ROLES, STAFF, Principal, Role
from admin_api.services import Services
from core.ids import new_id
from data import audit
from data.models import Agent, User

router = APIRouter(prefix="/agents", tags=["agents"])
Svc = Annotated[Services, Depends(get_services)]
Anyone = Annotated[Principal, Depends(require(*ALL_ROLES))]
Staff = Annotated[Principal, Depends(require(*STAFF))]
Workers = Annotated[Principal, Depends(require(*STAFF, Role.AGENT))]


def _out(a: Agent) -> schemas.AgentOut:
    return schemas.AgentOut(
        id=a.id,
        user_id=a.user_id,
        display_name=a.display_name,
        endpoint=a.endpoint,
        languages=list(a.languages),
        products=list(a.products),
        tiers=list(a.tiers),
        capacity=a.capacity,
        status=a.status,
    )


@router.get("", response_model=list[schemas.AgentOut])
def list_agents(who: Anyone, services: Svc) -> list[schemas.AgentOut]:
    with services.db.transaction() as s:
        return [_out(a) for a in s.scalars(select(Agent).order_by(Agent.id))]


@router.post("", response_model=schemas.AgentOut, status_code=201)
def create_agent(body: schemas.AgentIn, who: Staff, services: Svc) -> schemas.AgentOut:
    with services.db.transaction() as s:
        if body.user_id is not None:
            if s.get(User, body.user_id) is None:
                raise NotFound(f"no user {body.user_id!r}")
            if s.scalar(select(Agent.id).where(Agent.user_id == body.user_id)):
                raise Conflict("that user already has an agent")
        agent = Agent(
            id=new_id("agt"), created_at=services.clock.now(), status="offline", **body.model_dump()
        )
        s.add(agent)
        s.flush()
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="agent.create",
            subject_type="agent",
            subject_id=agent.id,
        )
        return _out(agent)


def _get(services: Services, agent_id: str) -> schemas.AgentOut:
    with services.db.transaction() as s:
        agent = s.get(Agent, agent_id)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}")
        return _out(agent)


@router.get("/{agent_id}", response_model=schemas.AgentOut)
def get_agent(agent_id: str, who: Anyone, services: Svc) -> schemas.AgentOut:
    return _get(services, agent_id)


@router.patch("/{agent_id}", response_model=schemas.AgentOut)
def update_agent(
    agent_id: str, body: schemas.AgentPatch, who: Staff, services: Svc
) -> schemas.AgentOut:
    with services.db.transaction() as s:
        agent = s.get(Agent, agent_id)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}")
        changes = body.model_dump(exclude_none=True)
        for key, value in changes.items():
            setattr(agent, key, value)
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="agent.update",
            subject_type="agent",
            subject_id=agent.id,
            details={"fields": sorted(changes)},
        )
        return _out(agent)


@router.delete("/{agent_id}", status_code=204)
def delete_agent(agent_id: str, who: Staff, services: Svc) -> None:
    """Agents that ever worked a case are kept for reports: they are set offline, not deleted."""
    with services.db.transaction() as s:
        agent = s.get(Agent, agent_id)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}")
        agent.status, agent.status_since = "offline", services.clock.now()
        agent.user_id = None
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="agent.retire",
            subject_type="agent",
            subject_id=agent.id,
        )


@router.put("/{agent_id}/status", response_model=schemas.AgentOut)
def set_status(
    agent_id: str, body: schemas.AgentStatusIn, who: Workers, services: Svc
) -> schemas.AgentOut:
    if who.role is Role.AGENT and who.agent_id != agent_id:
        raise Forbidden("agents set only their own availability")
    with services.db.transaction() as s:
        agent = s.get(Agent, agent_id)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}")
        if agent.status != body.status:
            agent.status, agent.status_since = body.status, services.clock.now()
        out = _out(agent)
    services.hub.publish(
        SUPERVISOR_TOPIC, {"type": "agent.status", "agent_id": agent_id, "status": body.status}
    )
    return out
