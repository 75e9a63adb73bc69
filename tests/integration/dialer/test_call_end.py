"""The end of a call, recorded once by ``CallEnding`` on real SQLite and PostgreSQL: what the
dialogue decided reaches the case (a callback at the asked time, a payment to verify, a promise's
check after its date, a wrong number's phone retired and the next call on another number), the
dialer's own outcomes without an IVR result, and both sides reporting in either order (or at
once) writing the attempt exactly once."""

from __future__ import annotations

import asyncio
import csv
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from admin_api.campaign_schemas import CampaignDefinition
from cli.data_commands import write_demo_data
from core.clock import FixedClock
from core.dialogue import (
    Outcome,
    RecordAlreadyPaid,
    RecordDeceased,
    RecordDisclosureReview,
    RecordEstateContact,
    RecordPromise,
    ScheduleCallback,
)
from core.money import Money
from data import audit, qa_store
from data.attempts import claim_attempt, close_lost, dialing_attempts, mark_dialing
from data.call_records import read_transcript
from data.campaign_store import due_cases
from data.crypto import Keyring
from data.db import Database
from data.models import (
    AuditEntry,
    Campaign,
    Case,
    CaseNote,
    ContactAttempt,
    Debtor,
    DebtorPhone,
    Loan,
    Promise,
)
from data.portfolio.importer import import_portfolio
from data.scoring_store import plan_frame, write_plan
from dialer.ari_originator import result_of
from dialer.call_end import CallEnding
from dialer.origination import CallOutcome, DialResult
from ivr.ari.models import AriEvent
from ivr.call_watch import CallWatchers
from ivr.calls import CallResult, TranscriptLine
from scoring.campaign import parse_definition
from scoring.strategy import load_strategy, plan

NOW = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
CAMPAIGN = "camp-end"
STRATEGY = load_strategy()


class Rig:
    def __init__(self, db: Database, keyring: Keyring, case_id: str, phones: list[int]) -> None:
        self.db, self.case_id, self.phones = db, case_id, phones
        self.clock = FixedClock(NOW)
        self.sessions = db.async_sessions()
        self.ending = CallEnding(self.sessions, keyring, self.clock)
        self.keyring = keyring

    async def dialing(self, slot: str = "1", phone: int | None = None) -> str:
        """A ledger row as the dialer leaves it when it originates (``dialing``)."""
        phone_id = phone or self.phones[0]
        async with self.sessions() as s:  # what the worker does before it originates
            ledger = await claim_attempt(
                s, key=f"{CAMPAIGN}:{self.case_id}:{slot}", case_id=self.case_id,
                campaign_id=CAMPAIGN, channel="call", phone_id=phone_id, worker="w1", now=NOW,
            )  # fmt: skip
            assert await mark_dialing(s, ledger.attempt_id, "w1", phone_id)
        return ledger.attempt_id

    def talk(self, attempt_id: str, outcome: Outcome, *records: object) -> CallResult:
        return CallResult(
            attempt_id, attempt_id, NOW + timedelta(seconds=3), outcome=outcome,
            records=list(records),  # type: ignore[arg-type]
            transcript=[TranscriptLine(NOW, "debtor", "hello?")],
            ended_at=NOW + timedelta(seconds=60), end_reason="bot_hung_up",
        )  # fmt: skip

    def answered(self, result: CallResult) -> DialResult:
        return result_of(result, self.clock)  # what the originator returns for it

    def case(self) -> Case:
        with self.db.transaction() as s:
            case = s.get(Case, self.case_id)
            assert case is not None
            return case

    def attempt(self, attempt_id: str) -> ContactAttempt:
        with self.db.transaction() as s:
            attempt = s.get(ContactAttempt, attempt_id)
            assert attempt is not None
            return attempt

    def phone_status(self) -> dict[int, str]:
        with self.db.transaction() as s:
            rows = s.scalars(select(DebtorPhone).where(DebtorPhone.id.in_(self.phones)))
            return {p.id: p.status for p in rows}

    def recorded(self) -> Counter[str]:
        with self.db.transaction() as s:
            entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "call.recorded"))
            return Counter(str(e.details["attempt_id"]) for e in entries)


