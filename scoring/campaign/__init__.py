"""Campaigns in the domain: the typed definition (parsed once), its states and transitions,
and the hours a campaign may call a debtor."""

from scoring.campaign.definition import (
    RETRY_OUTCOMES,
    CallingWindow,
    CampaignDefinition,
    Pacing,
    PortfolioFilter,
    RetryRule,
    parse_definition,
)
from scoring.campaign.hours import callable_at, next_callable, within_window
from scoring.campaign.states import (
    CampaignAction,
    CampaignState,
    allowed_actions,
    dials,
    editable,
    ended,
    state_of,
    transition,
)

__all__ = [
    "RETRY_OUTCOMES",
    "CallingWindow",
    "CampaignAction",
    "CampaignDefinition",
    "CampaignState",
    "Pacing",
    "PortfolioFilter",
    "RetryRule",
    "allowed_actions",
    "callable_at",
    "dials",
    "editable",
    "ended",
    "next_callable",
    "parse_definition",
    "state_of",
    "transition",
    "within_window",
]
