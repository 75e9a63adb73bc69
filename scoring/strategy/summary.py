"""A case's contact history reduced to what planning needs (the anchors of each compliance rule).

The planner works on columns for a million cases; it never sees whole histories. Each anchor is
the contact that currently holds a rule closed: the rule opens again when that contact leaves its
window. ``summarise`` computes them from a history, the same history the guard reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from scoring.compliance import Channel, HistoryEntry, JurisdictionProfile


@dataclass(frozen=True, slots=True)
class ContactSummary:
    attempts: int = 0
    last_contact_at: datetime | None = None
    conversation_at: datetime | None = None  # last telephone conversation about this debt
    call_cap_anchor: datetime | None = None  # the cap-th most recent call on this debt
    connected_cap_anchor: datetime | None = None  # a connected call on a local day at the cap
    sms_cap_anchor: datetime | None = None  # the cap-th most recent SMS to the debtor


def _kth_latest(times: list[datetime], k: int | None) -> datetime | None:
    if not k or len(times) < k:
        return None  # a cap of 0 is handled by the planner: the rule never opens
    return sorted(times, reverse=True)[k - 1]


def _connected_anchor(connected: list[datetime], cap: int | None, tz: ZoneInfo) -> datetime | None:
    if cap is None:
        return None
    per_day: dict[object, list[datetime]] = {}
    for at in connected:
        per_day.setdefault(at.astimezone(tz).date(), []).append(at)
    full = [max(ts) for ts in per_day.values() if len(ts) >= cap]
    return max(full) if full else None


def summarise(
    history: Iterable[HistoryEntry], debt_id: str, profile: JurisdictionProfile, timezone: str
) -> ContactSummary:
    entries = list(history)
    calls = [h for h in entries if h.channel is Channel.CALL]
    same_debt = [h.at for h in calls if h.debt_id == debt_id]
    talks = [h.at for h in calls if h.debt_id == debt_id and h.conversation]
    connected = [h.at for h in calls if h.connected or h.conversation]
    sms = [h.at for h in entries if h.channel is Channel.SMS]
    on_case = [h.at for h in entries if h.debt_id == debt_id]
    return ContactSummary(
        attempts=len(on_case),
        last_contact_at=max(on_case) if on_case else None,
        conversation_at=(
            max(talks) if talks and profile.after_conversation_days is not None else None
        ),
        call_cap_anchor=_kth_latest(same_debt, profile.call_cap_7d)
        if profile.call_cap_7d
        else None,
        connected_cap_anchor=_connected_anchor(
            connected, profile.daily_connected_cap, ZoneInfo(timezone)
        ),
        sms_cap_anchor=_kth_latest(sms, profile.sms_cap_7d) if profile.sms_cap_7d else None,
    )
