"""The compliance guard: ``check(contact, history, debtor, now) -> Decision``."""

from scoring.compliance.guard import check, in_window, within_hours
from scoring.compliance.profiles import (
    CN,
    DEFAULT_PROFILES,
    US,
    JurisdictionProfile,
    load_profiles,
    profile_for,
)
from scoring.compliance.request import GuardRequest, parse_request
from scoring.compliance.types import (
    Channel,
    Contact,
    Debtor,
    Decision,
    Flag,
    HistoryEntry,
    Reason,
    normalize_phone,
)

__all__ = [
    "CN",
    "DEFAULT_PROFILES",
    "US",
    "Channel",
    "Contact",
    "Debtor",
    "Decision",
    "Flag",
    "GuardRequest",
    "HistoryEntry",
    "JurisdictionProfile",
    "Reason",
    "check",
    "in_window",
    "load_profiles",
    "normalize_phone",
    "parse_request",
    "profile_for",
    "within_hours",
]
