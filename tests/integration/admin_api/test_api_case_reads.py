"""The Core case search: totals and pages equal a plain count over every filter shape (the
count joins only the tables a filter names), agents stay scoped, and on SQLite the planner's
statistics make a broad filter walk the primary key instead of sorting every match."""

from __future__ import annotations

from pathlib import Path

from api_fixtures import seed
from sqlalchemy import select

from admin_api.case_reads import _search_statements, refresh_planner_stats, search
from admin_api.case_service import CaseFilter
from admin_api.roles import Principal, Role
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import Case, Debtor, Loan

SUPERVISOR = Principal("usr_supervisor", "supervisor", Role.SUPERVISOR)


def test_search_totals_and_pages_match_a_plain_count(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    seed(db, keyring, clock, tmp_path, 60)
    with db.transaction() as s:
        rows = s.execute(
            select(Case.id, Case.status, Case.assigned_agent_id, Loan, Debtor)
            .join(Loan, Loan.id == Case.loan_id)
            .join(Debtor, Debtor.id == Case.debtor_id)
        ).all()
        product, language = rows[0].Loan.product, rows[0].Debtor.language
        filters = [
            CaseFilter(),
            CaseFilter(status="open"),
            CaseFilter(product=product),
            CaseFilter(language=language, dpd_min=30),
            CaseFilter(product=product, language=language, dpd_max=90, status="open"),
            CaseFilter(agent_id="agt_1"),
            CaseFilter(jurisdiction="ZZ"),
        ]
        for f in filters:
            expected = sorted(
                r.id
                for r in rows
                if (f.status is None or r.status == f.status)
                and (f.product is None or r.Loan.product == f.product)
                and (f.language is None or r.Debtor.language == f.language)
                and (f.jurisdiction is None or r.Debtor.jurisdiction == f.jurisdiction)
                and (f.agent_id is None or r.assigned_agent_id == f.agent_id)
                and (f.dpd_min is None or r.Loan.days_past_due >= f.dpd_min)
                and (f.dpd_max is None or r.Loan.days_past_due <= f.dpd_max)
            )
            page = search(s, SUPERVISOR, f, 7, 2)
            assert page.total == len(expected), f
            assert [c.id for c in page.items] == expected[2:9], f
        agent = Principal("usr_agent", "agent", Role.AGENT, "agt_1")
        mine = search(s, agent, CaseFilter(agent_id="agt_2"), 50, 0)  # asks for others'
        assert {c.assigned_agent_id for c in mine.items} == {"agt_1"}
        assert mine.total == 2


def test_sqlite_statistics_let_a_broad_search_walk_the_primary_key(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    db = Database.connect(sqlite_url)
    seed(db, keyring, clock, tmp_path, 300)  # every case is open
    _count, page = _search_statements(("status",))
    params = {"status": "open", "limit": 20, "offset": 0}

    def plan() -> str:
        with db.engine.connect() as conn:
            compiled = page.compile(db.engine)
            rows = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(compiled),
                tuple(params[k] for k in compiled.positiontup or ()),
            ).all()
        return " | ".join(str(r[-1]) for r in rows)

    assert "TEMP B-TREE" in plan()  # without statistics: every match sorted
    with db.engine.begin() as conn:
        refresh_planner_stats(conn)
    assert "TEMP B-TREE" not in plan()
    db.dispose()
