"""``DbAgentDesk`` on SQLite and PostgreSQL: who takes a transferred call, and that two calls
picking at once never get the same agent."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, update

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import Agent, AuditEntry, Case, CaseNote
from data.portfolio.importer import import_portfolio
from ivr.transfer_desk import AgentPick, DbAgentDesk

SPEC = {  # agent -> (languages, status)
    "a_en": (["en"], "available"),
    "b_en": (["en"], "available"),
    "c_both": (["en", "zh"], "available"),
    "d_zh": (["zh"], "available"),
    "e_paused": (["en"], "paused"),
}


def _seed(db: Database, keyring: Keyring, clock: FixedClock, tmp: Path) -> str:
    path = tmp / "portfolio.csv"
    write_demo_data(2, 7, path, date(2026, 11, 29))
    import_portfolio(db, keyring, path, clock, parallel=False)
    with db.transaction() as s:
        for agent_id, (languages, status) in SPEC.items():
            s.add(Agent(id=agent_id, display_name=agent_id, endpoint=f"PJSIP/{agent_id}",
                        languages=languages, products=[], tiers=[], capacity=50, status=status,
                        created_at=clock.now()))  # fmt: skip
        s.flush()
        case_id = sorted(s.scalars(select(Case.id)))[0]
        s.execute(update(Case).where(Case.id == case_id).values(assigned_agent_id="b_en"))
    return case_id


def _statuses(db: Database) -> dict[str, str]:
    with db.transaction() as s:
        return {a.id: a.status for a in s.scalars(select(Agent))}


async def test_the_case_agent_first_then_whoever_speaks_the_language_never_twice(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    case_id = _seed(db, keyring, clock, tmp_path)
    desk = DbAgentDesk(db, keyring, clock)
    assert await desk.pick(case_id, "en") == AgentPick("b_en", "PJSIP/b_en")
    # five English calls at once: the two other English speakers, each once, then nobody
    picks = await asyncio.gather(*(desk.pick(case_id, "en") for _ in range(5)))
    taken = sorted(p.agent_id for p in picks if p is not None)
    assert taken == ["a_en", "c_both"]
    assert picks.count(None) == 3
    assert _statuses(db) == {"a_en": "on_call", "b_en": "on_call", "c_both": "on_call",
                             "d_zh": "available", "e_paused": "paused"}  # fmt: skip
    assert await desk.pick(None, "zh") == AgentPick("d_zh", "PJSIP/d_zh")

    clock.advance(timedelta(minutes=3))
    await desk.release("b_en", talked=True)  # talked to the debtor: wrap-up time
    await desk.release("a_en", talked=False)  # never answered: free again
    await desk.release("e_paused", talked=True)  # not on a call: left alone
    statuses = _statuses(db)
    with db.transaction() as s:  # when each state began (the console's time in state)
        since = {a.id: a.status_since for a in s.scalars(select(Agent))}
    picked_at = clock.now() - timedelta(minutes=3)
    assert since == {"a_en": clock.now(), "b_en": clock.now(), "c_both": picked_at,
                     "d_zh": picked_at, "e_paused": None}  # fmt: skip
    assert (statuses["b_en"], statuses["a_en"], statuses["e_paused"]) == (
        "wrap_up", "available", "paused"
    )  # fmt: skip
    assert await desk.pick(case_id, "en") == AgentPick("a_en", "PJSIP/a_en")


async def test_the_agent_who_takes_the_call_gets_the_case_with_a_note_and_an_audit_entry(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    case_id = _seed(db, keyring, clock, tmp_path)
    desk = DbAgentDesk(db, keyring, clock)
    await desk.connected("b_en", case_id, "call-1")  # already theirs: nothing written
    await desk.connected("a_en", case_id, "call-2")
    with db.transaction() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert case.assigned_agent_id == "a_en"
        notes = list(s.scalars(select(CaseNote).where(CaseNote.case_id == case_id)))
        assert [(n.kind, n.author) for n in notes] == [("transfer", "bot")]
        body = json.loads(keyring.decrypt(notes[0].body_enc, "case_notes.body"))
        assert body == {"kind": "transfer", "reason": "call call-2 transferred by the bot",
                        "from": "b_en"}  # fmt: skip
        audits = s.scalars(select(AuditEntry).where(AuditEntry.subject_id == case_id)).all()
        assert [(a.action, a.actor) for a in audits] == [("case.assign", "bot")]
