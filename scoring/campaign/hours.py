"""When a campaign may call a debtor: inside its own window and inside the jurisdiction's legal
hours, both in every one of the debtor's zones (the intersection; pure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from scoring.campaign.definition import CallingWindow
from scoring.compliance.guard import within_hours
from scoring.compliance.profiles import JurisdictionProfile
from scoring.compliance.types import Debtor, require_aware

HORIZON_DAYS = 8


def within_window(at: datetime, debtor: Debtor, window: CallingWindow | None) -> bool:
    """Inside the campaign's window in each of the debtor's zones (no window: always)."""
    require_aware(at, "at")
    return window is None or all(window.contains(at.astimezone(z).time()) for z in debtor.zones)


def callable_at(
    at: datetime, debtor: Debtor, profile: JurisdictionProfile, window: CallingWindow | None
) -> bool:
    return within_window(at, debtor, window) and within_hours(at, debtor.zones, profile)


def next_callable(
    after: datetime, debtor: Debtor, profile: JurisdictionProfile, window: CallingWindow | None
) -> datetime | None:
    """The earliest moment at or after ``after`` inside both the window and the legal hours;
    None when there is none within ``HORIZON_DAYS`` (the two never overlap). Every stretch
    of allowed time starts at ``after`` or at one of the local opening times, so only those are
    tried."""
    require_aware(after, "after")
    if callable_at(after, debtor, profile, window):
        return after
    openings = [profile.hours_start] + ([window.start] if window else [])
    candidates: set[datetime] = set()
    for tz in debtor.zones:
        local_day = after.astimezone(tz).date()
        for days in range(HORIZON_DAYS):
            for opening in openings:
                moment = datetime.combine(local_day + timedelta(days=days), opening, tzinfo=tz)
                if moment > after:
                    candidates.add(moment)
    for moment in sorted(candidates):
        if callable_at(moment, debtor, profile, window):
            return moment
    return None
