"""Sending windows in the debtor's local time (defaults 09:00–11:00 and 15:00–17:00)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Window:
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"window {self.start}-{self.end}: start must be before end")

    @classmethod
    def parse(cls, text: str) -> Window:
        """``"09:00-11:00"``."""
        a, _, b = text.partition("-")
        return cls(time.fromisoformat(a.strip()), time.fromisoformat(b.strip()))


DEFAULT_WINDOWS = (Window(time(9), time(11)), Window(time(15), time(17)))


def in_windows(now: datetime, timezone: str, windows: tuple[Window, ...]) -> bool:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(ZoneInfo(timezone)).time()
    return any(w.start <= local < w.end for w in windows)


def next_opening(now: datetime, timezone: str, windows: tuple[Window, ...]) -> datetime:
    """The first instant at or after ``now`` inside a window (UTC)."""
    if in_windows(now, timezone, windows):
        return now
    tz = ZoneInfo(timezone)
    local = now.astimezone(tz)
    for day in range(8):
        d = local.date() + timedelta(days=day)
        for w in sorted(windows, key=lambda w: w.start):
            candidate = datetime.combine(d, w.start, tzinfo=tz)
            if candidate >= local:
                return candidate.astimezone(now.tzinfo)
    raise ValueError("no sending window configured")
