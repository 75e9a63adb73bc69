"""The dialer against real Redis and a real database, with a scripted telephony fake.

The fake implements the Originator protocol (it stands in for Asterisk here; the call path
itself is tested against the real Asterisk elsewhere). What is checked is the distribution of
work: no case dialed twice, none lost, compliance refusals never dialed.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest
import redis.asyncio as aioredis
from conftest import ensure_service
from prometheus_client import CollectorRegistry
from sqlalchemy import select, update

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from core.dialogue import Outcome
from core.logging import configure_logging
from data import audit
from data.crypto import Keyring
from data.db import Database
from data.models import AuditEntry, Campaign, Case, ContactAttempt, Debtor
from data.portfolio.importer import import_portfolio
from dialer.origination import CallOutcome, DialRequest, DialResult
from dialer.queue import DialQueue
from dialer.settings import DialerSettings
from dialer.worker import CampaignWorker
from ivr.calls import CallResult
from telemetry.metrics import Metrics

REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # 09:00-14:00 across the US zones


class ScriptedPhone:
    """Answers every call after ``delay`` s; ``hang`` makes calls never end (a stuck worker)."""

    def __init__(self, clock: FixedClock, delay: float = 0.01, hang: bool = False) -> None:
        self.calls: list[DialRequest] = []
        self.clock, self.delay, self.hang = clock, delay, hang

    async def place(self, request: DialRequest) -> DialResult:
        self.calls.append(request)
        if self.hang:
            await asyncio.Event().wait()
        await asyncio.sleep(self.delay)
        now = self.clock.now()
        talk = CallResult(request.attempt_id, request.attempt_id, now, Outcome.PROMISE_TO_PAY)
        return DialResult(CallOutcome.ANSWERED, now, answered_at=now, dialogue=talk)


@pytest.fixture
async def queue() -> DialQueue:
    ensure_service("redis", REDIS_PORT)
    return DialQueue(aioredis.Redis(port=REDIS_PORT, decode_responses=True), claim_idle_ms=1000)


@pytest.fixture
def campaign_db(sqlite_url: str, keyring: Keyring, tmp_path: Path) -> tuple[Database, str]:
    db = Database.connect(sqlite_url)
    path = tmp_path / "p.csv"
    write_demo_data(60, 21, path, date(2026, 11, 30))
    clock = FixedClock(NOW)
    import_portfolio(db, keyring, path, clock)
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    with db.transaction() as s:
        s.add(
            Campaign(
                id=cid,
                name="test",
                status="running",
                created_at=NOW,
                updated_at=NOW,
                definition={"filter": {"jurisdiction": "US"}, "pacing": "bot", "max_lines": 8},
            )
        )
    return db, cid


class Phone(Protocol):
    """A scripted far end: what the worker dials through, on the test's clock."""

    clock: FixedClock

    async def place(self, request: DialRequest) -> DialResult: ...


def worker(
    db: Database, cid: str, q: DialQueue, keyring: Keyring, phone: Phone, name: str
) -> CampaignWorker:
    return CampaignWorker(
        campaign_id=cid,
        queue=q,
        sessions=db.async_sessions(),
        keyring=keyring,
        clock=phone.clock,
        originator=phone,
        settings=DialerSettings(),
        worker_id=name,
        ivr_capacity=4,
    )


def us_cases(db: Database) -> set[str]:
    with db.transaction() as s:
        return set(
            s.scalars(
                select(Case.id)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        )


def attempts(db: Database, cid: str) -> list[ContactAttempt]:
    with db.transaction() as s:
        return list(s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid)))


async def _kill(task: asyncio.Task[None]) -> None:
    """Cancel until it is gone: Python 3.11's ``wait_for`` can swallow a cancellation that
    arrives as its inner await completes, so one ``cancel()`` may not end the worker."""
    for _ in range(100):
        task.cancel()
        await asyncio.wait({task}, timeout=0.2)
        if task.done():
            break
    assert task.cancelled()


async def _until_lines_full(phone: ScriptedPhone, lines: int = 4) -> None:
    """Until the worker has placed as many never-ending calls as its IVR holds (it then only
    reads: a cancel cannot leave a write half-done, which a process kill could not either)."""
    for _ in range(1200):
        if len(phone.calls) >= lines:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {len(phone.calls)} calls placed in 60 s")


