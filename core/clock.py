"""An injectable clock: logic never calls time.time() or datetime.now() itself."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, never going back."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass(slots=True)
class FixedClock:
    """A clock for tests and simulations: stands still until advanced."""

    current: datetime
    _mono: float = field(default=0.0)

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self._mono

    def advance(self, delta: timedelta) -> None:
        self.current += delta
        self._mono += delta.total_seconds()


@dataclass(frozen=True, slots=True)
class ShiftedClock:
    """Real time moved by a fixed offset: time flows, but "now" is another hour of the day.
    For demos and simulations that must fall inside legal calling hours whenever they run."""

    offset: timedelta

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def monotonic(self) -> float:
        return time.monotonic()


def today(clock: Clock) -> date:
    return clock.now().date()