@pytest.fixture
async def rig(db: Database, keyring: Keyring, tmp_path: Path) -> AsyncIterator[Rig]:
    """A US case whose debtor has two numbers (a second one added), and a running campaign."""
    path = tmp_path / "p.csv"
    write_demo_data(12, 5, path, date(2026, 12, 1))
    import_portfolio(db, keyring, path, FixedClock(NOW))
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with db.transaction() as s:
        s.add(Campaign(id=CAMPAIGN, name="t", status="running", created_at=NOW, updated_at=NOW,
                       definition={"pacing": "bot"}))  # fmt: skip
        case = next(
            c for c in (s.get_one(Case, r["loan_id"]) for r in rows)
            if s.get_one(Debtor, c.debtor_id).timezone.startswith("America/")
        )  # fmt: skip
        s.get_one(Loan, case.loan_id).currency = "USD"
        for p in s.scalars(select(DebtorPhone).where(DebtorPhone.debtor_id == case.debtor_id)):
            s.delete(p)
        s.flush()
        for pos, number in enumerate(("+12125550101", "+12125550102")):
            s.add(DebtorPhone(
                debtor_id=case.debtor_id, position=pos,
                phone_enc=keyring.encrypt(number, "debtor_phones.phone"),
                phone_bidx=keyring.blind_index(number, "phone"),
            ))  # fmt: skip
        s.flush()
        phones = list(s.scalars(select(DebtorPhone.id).where(
            DebtorPhone.debtor_id == case.debtor_id).order_by(DebtorPhone.position)))  # fmt: skip
        case_id = case.id
    made = Rig(db, keyring, case_id, phones)
    yield made
    await made.sessions.kw["bind"].dispose()  # the async engine, before the loop closes


async def test_a_callback_is_placed_at_the_time_the_debtor_asked_for(rig: Rig) -> None:
    attempt = await rig.dialing()
    at = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # Thursday 18:30 in New York
    talk = rig.talk(attempt, Outcome.CALLBACK_SCHEDULED, ScheduleCallback(at, "thursday 6:30"))
    assert await rig.ending.record(attempt, rig.answered(talk), by="dialer")
    case = rig.case()
    assert case.next_action_at == at  # not now + 3 days
    assert case.next_action is not None
    assert (case.next_action["channel"], case.next_action["reason"]) == ("call", "callback")
    row = rig.attempt(attempt)
    assert (row.state, row.outcome, row.connected, row.conversation) == (
        "done", "callback_scheduled", True, True,
    )  # fmt: skip
    assert row.answered_at == talk.started_at
    assert read_transcript(rig.keyring, row)[0]["text"] == "hello?"


async def test_already_paid_makes_the_next_step_a_verification(rig: Rig) -> None:
    attempt = await rig.dialing()
    talk = rig.talk(attempt, Outcome.ALREADY_PAID, RecordAlreadyPaid(date(2026, 11, 28), "bank"))
    await rig.ending.ivr_ended(talk)
    case = rig.case()
    assert case.next_action == {
        "channel": "verify_payment", "paid_on": "2026-11-28", "via": "bank",
        "after": "already_paid",
    }  # fmt: skip
    assert case.next_action_at == NOW
    with rig.db.transaction() as s:
        note = s.scalars(select(CaseNote).where(CaseNote.case_id == rig.case_id)).one()
        assert note.kind == "already_paid"


async def test_an_estate_contact_is_an_encrypted_note(rig: Rig) -> None:
    """Who handles a deceased debtor's affairs, as said: a note for the person who follows up,
    encrypted at rest like every note (the name and number never stored in clear)."""
    attempt = await rig.dialing()
    said = "her son mark handles it, 555 201 3344"
    talk = rig.talk(
        attempt, Outcome.DECEASED, RecordDeceased("she passed away"), RecordEstateContact(said)
    )
    assert await rig.ending.record(attempt, rig.answered(talk), by="dialer")
    with rig.db.transaction() as s:
        notes = s.scalars(select(CaseNote).where(CaseNote.case_id == rig.case_id)).all()
        (estate,) = [n for n in notes if n.kind == "estate_contact"]
        assert b"555 201" not in estate.body_enc
        assert rig.keyring.decrypt(estate.body_enc, "case_notes.body") == said


