"""Agent performance figures: recovery rate, amount collected, promises kept, contacts per hour."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.money import Money


@dataclass(frozen=True, slots=True)
class AgentActivity:
    """One agent's record over a period, in one currency."""

    agent_id: str
    currency: str
    assigned_balance_minor: int  # balance of the cases held at the start of the period
    collected_minor: int  # payments on those cases during the period
    promises_made: int
    promises_kept: int
    promises_due: int  # promises whose date has passed (kept or broken)
    contacts: int  # calls handled
    logged_seconds: int


@dataclass(frozen=True, slots=True)
class AgentPerformance:
    agent_id: str
    recovery_rate: Decimal
    collected: Money
    promises_made: int
    promise_kept_rate: Decimal | None  # None until a promise has fallen due
    contacts_per_hour: Decimal | None


def _ratio(num: int, den: int, places: str = "0.0001") -> Decimal | None:
    return None if den <= 0 else (Decimal(num) / Decimal(den)).quantize(Decimal(places))


def performance(activity: AgentActivity) -> AgentPerformance:
    hours_x100 = activity.logged_seconds * 100 // 3600
    return AgentPerformance(
        agent_id=activity.agent_id,
        recovery_rate=_ratio(activity.collected_minor, activity.assigned_balance_minor)
        or Decimal(0),
        collected=Money.from_minor(activity.collected_minor, activity.currency),
        promises_made=activity.promises_made,
        promise_kept_rate=_ratio(activity.promises_kept, activity.promises_due),
        contacts_per_hour=_ratio(activity.contacts * 100, hours_x100, "0.01"),
    )


def league(activities: Iterable[AgentActivity]) -> list[AgentPerformance]:
    """Performance of every agent, best recovery rate first."""
    rows = [performance(a) for a in activities]
    return sorted(rows, key=lambda p: (-p.recovery_rate, p.agent_id))
