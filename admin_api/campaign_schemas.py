"""Campaign bodies at the API boundary. The definition's meaning, defaults, bounds, states and
transitions are the domain's (``scoring.campaign``): this schema states them for OpenAPI and
the console's form, and every accepted body is parsed by ``scoring.campaign.parse_definition``
before it is stored (what each field does: docs/dialer.md, "What each campaign field does")."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from admin_api.schemas import Body
from scoring.campaign import (
    CampaignAction,
    CampaignState,
    Pacing,
    parse_definition,
)
from scoring.campaign import (
    CampaignDefinition as DomainDefinition,
)
from scoring.campaign.definition import (
    ABANDON_LIMIT,
    MAX_CALL_LIST,
    MAX_LINES,
    RETRY_ATTEMPTS,
    RETRY_MINUTES,
    RING_SECONDS,
)
from scoring.errors import CampaignError

Action = CampaignAction
State = CampaignState
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2}$", examples=["en", "zh"])]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["US", "CN"])]
RetryOutcome = Literal["no_answer", "busy", "failed", "machine"]


class PortfolioFilter(Body):
    """Which cases the campaign calls (every list empty: no restriction)."""

    status: list[Code] = Field(
        default_factory=lambda: ["open"], description="Case statuses; empty: open, promised, plan"
    )
    risk_tiers: list[Code] = Field(default_factory=list, max_length=100)
    products: list[Code] = Field(default_factory=list, max_length=100)
    languages: list[Lang] = Field(default_factory=list, max_length=100)
    jurisdictions: list[Country] = Field(default_factory=list, max_length=100)
    dpd_min: Annotated[int, Field(ge=0, le=100_000)] | None = None
    dpd_max: Annotated[int, Field(ge=0, le=100_000)] | None = None
    case_ids: list[Code] = Field(
        default_factory=list,
        max_length=MAX_CALL_LIST,
        description="A call list: when set, only these cases (still within the other rules)",
    )


class CallingWindow(Body):
    """Calling hours in the debtor's local time (start inclusive, end exclusive); the dialer
    calls only inside both this window and the jurisdiction's legal hours."""

    start: time = Field(default=time(9), examples=["09:00"])
    end: time = Field(default=time(20), examples=["20:00"])


class RetryRule(Body):
    after_minutes: Annotated[int, Field(ge=RETRY_MINUTES[0], le=RETRY_MINUTES[1])] = Field(
        description="Wait this long before the next call after this outcome"
    )
    max_attempts: Annotated[int, Field(ge=RETRY_ATTEMPTS[0], le=RETRY_ATTEMPTS[1])] = Field(
        description="At most this many of the campaign's calls to a case end with this outcome"
        " (then it is not retried; 0: never retried)"
    )


class CampaignDefinition(Body):
    filter: PortfolioFilter = PortfolioFilter()
    strategy_id: Code | None = Field(
        default=None,
        description="An uploaded, valid strategy (POST /strategies) the planner uses for the"
        " campaign's cases; null: the default strategy",
    )
    script: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,64}$")] = Field(
        default="collection",
        description="The dialogue script the bot speaks (GET /scripts); it must exist in the"
        " call's language",
    )
    language: Lang | None = Field(
        default=None, description="The call's language (en, zh); null: each debtor's own"
    )
    window: CallingWindow | None = Field(
        default=None, description="Campaign calling hours; null: the legal hours only"
    )
    max_lines: Annotated[int, Field(ge=MAX_LINES[0], le=MAX_LINES[1])] = 10
    pacing: Pacing = Pacing.BOT
    abandon_limit: Annotated[float, Field(ge=ABANDON_LIMIT[0], le=ABANDON_LIMIT[1])] = Field(
        default=0.03,
        description="Predictive pacing keeps the share of answered calls without an agent"
        " under this (0.03 = 3 %)",
    )
    ring_seconds: Annotated[int, Field(ge=RING_SECONDS[0], le=RING_SECONDS[1])] = Field(
        default=25, description="How long a call rings before it is given up as no_answer"
    )
    retries: dict[RetryOutcome, RetryRule] = Field(
        default_factory=dict,
        description="Per line outcome; an outcome without a rule keeps the dialer's default",
    )
    agents_take_transfers: bool = Field(
        default=True,
        description="false: the bot never transfers a call; it offers a callback instead",
    )

    @model_validator(mode="after")
    def _parses(self) -> CampaignDefinition:
        try:
            self.domain()
        except CampaignError as e:
            raise ValueError(str(e)) from e
        return self

    def domain(self) -> DomainDefinition:
        """The typed definition (``scoring.campaign``) this body describes."""
        return parse_definition(self.model_dump(mode="json"))


class CampaignIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    definition: CampaignDefinition = CampaignDefinition()


class CampaignPatch(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    definition: CampaignDefinition | None = None


class CampaignOut(BaseModel):
    id: str
    name: str
    status: CampaignState
    definition: dict[str, Any]
    created_by: str | None
    created_at: datetime
    updated_at: datetime


class CampaignFigures(BaseModel):
    campaign_id: str
    status: CampaignState
    attempts: int
    in_progress: int
    connected: int
    conversations: int
    promises: int
    outcomes: dict[str, int]
