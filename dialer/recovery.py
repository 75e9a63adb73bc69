"""Calls left behind by a dead dialer worker: closed honestly, never dialed again in their slot.

A worker commits ``dialing`` before it originates, so a worker killed mid-call leaves ledger
rows in ``dialing`` whose calls may be up, over, or (rarely) never placed. Another worker (or
the same one restarted) recovers them once the owner is known to be gone:

* the owner's heartbeat key in Redis expired (it refreshes it every third of
  ``DIALER_CLAIM_IDLE_MS``), or the owner is this very worker id from an earlier run;
* what is left of the call in Asterisk is hung up (``dialer.reaper``): nobody listens to the
  debtor any more;
* the attempt is closed as ``interrupted`` (``detail.reason = "worker_lost"``, with the state
  the line was found in) and the case is rescheduled by the retry rules.

A backstop closes any ``dialing`` row older than the longest possible call
(the campaign's ``ring_seconds`` + ``DIALER_MAX_CALL_S``) even when Redis cannot tell who is
alive.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from core.logging import get_logger
from data.attempts import InDoubt, close_lost, dialing_attempts
from data.campaign_store import attempts_for_case, schedule_next
from dialer.errors import QueueUnavailable
from dialer.next_action import EXHAUSTED
from dialer.queue import DialQueue
from dialer.reaper import CallReaper
from dialer.retry import RetryRules, plan_after_interruption
from ivr.errors import AriError

log = get_logger(__name__)
AFTER = {"channel": "call", "after": "interrupted"}


def is_lost(
    attempt: InDoubt,
    me: str,
    alive: set[str] | None,
    placing: Collection[str],
    started_at: datetime,
    now: datetime,
    longest_call: timedelta,
) -> bool:
    """Whether worker ``me`` may close this ``dialing`` attempt (``alive``: the owners with a
    heartbeat, None when Redis cannot tell)."""
    if attempt.attempt_id in placing:
        return False  # this worker's own call in progress
    if attempt.started_at < now - longest_call:
        return True  # backstop: whoever owns it, that call is over
    if attempt.worker == me:
        return attempt.started_at < started_at  # from an earlier run under the same id
    return alive is not None and attempt.worker not in alive


@dataclass
class LostCallRecovery:
    campaign_id: str
    sessions: async_sessionmaker[AsyncSession]
    queue: DialQueue
    reaper: CallReaper
    clock: Clock
    retry: RetryRules
    worker_id: str
    longest_call: timedelta  # ring timeout + max call: no call can still be up after that

    async def run(self, placing: Collection[str], started_at: datetime) -> int:
        """Close the calls of dead workers; ``placing``: this worker's calls in progress,
        ``started_at``: when it started (its own older ``dialing`` rows are from a past run)."""
        async with self.sessions() as s:
            in_doubt = await dialing_attempts(s, self.campaign_id)
        if not in_doubt:
            return 0
        now = self.clock.now()
        owners = sorted({a.worker for a in in_doubt if a.worker and a.worker != self.worker_id})
        try:
            alive: set[str] | None = await self.queue.alive(owners)
        except QueueUnavailable as e:
            log.warning("dialer.liveness_unknown", campaign_id=self.campaign_id, error=str(e))
            alive = None
        closed = 0
        for attempt in in_doubt:
            if is_lost(attempt, self.worker_id, alive, placing, started_at, now, self.longest_call):
                closed += await self._close(attempt)
        return closed

    async def _reap(self, call_id: str) -> str:
        try:
            state = await self.reaper.reap(call_id)
        except AriError as e:  # Asterisk's own TIMEOUT(absolute) still ends the call
            log.warning("dialer.reap_failed", call_id=call_id, error=str(e))
            return "unknown"
        return "gone" if state is None else state

    async def _close(self, attempt: InDoubt) -> bool:
        line = await self._reap(attempt.attempt_id)
        now = self.clock.now()
        detail = {
            "call_outcome": "unknown",
            "reason": "worker_lost",
            "worker": attempt.worker,
            "closed_by": self.worker_id,
            "line": line,  # the debtor leg's state when found ("gone": already over)
        }
        async with self.sessions() as s:
            if not await close_lost(s, attempt, now=now, detail=detail):
                return False
            attempts = await attempts_for_case(s, attempt.case_id, self.campaign_id)
            retry_in = plan_after_interruption(self.retry, attempts)
            at = now + (retry_in or EXHAUSTED)
            await schedule_next(s, attempt.case_id, at, dict(AFTER), now)
        log.warning(
            "dialer.lost_call_closed",
            attempt_id=attempt.attempt_id,
            case_id=attempt.case_id,
            worker=attempt.worker,
            line=line,
        )
        return True