async def test_two_workers_share_a_campaign_and_never_dial_a_case_twice(
    campaign_db: tuple[Database, str], queue: DialQueue, keyring: Keyring
) -> None:
    db, cid = campaign_db
    clock = FixedClock(NOW)
    a, b = ScriptedPhone(clock), ScriptedPhone(clock)
    stop = asyncio.Event()
    await asyncio.wait_for(
        asyncio.gather(
            worker(db, cid, queue, keyring, a, "w-a").run(stop, until_idle=True),
            worker(db, cid, queue, keyring, b, "w-b").run(stop, until_idle=True),
        ),
        timeout=60,
    )
    dialed = Counter(r.case_id for r in a.calls + b.calls)
    expected = us_cases(db)
    assert len(expected) > 20
    assert set(dialed) == expected
    assert max(dialed.values()) == 1
    assert a.calls  # both workers took a share
    assert b.calls
    rows = attempts(db, cid)
    assert len(rows) == len(expected)
    assert {r.state for r in rows} == {"done"}
    assert {r.outcome for r in rows} == {"promise_to_pay"}


async def test_killed_worker_loses_nothing_and_nobody_is_dialed_twice(
    campaign_db: tuple[Database, str], queue: DialQueue, keyring: Keyring
) -> None:
    db, cid = campaign_db
    clock = FixedClock(NOW)
    stuck, healthy = ScriptedPhone(clock, hang=True), ScriptedPhone(clock)
    doomed = asyncio.create_task(
        worker(db, cid, queue, keyring, stuck, "w-dies").run(asyncio.Event())
    )
    await _until_lines_full(stuck)
    await _kill(doomed)  # the worker process dies here
    assert await queue.alive(["w-dies"]) == {"w-dies"}  # its heartbeat outlives it a moment
    replacement = worker(db, cid, queue, keyring, healthy, "w-new")
    assert await replacement.settle() == 0  # not yet known to be dead: nothing is touched
    await asyncio.wait_for(replacement.run(asyncio.Event(), until_idle=True), 60)
    dialed = Counter(r.case_id for r in stuck.calls + healthy.calls)
    assert max(dialed.values()) == 1  # nobody twice
    assert set(dialed) == us_cases(db)  # nobody lost
    rows = attempts(db, cid)
    assert len(rows) == len(dialed)
    lost = {c.attempt_id for c in stuck.calls}
    assert lost == {r.id for r in rows if r.worker == "w-dies"}
    assert {r.id for r in rows if r.state != "done"} <= lost  # in doubt, recorded, not redialed
    assert await queue.pending(cid) == 0
    # once its heartbeat has expired (claim_idle_ms = 1 s) the dead worker's calls are closed
    await asyncio.sleep(1.2)
    assert await queue.alive(["w-dies", "w-new"]) == set()
    await replacement.settle()
    with db.transaction() as s:
        for attempt_id in lost:
            settled = s.get(ContactAttempt, attempt_id)
            assert settled is not None
            assert (settled.state, settled.outcome) == ("done", "interrupted")
            assert settled.detail is not None
            assert settled.detail["reason"] == "worker_lost"
            assert settled.detail["worker"] == "w-dies"
            assert settled.detail["line"] == "gone"  # NoReaper: no telephony to look at
            case = s.get(Case, settled.case_id)
            assert case is not None
            assert case.next_action == {"channel": "call", "after": "interrupted"}
            assert case.next_action_at == NOW + timedelta(minutes=30)
    assert await replacement.settle() == 0  # closed once


