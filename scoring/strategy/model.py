"""Strategy vocabulary: treatments, the conditions that select them, and the strategy itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from enum import StrEnum


class Step(StrEnum):
    """One step of a treatment's channel sequence."""

    SMS = "sms"
    BOT_CALL = "bot_call"
    AGENT_CALL = "agent_call"

    @property
    def channel(self) -> str:
        """The compliance channel of this step ('sms' or 'call')."""
        return "sms" if self is Step.SMS else "call"


class Tier(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Negotiation:
    """What the bot or agent may accept: share of balance, latest promise date, plan lengths."""

    min_promise_share: Decimal
    max_promise_days: int
    plan_lengths: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Treatment:
    name: str
    steps: tuple[Step, ...]
    cadence_days: int
    script: str
    negotiation: Negotiation
    hours_start: time
    hours_end: time
    letter: bool = False
    field_visit: bool = False
    legal_review: bool = False


@dataclass(frozen=True, slots=True)
class DpdBucket:
    name: str
    low: int
    high: int | None  # inclusive; None = no upper bound

    def contains(self, dpd: int) -> bool:
        return dpd >= self.low and (self.high is None or dpd <= self.high)


@dataclass(frozen=True, slots=True)
class Condition:
    """All given fields must match; an empty tuple or None means 'any'."""

    tiers: tuple[Tier, ...] = ()
    dpd_buckets: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    balance_min: Decimal | None = None  # major units of the loan's currency
    balance_max: Decimal | None = None
    broken_promises_min: int | None = None
    broken_promises_max: int | None = None
    segments: tuple[str, ...] = ()  # behaviour segments (``collectbot analytics segments``)
    early_warning: bool | None = None  # the case is on the early-warning list (or is not)


@dataclass(frozen=True, slots=True)
class Rule:
    when: Condition
    treatment: str


@dataclass(frozen=True, slots=True)
class Strategy:
    """Rules are read top to bottom; the first that matches picks the treatment."""

    name: str
    dpd_buckets: tuple[DpdBucket, ...]
    treatments: dict[str, Treatment]
    champion: tuple[Rule, ...]
    challenger: tuple[Rule, ...]
    challenger_share: Decimal
    experiment: str

    def rules(self, arm: str) -> tuple[Rule, ...]:
        return self.challenger if arm == "challenger" else self.champion

    def bucket_of(self, dpd: int) -> str:
        for bucket in self.dpd_buckets:
            if bucket.contains(dpd):
                return bucket.name
        return self.dpd_buckets[-1].name if dpd > 0 else self.dpd_buckets[0].name
