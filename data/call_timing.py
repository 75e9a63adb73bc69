"""What the dialer's timing reads and writes: each due case's zone and jurisdiction and whether
its time is fixed (a callback the debtor asked for, a moment the timing already chose), and
the move of a case's next call to its best moment (the tables: ``analytics_store``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Case, Debtor

STAMP = "best_time"  # the next action's key: the moment the timing chose, and its chance


@dataclass(frozen=True, slots=True)
class TimedCase:
    case_id: str
    jurisdiction: str
    timezone: str
    action: Mapping[str, Any]  # the stored next action

    @property
    def fixed(self) -> bool:
        """Its time is not the timing's to move: a callback the debtor asked for, or a moment
        the timing already chose."""
        return self.action.get("reason") == "callback" or STAMP in self.action


async def timed_cases(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, TimedCase]:
    rows = await session.execute(
        select(Case.id, Debtor.jurisdiction, Debtor.timezone, Case.next_action)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .where(Case.id.in_(list(case_ids)))
    )
    return {
        r.id: TimedCase(r.id, r.jurisdiction, r.timezone, dict(r.next_action or {})) for r in rows
    }


async def move_calls(
    session: AsyncSession,
    cases: Mapping[str, TimedCase],
    moments: Mapping[str, tuple[datetime, float]],
    now: datetime,
) -> None:
    """Each case's next call at its best moment, stamped with it (one transaction)."""
    for case_id, (at, p) in moments.items():
        action = {**cases[case_id].action, STAMP: {"at": at.isoformat(), "p": round(p, 4)}}
        await session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(next_action_at=at, next_action=action, updated_at=now)
        )
    await session.commit()
