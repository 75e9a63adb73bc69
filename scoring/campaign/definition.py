"""The campaign definition, one typed model parsed once (pure).

The admin API validates a payload with its schema (``admin_api.campaign_schemas``) and stores
``parse_definition(...).as_json()``; the dialer, the call's end and the planner read the stored
JSON with ``parse_definition`` and use the typed fields. Defaults are the same on both sides.
What each field does is in docs/dialer.md ("What each campaign field does").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from scoring.errors import CampaignError


class Pacing(StrEnum):
    BOT = "bot"
    PROGRESSIVE = "progressive"
    PREDICTIVE = "predictive"


# the bounds the API schema states too (one place for both)
MAX_LINES = (1, 1000)
RING_SECONDS = (15, 120)
ABANDON_LIMIT = (0.0, 0.1)
RETRY_MINUTES = (1, 60 * 24 * 30)
RETRY_ATTEMPTS = (0, 50)
MAX_CALL_LIST = 10_000
# the line outcomes a campaign's retry rules cover (any other outcome: the dialer's defaults)
RETRY_OUTCOMES: tuple[str, ...] = ("no_answer", "busy", "failed", "machine")
DEFAULT_SCRIPT = "collection"
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_LANG = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class PortfolioFilter:
    """Which cases the campaign calls. ``status`` empty: every open status (open, promised,
    plan); every other empty list: no restriction."""

    status: tuple[str, ...] = ("open",)
    risk_tiers: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    dpd_min: int | None = None
    dpd_max: int | None = None
    case_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CallingWindow:
    """Calling hours in the debtor's local time, ``start <= t < end`` (narrowed further by the
    jurisdiction's legal hours: the dialer calls inside both)."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        return self.start <= local.replace(tzinfo=None) < self.end


@dataclass(frozen=True, slots=True)
class RetryRule:
    """After a call ending with this outcome: try again ``after``; at most ``max_attempts``
    calls of the campaign to the case may end with it (then no retry for it)."""

    after: timedelta
    max_attempts: int