async def test_a_possible_disclosure_is_a_note_for_compliance(rig: Rig) -> None:
    """Told the debt, the answerer said he was the debtor's brother: a note of kind
    ``disclosure`` with what was said, encrypted like every note."""
    attempt = await rig.dialing()
    said = "wait, no, I'm his brother Mike"
    talk = rig.talk(attempt, Outcome.THIRD_PARTY, RecordDisclosureReview(said))
    assert await rig.ending.record(attempt, rig.answered(talk), by="dialer")
    with rig.db.transaction() as s:
        (note,) = s.scalars(select(CaseNote).where(CaseNote.case_id == rig.case_id)).all()
    assert note.kind == "disclosure"
    assert b"brother" not in note.body_enc
    assert rig.keyring.decrypt(note.body_enc, "case_notes.body") == said


async def test_a_promise_is_checked_after_its_date(rig: Rig) -> None:
    attempt = await rig.dialing()
    due = date(2026, 12, 10)
    talk = rig.talk(attempt, Outcome.PROMISE_TO_PAY, RecordPromise(Money.of("80", "USD"), due))
    assert await rig.ending.record(attempt, rig.answered(talk), by="dialer")
    case = rig.case()
    assert case.status == "promised"
    assert case.next_action is not None
    assert case.next_action["channel"] == "promise_check"
    assert case.next_action["due"] == "2026-12-10"
    assert case.next_action_at is not None
    with rig.db.transaction() as s:
        zone = ZoneInfo(s.get_one(Debtor, s.get_one(Case, rig.case_id).debtor_id).timezone)
        promise = s.scalars(select(Promise).where(Promise.attempt_id == attempt)).one()
    assert promise.amount_minor == 8000
    local = case.next_action_at.astimezone(zone)
    assert local.date() > due  # after its date, in the debtor's own day
    assert (local.date(), local.hour) == (date(2026, 12, 12), 0)


async def test_a_wrong_number_retires_the_phone_and_the_next_call_uses_the_other(
    rig: Rig,
) -> None:
    first, second = rig.phones
    attempt = await rig.dialing("1", first)
    await rig.ending.ivr_ended(rig.talk(attempt, Outcome.WRONG_NUMBER))
    assert rig.phone_status() == {first: "wrong_number", second: "active"}
    case = rig.case()
    assert rig.attempt(attempt).outcome == "wrong_number"
    assert case.next_action is not None
    assert case.next_action["channel"] == "call"
    with rig.db.transaction() as s:
        usable = [p.id for p in s.scalars(select(DebtorPhone).where(
            DebtorPhone.debtor_id == s.get_one(Case, rig.case_id).debtor_id,
            DebtorPhone.status == "active").order_by(DebtorPhone.position))]  # fmt: skip
    assert usable[case.next_action["phone_position"] % len(usable)] == second
    # the other number is wrong too: no number is left, no call is planned
    again = await rig.dialing("2", second)
    await rig.ending.ivr_ended(rig.talk(again, Outcome.WRONG_NUMBER))
    assert rig.phone_status() == {first: "wrong_number", second: "wrong_number"}
    assert rig.case().next_action == {
        "channel": "none", "reason": "no usable phone", "after": "wrong_number",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("line", "delay", "phone_status"),
    [
        (CallOutcome.NO_ANSWER, timedelta(hours=3), "active"),
        (CallOutcome.BUSY, timedelta(minutes=20), "active"),
        (CallOutcome.FAILED, timedelta(minutes=30), "active"),
        (CallOutcome.INVALID_NUMBER, timedelta(minutes=1), "invalid"),
    ],
)
async def test_the_dialer_alone_reports_a_call_nobody_answered(
    rig: Rig, line: CallOutcome, delay: timedelta, phone_status: str
) -> None:
    attempt = await rig.dialing()
    result = DialResult(line, NOW, detail={"cause": 19})
    assert await rig.ending.record(attempt, result, by="dialer")
    row = rig.attempt(attempt)
    assert (row.state, row.outcome, row.answered_at, row.connected) == (
        "done", line.value, None, False,
    )  # fmt: skip
    assert row.detail is not None
    assert row.detail["cause"] == 19
    assert read_transcript(rig.keyring, row) == []
    assert rig.case().next_action_at == NOW + delay
    assert rig.phone_status()[rig.phones[0]] == phone_status
    assert rig.case().status == "open"


