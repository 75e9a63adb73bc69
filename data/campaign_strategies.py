"""The strategy each case is planned with: the one a campaign names (``strategy_id``, uploaded
through ``POST /strategies``) for the cases its filter selects, the default one for the rest.

A case selected by several campaigns that name a strategy is planned with the oldest one's
(by creation). Campaigns that are stopped or finished no longer claim their cases; drafts do,
so a campaign's cases are planned its way before it starts. A campaign whose stored strategy
is gone or invalid (the API refuses both) leaves its cases to the default strategy and logs
``strategy.campaign_strategy_unusable``.

With ``ANALYTICS_SMS_BEST_TIME`` on, each SMS step is planned at the best moment of its window
(``analytics.best_time.retime_sms``) instead of the window's opening.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.best_time import retime_sms
from analytics.settings import AnalyticsSettings
from core.logging import get_logger
from data.analytics_store import learned_times
from data.campaign_store import filtered
from data.models import Campaign, Case, Debtor, Loan
from data.models.admin import StoredStrategy
from scoring.campaign import CampaignState, parse_definition
from scoring.compliance import DEFAULT_PROFILES, JurisdictionProfile
from scoring.errors import CampaignError, StrategyError
from scoring.strategy import Strategy, parse_strategy, plan

log = get_logger(__name__)
CLAIMING = (CampaignState.DRAFT.value, CampaignState.RUNNING.value, CampaignState.PAUSED.value)


@dataclass(frozen=True, slots=True)
class CampaignStrategy:
    campaign_id: str
    strategy_id: str
    strategy: Strategy
    case_ids: frozenset[str]


def _strategy(session: Session, campaign_id: str, strategy_id: str) -> Strategy | None:
    row = session.get(StoredStrategy, strategy_id)
    try:
        if row is None or not row.valid:
            raise StrategyError("not uploaded" if row is None else "not valid")
        return parse_strategy(yaml.safe_load(row.source), row.name)
    except (StrategyError, yaml.YAMLError) as e:
        log.warning(
            "strategy.campaign_strategy_unusable",
            campaign_id=campaign_id,
            strategy_id=strategy_id,
            error=str(e)[:200],
        )
        return None


def campaign_strategies(
    session: Session, case_ids: Collection[str] | None = None
) -> list[CampaignStrategy]:
    """The campaigns that name a usable strategy, oldest first, with the cases (of
    ``case_ids``; None: all) their filters select."""
    out = []
    campaigns = session.scalars(
        select(Campaign).where(Campaign.status.in_(CLAIMING)).order_by(Campaign.created_at)
    )
    for campaign in campaigns:
        try:
            definition = parse_definition(campaign.definition)
        except CampaignError:
            continue
        if definition.strategy_id is None:
            continue
        strategy = _strategy(session, campaign.id, definition.strategy_id)
        if strategy is None:
            continue
        stmt = filtered(
            select(Case.id)
            .join(Loan, Loan.id == Case.loan_id)
            .join(Debtor, Debtor.id == Case.debtor_id),
            definition.filter,
        )
        if case_ids is not None:
            stmt = stmt.where(Case.id.in_(list(case_ids)))
        selected = frozenset(str(c) for c in session.scalars(stmt))
        out.append(CampaignStrategy(campaign.id, definition.strategy_id, strategy, selected))
    return out


def plan_cases(
    session: Session,
    frame: pd.DataFrame,
    default: Strategy,
    not_before: datetime | date,
    profiles: Mapping[str, JurisdictionProfile] = DEFAULT_PROFILES,
) -> pd.DataFrame:
    """``scoring.strategy.plan`` of every case of ``frame`` with its campaign's strategy (the
    default one for cases no campaign with a strategy selects)."""
    if frame.empty:
        return plan(frame, default, not_before, profiles)
    taken: set[str] = set()
    parts = []
    ids = frame["case_id"].astype(str)
    for claim in campaign_strategies(session, set(ids)):
        mine = ids.isin(claim.case_ids - taken)
        if mine.any():
            parts.append(plan(frame[mine.to_numpy()], claim.strategy, not_before, profiles))
            taken |= set(ids[mine])
            log.info(
                "strategy.campaign_planned",
                campaign_id=claim.campaign_id,
                strategy_id=claim.strategy_id,
                cases=int(mine.sum()),
            )
    rest = ~ids.isin(taken)
    if rest.any() or not parts:
        parts.append(plan(frame[rest.to_numpy()], default, not_before, profiles))
    planned = pd.concat(parts, ignore_index=True)
    if AnalyticsSettings().sms_best_time and (planned["channel"] == "sms").any():
        planned = retime_sms(planned, learned_times(session))
    return planned
