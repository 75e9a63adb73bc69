"""A made-up call history for the best-time tests: each case called at two local hours a day,
never reached at one, always reached (a conversation ending in a promise) at the other."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from data.models import ContactAttempt


def add_call_history(
    s: Session,
    case_ids: Iterable[str],
    *,
    days: range,
    missed_hour: int,
    reached_hour: int,
    tz: ZoneInfo,
) -> None:
    """Calls on ``days`` of November 2026 at ``missed_hour`` (no answer) and ``reached_hour``
    (answered, a promise), local time in ``tz``, at five past the hour."""
    for case_id in case_ids:
        for day in days:
            for hour, reached in ((missed_hour, False), (reached_hour, True)):
                at = datetime(2026, 11, day, hour, 5, tzinfo=tz).astimezone(UTC)
                key = f"h:{case_id}:{day}:{hour}:{uuid.uuid4().hex[:8]}"
                s.add(
                    ContactAttempt(
                        id=key, idempotency_key=key, case_id=case_id, channel="call",
                        started_at=at, ended_at=at, connected=reached, conversation=reached,
                        outcome="promise" if reached else "no_answer",
                    )
                )  # fmt: skip
