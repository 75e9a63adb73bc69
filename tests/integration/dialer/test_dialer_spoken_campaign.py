"""A campaign over 20 SPOKEN simulated debtors, end to end, with nothing faked: the production
wiring of a worker (``dialer.wiring.Telephony``: dialer on real Redis, IVR with the shipped
Whisper/Piper models and the real NLU + policy, ``CallEnding``) dials every case of a call list
through the sandbox Asterisk to ``Local/<number>@sim-debtor``, where a ``DebtorPool`` answers
as each debtor's persona: promises, disputes, wrong numbers, transfers to the simulated agent,
callbacks, hang-ups, phones that ring out and busy lines. The outcomes stored must be the
personas' outcomes, promises with their amount and date, and nobody dialed twice.
Real-time and CPU-heavy (a few minutes); run under ``flock /tmp/collectbot-sandbox.lock``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

from conftest import ensure_service
from dialer_sandbox import asterisk
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.case_facts import case_phones
from data.crypto import Keyring
from data.db import Database
from data.models import AuditEntry, Campaign, Case, ContactAttempt, Debtor, DebtorPhone, Promise
from data.portfolio.importer import import_portfolio
from dialer.settings import DialerSettings
from dialer.wiring import Telephony, load_speech
from ivr.settings import AriSettings, IvrSettings
from simulation.debtor_pool import DebtorPool, population
from simulation.far_end import FarEndTiming
from simulation.personas import Behaviour, Persona
from tts.piper import PiperSynthesizer

__all__ = ["asterisk"]

REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # 14:00 in New York, 09:00 in Honolulu
MIX = (
    [Behaviour.PROMISE] * 5 + [Behaviour.DISPUTE] * 2 + [Behaviour.WRONG_NUMBER] * 3
    + [Behaviour.TRANSFER] * 2 + [Behaviour.CALLBACK] * 2 + [Behaviour.HANG_UP] * 2
    + [Behaviour.NO_ANSWER] * 2 + [Behaviour.BUSY] * 2
)  # fmt: skip


def _attempts(db: Database, cid: str) -> list[ContactAttempt]:
    with db.transaction() as s:
        return list(s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid)))


# what each behaviour leaves as the case's next action (docs/dialer.md, "The end of a call")
NEXT_CHANNEL = {
    Behaviour.PROMISE: "promise_check",
    Behaviour.DISPUTE: "none",
    Behaviour.CALLBACK: "call",
    Behaviour.TRANSFER: "call",
    Behaviour.HANG_UP: "call",
    Behaviour.NO_ANSWER: "call",
    Behaviour.BUSY: "call",
}


def _check_next_actions(
    db: Database, by_case: Mapping[str, Persona], attempts: Mapping[str, ContactAttempt]
) -> None:
    """Each call's outcome was written once, with the next action its dialogue decided: the
    dialer's retry never replaced a promise check, a callback or a retired wrong number."""
    with db.transaction() as s:
        for case_id, persona in by_case.items():
            case = s.get_one(Case, case_id)
            action = case.next_action or {}
            phone = s.get(DebtorPhone, attempts[case_id].phone_id)
            assert phone is not None
            if persona.behaviour is Behaviour.WRONG_NUMBER:
                assert phone.status == "wrong_number", case_id
                assert action["after"] == "wrong_number"
                continue
            assert phone.status == "active", case_id
            assert action["channel"] == NEXT_CHANNEL[persona.behaviour], (case_id, action)
            if persona.behaviour is Behaviour.CALLBACK:
                assert action["reason"] == "callback", (case_id, action)
            if persona.promise is not None:
                assert action["due"] == persona.promise[1].isoformat()
                assert case.next_action_at is not None
                assert case.next_action_at.date() > persona.promise[1]


def _call_list(db: Database) -> list[str]:
    with db.transaction() as s:
        rows = s.scalars(
            select(Case.id)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .where(Debtor.jurisdiction == "US", Debtor.language == "en")
            .order_by(Case.id)
        ).all()
    assert len(rows) > len(MIX)
    return list(rows[: len(MIX) + 1])


