"""The compliance guard: one pure function every contact passes, when planned and when made.

``check(contact, history, debtor, now)`` returns a :class:`Decision` listing every rule the
contact would break. It reads no clock and no database: the caller passes ``now`` and the
debtor's history, so the same answer comes back at 20:59 and 21:01 in any time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scoring.compliance.profiles import DEFAULT_PROFILES, JurisdictionProfile, profile_for
from scoring.compliance.types import (
    Channel,
    Contact,
    Debtor,
    Decision,
    Flag,
    HistoryEntry,
    Reason,
    normalize_phone,
    require_aware,
)

_FLAG_REASONS: tuple[tuple[Flag, Reason], ...] = (
    (Flag.CEASE, Reason.CEASE),
    (Flag.ATTORNEY, Reason.ATTORNEY),
    (Flag.DECEASED, Reason.DECEASED),
    (Flag.DISPUTE, Reason.DISPUTE_HOLD),
)


def check(
    contact: Contact,
    history: Iterable[HistoryEntry],
    debtor: Debtor,
    now: datetime,
    profiles: Mapping[str, JurisdictionProfile] = DEFAULT_PROFILES,
) -> Decision:
    """Every reason the contact is forbidden at ``now``; allowed when there is none."""
    require_aware(now, "now")
    profile = profile_for(debtor.jurisdiction, profiles)
    reasons: set[Reason] = {reason for flag, reason in _FLAG_REASONS if flag in debtor.flags}
    if contact.channel not in debtor.consent:
        reasons.add(Reason.NO_CONSENT)
    if _blocked_number(contact, debtor, profile):
        reasons.add(Reason.DO_NOT_CALL)
    if not within_hours(now, debtor.zones, profile):
        reasons.add(Reason.OUTSIDE_HOURS)
    reasons |= _frequency_reasons(contact, tuple(history), debtor.zones, now, profile)
    return Decision.from_reasons(reasons)


def _blocked_number(contact: Contact, debtor: Debtor, profile: JurisdictionProfile) -> bool:
    if contact.channel is Channel.SMS and not profile.do_not_call_covers_sms:
        return False
    return normalize_phone(contact.phone) in debtor.do_not_call


def within_hours(now: datetime, zones: tuple[ZoneInfo, ...], profile: JurisdictionProfile) -> bool:
    """True when ``now`` is inside contact hours in every one of the debtor's zones."""
    for tz in zones:
        local = now.astimezone(tz).time().replace(tzinfo=None)
        if not profile.hours_start <= local < profile.hours_end:
            return False
    return True


def _local_dates(at: datetime, zones: tuple[ZoneInfo, ...]) -> set[date]:
    return {at.astimezone(tz).date() for tz in zones}


def in_window(at: datetime, now: datetime, days: int, zones: tuple[ZoneInfo, ...]) -> bool:
    """Whether an earlier contact falls in the ``days``-long window ending at ``now``.

    Strict reading: less than ``days`` x 24 h ago, or on one of the last ``days`` local calendar
    days (today included) in any of the debtor's zones. Entries stamped after ``now`` (clock
    skew between hosts) always count.
    """
    if at >= now or now - at < timedelta(days=days):
        return True
    today = _local_dates(now, zones)
    return any((d - a).days < days for d in today for a in _local_dates(at, zones))


def _same_local_day(at: datetime, now: datetime, zones: tuple[ZoneInfo, ...]) -> bool:
    return any(at.astimezone(tz).date() == now.astimezone(tz).date() for tz in zones)


def _frequency_reasons(
    contact: Contact,
    history: tuple[HistoryEntry, ...],
    zones: tuple[ZoneInfo, ...],
    now: datetime,
    profile: JurisdictionProfile,
) -> set[Reason]:
    reasons: set[Reason] = set()
    days = profile.window_days
    if contact.channel is Channel.SMS:
        if profile.sms_cap_7d is not None:
            sent = sum(
                1 for h in history if h.channel is Channel.SMS and in_window(h.at, now, days, zones)
            )
            if sent >= profile.sms_cap_7d:
                reasons.add(Reason.SMS_CAP_7D)
        return reasons
    calls = [h for h in history if h.channel is Channel.CALL]
    if profile.call_cap_7d is not None:
        same_debt = sum(
            1 for h in calls if h.debt_id == contact.debt_id and in_window(h.at, now, days, zones)
        )
        if same_debt >= profile.call_cap_7d:
            reasons.add(Reason.CALL_CAP_7D)
    if profile.after_conversation_days is not None and any(
        h.conversation
        and h.debt_id == contact.debt_id
        and in_window(h.at, now, profile.after_conversation_days, zones)
        for h in calls
    ):
        reasons.add(Reason.AFTER_CONVERSATION_7D)
    if profile.daily_connected_cap is not None:
        connected = sum(
            1
            for h in calls
            if (h.connected or h.conversation) and _same_local_day(h.at, now, zones)
        )
        if connected >= profile.daily_connected_cap:
            reasons.add(Reason.DAILY_CONNECTED_CAP)
    return reasons
