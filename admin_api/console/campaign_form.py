"""The campaign form ↔ ``campaign_schemas.CampaignIn``: every setting the schema has, no other.

``OFFERED`` lists the definition's and the filter's fields the form offers; a test compares it
with the schema, so a field added to the schema shows up as missing from the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from admin_api import campaign_schemas as cs
from data.models.cases import CASE_STATUSES
from scoring.campaign import RETRY_OUTCOMES
from scoring.strategy.model import Tier

OFFERED: dict[str, frozenset[str]] = {
    "definition": frozenset(
        {
            "filter",
            "strategy_id",
            "script",
            "language",
            "window",
            "max_lines",
            "pacing",
            "abandon_limit",
            "ring_seconds",
            "retries",
            "agents_take_transfers",
        }
    ),
    "filter": frozenset(
        {
            "status",
            "risk_tiers",
            "products",
            "languages",
            "jurisdictions",
            "dpd_min",
            "dpd_max",
            "case_ids",
        }
    ),
}
LANGUAGES = ("en", "zh")
PACINGS = ("bot", "progressive", "predictive")


def choices() -> dict[str, Any]:
    """What the form's lists offer, and the schema's defaults to fill it with."""
    default = cs.CampaignDefinition()
    return {
        "statuses": CASE_STATUSES,
        "tiers": tuple(t.value for t in Tier),
        "languages": LANGUAGES,
        "pacings": PACINGS,
        "default": default,
        "retry_keys": RETRY_OUTCOMES,
    }


def _list(value: str) -> list[str]:
    """Comma, space or newline separated codes."""
    return [v for v in value.replace(",", " ").split() if v]


def _int(value: str) -> int | str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value  # left to the schema to refuse, with its message


def _percent(value: str) -> Decimal | str:
    try:
        return Decimal(value.strip() or "0") / 100
    except InvalidOperation:
        return value


def _window(start: str, end: str) -> dict[str, str] | None:
    """Both empty: no campaign window (the legal hours only); otherwise left to the schema."""
    return {"start": start, "end": end} if start or end else None


def to_definition(form: Mapping[str, Any], multi: Mapping[str, list[str]]) -> dict[str, Any]:
    """The JSON a ``CampaignIn`` validates, from the posted form (``multi``: checkbox lists)."""

    def get(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    retries = {}
    for key in choices()["retry_keys"]:
        after, most = _int(get(f"retry_{key}_after")), _int(get(f"retry_{key}_max"))
        if after is not None and most is not None:
            retries[key] = {"after_minutes": after, "max_attempts": most}
    return {
        "name": get("name").strip(),
        "definition": {
            "filter": {
                "status": multi.get("status") or ["open"],
                "risk_tiers": multi.get("risk_tiers", []),
                "products": _list(get("products")),
                "languages": multi.get("languages", []),
                "jurisdictions": [j.upper() for j in _list(get("jurisdictions"))],
                "dpd_min": _int(get("dpd_min")),
                "dpd_max": _int(get("dpd_max")),
                "case_ids": _list(get("case_ids")),
            },
            "strategy_id": get("strategy_id").strip() or None,
            "script": get("script").strip() or "collection",
            "language": get("language") or None,
            "window": _window(get("window_start"), get("window_end")),
            "max_lines": _int(get("max_lines")),
            "pacing": get("pacing"),
            "abandon_limit": _percent(get("abandon_limit_pct")),
            "ring_seconds": _int(get("ring_seconds")),
            "retries": retries,
            "agents_take_transfers": get("agents_take_transfers") == "on",
        },
    }


def parse(
    form: Mapping[str, Any], multi: Mapping[str, list[str]]
) -> tuple[cs.CampaignIn | None, list[str]]:
    """The campaign, or the schema's complaints as ``field: message`` lines."""
    try:
        return cs.CampaignIn.model_validate(to_definition(form, multi)), []
    except ValidationError as e:
        return None, [
            f"{'.'.join(str(p) for p in err['loc'] if p != 'definition')}: {err['msg']}"
            for err in e.errors()
        ]