async def test_a_campaign_of_spoken_debtors_ends_with_their_outcomes(
    asterisk: AriSettings, sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    ensure_service("redis", REDIS_PORT)
    db = Database.connect(sqlite_url)
    clock = FixedClock(NOW)
    path = tmp_path / "p.csv"
    write_demo_data(80, 21, path, date(2026, 11, 30))
    import_portfolio(db, keyring, path, clock)
    *cases, ceased = _call_list(db)
    with db.transaction() as s:  # on the call list, but the debtor asked us to stop calling
        debtor_id = s.get_one(Case, ceased).debtor_id
        s.get_one(Debtor, debtor_id).cease = True
    behaviours = dict(zip(cases, MIX, strict=True))
    personas = await asyncio.to_thread(
        population, db, keyring, {**behaviours, ceased: Behaviour.PROMISE},
        company="Acme Lending", clock=clock,
    )  # fmt: skip
    ceased_numbers = {p.lstrip("+") for p in case_phones(db, keyring, ceased)}
    by_case = {case: personas.by_case[case] for case in cases}
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    with db.transaction() as s:
        s.add(
            Campaign(
                id=cid, name="spoken", status="running", created_at=NOW, updated_at=NOW,
                definition={
                    "filter": {"case_ids": [*cases, ceased]}, "pacing": "bot", "max_lines": 4,
                },
            )
        )  # fmt: skip
    pool = DebtorPool(
        asterisk, personas.by_number, {"en": PiperSynthesizer()}, clock, FarEndTiming()
    )
    telephony = Telephony(
        db, keyring, clock, await load_speech(),
        ari_settings=asterisk.model_copy(update={"app": "collectbot-spoken-bot"}),
        dialer_settings=DialerSettings(
            redis_url=f"redis://127.0.0.1:{REDIS_PORT}/0",
            endpoint_template="Local/{number}@sim-debtor/n", ring_timeout_s=15,
            supervisor_poll_s=0.2, worker_id="spoken-test", ivr_capacity=4,
        ),
        ivr_settings=IvrSettings(no_input_s=8.0, max_call_s=150.0, agent_answer_timeout_s=10.0),
    )  # fmt: skip
    halt = asyncio.Event()
    async with asyncio.TaskGroup() as tg:
        pool_task = tg.create_task(pool.run())
        await asyncio.wait_for(pool.ready.wait(), 120)
        runner = tg.create_task(telephony.run(halt))
        try:
            for _ in range(3000):  # polling the database: there is no event to wait for
                done = [a for a in _attempts(db, cid) if a.state == "done"]
                if len(done) >= len(cases):
                    break
                await asyncio.sleep(0.2)
        finally:
            halt.set()
            await asyncio.wait_for(runner, 60)
            pool_task.cancel()

    rows = _attempts(db, cid)
    got = {a.case_id: a.outcome for a in rows}
    print({c: (behaviours[c].value, got.get(c), by_case[c].expected_outcome) for c in cases})
    assert len(rows) == len(cases)  # one attempt each: nobody dialed twice, nobody lost
    assert all(a.state == "done" for a in rows)
    assert got == {case: persona.expected_outcome for case, persona in by_case.items()}
    with db.transaction() as s:
        promises = {p.case_id: (p.amount_minor, p.due_date) for p in s.scalars(select(Promise))}
    assert promises == {
        case: (int(persona.promise[0] * 100), persona.promise[1])
        for case, persona in by_case.items()
        if persona.promise is not None
    }
    _check_next_actions(db, by_case, {a.case_id: a for a in rows})
    # the compliance guard refused the ceased debtor at dialing time: logged, never dialed
    assert ceased not in got
    assert not {c.number for c in pool.calls} & ceased_numbers
    with db.transaction() as s:
        refusals = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "contact.refused", AuditEntry.subject_id == ceased
            )
        ).all()
    assert refusals
    assert "cease" in refusals[0].details["reasons"]
    answered = Counter(c.persona.behaviour for c in pool.calls if c.answered and c.persona)
    assert set(answered) == set(MIX) - {Behaviour.NO_ANSWER, Behaviour.BUSY}
    assert sum(answered.values()) == len(MIX) - 4  # each answering debtor answered once