@pytest.mark.parametrize("ivr_first", [True, False])
async def test_both_sides_reporting_write_once(rig: Rig, ivr_first: bool) -> None:
    attempt = await rig.dialing()
    due = date(2026, 12, 10)
    talk = rig.talk(attempt, Outcome.PROMISE_TO_PAY, RecordPromise(Money.of("80", "USD"), due))
    ivr = rig.ending.ivr_ended(talk)
    dialer = rig.ending.record(attempt, rig.answered(talk), by="dialer")
    for report in (ivr, dialer) if ivr_first else (dialer, ivr):
        await report
    assert rig.recorded()[attempt] == 1
    with rig.db.transaction() as s:
        assert len(s.scalars(select(Promise).where(Promise.case_id == rig.case_id)).all()) == 1
        assert audit.verify(s).ok
    assert rig.attempt(attempt).outcome == "promise_to_pay"
    assert rig.case().next_action["channel"] == "promise_check"  # type: ignore[index]


async def test_a_second_report_never_overwrites_the_first(rig: Rig) -> None:
    attempt = await rig.dialing()
    await rig.ending.ivr_ended(rig.talk(attempt, Outcome.WRONG_NUMBER))
    before = rig.case().next_action
    late = DialResult(CallOutcome.FAILED, NOW + timedelta(minutes=5), detail={"x": 1})
    assert not await rig.ending.record(attempt, late, by="dialer")
    assert rig.attempt(attempt).outcome == "wrong_number"
    assert rig.case().next_action == before
    assert rig.recorded()[attempt] == 1


async def test_reports_arriving_at_once_write_once(rig: Rig) -> None:
    attempt = await rig.dialing()
    talk = rig.talk(attempt, Outcome.REFUSED)
    ivr, *dialer = await asyncio.gather(
        rig.ending.ivr_ended(talk),
        rig.ending.record(attempt, rig.answered(talk), by="dialer"),
        rig.ending.record(attempt, rig.answered(talk), by="dialer"),
    )
    assert ivr is None
    assert dialer.count(True) <= 1  # the IVR's report may have been the one that wrote
    assert rig.recorded()[attempt] == 1
    assert rig.attempt(attempt).outcome == "refused"


async def test_a_hang_up_racing_the_answer_is_an_answered_call(rig: Rig) -> None:
    """The debtor answers and hangs up before the IVR takes the channel: its end comes as an
    unowned ChannelDestroyed of a channel that was up (cause 16), never a failed call."""
    attempt = await rig.dialing()
    watchers = CallWatchers()
    ended = watchers.watch(attempt)
    watchers.unowned_event(AriEvent.from_json({
        "type": "ChannelDestroyed", "application": "t", "cause": 16,
        "cause_txt": "Normal Clearing", "channel": {"id": attempt, "state": "Up"},
    }))  # fmt: skip
    assert await rig.ending.record(attempt, result_of(await ended, rig.clock), by="dialer")
    row = rig.attempt(attempt)
    assert (row.outcome, row.connected) == ("hung_up", False)
    assert row.answered_at is not None
    assert rig.case().next_action_at == NOW + timedelta(days=3)


async def test_a_report_naming_no_stored_case_writes_nothing(rig: Rig) -> None:
    talk = rig.talk("chan-unknown", Outcome.PROMISE_TO_PAY)
    await rig.ending.ivr_ended(talk)  # an inbound call, or a channel the dialer never placed
    await rig.ending.ivr_ended(talk, case_id="no-such-case")
    assert sum(rig.recorded().values()) == 0


async def test_a_simulated_call_without_a_ledger_row_is_written_for_its_case(rig: Rig) -> None:
    talk = rig.talk("sim-1", Outcome.CALLBACK_SCHEDULED, ScheduleCallback(None, "later"))
    await rig.ending.sink_for(rig.case_id)(talk)
    await rig.ending.sink_for(rig.case_id)(talk)  # reported twice: written once
    row = rig.attempt("sim-1")
    assert (row.outcome, row.campaign_id, row.phone_id) == ("callback_scheduled", None, None)
    assert rig.recorded()["sim-1"] == 1
    assert rig.case().next_action_at == NOW + timedelta(days=1)