async def test_a_call_older_than_the_longest_call_is_closed_even_if_its_worker_looks_alive(
    campaign_db: tuple[Database, str], queue: DialQueue, keyring: Keyring
) -> None:
    db, cid = campaign_db
    stuck = ScriptedPhone(FixedClock(NOW), hang=True)
    doomed = asyncio.create_task(
        worker(db, cid, queue, keyring, stuck, "w-frozen").run(asyncio.Event())
    )
    await _until_lines_full(stuck)
    await _kill(doomed)
    await queue.heartbeat("w-frozen")  # e.g. a frozen process whose key is still set
    in_doubt = {c.attempt_id for c in stuck.calls}
    young = worker(db, cid, queue, keyring, ScriptedPhone(FixedClock(NOW)), "w-other")
    assert await young.settle() == 0
    longest = timedelta(seconds=DialerSettings().ring_timeout_s + DialerSettings().max_call_s)
    later = FixedClock(NOW + longest + timedelta(seconds=1))
    await queue.heartbeat("w-frozen")
    assert await worker(db, cid, queue, keyring, ScriptedPhone(later), "w-other").settle() == len(
        in_doubt
    )
    with db.transaction() as s:
        states = {(a.state, a.outcome) for a in s.scalars(
            select(ContactAttempt).where(ContactAttempt.id.in_(in_doubt))
        )}  # fmt: skip
    assert states == {("done", "interrupted")}


async def test_compliance_refusal_is_never_dialed_and_is_logged(
    campaign_db: tuple[Database, str], queue: DialQueue, keyring: Keyring
) -> None:
    db, cid = campaign_db
    cases = sorted(us_cases(db))
    with db.transaction() as s:
        ceased = s.get(Case, cases[0])
        assert ceased is not None
        s.execute(update(Debtor).where(Debtor.id == ceased.debtor_id).values(cease=True))
        ceased_ids = set(s.scalars(select(Case.id).where(Case.debtor_id == ceased.debtor_id)))
    late = FixedClock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # 07:00 New York … 02:00 Honolulu
    phone = ScriptedPhone(late)
    metrics = Metrics(CollectorRegistry())
    configure_logging(observers=[metrics.observe])  # as the worker's process does
    try:
        await asyncio.wait_for(
            worker(db, cid, queue, keyring, phone, "w").run(asyncio.Event(), until_idle=True), 60
        )
    finally:
        configure_logging()
    assert phone.calls == []  # before 08:00 local nothing goes out
    with db.transaction() as s:
        refusals = s.scalars(select(AuditEntry).where(AuditEntry.action == "contact.refused")).all()
        assert {e.subject_id for e in refusals} == set(cases)
        # collectbot_guard_refusals_total{reason}: one count per reason of each refusal
        by_reason = Counter(r for e in refusals for r in e.details["reasons"])
        assert set(by_reason) >= {"cease", "outside_hours"}
        for reason, n in by_reason.items():
            got = metrics.registry.get_sample_value(
                "collectbot_guard_refusals_total", {"reason": reason}
            )
            assert got == n, (reason, got, n)
        ceased_reasons = {
            r for e in refusals if e.subject_id in ceased_ids for r in e.details["reasons"]
        }
        assert ceased_reasons == {"cease", "outside_hours"}
        nxt = s.get(Case, cases[1])
        assert nxt is not None
        assert nxt.next_action_at is not None
        assert nxt.next_action_at > late.now()
        assert audit.verify(s).ok
    # later that day the others are called, once each; the ceased debtor never is
    day = ScriptedPhone(FixedClock(datetime(2026, 12, 1, 19, 0, tzinfo=UTC)))
    await asyncio.wait_for(
        worker(db, cid, queue, keyring, day, "w").run(asyncio.Event(), until_idle=True), 60
    )
    dialed = Counter(r.case_id for r in day.calls)
    assert set(dialed) == set(cases) - ceased_ids
    assert max(dialed.values()) == 1


async def test_a_worker_keeps_no_per_call_state_once_its_calls_ended(
    campaign_db: tuple[Database, str], queue: DialQueue, keyring: Keyring
) -> None:
    """A worker runs one campaign for days: nothing it holds may grow with the calls it made
    (the soak's leak hunt found a list of every attempt id it ever originated, never read)."""
    db, cid = campaign_db
    phone = ScriptedPhone(FixedClock(NOW))
    w = worker(db, cid, queue, keyring, phone, "w-state")
    await asyncio.wait_for(w.run(asyncio.Event(), until_idle=True), timeout=60)
    assert len(phone.calls) > 20
    held = {
        name: len(value)
        for name, value in vars(w).items()
        if isinstance(value, list | dict | set | tuple)
    }
    assert held, "the worker's containers were not found"
    assert {name: n for name, n in held.items() if n >= 5} == {}
    assert not w.in_flight
    assert not w.placing
