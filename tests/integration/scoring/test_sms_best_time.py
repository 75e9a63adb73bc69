"""SMS steps planned at the learned best hour (``ANALYTICS_SMS_BEST_TIME``): the plan's
``earliest`` moves inside its window to the hour the debtor answers; off, it stays at the
window's opening."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from call_history import add_call_history
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.campaign_strategies import plan_cases
from data.crypto import Keyring
from data.db import Database
from data.models import Case, Debtor
from data.portfolio.importer import import_portfolio
from data.scoring_store import plan_frame
from scoring.strategy import parse_strategy

STRATEGY = parse_strategy(
    {
        "name": "sms_only",
        "experiment": "t",
        "challenger_share": "0",
        "dpd_buckets": [{"name": "all", "low": 0, "high": None}],
        "treatments": {
            "reminders": {
                "steps": ["sms"],
                "cadence_days": 1,
                "script": "reminder_soft",
                "negotiation": {
                    "min_promise_share": "0.5",
                    "max_promise_days": 14,
                    "plan_lengths": [],
                },
                "hours": {"start": "09:00", "end": "20:00"},
            }
        },
        "champion": [{"when": {}, "treatment": "reminders"}],
        "challenger": [],
    },
    "sms_only",
)
CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 02:00 in Chicago: the window opens at 09:00


def _db(sqlite_url: str, keyring: Keyring, tmp_path: Path) -> tuple[Database, list[str]]:
    db = Database.connect(sqlite_url)
    path = tmp_path / "p.csv"
    write_demo_data(30, 8, path, date(2026, 11, 30))
    import_portfolio(db, keyring, path, FixedClock(datetime(2026, 11, 30, tzinfo=UTC)))
    with db.transaction() as s:
        chicago = list(
            s.scalars(
                select(Debtor.id).where(
                    Debtor.timezone == "America/Chicago", Debtor.jurisdiction == "US"
                )
            )
        )
        cases = list(s.scalars(select(Case.id).where(Case.debtor_id.in_(chicago))))
        # answered at 17:00, never at 10:00
        add_call_history(s, cases, days=range(1, 16), missed_hour=10, reached_hour=17, tz=CHICAGO)
    return db, cases


@pytest.mark.parametrize("on", [False, True])
def test_sms_steps_go_out_at_the_learned_hour(
    sqlite_url: str, keyring: Keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on: bool
) -> None:
    monkeypatch.setenv("ANALYTICS_SMS_BEST_TIME", "true" if on else "false")
    db, cases = _db(sqlite_url, keyring, tmp_path)
    assert cases
    with db.transaction() as s:
        planned = plan_cases(s, plan_frame(s, None, cases), STRATEGY, NOW)
    sms = planned[planned["channel"] == "sms"]
    assert len(sms) == len(cases)
    hours = {t.tz_convert("America/Chicago").hour for t in sms["earliest"]}
    assert hours == ({17} if on else {9})
    latest = {t.tz_convert("America/Chicago").hour for t in sms["latest"]}
    assert latest == {20}  # the window itself is the planner's, unchanged
