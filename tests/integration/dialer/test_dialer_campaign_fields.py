"""A campaign's own settings through the real worker (Redis Streams, SQLite, the guard) with a
phone that never answers: calls only inside the campaign's window in the debtor's local time
(the others are rescheduled to its next opening), ring time / language / script / transfer
permission on every call, and the campaign's retry rule deciding when the case is called again
(the call's end reads the campaign in its own transaction)."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from test_dialer_campaign_asterisk import campaign_in_sqlite
from test_dialer_redis import NOW, queue, worker

from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import Case, ContactAttempt, Debtor
from dialer.origination import CallOutcome, DialRequest, DialResult
from dialer.queue import DialQueue

__all__ = ["queue"]
OPENS = time(12, 30)  # NOW is 14:00 in New York, 13:00 Chicago, 12:00 Denver, 11:00 LA


class RingingPhone:
    """Nobody ever answers."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.calls: list[DialRequest] = []

    async def place(self, request: DialRequest) -> DialResult:
        self.calls.append(request)
        return DialResult(CallOutcome.NO_ANSWER, self.clock.now(), detail={"cause": 19})


def _campaign(
    sqlite_url: str, keyring: Keyring, tmp_path: Path, **definition: Any
) -> tuple[Database, str]:
    full = {"filter": {"jurisdictions": ["US"]}, "max_lines": 8, **definition}
    return campaign_in_sqlite(sqlite_url, keyring, tmp_path, full, cases=60, seed=21)


def _us_cases(db: Database) -> dict[str, tuple[ZoneInfo, datetime | None]]:
    with db.transaction() as s:
        rows = s.execute(
            select(Case.id, Debtor.timezone, Case.next_action_at)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .where(Debtor.jurisdiction == "US")
        ).all()
    return {cid: (ZoneInfo(tz), at) for cid, tz, at in rows}


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=NOW.tzinfo) if at is not None and at.tzinfo is None else at


async def test_calls_only_inside_the_window_the_rest_wait_for_its_opening(
    sqlite_url: str, keyring: Keyring, tmp_path: Path, queue: DialQueue
) -> None:
    window = {"start": OPENS.isoformat(), "end": "20:00:00"}
    db, cid = _campaign(sqlite_url, keyring, tmp_path, window=window)
    phone = RingingPhone(FixedClock(NOW))
    await worker(db, cid, queue, keyring, phone, "w-window").run(_stop(), until_idle=True)
    cases = _us_cases(db)
    inside = {c for c, (tz, _) in cases.items() if NOW.astimezone(tz).time() >= OPENS}
    outside = set(cases) - inside
    print(f"inside the window: {len(inside)}, outside: {len(outside)}")
    assert inside
    assert outside
    assert {r.case_id for r in phone.calls} == inside
    with db.transaction() as s:
        tried = set(
            s.scalars(select(ContactAttempt.case_id).where(ContactAttempt.campaign_id == cid))
        )
    assert tried == inside  # no attempt was made (or counted) outside the window
    for case_id in outside:
        tz, at = cases[case_id]
        opening = datetime.combine(NOW.astimezone(tz).date(), OPENS, tzinfo=tz)
        assert _aware(at) == opening, case_id


async def test_each_call_carries_the_campaigns_ring_time_language_script_and_transfers(
    sqlite_url: str, keyring: Keyring, tmp_path: Path, queue: DialQueue
) -> None:
    db, cid = _campaign(
        sqlite_url, keyring, tmp_path, ring_seconds=40, language="zh", script="collection",
        agents_take_transfers=False,
        retries={"no_answer": {"after_minutes": 45, "max_attempts": 3}},
    )  # fmt: skip
    phone = RingingPhone(FixedClock(NOW))
    await worker(db, cid, queue, keyring, phone, "w-fields").run(_stop(), until_idle=True)
    assert len(phone.calls) == len(_us_cases(db))
    for call in phone.calls:
        assert call.ring_timeout_s == 40
        assert call.language == "zh"  # the campaign's, although these debtors speak English
        assert call.script == "collection"
        assert call.agents_take_transfers is False
        assert call.variables["TIMEOUT(absolute)"] == str(40 + 3600 + 5)
    # the campaign's retry rule (45 min), not the dialer's default (3 h)
    for case_id, (_, at) in _us_cases(db).items():
        assert _aware(at) == NOW + timedelta(minutes=45), case_id


async def test_the_campaigns_most_attempts_end_the_retries(
    sqlite_url: str, keyring: Keyring, tmp_path: Path, queue: DialQueue
) -> None:
    db, cid = _campaign(
        sqlite_url, keyring, tmp_path,
        retries={"no_answer": {"after_minutes": 10, "max_attempts": 2}},
    )  # fmt: skip
    clock = FixedClock(NOW)
    phone = RingingPhone(clock)
    for round_ in range(3):
        if round_:
            clock.advance(timedelta(minutes=11))
        await worker(db, cid, queue, keyring, phone, f"w-{round_}").run(_stop(), until_idle=True)
    cases = _us_cases(db)
    per_case = {c: sum(1 for r in phone.calls if r.case_id == c) for c in cases}
    assert set(per_case.values()) == {2}  # the third round finds nobody due
    with db.transaction() as s:
        actions = [c.next_action for c in s.scalars(select(Case).where(Case.id.in_(list(cases))))]
    assert all(a is not None and a.get("reason") == "attempts exhausted" for a in actions)


def _stop() -> asyncio.Event:
    return asyncio.Event()