@dataclass(frozen=True, slots=True)
class CampaignDefinition:
    filter: PortfolioFilter = PortfolioFilter()
    pacing: Pacing = Pacing.BOT
    max_lines: int = 10
    window: CallingWindow | None = None  # None: the jurisdiction's legal hours only
    retries: Mapping[str, RetryRule] = field(default_factory=lambda: MappingProxyType({}))
    ring_seconds: int = 25
    abandon_limit: float = 0.03
    language: str | None = None  # None: each debtor's own language
    script: str = DEFAULT_SCRIPT
    strategy_id: str | None = None  # None: the default strategy (SCORING_STRATEGY_FILE)
    agents_take_transfers: bool = True

    def call_language(self, debtors: str) -> str:
        """The language a call to a debtor who speaks ``debtors`` is held in."""
        return self.language or debtors

    def as_json(self) -> dict[str, Any]:
        f = self.filter
        return {
            "filter": {
                "status": list(f.status),
                "risk_tiers": list(f.risk_tiers),
                "products": list(f.products),
                "languages": list(f.languages),
                "jurisdictions": list(f.jurisdictions),
                "dpd_min": f.dpd_min,
                "dpd_max": f.dpd_max,
                "case_ids": list(f.case_ids),
            },
            "pacing": self.pacing.value,
            "max_lines": self.max_lines,
            "window": None
            if self.window is None
            else {"start": self.window.start.isoformat(), "end": self.window.end.isoformat()},
            "retries": {
                k: {
                    "after_minutes": int(r.after.total_seconds() // 60),
                    "max_attempts": r.max_attempts,
                }
                for k, r in sorted(self.retries.items())
            },
            "ring_seconds": self.ring_seconds,
            "abandon_limit": self.abandon_limit,
            "language": self.language,
            "script": self.script,
            "strategy_id": self.strategy_id,
            "agents_take_transfers": self.agents_take_transfers,
        }


FIELDS = frozenset(CampaignDefinition.__dataclass_fields__)
FILTER_FIELDS = frozenset(PortfolioFilter.__dataclass_fields__)
# keys written by definitions stored before the API's schema (read, never written)
_LEGACY_FILTER = {"language": "languages", "jurisdiction": "jurisdictions"}
_LEGACY_BOUNDS = {"min_dpd": "dpd_min", "max_dpd": "dpd_max"}


def parse_definition(raw: Mapping[str, Any] | None) -> CampaignDefinition:
    """The typed definition of a stored or submitted one (CampaignError: what is wrong)."""
    doc = dict(raw or {})
    unknown = sorted(set(doc) - FIELDS)
    if unknown:
        raise CampaignError(f"unknown campaign field(s): {', '.join(unknown)}")
    d = CampaignDefinition()
    return CampaignDefinition(
        filter=_filter(doc.get("filter")),
        pacing=_pacing(doc, d.pacing),
        max_lines=_int(doc, "max_lines", MAX_LINES, d.max_lines),
        window=_window(doc.get("window")),
        retries=_retries(doc.get("retries")),
        ring_seconds=_int(doc, "ring_seconds", RING_SECONDS, d.ring_seconds),
        abandon_limit=_fraction(doc, "abandon_limit", d.abandon_limit),
        language=_optional(doc, "language", _LANG),
        script=_optional(doc, "script", _CODE) or DEFAULT_SCRIPT,
        strategy_id=_optional(doc, "strategy_id", _CODE),
        agents_take_transfers=_bool(doc, "agents_take_transfers", d.agents_take_transfers),
    )


def _filter(raw: Any) -> PortfolioFilter:
    if raw is None:
        return PortfolioFilter()
    if not isinstance(raw, Mapping):
        raise CampaignError("filter: expected an object")
    doc = dict(raw)
    for old, new in _LEGACY_FILTER.items():
        if old in doc and new not in doc:
            value = doc.pop(old)
            doc[new] = [value] if value else []
    for old, new in _LEGACY_BOUNDS.items():
        if old in doc and new not in doc:
            doc[new] = doc.pop(old)
    unknown = sorted(set(doc) - FILTER_FIELDS)
    if unknown:
        raise CampaignError(f"filter: unknown field(s): {', '.join(unknown)}")
    lows = [_bound(doc, k) for k in ("dpd_min", "dpd_max")]
    if lows[0] is not None and lows[1] is not None and lows[0] > lows[1]:
        raise CampaignError("filter: dpd_min is above dpd_max")
    status = _codes(doc, "status", _CODE) if "status" in doc else ("open",)
    return PortfolioFilter(
        status=status,
        risk_tiers=_codes(doc, "risk_tiers", _CODE),
        products=_codes(doc, "products", _CODE),
        languages=_codes(doc, "languages", _LANG),
        jurisdictions=_codes(doc, "jurisdictions", _COUNTRY),
        dpd_min=lows[0],
        dpd_max=lows[1],
        case_ids=_codes(doc, "case_ids", _CODE, MAX_CALL_LIST),
    )


def _codes(
    doc: Mapping[str, Any], key: str, pattern: re.Pattern[str], most: int = 100
) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or len(value) > most:
        raise CampaignError(f"filter.{key}: expected a list of at most {most} values")
    bad = [v for v in value if not isinstance(v, str) or not pattern.match(v)]
    if bad:
        raise CampaignError(f"filter.{key}: not valid: {bad[:3]!r}")
    return tuple(value)


def _bound(doc: Mapping[str, Any], key: str) -> int | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise CampaignError(f"filter.{key}: expected a whole number of days, 0–100000")
    return int(value)


def _int(
    doc: Mapping[str, Any], key: str, bounds: tuple[int, int], default: int, where: str = ""
) -> int:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not bounds[0] <= value <= bounds[1]:
        raise CampaignError(
            f"{where}{key}: expected a whole number from {bounds[0]} to {bounds[1]}"
        )
    return int(value)


def _fraction(doc: Mapping[str, Any], key: str, default: float) -> float:
    value = doc.get(key, default)
    low, high = ABANDON_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise CampaignError(f"{key}: expected a share from {low} to {high} (0.03 = 3 %)")
    return float(value)


def _bool(doc: Mapping[str, Any], key: str, default: bool) -> bool:
    value = doc.get(key, default)
    if not isinstance(value, bool):
        raise CampaignError(f"{key}: expected true or false")
    return value


def _optional(doc: Mapping[str, Any], key: str, pattern: re.Pattern[str]) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise CampaignError(f"{key}: {value!r} is not valid")
    return value


def _pacing(doc: Mapping[str, Any], default: Pacing) -> Pacing:
    value = doc.get("pacing", default)
    try:
        return Pacing(value)
    except ValueError as e:
        allowed = ", ".join(m.value for m in Pacing)
        raise CampaignError(f"pacing: {value!r} is not one of {allowed}") from e


def _clock(value: Any, key: str) -> time:
    if isinstance(value, time):
        parsed = value
    else:
        try:
            parsed = time.fromisoformat(str(value))
        except ValueError as e:
            raise CampaignError(f"window.{key}: {value!r} is not a time of day (HH:MM)") from e
    if parsed.tzinfo is not None:
        raise CampaignError("window: times are the debtor's local time, without an offset")
    return parsed


def _window(raw: Any) -> CallingWindow | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"start", "end"}:
        raise CampaignError("window: expected {start, end}")
    start = _clock(raw.get("start", "09:00"), "start")
    end = _clock(raw.get("end", "20:00"), "end")
    if start >= end:
        raise CampaignError("window: start must be before end")
    return CallingWindow(start, end)


def _retries(raw: Any) -> Mapping[str, RetryRule]:
    if raw is None:
        return MappingProxyType({})
    if not isinstance(raw, Mapping):
        raise CampaignError("retries: expected an object keyed by outcome")
    unknown = sorted(set(raw) - set(RETRY_OUTCOMES))
    if unknown:
        raise CampaignError(
            f"retries: no rule for {', '.join(map(str, unknown))}"
            f" (outcomes: {', '.join(RETRY_OUTCOMES)})"
        )
    rules: dict[str, RetryRule] = {}
    for outcome, rule in raw.items():
        if not isinstance(rule, Mapping) or set(rule) - {"after_minutes", "max_attempts"}:
            raise CampaignError(f"retries.{outcome}: expected {{after_minutes, max_attempts}}")
        where = f"retries.{outcome}."
        if "after_minutes" not in rule:
            raise CampaignError(f"{where}after_minutes is required")
        minutes = _int(rule, "after_minutes", RETRY_MINUTES, 0, where)
        attempts = _int(rule, "max_attempts", RETRY_ATTEMPTS, 3, where)
        rules[str(outcome)] = RetryRule(timedelta(minutes=minutes), attempts)
    return MappingProxyType(rules)
