"""A placed call counts as "in progress" from the moment it reaches the bot (``mark_live``),
on real SQLite and PostgreSQL; the call's end then closes the attempt as before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.attempts import claim_attempt, mark_dialing, mark_live
from data.crypto import Keyring
from data.db import Database
from data.models import Case, ContactAttempt
from data.portfolio.importer import import_portfolio

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


async def test_only_the_cases_call_being_dialled_is_marked_live_once(
    db: Database, keyring: Keyring, tmp_path: Path
) -> None:

    path = tmp_path / "p.csv"
    write_demo_data(2, 3, path, date(2026, 12, 1))
    import_portfolio(db, keyring, path, FixedClock(NOW))
    with db.transaction() as s:
        first, second = s.scalars(select(Case.id).order_by(Case.id)).all()[:2]
    sessions = db.async_sessions()
    try:
        async with sessions() as s:
            ids = {}
            for slot, case_id, channel, dial in (
                ("call", first, "call", True), ("sms", first, "sms", True),
                ("claimed", second, "call", False),
            ):  # fmt: skip
                ledger = await claim_attempt(
                    s, key=f"k:{slot}", case_id=case_id, campaign_id=None, channel=channel,
                    phone_id=None, worker="w1", now=NOW,
                )  # fmt: skip
                ids[slot] = ledger.attempt_id
                if dial:
                    assert await mark_dialing(s, ledger.attempt_id, "w1", None)
            answered = NOW + timedelta(seconds=12)
            assert await mark_live(s, first, answered)
            assert not await mark_live(s, first, answered + timedelta(seconds=5))  # once
            assert not await mark_live(s, second, answered)  # claimed, never dialled
        with db.transaction() as s:
            live = {a.id: a.live_since for a in s.scalars(select(ContactAttempt))}
        up = live[ids["call"]]
        assert up is not None
        assert up.replace(tzinfo=UTC) == answered  # the first mark stands
        assert live[ids["sms"]] is None
        assert live[ids["claimed"]] is None
    finally:
        await sessions.kw["bind"].dispose()
