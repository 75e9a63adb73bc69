"""Campaign definition and state machine (draft → running ⇄ paused → stopped/finished)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from admin_api.schemas import Body

CampaignState = Literal["draft", "running", "paused", "stopped", "finished"]
Action = Literal["start", "pause", "resume", "stop", "finish"]

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "start": (frozenset({"draft"}), "running"),
    "pause": (frozenset({"running"}), "paused"),
    "resume": (frozenset({"paused"}), "running"),
    "stop": (frozenset({"running", "paused"}), "stopped"),
    "finish": (frozenset({"running", "paused"}), "finished"),
}


def next_state(current: str, action: str) -> str | None:
    """The state after ``action``, or None when the action is not allowed from ``current``."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None


Code = Annotated[str, Field(min_length=1, max_length=64)]


class PortfolioFilter(Body):
    status: list[Code] = Field(default_factory=lambda: ["open"])
    risk_tiers: list[Code] = Field(default_factory=list)
    products: list[Code] = Field(default_factory=list)
    languages: list[Annotated[str, Field(min_length=2, max_length=2)]] = Field(default_factory=list)
    jurisdictions: list[Annotated[str, Field(min_length=2, max_length=2)]] = Field(
        default_factory=list
    )
    dpd_min: Annotated[int, Field(ge=0, le=100_000)] | None = None
    dpd_max: Annotated[int, Field(ge=0, le=100_000)] | None = None
    case_ids: list[Code] = Field(
        default_factory=list,
        max_length=10_000,
        description="A call list: when set, only these cases (still within the other rules)",
    )


class CallingWindow(Body):
    start: time = time(9)
    end: time = time(20)

    @model_validator(mode="after")
    def _ordered(self) -> CallingWindow:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("window times are the debtor's local time, without an offset")
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class RetryRule(Body):
    after_minutes: Annotated[int, Field(ge=1, le=60 * 24 * 30)]
    max_attempts: Annotated[int, Field(ge=0, le=50)]


def _default_retries() -> dict[str, RetryRule]:
    return {
        "no_answer": RetryRule(after_minutes=120, max_attempts=3),
        "busy": RetryRule(after_minutes=30, max_attempts=3),
        "failed": RetryRule(after_minutes=240, max_attempts=2),
        "machine": RetryRule(after_minutes=240, max_attempts=2),
    }


class CampaignDefinition(Body):
    filter: PortfolioFilter = PortfolioFilter()
    strategy_id: Code | None = None
    script: Code = "collection"
    language: Annotated[str, Field(min_length=2, max_length=2)] = "en"
    window: CallingWindow = CallingWindow()
    max_lines: Annotated[int, Field(ge=1, le=1000)] = 10
    pacing: Literal["bot", "progressive", "predictive"] = "bot"
    abandon_limit: Annotated[float, Field(ge=0, le=0.1)] = 0.03
    ring_seconds: Annotated[int, Field(ge=15, le=120)] = 25
    retries: dict[Annotated[str, Field(max_length=32)], RetryRule] = Field(
        default_factory=_default_retries
    )
    agents_take_transfers: bool = True


class CampaignIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    definition: CampaignDefinition = CampaignDefinition()


class CampaignPatch(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    definition: CampaignDefinition | None = None


class CampaignOut(BaseModel):
    id: str
    name: str
    status: str
    definition: dict[str, Any]
    created_by: str | None
    created_at: datetime
    updated_at: datetime


class CampaignFigures(BaseModel):
    campaign_id: str
    status: str
    attempts: int
    in_progress: int
    connected: int
    conversations: int
    promises: int
    outcomes: dict[str, int]
