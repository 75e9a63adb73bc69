"""Which cases a campaign dials (``data.campaign_store.due_cases``), on SQLite and PostgreSQL:
the portfolio filter as the admin API writes it, and only what the strategy planned as a call
of the campaign's kind, never a case the strategy blocked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from admin_api.campaign_schemas import CampaignDefinition
from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.campaign_store import due_cases
from data.crypto import Keyring
from data.db import Database
from data.models import Case, Debtor, Loan
from data.portfolio.importer import import_portfolio
from scoring.campaign import parse_definition


def _portfolio(db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    write_demo_data(40, 5, path, date(2026, 11, 29))
    import_portfolio(db, keyring, path, clock)


async def _due(db: Database, definition: dict[str, Any], clock: FixedClock) -> set[str]:
    async with db.async_sessions()() as s:
        parsed = parse_definition(definition)
        return {cid for cid, _ in await due_cases(s, parsed, clock.now(), limit=1000)}


def _api(**changes: Any) -> dict[str, Any]:
    """A definition exactly as the admin API stores it."""
    return CampaignDefinition.model_validate(changes).model_dump(mode="json")


async def test_the_api_filter_selects_by_language_jurisdiction_dpd_and_list(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    _portfolio(db, keyring, clock, tmp_path)
    with db.transaction() as s:
        rows = s.execute(
            select(Case.id, Debtor.language, Debtor.jurisdiction, Loan.days_past_due)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .join(Loan, Loan.id == Case.loan_id)
        ).all()
    zh = {r[0] for r in rows if r[1] == "zh"}
    us_late = {r[0] for r in rows if r[2] == "US" and r[3] >= 60}
    assert zh
    assert us_late
    assert zh != {r[0] for r in rows}

    assert await _due(db, _api(filter={"languages": ["zh"]}), clock) == zh
    got = await _due(db, _api(filter={"jurisdictions": ["US"], "dpd_min": 60}), clock)
    assert got == us_late
    picked = sorted(zh)[:2]
    assert await _due(db, _api(filter={"case_ids": picked}), clock) == set(picked)
    # a definition stored before the API existed (one value per key) still works
    assert await _due(db, {"filter": {"language": "zh"}}, clock) == zh


async def test_only_calls_the_strategy_planned_and_never_a_blocked_case(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    _portfolio(db, keyring, clock, tmp_path)
    now = clock.now()
    with db.transaction() as s:
        ids = sorted(s.scalars(select(Case.id)))
        plans: dict[str, dict[str, Any]] = {
            ids[0]: {"channel": "call", "step": "bot_call", "blocked": False},
            ids[1]: {"channel": "sms", "step": "sms", "blocked": False},
            ids[2]: {"channel": "call", "step": "agent_call", "blocked": False},
            ids[3]: {"channel": "call", "step": "bot_call", "blocked": True, "reasons": ["cease"]},
            ids[5]: {"channel": "call", "after": "busy"},  # the dialer's own retry
            ids[6]: {"channel": "none", "reason": "no usable phone"},
        }
        for case_id, action in plans.items():
            case = s.get_one(Case, case_id)
            case.next_action, case.next_action_at = action, now - timedelta(hours=1)
        later = s.get_one(Case, ids[4])
        later.next_action = {"channel": "call", "step": "bot_call", "blocked": False}
        later.next_action_at = now + timedelta(hours=1)
    unplanned = {ids[5], *ids[7:]}

    bot = await _due(db, _api(pacing="bot"), clock)
    assert bot == {ids[0]} | unplanned
    agents = await _due(db, _api(pacing="progressive"), clock)
    assert agents == {ids[0], ids[2]} | unplanned
