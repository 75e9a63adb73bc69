"""When the dialer calls a due case: at the hour its debtor is most likely to answer in person.

A case comes due at the moment the strategy planned (its window's opening), a retry delay, a
callback or the next opening of the campaign's hours. Before it goes into the stream the
worker asks ``analytics.best_time`` for the best allowed hour from now on (within
``horizon_hours``; a later day is worth ``patience`` less per day): allowed means inside the
campaign's own window and the jurisdiction's legal hours in every zone of the debtor
(``scoring.campaign.hours.callable_at``, the predicate the dialer itself refuses by). If that
hour is the current one (or none is allowed), the case is dialed now; otherwise its next
action moves to that moment, stamped ``best_time`` so that it is dialed, not moved again,
once it is due. The guard still checks every rule at dial time: moving a call later never
makes it less compliant. A callback the debtor asked for is never moved.
"""

from __future__ import annotations

import time as monotonic
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.best_time import LearnedTimes, Table, best_instant
from core.logging import get_logger
from data import call_timing
from data.analytics_store import learned_times
from data.call_timing import TimedCase
from scoring.campaign import CampaignDefinition
from scoring.campaign.hours import callable_at
from scoring.compliance import DEFAULT_PROFILES, Debtor, JurisdictionProfile
from scoring.compliance.profiles import profile_for

log = get_logger(__name__)
NOW_SLACK = timedelta(minutes=1)  # a best moment this close to now is now
KEPT_MAX = 20_000  # cases remembered as "dial now" (then the memory starts again)
Due = tuple[str, datetime | None]


def call_moment(
    table: Table,
    case: TimedCase,
    now: datetime,
    profile: JurisdictionProfile,
    definition: CampaignDefinition,
    *,
    horizon_hours: int = 48,
    patience: float = 0.9,
) -> tuple[datetime, float] | None:
    """The moment (UTC) to call ``case`` instead of now, with its chance of a right-party
    answer; None: call now (the current hour is the best, or no hour ahead is allowed)."""
    debtor = Debtor.of(case.jurisdiction, case.timezone, [], [])

    def allowed(at: datetime) -> bool:
        return callable_at(at, debtor, profile, definition.window)

    found = best_instant(
        table, now, case.timezone, allowed, horizon_hours=horizon_hours, patience=patience
    )
    if found is None or found[0] <= now + NOW_SLACK:
        return None
    return found[0].astimezone(UTC), found[1]


@dataclass
class CallTimer:
    """Sifts a campaign's due cases (see the module's docstring); the learned tables are
    read from the database at most every ``refresh_s`` seconds."""

    sessions: async_sessionmaker[AsyncSession]
    profiles: Mapping[str, JurisdictionProfile] = field(default_factory=lambda: DEFAULT_PROFILES)
    horizon_hours: int = 48
    refresh_s: float = 3600.0
    _learned: LearnedTimes | None = None
    _learned_at: float = 0.0
    _kept: dict[str, str] = field(default_factory=dict)  # case -> due slot judged "now"

    async def learned(self) -> LearnedTimes:
        fresh = monotonic.monotonic() - self._learned_at < self.refresh_s
        if self._learned is None or not fresh:
            async with self.sessions() as s:
                self._learned = await s.run_sync(learned_times)
            self._learned_at = monotonic.monotonic()
            log.info("dialer.best_time_learned", cases=len(self._learned.own))
        return self._learned

    async def sift(
        self, due: Sequence[Due], definition: CampaignDefinition, now: datetime
    ) -> list[Due]:
        """The due cases to dial now; the others' next actions move to their best moment."""
        fresh = [d for d in due if self._kept.get(d[0]) != _slot(d[1])]
        if not fresh:
            return list(due)
        learned = await self.learned()
        moved: dict[str, tuple[datetime, float]] = {}
        async with self.sessions() as s:
            rows = await call_timing.timed_cases(s, [case_id for case_id, _ in fresh])
            for case_id, at in fresh:
                row = rows.get(case_id)
                found = None
                if row is not None and not row.fixed:
                    profile = profile_for(row.jurisdiction, self.profiles)
                    found = call_moment(
                        learned.table(case_id), row, now, profile, definition,
                        horizon_hours=self.horizon_hours,
                    )  # fmt: skip
                if found is None:
                    self._remember(case_id, at)
                else:
                    moved[case_id] = found
            if moved:
                await call_timing.move_calls(s, {k: rows[k] for k in moved}, moved, now)
        for case_id, (at, p) in moved.items():
            log.info("dialer.best_time_moved", case_id=case_id, at=at.isoformat(), p=round(p, 4))
        return [d for d in due if d[0] not in moved]

    def _remember(self, case_id: str, at: datetime | None) -> None:
        if len(self._kept) >= KEPT_MAX:
            self._kept.clear()
        self._kept[case_id] = _slot(at)


def _slot(at: datetime | None) -> str:
    return at.isoformat() if at else "first"
