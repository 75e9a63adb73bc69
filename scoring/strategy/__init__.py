"""Strategy: declarative treatment rules, champion/challenger arms and the vectorised planner."""

from scoring.strategy.arms import CHALLENGER, CHAMPION, arm_of
from scoring.strategy.cases import PlanCase, to_frame
from scoring.strategy.loader import load_strategy, parse_strategy
from scoring.strategy.model import Step, Strategy, Tier, Treatment
from scoring.strategy.planner import PLAN_COLUMNS, plan
from scoring.strategy.summary import ContactSummary, summarise

__all__ = [
    "CHALLENGER",
    "CHAMPION",
    "PLAN_COLUMNS",
    "ContactSummary",
    "PlanCase",
    "Step",
    "Strategy",
    "Tier",
    "Treatment",
    "arm_of",
    "load_strategy",
    "parse_strategy",
    "plan",
    "summarise",
    "to_frame",
]
