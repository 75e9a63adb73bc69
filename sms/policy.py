"""May this SMS go out now? The sending window first, then the compliance guard's decision."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from scoring.compliance import Channel, Contact, Debtor, HistoryEntry, check
from sms.errors import NotAllowedNow
from sms.windows import Window, in_windows


def reasons_not_to_send(
    *,
    debt_id: str,
    phone: str,
    debtor: Debtor,
    history: Iterable[HistoryEntry],
    now: datetime,
    windows: tuple[Window, ...],
) -> tuple[str, ...]:
    """Every reason against sending (empty when it may go). The guard is always asked."""
    reasons: list[str] = []
    if not all(in_windows(now, tz, windows) for tz in debtor.timezones):
        reasons.append("outside_sms_window")
    decision = check(Contact(Channel.SMS, debt_id, phone), history, debtor, now)
    reasons.extend(r.value for r in decision.reasons)
    return tuple(reasons)


def require_allowed(
    *,
    debt_id: str,
    phone: str,
    debtor: Debtor,
    history: Iterable[HistoryEntry],
    now: datetime,
    windows: tuple[Window, ...],
) -> None:
    reasons = reasons_not_to_send(
        debt_id=debt_id, phone=phone, debtor=debtor, history=history, now=now, windows=windows
    )
    if reasons:
        raise NotAllowedNow(reasons)
