"""Case allocation to agents and agent performance figures (pure)."""

from scoring.allocation.assign import auto_assign, move, overdue
from scoring.allocation.model import (
    Agent,
    Assignment,
    CaseNeed,
    Escalation,
    FollowUp,
    Reminder,
    Unassigned,
)
from scoring.allocation.performance import AgentActivity, AgentPerformance, league, performance

__all__ = [
    "Agent",
    "AgentActivity",
    "AgentPerformance",
    "Assignment",
    "CaseNeed",
    "Escalation",
    "FollowUp",
    "Reminder",
    "Unassigned",
    "auto_assign",
    "league",
    "move",
    "overdue",
    "performance",
]