async def test_the_strategy_planner_keeps_what_the_call_decided_until_it_is_due(rig: Rig) -> None:
    attempt = await rig.dialing()
    at = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    talk = rig.talk(attempt, Outcome.CALLBACK_SCHEDULED, ScheduleCallback(at, "thursday"))
    await rig.ending.ivr_ended(talk)

    def replan(now: datetime) -> None:
        with rig.db.transaction() as s:
            frame = plan_frame(s, None, [rig.case_id])
            write_plan(s, plan(frame, STRATEGY, now), now)

    replan(NOW)
    case = rig.case()
    assert (case.next_action_at, case.next_action["reason"]) == (at, "callback")  # type: ignore[index]
    replan(at + timedelta(minutes=1))  # the callback time has come and gone: planned again
    assert "reason" not in (rig.case().next_action or {})


async def test_a_call_closed_as_interrupted_takes_its_real_end_once(rig: Rig) -> None:
    """Recovery took a stalled worker for dead and closed its call ``interrupted`` (end unknown);
    the call's real end, a promise, still reaches the database, and only once."""
    attempt = await rig.dialing()
    async with rig.sessions() as s:
        (lost,) = await dialing_attempts(s, CAMPAIGN)
        assert await close_lost(s, lost, now=NOW, detail={"reason": "worker_lost"})
    due = date(2026, 12, 10)
    talk = rig.talk(attempt, Outcome.PROMISE_TO_PAY, RecordPromise(Money.of("80", "USD"), due))
    await rig.ending.ivr_ended(talk)
    assert not await rig.ending.record(attempt, rig.answered(talk), by="dialer")
    assert rig.attempt(attempt).outcome == "promise_to_pay"
    assert rig.case().next_action["channel"] == "promise_check"  # type: ignore[index]
    with rig.db.transaction() as s:
        assert len(s.scalars(select(Promise).where(Promise.attempt_id == attempt)).all()) == 1
    assert rig.recorded()[attempt] == 1


async def test_the_script_version_a_call_ran_is_stored_and_qa_groups_by_it(rig: Rig) -> None:
    attempt = await rig.dialing()
    talk = rig.talk(attempt, Outcome.PROMISE_TO_PAY)
    talk.script_version = "en-0badc0de"  # stamped by the session factory (dialer.wiring)
    await rig.ending.ivr_ended(talk)
    assert (rig.attempt(attempt).detail or {})["script_version"] == "en-0badc0de"
    with rig.db.transaction() as s:
        (call,) = [
            c for c in qa_store.unscored_calls(s, rig.keyring, 100) if c.attempt_id == attempt
        ]
    assert call.script_version == "en-0badc0de"


async def test_a_debtor_reported_dead_leaves_automated_contact(rig: Rig) -> None:
    """Flagged deceased, the case's status "deceased", a person's review as its next action, a
    note of what was said; the planner keeps the review and the campaign never dials it."""
    attempt = await rig.dialing()
    talk = rig.talk(attempt, Outcome.DECEASED, RecordDeceased("she passed away last year"))
    assert await rig.ending.record(attempt, rig.answered(talk), by="dialer")
    case = rig.case()
    assert case.status == "deceased"
    assert case.next_action is not None
    assert (case.next_action["channel"], case.next_action["reason"]) == (
        "deceased_review", "deceased",
    )  # fmt: skip
    assert case.next_action_at == NOW
    row = rig.attempt(attempt)
    assert (row.outcome, row.connected, row.conversation) == ("deceased", False, False)
    with rig.db.transaction() as s:
        assert s.get_one(Debtor, case.debtor_id).deceased
        note = s.scalars(select(CaseNote).where(CaseNote.case_id == rig.case_id)).one()
        assert note.kind == "deceased"
    for later in (NOW, NOW + timedelta(days=40)):
        with rig.db.transaction() as s:
            frame = plan_frame(s, None, [rig.case_id])
            assert frame.empty or bool(frame["deceased"].iloc[0])  # (a deceased case: none)
            write_plan(s, plan(frame, STRATEGY, later), later)
        assert rig.case().next_action["channel"] == "deceased_review"  # type: ignore[index]
        async with rig.sessions() as s:
            definition = parse_definition(CampaignDefinition().model_dump(mode="json"))
            due = {cid for cid, _ in await due_cases(s, definition, later, limit=1000)}
        assert rig.case_id not in due
