"""When scheduled reports are due, and the period each run covers.

A daily run at ``hour`` (UTC) covers the previous UTC day; a weekly run on ``weekday`` at
``hour`` covers the previous seven days. ``due`` returns the run to make now, if any: the
latest scheduled moment after the last run that is not in the future. Runs missed while the
worker was down are caught up once (only the latest missed one), never one per missed period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal

Kind = Literal["daily", "weekly"]


@dataclass(frozen=True, slots=True)
class Run:
    kind: Kind
    scheduled: datetime
    start: datetime  # the period covered
    end: datetime

    @property
    def label(self) -> str:
        return f"{self.kind}-{self.start:%Y-%m-%d}"


def latest(kind: Kind, now: datetime, hour: int, weekday: int) -> datetime:
    """The latest scheduled moment at or before ``now``."""
    today = datetime.combine(now.astimezone(UTC).date(), time(hour), tzinfo=UTC)
    moment = today if today <= now else today - timedelta(days=1)
    if kind == "weekly":
        moment -= timedelta(days=(moment.weekday() - weekday) % 7)
    return moment


def run_for(kind: Kind, scheduled: datetime) -> Run:
    end = datetime.combine(scheduled.date(), time(0), tzinfo=UTC)
    days = 7 if kind == "weekly" else 1
    return Run(kind, scheduled, end - timedelta(days=days), end)


def due(
    kind: Kind, last_run: datetime | None, now: datetime, hour: int = 6, weekday: int = 0
) -> Run | None:
    """The run to make now (None: the latest one is done)."""
    moment = latest(kind, now, hour, weekday)
    if last_run is not None and last_run >= moment:
        return None
    return run_for(kind, moment)
