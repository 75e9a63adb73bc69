"""Allocation vocabulary: agents, cases that need a person, assignments and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoring.strategy.model import Tier


@dataclass(frozen=True, slots=True)
class Agent:
    agent_id: str
    languages: frozenset[str]
    products: frozenset[str]  # empty = every product
    tiers: frozenset[Tier]  # empty = every tier
    capacity: int
    load: int = 0  # open cases already assigned
    active: bool = True
    recovery_rate: float = 0.0  # past performance, 0..1
    supervisor_id: str | None = None

    def can_take(self, need: CaseNeed) -> bool:
        return (
            self.active
            and self.load < self.capacity
            and need.language in self.languages
            and (not self.products or need.product in self.products)
            and (not self.tiers or need.tier in self.tiers)
        )


@dataclass(frozen=True, slots=True)
class CaseNeed:
    """A case the strategy sent to a person (agent call, negotiation, escalation)."""

    case_id: str
    language: str
    product: str
    tier: Tier
    expected_amount_minor: int = 0
    agent_id: str | None = None  # current owner, if any


@dataclass(frozen=True, slots=True)
class Assignment:
    case_id: str
    agent_id: str
    kind: str  # auto | manual | reassign | transfer
    reason: str
    by: str
    at: datetime
    previous_agent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Unassigned:
    case_id: str
    reason: str  # no_skilled_agent | all_at_capacity


@dataclass(frozen=True, slots=True)
class FollowUp:
    case_id: str
    agent_id: str
    due_at: datetime
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    case_id: str
    agent_id: str
    overdue_by_minutes: int


@dataclass(frozen=True, slots=True)
class Escalation:
    case_id: str
    agent_id: str
    supervisor_id: str | None
    overdue_by_minutes: int
