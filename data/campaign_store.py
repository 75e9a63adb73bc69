"""Campaign queries the dialer needs: status, due cases, rolling pacing figures, scheduling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Campaign, Case, ContactAttempt, Debtor, Loan

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


def _filtered(stmt: Select[*Ts], rules: dict[str, Any]) -> Select[*Ts]:
    if rules.get("language"):
        stmt = stmt.where(Debtor.language == rules["language"])
    if rules.get("jurisdiction"):
        stmt = stmt.where(Debtor.jurisdiction == rules["jurisdiction"])
    if rules.get("products"):
        stmt = stmt.where(Loan.product.in_(rules["products"]))
    if rules.get("risk_tiers"):
        stmt = stmt.where(Case.risk_tier.in_(rules["risk_tiers"]))
    if rules.get("min_dpd") is not None:
        stmt = stmt.where(Loan.days_past_due >= int(rules["min_dpd"]))
    if rules.get("max_dpd") is not None:
        stmt = stmt.where(Loan.days_past_due <= int(rules["max_dpd"]))
    if rules.get("case_ids"):
        stmt = stmt.where(Case.id.in_(rules["case_ids"]))
    return stmt


async def due_cases(
    session: AsyncSession, definition: dict[str, Any], now: datetime, limit: int
) -> list[tuple[str, datetime | None]]:
    """Open cases of the campaign's portfolio filter whose next action is due (or never set)."""
    stmt = (
        select(Case.id, Case.next_action_at)
        .join(Loan, Loan.id == Case.loan_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .where(Case.status.in_(OPEN_STATUSES))
        .where(or_(Case.next_action_at.is_(None), Case.next_action_at <= now))
        .order_by(Case.score.desc().nulls_last(), Case.id)
        .limit(limit)
    )
    rows = await session.execute(_filtered(stmt, definition.get("filter", {})))
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


async def set_campaign_status(
    session: AsyncSession, campaign_id: str, status: str, now: datetime
) -> None:
    await session.execute(
        update(Campaign).where(Campaign.id == campaign_id).values(status=status, updated_at=now)
    )
    await session.commit()
