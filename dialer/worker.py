"""One dialer worker running one campaign: feed, pace, claim, check, dial, and report each
call's end to ``dialer.call_end.CallEnding`` (which records it and schedules the next action).

Many workers (on many hosts) can run the same campaign: they share the campaign's stream in
a consumer group, and the attempt ledger in the database makes every slot dialed at most
once. The compliance guard is asked again right before each dial, with the current clock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from core.logging import get_logger
from data import audit
from data.attempts import DialTarget, claim_attempt, load_target, mark_dialing
from data.campaign_store import (
    campaign,
    due_cases,
    pacing_figures,
    schedule_next,
)
from data.crypto import Keyring
from data.db import DATABASE_UNAVAILABLE
from dialer.call_end import CallEnding
from dialer.campaign_status import CampaignStatus
from dialer.errors import QueueUnavailable
from dialer.next_action import EXHAUSTED
from dialer.origination import CallOutcome, DialRequest, DialResult, Originator
from dialer.pacing import PacingMode, PacingState, lines_to_dial
from dialer.queue import DialQueue, DueContact, QueueEntry
from dialer.reaper import CallReaper, NoReaper
from dialer.recovery import LostCallRecovery
from dialer.retry import RetryRules
from dialer.settings import DialerSettings
from dialer.timing import CallTimer
from scoring.campaign import CampaignDefinition, dials, ended, next_callable, parse_definition
from scoring.campaign.hours import within_window
from scoring.compliance import (
    DEFAULT_PROFILES,
    Channel,
    Contact,
    Debtor,
    JurisdictionProfile,
    check,
)
from scoring.compliance.profiles import profile_for
from scoring.errors import CampaignError

log = get_logger(__name__)
OUTSIDE_WINDOW = "outside_campaign_window"  # not the guard's: the campaign's own hours
HOURS_REASONS = frozenset({OUTSIDE_WINDOW, "outside_hours"})


def hard_limit_s(settings: DialerSettings, ring_s: float | None = None) -> int:
    """Seconds after the originate at which Asterisk hangs the call up by itself."""
    return int((ring_s or settings.ring_timeout_s) + settings.max_call_s) + 5


class AgentPool(Protocol):
    def free_agents(self, campaign_id: str) -> int: ...


@dataclass
class NoAgents:
    def free_agents(self, campaign_id: str) -> int:
        return 0


@dataclass
class CampaignWorker:
    campaign_id: str
    queue: DialQueue
    sessions: async_sessionmaker[AsyncSession]
    keyring: Keyring
    clock: Clock
    originator: Originator
    settings: DialerSettings
    worker_id: str
    ivr_capacity: int = 10
    agents: AgentPool = field(default_factory=NoAgents)
    profiles: Mapping[str, JurisdictionProfile] = field(default_factory=lambda: DEFAULT_PROFILES)
    retry: RetryRules = field(default_factory=RetryRules)
    reaper: CallReaper = field(default_factory=NoReaper)  # ends calls of dead workers
    timer: CallTimer | None = None  # learned best times (None: dial when due)
    in_flight: dict[str, QueueEntry] = field(default_factory=dict)
    placing: set[str] = field(default_factory=set)  # attempt ids of its calls in progress
    started_at: datetime | None = None
    status: CampaignStatus = field(init=False)  # the per-campaign gauges' figures
    ending: CallEnding = field(init=False)  # the one writer of each call's end

    def __post_init__(self) -> None:
        self.ending = CallEnding(self.sessions, self.keyring, self.clock, self.retry)
        self.status = CampaignStatus(self.campaign_id, self.queue, self.settings.status_every_s)

    async def run(self, stop: asyncio.Event, *, until_idle: bool = False) -> None:
        """Work until ``stop`` is set, the campaign stops, or (``until_idle``) nothing is left."""
        await self.queue.ensure_group(self.campaign_id)
        await self.queue.heartbeat(self.worker_id)
        self.started_at = self.started_at or self.clock.now()
        over = asyncio.Event()  # the keep-alive's end, even if its cancellation were lost
        async with asyncio.TaskGroup() as tg:
            keepalive = tg.create_task(self._keep_alive(stop, over))
            try:
                await self._loop(stop, tg, until_idle)
            finally:
                over.set()
                keepalive.cancel()
        with contextlib.suppress(Exception):  # the last word: no line held any more
            async with self.sessions() as s:
                figures = await pacing_figures(s, self.campaign_id, self.clock.now())
            await self.status.report(figures, len(self.placing), force=True)

    async def _loop(self, stop: asyncio.Event, tg: asyncio.TaskGroup, until_idle: bool) -> None:
        idle_rounds = 0
        await self.settle()
        loop = asyncio.get_running_loop()
        recovered_at = loop.time()
        while not stop.is_set():
            try:
                if loop.time() - recovered_at >= self.settings.recover_every_s:
                    await self.settle()
                    recovered_at = loop.time()
                async with self.sessions() as s:
                    camp = await campaign(s, self.campaign_id)
            except DATABASE_UNAVAILABLE as e:  # the calls in progress go on; so do we, later
                await self._wait_out("dialer.database_unavailable", e)
                continue
            if camp is None or ended(camp.status):
                return
            if not dials(camp.status):  # paused
                await asyncio.sleep(0.5)
                continue
            try:
                definition = parse_definition(camp.definition)
            except CampaignError as e:  # stored before the schema refused it: never dialed
                log.error("dialer.campaign_invalid", campaign_id=self.campaign_id, error=str(e))
                return
            try:
                fed = await self.feed(definition)
                claimed = await self._claim(definition)
            except QueueUnavailable as e:
                await self._wait_out("dialer.queue_unavailable", e)
                continue
            except DATABASE_UNAVAILABLE as e:
                await self._wait_out("dialer.database_unavailable", e)
                continue
            for entry in claimed:
                self.in_flight[entry.entry_id] = entry
                tg.create_task(self._handle(entry, definition))
            busy = fed or claimed or self.in_flight or await self.queue.backlog(self.campaign_id)
            idle_rounds = 0 if busy else idle_rounds + 1
            if until_idle and idle_rounds >= 2:
                return
            await asyncio.sleep(0.05 if claimed else 0.2)

    async def _wait_out(self, event: str, error: Exception) -> None:
        """Redis or the database did not answer: say so, and try the round again in a second."""
        log.warning(event, campaign_id=self.campaign_id, error=str(error))
        await asyncio.sleep(1.0)

    async def settle(self) -> int:
        """Close the calls left ``dialing`` by dead workers and reschedule their cases."""
        ds = self.settings
        longest = timedelta(seconds=await self._ring_s() + ds.max_call_s)
        recovery = LostCallRecovery(
            self.campaign_id, self.sessions, self.queue, self.reaper, self.clock, self.retry,
            self.worker_id, longest,
        )  # fmt: skip
        return await recovery.run(self.placing, self.started_at or self.clock.now())

    async def _ring_s(self) -> float:
        """The campaign's ring time (the dialer's default if it cannot be read)."""
        async with self.sessions() as s:
            camp = await campaign(s, self.campaign_id)
        if camp is None:
            return self.settings.ring_timeout_s
        try:
            return float(parse_definition(camp.definition).ring_seconds)
        except CampaignError:
            return self.settings.ring_timeout_s

    async def feed(self, definition: CampaignDefinition) -> int:
        """Put the cases now due into the stream (idempotent per case and slot)."""
        now = self.clock.now()
        async with self.sessions() as s:
            due = await due_cases(s, definition, now, limit=500)
        if self.timer is not None:
            due = await self.timer.sift(due, definition, now)
        contacts = [
            DueContact(case_id, at.isoformat() if at else "first", self.campaign_id)
            for case_id, at in due
        ]
        return await self.queue.enqueue(contacts)

    async def _claim(self, definition: CampaignDefinition) -> list[QueueEntry]:
        async with self.sessions() as s:
            figures = await pacing_figures(s, self.campaign_id, self.clock.now())
        state = PacingState(
            mode=PacingMode(definition.pacing.value),
            max_lines=definition.max_lines,
            lines_in_use=len(self.in_flight),
            ringing=0,
            free_agents=self.agents.free_agents(self.campaign_id),
            ivr_capacity=self.ivr_capacity - len(self.in_flight),
            answer_rate=figures.answer_rate,
            abandon_rate=figures.abandon_rate,
            abandon_limit=definition.abandon_limit,
        )
        await self.status.report(figures, len(self.placing))
        n = lines_to_dial(state)
        return (
            await self.queue.claim(self.campaign_id, self.worker_id, n, block_ms=100) if n else []
        )

    async def _keep_alive(self, stop: asyncio.Event, over: asyncio.Event) -> None:
        period = self.queue.claim_idle_ms / 3000
        while not stop.is_set() and not over.is_set():
            await asyncio.sleep(period)
            try:
                await self.queue.heartbeat(self.worker_id)
                await self.queue.keep_alive(self.campaign_id, self.worker_id, list(self.in_flight))
            except QueueUnavailable as e:
                log.warning("dialer.keepalive_failed", error=str(e))

    async def _handle(self, entry: QueueEntry, definition: CampaignDefinition) -> None:
        try:
            await self._attempt(entry, definition)
            await self.queue.ack(self.campaign_id, entry.entry_id)
        except QueueUnavailable as e:
            # not acknowledged: the entry stays pending and is taken over later; the ledger
            # already records what happened, so nobody is dialed twice
            log.warning("dialer.ack_failed", entry=entry.entry_id, error=str(e))
        except DATABASE_UNAVAILABLE as e:  # likewise: tried again when taken over
            log.warning("dialer.attempt_deferred", entry=entry.entry_id, error=repr(e))
        finally:
            self.in_flight.pop(entry.entry_id, None)

    @staticmethod
    def _debtor(target: DialTarget) -> Debtor:
        return Debtor.of(
            target.jurisdiction,
            target.timezone,
            list(target.flags),
            [p.e164 for p in target.phones if p.do_not_call],
            consent_call=target.consent_call,
            consent_sms=target.consent_sms,
        )

    def _refusals(
        self, target: DialTarget, phone: str, now: datetime, definition: CampaignDefinition
    ) -> tuple[str, ...]:
        debtor = self._debtor(target)
        outside = () if within_window(now, debtor, definition.window) else (OUTSIDE_WINDOW,)
        decision = check(
            Contact(Channel.CALL, target.case_id, phone), target.history, debtor, now,
            self.profiles,
        )  # fmt: skip
        return outside + tuple(r.value for r in decision.reasons)

    async def _attempt(self, entry: QueueEntry, definition: CampaignDefinition) -> None:
        contact, now = entry.contact, self.clock.now()
        async with self.sessions() as s:
            target = await load_target(s, self.keyring, contact.case_id, now)
            if target is None:
                return
            usable = [p for p in target.phones if p.status == "active"]
            position = int(target.next_action.get("phone_position", 0))
            if not usable:
                await schedule_next(
                    s,
                    target.case_id,
                    now + EXHAUSTED,
                    {"channel": "none", "reason": "no usable phone"},
                    now,
                )
                return
            phone = usable[position % len(usable)]
            refused = self._refusals(target, phone.e164, now, definition)
            if refused:
                await self._refuse(s, target, refused, now, definition)
                return
            ledger = await claim_attempt(
                s,
                key=contact.key,
                case_id=target.case_id,
                campaign_id=self.campaign_id,
                channel="call",
                phone_id=phone.phone_id,
                worker=self.worker_id,
                now=now,
            )
            if ledger.state != "claimed" or ledger.worker != self.worker_id:
                log.info("dialer.slot_already_handled", key=contact.key, state=ledger.state)
                return
            if not await mark_dialing(s, ledger.attempt_id, self.worker_id, phone.phone_id):
                return
        request = DialRequest(
            attempt_id=ledger.attempt_id,
            case_id=target.case_id,
            campaign_id=self.campaign_id,
            phone=phone.e164,
            language=definition.call_language(target.language),
            ring_timeout_s=definition.ring_seconds,
            variables={
                "CB_CASE_ID": target.case_id,
                "CB_ATTEMPT_ID": ledger.attempt_id,
                # Asterisk ends the call itself after the longest allowed call, even if this
                # worker dies and no other ever reaps it
                "TIMEOUT(absolute)": str(hard_limit_s(self.settings, definition.ring_seconds)),
            },
            script=definition.script,
            agents_take_transfers=definition.agents_take_transfers,
        )
        self.placing.add(ledger.attempt_id)
        log.info(
            "dialer.originate",
            attempt_id=ledger.attempt_id,
            case_id=target.case_id,
            **{"pii.phone": phone.e164},
        )
        try:
            try:
                result = await self.originator.place(request)
            except Exception as e:  # it happened (or may have): record it, never redial it
                log.error("dialer.originate_failed", attempt_id=ledger.attempt_id, error=repr(e))
                result = DialResult(CallOutcome.FAILED, self.clock.now(), detail={"error": repr(e)})
            await self.ending.record(ledger.attempt_id, result, by="dialer")
        finally:
            self.placing.discard(ledger.attempt_id)

    async def _refuse(
        self,
        s: AsyncSession,
        target: DialTarget,
        reasons: tuple[str, ...],
        now: datetime,
        definition: CampaignDefinition,
    ) -> None:
        log.info("dialer.contact_refused", case_id=target.case_id, reasons=list(reasons))
        await s.run_sync(
            lambda ss: audit.append(
                ss,
                at=now,
                actor=f"dialer:{self.worker_id}",
                action="contact.refused",
                subject_type="case",
                subject_id=target.case_id,
                details={"campaign_id": self.campaign_id, "reasons": list(reasons)},
            )
        )
        await s.commit()
        await schedule_next(
            s,
            target.case_id,
            self._next_allowed(target, reasons, now, definition),
            {"channel": "call", "refused": list(reasons)},
            now,
        )

    def _next_allowed(
        self,
        target: DialTarget,
        reasons: tuple[str, ...],
        now: datetime,
        definition: CampaignDefinition,
    ) -> datetime:
        """Cease and the like: far off; only the hours (the campaign's window, the legal
        hours): the next moment inside both; a cap: a day later."""
        if set(reasons) & {"cease", "attorney", "deceased", "dispute_hold", "no_consent"}:
            return now + EXHAUSTED
        if set(reasons) <= HOURS_REASONS:
            profile = profile_for(target.jurisdiction, self.profiles)
            opening = next_callable(now, self._debtor(target), profile, definition.window)
            return opening or now + EXHAUSTED  # the window and the legal hours never overlap
        return now + timedelta(days=1)
