"""Case allocation: automatic by skills, capacity, load and past performance; manual moves.

Every move returns an :class:`Assignment` that keeps who, when and why; the adapter stores it
as a case note, so a transferred case keeps its whole history (the history belongs to the case,
not to the agent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from scoring.allocation.model import (
    Agent,
    Assignment,
    CaseNeed,
    Escalation,
    FollowUp,
    Reminder,
    Unassigned,
)
from scoring.errors import AllocationError

SYSTEM = "system"


def _rank(agent: Agent) -> tuple[float, float, str]:
    spare = 1.0 - agent.load / agent.capacity if agent.capacity else 0.0
    # better past performance first, then the most spare capacity, then a stable tie-break
    return (-(agent.recovery_rate + 0.5 * spare), -spare, agent.agent_id)


def auto_assign(
    needs: Sequence[CaseNeed], agents: Sequence[Agent], now: datetime
) -> tuple[list[Assignment], list[Unassigned], list[Agent]]:
    """Assign unowned cases, highest expected amount first. Returns the agents' new loads."""
    pool = {a.agent_id: a for a in agents}
    done: list[Assignment] = []
    left: list[Unassigned] = []
    order = sorted(
        (n for n in needs if n.agent_id is None),
        key=lambda n: (-n.expected_amount_minor, n.case_id),
    )
    for need in order:
        skilled = [a for a in pool.values() if a.active and replace(a, load=0).can_take(need)]
        free = [a for a in skilled if a.load < a.capacity]
        if not free:
            left.append(
                Unassigned(need.case_id, "all_at_capacity" if skilled else "no_skilled_agent")
            )
            continue
        best = min(free, key=_rank)
        pool[best.agent_id] = replace(best, load=best.load + 1)
        done.append(
            Assignment(
                need.case_id, best.agent_id, "auto", "skills_capacity_performance", SYSTEM, now
            )
        )
    return done, left, list(pool.values())


def move(
    need: CaseNeed,
    agent: Agent,
    *,
    kind: str,
    reason: str,
    by: str,
    now: datetime,
    force: bool = False,
) -> Assignment:
    """Manual assignment, reassignment or transfer; a reason is required and kept."""
    if kind not in {"manual", "reassign", "transfer"}:
        raise AllocationError(f"unknown kind of move: {kind!r}")
    if not reason.strip():
        raise AllocationError("a manual move needs a reason")
    if need.agent_id == agent.agent_id:
        raise AllocationError(f"case {need.case_id} is already with {agent.agent_id}")
    if kind != "manual" and need.agent_id is None:
        raise AllocationError(f"case {need.case_id} has no agent to move it from")
    if not force and not agent.can_take(need):
        raise AllocationError(
            f"agent {agent.agent_id} lacks the skills or capacity for case {need.case_id}"
        )
    return Assignment(need.case_id, agent.agent_id, kind, reason.strip(), by, now, need.agent_id)


def overdue(
    follow_ups: Iterable[FollowUp],
    agents: Sequence[Agent],
    now: datetime,
    remind_after: timedelta = timedelta(0),
    escalate_after: timedelta = timedelta(hours=24),
) -> tuple[list[Reminder], list[Escalation]]:
    """Reminders for overdue follow-ups; escalation to the supervisor when still overdue."""
    supervisors = {a.agent_id: a.supervisor_id for a in agents}
    reminders: list[Reminder] = []
    escalations: list[Escalation] = []
    for f in follow_ups:
        if f.done_at is not None or now - f.due_at <= remind_after:
            continue
        late = int((now - f.due_at).total_seconds() // 60)
        if now - f.due_at > escalate_after:
            escalations.append(Escalation(f.case_id, f.agent_id, supervisors.get(f.agent_id), late))
        else:
            reminders.append(Reminder(f.case_id, f.agent_id, late))
    return reminders, escalations
