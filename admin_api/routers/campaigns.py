"""Campaigns: CRUD over drafts, state changes only through these actions, live figures."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin_api import campaign_schemas as cs
from admin_api.deps import get_services, require
from admin_api.errors import Conflict, NotFound, Unprocessable
from admin_api.hub import SUPERVISOR_TOPIC, campaign_topic
from admin_api.roles import STAFF, Principal, Role
from admin_api.services import Services
from core.dialogue import Lang
from core.ids import new_id
from data import audit
from data.models import Campaign, ContactAttempt, Promise
from data.models.admin import StoredStrategy
from nlu.policy import script_exists
from scoring.campaign import CampaignState, editable, transition
from scoring.errors import TransitionRefused

router = APIRouter(prefix="/campaigns", tags=["campaigns"])
Svc = Annotated[Services, Depends(get_services)]
Staff = Annotated[Principal, Depends(require(*STAFF))]
Viewers = Annotated[Principal, Depends(require(*STAFF, Role.AUDITOR))]


def _out(c: Campaign) -> cs.CampaignOut:
    return cs.CampaignOut(
        id=c.id,
        name=c.name,
        status=CampaignState(c.status),
        definition=c.definition,
        created_by=c.created_by,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def _stored(s: Session, body: cs.CampaignDefinition) -> dict[str, object]:
    """The definition as stored: parsed by the domain, its strategy uploaded and valid, its
    script present in every language the campaign's calls can be held in (422 otherwise)."""
    definition = body.domain()
    if definition.strategy_id is not None:
        strategy = s.get(StoredStrategy, definition.strategy_id)
        if strategy is None or not strategy.valid:
            state = "not valid" if strategy is not None else "not uploaded"
            raise Unprocessable(f"strategy_id {definition.strategy_id!r} is {state}")
    languages = [definition.language] if definition.language else ["en", "zh"]
    missing = [lang for lang in languages if not script_exists(cast(Lang, lang), definition.script)]
    if missing:
        raise Unprocessable(
            f"script {definition.script!r} has no version in {', '.join(missing)} (GET /scripts)"
        )
    return definition.as_json()


def _load(s: Session, campaign_id: str) -> Campaign:
    campaign = s.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id!r}")
    return campaign


@router.get("", response_model=list[cs.CampaignOut])
def list_campaigns(who: Viewers, services: Svc) -> list[cs.CampaignOut]:
    with services.db.transaction() as s:
        return [_out(c) for c in s.scalars(select(Campaign).order_by(Campaign.created_at))]


@router.post("", response_model=cs.CampaignOut, status_code=201)
def create_campaign(body: cs.CampaignIn, who: Staff, services: Svc) -> cs.CampaignOut:
    now = services.clock.now()
    with services.db.transaction() as s:
        campaign = Campaign(
            id=new_id("cmp"),
            name=body.name,
            status=CampaignState.DRAFT.value,
            definition=_stored(s, body.definition),
            created_by=who.actor,
            created_at=now,
            updated_at=now,
        )
        s.add(campaign)
        s.flush()
        audit.append(
            s,
            at=now,
            actor=who.actor,
            action="campaign.create",
            subject_type="campaign",
            subject_id=campaign.id,
        )
        return _out(campaign)


@router.get("/{campaign_id}", response_model=cs.CampaignOut)
def get_campaign(campaign_id: str, who: Viewers, services: Svc) -> cs.CampaignOut:
    with services.db.transaction() as s:
        return _out(_load(s, campaign_id))


@router.patch("/{campaign_id}", response_model=cs.CampaignOut)
def update_campaign(
    campaign_id: str, body: cs.CampaignPatch, who: Staff, services: Svc
) -> cs.CampaignOut:
    with services.db.transaction() as s:
        campaign = _load(s, campaign_id)
        if not editable(campaign.status):
            raise Conflict(f"only a draft campaign can be changed; this one is {campaign.status}")
        if body.name is not None:
            campaign.name = body.name
        if body.definition is not None:
            campaign.definition = _stored(s, body.definition)
        campaign.updated_at = services.clock.now()
        audit.append(
            s,
            at=campaign.updated_at,
            actor=who.actor,
            action="campaign.update",
            subject_type="campaign",
            subject_id=campaign.id,
        )
        return _out(campaign)


@router.delete("/{campaign_id}", status_code=204)
def delete_campaign(campaign_id: str, who: Staff, services: Svc) -> None:
    with services.db.transaction() as s:
        campaign = _load(s, campaign_id)
        if not editable(campaign.status):
            raise Conflict("only a draft campaign can be deleted; stop it instead")
        s.delete(campaign)
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="campaign.delete",
            subject_type="campaign",
            subject_id=campaign_id,
        )


@router.post("/{campaign_id}/{action}", response_model=cs.CampaignOut)
def change_state(campaign_id: str, action: cs.Action, who: Staff, services: Svc) -> cs.CampaignOut:
    with services.db.transaction() as s:
        campaign = _load(s, campaign_id)
        try:
            target = transition(campaign.status, action)
        except TransitionRefused as e:
            raise Conflict(str(e)) from e
        previous, campaign.status = campaign.status, target.value
        campaign.updated_at = services.clock.now()
        audit.append(
            s,
            at=campaign.updated_at,
            actor=who.actor,
            action=f"campaign.{action}",
            subject_type="campaign",
            subject_id=campaign.id,
            details={"from": previous, "to": target.value},
        )
        out = _out(campaign)
    event = {"type": "campaign.state", "campaign_id": campaign_id, "status": target.value}
    services.hub.publish(SUPERVISOR_TOPIC, event)
    services.hub.publish(campaign_topic(campaign_id), event)
    return out


def figures(s: Session, campaign: Campaign) -> cs.CampaignFigures:
    where = ContactAttempt.campaign_id == campaign.id
    outcomes = {
        str(outcome or "in_progress"): int(n)
        for outcome, n in s.execute(
            select(ContactAttempt.outcome, func.count())
            .where(where)
            .group_by(ContactAttempt.outcome)
        )
    }
    connected, conversations = s.execute(
        select(
            func.count().filter(ContactAttempt.connected.is_(True)),
            func.count().filter(ContactAttempt.conversation.is_(True)),
        ).where(where)
    ).one()
    promises = s.scalar(
        select(func.count())
        .select_from(Promise)
        .join(ContactAttempt, ContactAttempt.id == Promise.attempt_id)
        .where(where)
    )
    return cs.CampaignFigures(
        campaign_id=campaign.id,
        status=CampaignState(campaign.status),
        attempts=sum(outcomes.values()),
        in_progress=outcomes.get("in_progress", 0),
        connected=int(connected or 0),
        conversations=int(conversations or 0),
        promises=int(promises or 0),
        outcomes=outcomes,
    )


@router.get("/{campaign_id}/figures", response_model=cs.CampaignFigures)
def campaign_figures(campaign_id: str, who: Viewers, services: Svc) -> cs.CampaignFigures:
    with services.db.transaction() as s:
        return figures(s, _load(s, campaign_id))
