"""The supervisor's day in figures: today's campaigns, agents' states, the hourly charts.

Read-only queries over the API's own tables, with the campaign figures of
``routers.campaigns.figures`` (the same numbers ``/campaigns/{id}/figures`` answers). The day
is the server's UTC day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from admin_api.routers.campaigns import figures
from core.money import Money
from data import allocation_store
from data.models import Agent, Campaign, Case, ContactAttempt, Promise
from scoring.campaign import CampaignState, allowed_actions

# line outcomes where nobody answered: the rest were answered by a person or a machine
NOT_ANSWERED = frozenset(
    {"in_progress", "no_answer", "busy", "failed", "invalid_number", "machine", "interrupted"}
)
LIVE = (CampaignState.RUNNING, CampaignState.PAUSED)


@dataclass(frozen=True, slots=True)
class CampaignRow:
    id: str
    name: str
    status: str
    lines: int
    attempts: int
    in_progress: int
    answered: int
    connected: int
    promises: int
    promised: str
    abandon: str
    abandon_limit: str
    abandon_over: bool
    actions: tuple[str, ...]


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def _promised(s: Session, campaign_id: str) -> str:
    rows = s.execute(
        select(Promise.currency, func.sum(Promise.amount_minor))
        .join(ContactAttempt, ContactAttempt.id == Promise.attempt_id)
        .where(ContactAttempt.campaign_id == campaign_id)
        .group_by(Promise.currency)
    ).all()
    return ", ".join(str(Money.from_minor(int(total), cur)) for cur, total in rows) or "0"


def campaign_row(s: Session, c: Campaign) -> CampaignRow:
    f = figures(s, c)
    answered = sum(n for o, n in f.outcomes.items() if o not in NOT_ANSWERED)
    abandoned = f.outcomes.get("abandoned", 0)
    rate = abandoned / answered if answered else 0.0
    limit = float((c.definition or {}).get("abandon_limit", 0.03))
    return CampaignRow(
        id=c.id,
        name=c.name,
        status=c.status,
        lines=int((c.definition or {}).get("max_lines", 0)),
        attempts=f.attempts,
        in_progress=f.in_progress,
        answered=answered,
        connected=f.connected,
        promises=f.promises,
        promised=_promised(s, c.id),
        abandon=_pct(rate),
        abandon_limit=_pct(limit),
        abandon_over=rate > limit,
        actions=tuple(a.value for a in allowed_actions(c.status)),
    )


def todays_campaigns(s: Session, now: datetime) -> list[CampaignRow]:
    """Running, paused and draft campaigns, and those that ended today."""
    start, _ = day_bounds(now)
    rows = s.scalars(
        select(Campaign)
        .where(or_(Campaign.status.in_((*LIVE, CampaignState.DRAFT)), Campaign.updated_at >= start))
        .order_by(Campaign.created_at.desc())
        .limit(50)
    )
    return [campaign_row(s, c) for c in rows]


def agents(s: Session, now: datetime) -> list[dict[str, Any]]:
    start, _ = day_bounds(now)
    load = dict(
        s.execute(
            select(Case.assigned_agent_id, func.count())
            .where(Case.status.in_(allocation_store.ACTIVE), Case.assigned_agent_id.is_not(None))
            .group_by(Case.assigned_agent_id)
        ).all()
    )
    calls = dict(
        s.execute(
            select(ContactAttempt.agent_id, func.count())
            .where(ContactAttempt.agent_id.is_not(None), ContactAttempt.started_at >= start)
            .group_by(ContactAttempt.agent_id)
        ).all()
    )
    current = dict(
        s.execute(
            select(ContactAttempt.agent_id, func.max(ContactAttempt.case_id))
            .where(ContactAttempt.agent_id.is_not(None), ContactAttempt.state != "done")
            .group_by(ContactAttempt.agent_id)
        ).all()
    )
    return [
        {
            "id": a.id,
            "name": a.display_name,
            "status": a.status,
            "languages": list(a.languages or []),
            "load": int(load.get(a.id, 0)),
            "calls": int(calls.get(a.id, 0)),
            "current": current.get(a.id),
            **in_state(a.status, a.status_since, now),
        }
        for a in s.scalars(select(Agent).order_by(Agent.display_name).limit(500))
    ]


# time in a state past which the board marks an agent (VICIdial's thresholds, in seconds)
LONG_IN_STATE = {"available": 300, "on_call": 600, "wrap_up": 120, "paused": 900}


def in_state(status: str, since: datetime | None, now: datetime) -> dict[str, Any]:
    """How long the agent has been in ``status`` (None: not known, e.g. never changed)."""
    if since is None:
        return {"elapsed": None, "in_state": "—", "long": False}
    seconds = max(0, int((now - since).total_seconds()))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    limit = LONG_IN_STATE.get(status)
    return {"elapsed": seconds, "in_state": text, "long": limit is not None and seconds > limit}


def lines(
    s: Session, campaigns: list[CampaignRow], agent_rows: list[dict[str, Any]]
) -> dict[str, int]:
    """The board's head: lines in use of those the running campaigns may use, calls in progress
    (answered and up: a line still ringing is in use but no call yet), calls with an agent,
    agents per state."""
    # per state: the attempts, and those whose call reached the bot (count() skips NULL)
    rows = s.execute(
        select(ContactAttempt.state, func.count(), func.count(ContactAttempt.live_since))
        .where(ContactAttempt.channel == "call", ContactAttempt.state != "done")
        .group_by(ContactAttempt.state)
    ).all()
    busy = {state: (int(n), int(up)) for state, n, up in rows}
    states = Counter(a["status"] for a in agent_rows)
    return {
        "lines_in_use": sum(n for n, _ in busy.values()),
        "lines": sum(c.lines for c in campaigns if c.status == CampaignState.RUNNING),
        "calls": busy.get("dialing", (0, 0))[1],
        "with_agent": states["on_call"],
        **{f"agents_{k}": states[k] for k in ("available", "on_call", "wrap_up", "paused")},
    }


def _hour(at: datetime) -> int:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).hour


def charts(s: Session, now: datetime) -> dict[str, Any]:
    """Per hour of today: calls by outcome, promises (count and amount), abandonment rate."""
    start, end = day_bounds(now)
    by_outcome: dict[str, Counter[int]] = defaultdict(Counter)
    answered: Counter[int] = Counter()
    abandoned: Counter[int] = Counter()
    attempts = s.execute(
        select(ContactAttempt.started_at, ContactAttempt.outcome)
        .where(ContactAttempt.started_at >= start, ContactAttempt.started_at < end)
        .where(ContactAttempt.channel == "call")
        .limit(200_000)
    )
    for at, outcome in attempts:
        h, name = _hour(at), outcome or "in_progress"
        by_outcome[name][h] += 1
        answered[h] += name not in NOT_ANSWERED
        abandoned[h] += name == "abandoned"
    promises: Counter[int] = Counter()
    amounts: dict[str, Counter[int]] = defaultdict(Counter)
    for at, minor, currency in s.execute(
        select(Promise.created_at, Promise.amount_minor, Promise.currency).where(
            Promise.created_at >= start, Promise.created_at < end
        )
    ):
        promises[_hour(at)] += 1
        amounts[currency][_hour(at)] += minor
    hours = list(range(24))
    return {
        "hours": [f"{h:02d}" for h in hours],
        "outcomes": {o: [c[h] for h in hours] for o, c in sorted(by_outcome.items())},
        "promises": [promises[h] for h in hours],
        "amounts": {
            cur: [str(Money.from_minor(c[h], cur).amount) for h in hours]
            for cur, c in amounts.items()
        },
        "abandon": [
            round(abandoned[h] / answered[h] * 100, 2) if answered[h] else 0 for h in hours
        ],
    }
