"""The worker's timing on a real database: a due case whose debtor answers only in the evening
is moved there (stamped), dialed once that moment is due, a callback is never moved, and a
worker without a timer dials as before."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
from call_history import add_call_history
from conftest import ensure_service
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import Campaign, Case, Debtor
from data.portfolio.importer import import_portfolio
from dialer.origination import DialRequest, DialResult
from dialer.queue import DialQueue
from dialer.settings import DialerSettings
from dialer.timing import CallTimer
from dialer.worker import CampaignWorker
from scoring.campaign import parse_definition

REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
DEFINITION = parse_definition({"window": {"start": "09:00", "end": "20:00"}})


def _db(sqlite_url: str, keyring: Keyring, tmp_path: Path) -> tuple[Database, list[Case]]:
    db = Database.connect(sqlite_url)
    path = tmp_path / "p.csv"
    write_demo_data(40, 5, path, date(2026, 11, 30))
    import_portfolio(db, keyring, path, FixedClock(datetime(2026, 11, 30, tzinfo=UTC)))
    with db.transaction() as s:
        rows = s.execute(
            select(Case, Debtor.timezone)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .where(Debtor.timezone == "America/Chicago")
        ).all()
        cases = [c for c, _ in rows]
        s.expunge_all()
    return db, cases


def _evening_history(db: Database, case_ids: list[str]) -> None:
    """Each case: 20 calls at 10:00 local never reached anyone, 20 at 18:00 always did."""
    tz = ZoneInfo("America/Chicago")
    with db.transaction() as s:
        add_call_history(s, case_ids, days=range(1, 21), missed_hour=10, reached_hour=18, tz=tz)


async def test_a_due_case_moves_to_its_best_hour_and_is_dialed_there(
    sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    db, cases = _db(sqlite_url, keyring, tmp_path)
    assert len(cases) >= 4
    evening, callback, quiet = cases[0].id, cases[1].id, cases[2].id
    _evening_history(db, [evening, callback])
    with db.transaction() as s:
        s.get_one(Case, callback).next_action = {"channel": "call", "reason": "callback"}
    tz = ZoneInfo("America/Chicago")
    now = datetime(2026, 12, 7, 9, 30, tzinfo=tz).astimezone(UTC)
    timer = CallTimer(db.async_sessions())
    due = [(evening, None), (callback, now), (quiet, None)]
    kept = await timer.sift(due, DEFINITION, now)
    # the evening debtors wait for 18:00; the callback keeps the debtor's time; the quiet
    # one, with no call of their own, follows the portfolio's table (evenings, here)
    assert [c for c, _ in kept] == [callback]
    with db.transaction() as s:
        for case_id in (evening, quiet):
            case = s.get_one(Case, case_id)
            at = case.next_action_at
            assert at is not None
            assert at.replace(tzinfo=UTC).astimezone(tz) == datetime(2026, 12, 7, 18, 0, tzinfo=tz)
        assert s.get_one(Case, evening).next_action["best_time"]["p"] > 0.5  # type: ignore[index]
        assert s.get_one(Case, callback).next_action == {"channel": "call", "reason": "callback"}
    # at 18:00 it is due again, stamped: dialed, not moved again
    later = datetime(2026, 12, 7, 18, 0, tzinfo=tz).astimezone(UTC)
    assert await timer.sift([(evening, later)], DEFINITION, later) == [(evening, later)]
    # a case due inside its best hour is dialed now, and remembered for that due slot
    other = cases[3].id
    assert await timer.sift([(other, None)], DEFINITION, later) == [(other, None)]
    assert await timer.sift([(other, None)], DEFINITION, later + timedelta(seconds=1)) == [
        (other, None)
    ]


class NeverDialed:
    """An originator the feed must not reach (feeding only fills the stream)."""

    async def place(self, request: DialRequest) -> DialResult:
        raise AssertionError(f"dialed {request.case_id}")


async def test_the_workers_feed_holds_calls_until_their_best_hour(
    sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    ensure_service("redis", REDIS_PORT)
    db, cases = _db(sqlite_url, keyring, tmp_path)
    chicago = [c.id for c in cases]
    _evening_history(db, chicago)
    tz = ZoneInfo("America/Chicago")
    morning = datetime(2026, 12, 7, 9, 30, tzinfo=tz).astimezone(UTC)
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    definition = {"filter": {"jurisdiction": "US"}, "window": {"start": "09:00", "end": "20:00"}}
    with db.transaction() as s:
        s.add(Campaign(id=cid, name="t", status="running", created_at=morning,
                       updated_at=morning, definition=definition))  # fmt: skip
    queue = DialQueue(aioredis.Redis(port=REDIS_PORT, decode_responses=True))
    clock = FixedClock(morning)

    def worker(timer: CallTimer | None) -> CampaignWorker:
        return CampaignWorker(
            campaign_id=cid, queue=queue, sessions=db.async_sessions(), keyring=keyring,
            clock=clock, originator=NeverDialed(), settings=DialerSettings(), worker_id="w1",
            timer=timer,
        )  # fmt: skip

    timed = worker(CallTimer(db.async_sessions()))
    parsed = parse_definition(definition)
    assert await timed.feed(parsed) == 0  # every US debtor answers in their evening here
    with db.transaction() as s:
        at = s.get_one(Case, chicago[0]).next_action_at
    assert at is not None
    assert at.replace(tzinfo=UTC).astimezone(tz).hour == 18
    clock.advance(datetime(2026, 12, 7, 18, 0, tzinfo=tz).astimezone(UTC) - morning)
    assert await timed.feed(parsed) == len(chicago)  # their moment: into the stream
    assert await queue.backlog(cid) == len(chicago)
