"""Campaign queries the dialer needs: status, due cases, rolling pacing figures, scheduling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Campaign, Case, ContactAttempt, Debtor, Loan
from scoring.campaign import CampaignDefinition, Pacing, PortfolioFilter

OPEN_STATUSES = ("open", "promised", "plan")
Ts = TypeVarTuple("Ts")


@dataclass(frozen=True, slots=True)
class PacingFigures:
    dials: int
    answered: int
    abandoned: int

    @property
    def answer_rate(self) -> float:
        return self.answered / self.dials if self.dials else 0.5

    @property
    def abandon_rate(self) -> float:
        return self.abandoned / self.answered if self.answered else 0.0


async def campaign(session: AsyncSession, campaign_id: str) -> Campaign | None:
    return await session.get(Campaign, campaign_id, populate_existing=True)


CALL_STEPS = {  # the strategy steps (``next_action.step``) a campaign of this pacing calls
    Pacing.BOT: ("bot_call",),
    Pacing.PROGRESSIVE: ("agent_call", "bot_call"),
    Pacing.PREDICTIVE: ("agent_call", "bot_call"),
}


def filtered(stmt: Select[*Ts], rules: PortfolioFilter) -> Select[*Ts]:
    """The campaign's portfolio filter (``scoring.campaign.PortfolioFilter``); ``stmt`` joins
    ``Case``, ``Loan`` and ``Debtor``."""
    stmt = stmt.where(Case.status.in_(rules.status or OPEN_STATUSES))
    if rules.languages:
        stmt = stmt.where(Debtor.language.in_(rules.languages))
    if rules.jurisdictions:
        stmt = stmt.where(Debtor.jurisdiction.in_(rules.jurisdictions))
    if rules.products:
        stmt = stmt.where(Loan.product.in_(rules.products))
    if rules.risk_tiers:
        stmt = stmt.where(Case.risk_tier.in_(rules.risk_tiers))
    if rules.dpd_min is not None:
        stmt = stmt.where(Loan.days_past_due >= rules.dpd_min)
    if rules.dpd_max is not None:
        stmt = stmt.where(Loan.days_past_due <= rules.dpd_max)
    if rules.case_ids:
        stmt = stmt.where(Case.id.in_(rules.case_ids))
    return stmt


def _planned_for(stmt: Select[*Ts], pacing: Pacing) -> Select[*Ts]:
    """Only what the strategy planned as a call of this kind (``channel`` call, ``step`` one of
    ``CALL_STEPS``), and nothing it blocked. A call the dialer or the IVR scheduled itself (a
    retry, a callback: no step) and a case not planned yet are the campaign's to call."""
    channel = Case.next_action["channel"].as_string()
    step = Case.next_action["step"].as_string()
    blocked = Case.next_action["blocked"].as_boolean()
    steps = CALL_STEPS[pacing]
    return stmt.where(
        or_(channel.is_(None), and_(channel == "call", or_(step.is_(None), step.in_(steps))))
    ).where(or_(blocked.is_(None), blocked.is_(False)))


async def due_cases(
    session: AsyncSession, definition: CampaignDefinition, now: datetime, limit: int
) -> list[tuple[str, datetime | None]]:
    """Cases of the campaign's portfolio filter whose next action is due (or never set) and is
    a call of the campaign's kind, best score first."""
    stmt = (
        select(Case.id, Case.next_action_at)
        .join(Loan, Loan.id == Case.loan_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .where(or_(Case.next_action_at.is_(None), Case.next_action_at <= now))
        .order_by(Case.score.desc().nulls_last(), Case.id)
        .limit(limit)
    )
    stmt = _planned_for(stmt, definition.pacing)
    rows = await session.execute(filtered(stmt, definition.filter))
    return [(cid, at) for cid, at in rows]


async def pacing_figures(
    session: AsyncSession, campaign_id: str, now: datetime, days: int = 30
) -> PacingFigures:
    since = now - timedelta(days=days)
    base = select(func.count()).where(
        ContactAttempt.campaign_id == campaign_id,
        ContactAttempt.channel == "call",
        ContactAttempt.started_at >= since,
        ContactAttempt.state == "done",
    )
    dials = await session.scalar(base)
    answered = await session.scalar(base.where(ContactAttempt.answered_at.is_not(None)))
    abandoned = await session.scalar(base.where(ContactAttempt.outcome == "abandoned"))
    return PacingFigures(int(dials or 0), int(answered or 0), int(abandoned or 0))


async def attempts_for_case(session: AsyncSession, case_id: str, campaign_id: str) -> int:
    count = await session.scalar(
        select(func.count()).where(
            ContactAttempt.case_id == case_id, ContactAttempt.campaign_id == campaign_id
        )
    )
    return int(count or 0)


async def schedule_next(
    session: AsyncSession, case_id: str, at: datetime | None, action: dict[str, Any], now: datetime
) -> None:
    """Set the case's next action (None: no more attempts in this campaign)."""
    await session.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(next_action_at=at, next_action=action, updated_at=now)
    )
    await session.commit()
