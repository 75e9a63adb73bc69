"""A campaign's ring time and calling window through the sandbox Asterisk: the worker dials
(real Redis, SQLite, ``AriOriginator`` into an ``IvrApp``) only the cases whose local time is
inside the campaign's window; every far end only rings ([sim-ring], 60 s), so each call is
given up after the campaign's ``ring_seconds`` (the originate's timeout) and stored
``no_answer``; the cases outside the window are not dialed and wait for its opening. Run under
``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from dialer_sandbox import asterisk
from sqlalchemy import select
from test_dialer_campaign_asterisk import NOW, campaign_in_sqlite, run_on_asterisk

from core.dialogue import DialogueCommand, DialogueEvent, Hangup, Lang, Outcome, Parse
from data.crypto import Keyring
from data.models import Case, ContactAttempt, Debtor
from dialer.ari_originator import AriOriginator
from dialer.origination import DialRequest, DialResult
from ivr.settings import AriSettings

__all__ = ["asterisk"]

APP = "collectbot-fields-test"
OPENS = time(12, 30)
RING_S = 16


class Hangs:
    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("out_of_scope", 0.0)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        return [Hangup(Outcome.HUNG_UP)]


class Timed:
    """The real originator, timed per call (loop seconds from the originate to its end)."""

    def __init__(self, inner: AriOriginator) -> None:
        self.inner = inner
        self.took: dict[str, float] = {}

    async def place(self, request: DialRequest) -> DialResult:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            return await self.inner.place(request)
        finally:
            self.took[request.case_id] = loop.time() - started


async def test_the_campaigns_ring_time_and_window_on_a_real_asterisk(
    asterisk: AriSettings, sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    definition = {
        "filter": {"jurisdictions": ["US"]}, "pacing": "bot", "max_lines": 40,
        "ring_seconds": RING_S, "window": {"start": OPENS.isoformat(), "end": "20:00:00"},
    }  # fmt: skip
    db, cid = campaign_in_sqlite(sqlite_url, keyring, tmp_path, definition)
    timed: list[Timed] = []

    def wrap(inner: AriOriginator) -> Timed:
        timed.append(Timed(inner))
        return timed[0]

    await run_on_asterisk(asterisk, db, cid, keyring, Hangs, lambda r: "Local/s@sim-ring/n",
                          lines=40, app_name=APP, wrap=wrap)  # fmt: skip
    originator = timed[0]
    with db.transaction() as s:
        zones = {
            c: ZoneInfo(tz)
            for c, tz in s.execute(
                select(Case.id, Debtor.timezone)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        }
        rows = {
            a.case_id: a
            for a in s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid))
        }
        waiting = {
            c.id: c.next_action_at for c in s.scalars(select(Case).where(Case.id.in_(list(zones))))
        }
    inside = {c for c, tz in zones.items() if NOW.astimezone(tz).time() >= OPENS}
    outside = set(zones) - inside
    took = sorted(originator.took.values())
    print(f"dialed {len(rows)} (inside {len(inside)}, outside {len(outside)});"
          f" ring-out {took[0]:.1f}-{took[-1]:.1f} s")  # fmt: skip
    assert inside
    assert outside
    assert set(rows) == inside
    assert {a.outcome for a in rows.values()} == {"no_answer"}
    assert all(RING_S <= t < RING_S + 5 for t in took)  # the campaign's ring time, not 25 s
    for case_id in outside:
        tz = zones[case_id]
        at = waiting[case_id]
        assert at is not None
        opening = datetime.combine(NOW.astimezone(tz).date(), OPENS, tzinfo=tz)
        assert at.replace(tzinfo=at.tzinfo or ZoneInfo("UTC")) == opening
