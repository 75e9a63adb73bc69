"""The merge rules of a call's end (``dialer.next_action.plan_end``), table-driven: what the
dialogue decided wins over the retry delay; the retry rules apply only when it decided nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.call_end import conversation, held_from_planning, right_party
from core.dialogue import (
    DialogueCommand,
    Installment,
    Outcome,
    RecordAlreadyPaid,
    RecordCease,
    RecordDeceased,
    RecordDispute,
    RecordPaymentPlan,
    RecordPromise,
    ScheduleCallback,
)
from core.money import Money
from dialer.next_action import EXHAUSTED, CallFacts, CaseAtEnd, plan_end
from dialer.origination import CallOutcome
from dialer.retry import RetryRules

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")
RULES = RetryRules()
TWO_PHONES = CaseAtEnd(phone_position=0, usable_phones=2, attempts=1, timezone="America/New_York")
ONE_PHONE = CaseAtEnd(phone_position=0, usable_phones=1, attempts=1, timezone="Asia/Shanghai")
ANSWERED = CallOutcome.ANSWERED


def talk(outcome: Outcome | None, *records: DialogueCommand) -> CallFacts:
    return CallFacts(ANSWERED, dialogue_ran=True, dialogue_outcome=outcome, records=records)


def line(outcome: CallOutcome) -> CallFacts:
    return CallFacts(outcome)


PROMISE = RecordPromise(Money.of("120", "USD"), date(2026, 12, 4))
PLAN = RecordPaymentPlan(
    (
        Installment(Money.of("50", "USD"), date(2027, 1, 15)),
        Installment(Money.of("50", "USD"), date(2026, 12, 15)),
    )
)
CALL_AT = NOW + timedelta(days=2, hours=3)


@pytest.mark.parametrize(
    ("facts", "case", "outcome", "at", "action"),
    [
        # the dialogue's next action wins over the retry delay
        (talk(Outcome.CALLBACK_SCHEDULED, ScheduleCallback(CALL_AT, "thursday at six")),
         TWO_PHONES, "callback_scheduled", CALL_AT,
         {"channel": "call", "reason": "callback", "requested": True, "phone_position": 0}),
        (talk(Outcome.CALLBACK_SCHEDULED, ScheduleCallback(NOW - timedelta(hours=1), "earlier")),
         TWO_PHONES, "callback_scheduled", NOW, {"channel": "call", "reason": "callback"}),
        (talk(Outcome.CALLBACK_SCHEDULED, ScheduleCallback(None, "some other time")),
         TWO_PHONES, "callback_scheduled", NOW + timedelta(days=1),
         {"channel": "call", "requested": False}),
        (talk(Outcome.THIRD_PARTY, ScheduleCallback(CALL_AT, "she is back at 6", True)),
         CaseAtEnd(1, 2, 3, "UTC"), "third_party", CALL_AT,
         {"channel": "call", "reason": "callback", "phone_position": 1}),
        (talk(Outcome.ALREADY_PAID, RecordAlreadyPaid(date(2026, 11, 28), "bank transfer")),
         TWO_PHONES, "already_paid", NOW,
         {"channel": "verify_payment", "paid_on": "2026-11-28", "via": "bank transfer"}),
        (talk(Outcome.ALREADY_PAID, RecordAlreadyPaid(None, None)),
         TWO_PHONES, "already_paid", NOW, {"channel": "verify_payment", "paid_on": None}),
        # a promise: the kept check after its date (the debtor's day, one day of grace)
        (talk(Outcome.PROMISE_TO_PAY, PROMISE), TWO_PHONES, "promise_to_pay",
         datetime(2026, 12, 6, 0, 0, tzinfo=NY),
         {"channel": "promise_check", "kind": "promise", "due": "2026-12-04"}),
        (talk(Outcome.PAYMENT_PLAN, PLAN), TWO_PHONES, "payment_plan",
         datetime(2026, 12, 17, 0, 0, tzinfo=NY),
         {"channel": "promise_check", "kind": "plan", "due": "2026-12-15"}),
        # no further calls
        (talk(Outcome.CEASE_REQUESTED, RecordCease("stop calling me")), TWO_PHONES,
         "cease_requested", None, {"channel": "none", "reason": "cease_requested"}),
        (talk(Outcome.DISPUTE, RecordDispute("not my loan")), TWO_PHONES, "dispute", None,
         {"channel": "none", "reason": "dispute"}),
        # the debtor reported dead: a person's review at once, never a call
        (talk(Outcome.DECEASED, RecordDeceased("she passed away")), TWO_PHONES, "deceased", NOW,
         {"channel": "deceased_review", "reason": "deceased"}),
        (talk(Outcome.DECEASED), ONE_PHONE, "deceased", NOW, {"channel": "deceased_review"}),
        # a wrong number: the next call uses another number, or none is left
        (talk(Outcome.WRONG_NUMBER), TWO_PHONES, "wrong_number", NOW + timedelta(hours=1),
         {"channel": "call", "phone_position": 0}),
        (talk(Outcome.WRONG_NUMBER), CaseAtEnd(1, 2, 1, "UTC"), "wrong_number",
         NOW + timedelta(hours=1), {"channel": "call", "phone_position": 0}),
        (talk(Outcome.WRONG_NUMBER), ONE_PHONE, "wrong_number", NOW + EXHAUSTED,
         {"channel": "none", "reason": "no usable phone"}),
        # the retry rules, when the dialogue set nothing
        (line(CallOutcome.NO_ANSWER), TWO_PHONES, "no_answer", NOW + timedelta(hours=3),
         {"channel": "call", "phone_position": 1, "after": "no_answer"}),
        (line(CallOutcome.BUSY), TWO_PHONES, "busy", NOW + timedelta(minutes=20),
         {"channel": "call", "phone_position": 0}),
        (line(CallOutcome.FAILED), TWO_PHONES, "failed", NOW + timedelta(minutes=30),
         {"channel": "call", "phone_position": 1}),
        (line(CallOutcome.INVALID_NUMBER), TWO_PHONES, "invalid_number",
         NOW + timedelta(minutes=1), {"channel": "call", "phone_position": 0}),
        (line(CallOutcome.INVALID_NUMBER), ONE_PHONE, "invalid_number", NOW + EXHAUSTED,
         {"channel": "none"}),
        (talk(Outcome.MACHINE), TWO_PHONES, "machine", NOW + timedelta(hours=24),
         {"channel": "call", "phone_position": 0}),
        (talk(Outcome.REFUSED), TWO_PHONES, "refused", NOW + timedelta(days=3),
         {"channel": "call", "phone_position": 0}),
        (talk(Outcome.HUNG_UP), TWO_PHONES, "hung_up", NOW + timedelta(days=3),
         {"channel": "call"}),
        # a hang-up racing the answer: answered, hung up, never "failed"
        (line(ANSWERED), TWO_PHONES, "hung_up", NOW + timedelta(days=3), {"channel": "call"}),
        (talk(None), TWO_PHONES, "hung_up", NOW + timedelta(days=3), {"channel": "call"}),
        (CallFacts(None, dialogue_ran=True), TWO_PHONES, "hung_up", NOW + timedelta(days=3),
         {"channel": "call"}),
        # out of attempts
        (line(CallOutcome.NO_ANSWER), CaseAtEnd(0, 2, 12, "UTC"), "no_answer", NOW + EXHAUSTED,
         {"channel": "call", "reason": "attempts exhausted"}),
        (talk(Outcome.WRONG_NUMBER), CaseAtEnd(0, 3, 12, "UTC"), "wrong_number",
         NOW + EXHAUSTED, {"channel": "call", "reason": "attempts exhausted"}),
    ],
)  # fmt: skip
def test_next_action(
    facts: CallFacts, case: CaseAtEnd, outcome: str, at: datetime | None, action: dict[str, Any]
) -> None:
    plan = plan_end(facts, case, RULES, NOW)
    assert plan.outcome == outcome
    assert plan.next_at == at
    assert plan.next_action | action == plan.next_action  # the listed keys, with these values
    assert plan.next_action["after"] == outcome


@pytest.mark.parametrize(
    ("facts", "retired", "answered"),
    [
        (talk(Outcome.WRONG_NUMBER), "wrong_number", True),
        (line(CallOutcome.INVALID_NUMBER), "invalid", False),
        (talk(Outcome.PROMISE_TO_PAY, PROMISE), None, True),
        (line(CallOutcome.NO_ANSWER), None, False),
        (line(CallOutcome.BUSY), None, False),
        (line(CallOutcome.FAILED), None, False),
        (line(ANSWERED), None, True),
        (CallFacts(CallOutcome.MACHINE), None, True),
        # a session ran: the number reached someone, whatever the line's cause said
        (CallFacts(CallOutcome.INVALID_NUMBER, dialogue_ran=True), None, True),
    ],
)
def test_phone_and_answer(facts: CallFacts, retired: str | None, answered: bool) -> None:
    plan = plan_end(facts, TWO_PHONES, RULES, NOW)
    assert (plan.retire_phone, plan.answered) == (retired, answered)


def test_the_dialogue_beats_the_retry_delay_whatever_the_line_says() -> None:
    """A callback asked for on a call the line reports oddly is still the callback."""
    for line_outcome in CallOutcome:
        facts = CallFacts(
            line_outcome,
            dialogue_ran=True,
            dialogue_outcome=Outcome.CALLBACK_SCHEDULED,
            records=(ScheduleCallback(CALL_AT, "later"),),
        )
        plan = plan_end(facts, TWO_PHONES, RULES, NOW)
        assert (plan.next_at, plan.next_action["reason"]) == (CALL_AT, "callback")
        assert plan.outcome == "callback_scheduled"


def test_precedence_when_the_dialogue_recorded_several_things() -> None:
    both = talk(Outcome.PROMISE_TO_PAY, ScheduleCallback(CALL_AT, "x"), PROMISE)
    assert plan_end(both, TWO_PHONES, RULES, NOW).next_action["channel"] == "promise_check"
    paid = talk(Outcome.ALREADY_PAID, PROMISE, RecordAlreadyPaid(None, "cash"))
    assert plan_end(paid, TWO_PHONES, RULES, NOW).next_action["channel"] == "verify_payment"
    cease = talk(Outcome.CEASE_REQUESTED, RecordDispute("no"), RecordCease("stop"), PROMISE)
    assert plan_end(cease, TWO_PHONES, RULES, NOW).next_action["reason"] == "cease_requested"
    dead = talk(Outcome.DECEASED, RecordCease("stop"), RecordDeceased("he died"), PROMISE)
    assert plan_end(dead, TWO_PHONES, RULES, NOW).next_action["channel"] == "deceased_review"


def test_a_deceased_review_is_held_from_planning_and_no_contact() -> None:
    action = plan_end(talk(Outcome.DECEASED, RecordDeceased("人已经走了")), ONE_PHONE, RULES, NOW)
    assert held_from_planning(action.next_action, action.next_at, NOW + timedelta(days=400))
    assert not right_party("deceased")
    assert not conversation("deceased")
    assert action.retire_phone is None  # the number was right: the family's


def test_grace_days_move_the_promise_check() -> None:
    rules = RetryRules(promise_grace_days=3)
    plan = plan_end(talk(Outcome.PROMISE_TO_PAY, PROMISE), ONE_PHONE, rules, NOW)
    assert plan.next_at == datetime(2026, 12, 8, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("outcome", "reached", "talked"),
    [
        ("promise_to_pay", True, True),
        ("payment_plan", True, True),
        ("already_paid", True, True),
        ("dispute", True, True),
        ("callback_scheduled", True, True),
        ("transferred", True, True),
        ("cease_requested", True, True),
        ("refused", True, False),
        ("wrong_number", False, False),
        ("third_party", False, False),
        ("deceased", False, False),
        ("hung_up", False, False),
        ("machine", False, False),
        ("no_answer", False, False),
        ("busy", False, False),
        ("failed", False, False),
        ("", False, False),
        (None, False, False),
        (Outcome.PROMISE_TO_PAY, True, True),
    ],
)
def test_right_party_is_defined_once(outcome: str | None, reached: bool, talked: bool) -> None:
    assert (right_party(outcome), conversation(outcome)) == (reached, talked)


@pytest.mark.parametrize(
    ("action", "at", "held"),
    [
        ({"channel": "verify_payment"}, None, True),
        ({"channel": "verify_payment"}, NOW - timedelta(days=3), True),  # until a person acts
        ({"channel": "promise_check", "due": "2026-12-04"}, NOW + timedelta(days=3), True),
        # due: the promise-check step decides kept/broken first, then has it planned again
        ({"channel": "promise_check", "due": "2026-11-20"}, NOW, True),
        ({"channel": "call", "reason": "callback"}, NOW + timedelta(hours=2), True),
        ({"channel": "call", "reason": "callback"}, NOW - timedelta(hours=2), False),
        ({"channel": "call", "phone_position": 1}, NOW + timedelta(hours=3), False),  # a retry
        ({"channel": "call", "step": "bot_call"}, NOW + timedelta(days=1), False),
        ({"channel": "none", "reason": "cease_requested"}, None, False),  # status keeps it out
        (None, None, False),
        ({}, NOW + timedelta(days=1), False),
    ],
)
def test_what_the_planner_must_leave_alone(
    action: dict[str, Any] | None, at: datetime | None, held: bool
) -> None:
    assert held_from_planning(action, at, NOW) is held


def lost(outcome: Outcome | None, *records: DialogueCommand) -> CallFacts:
    """A call whose channel vanished with Asterisk (the IVR's end reason ``line_lost``)."""
    return CallFacts(
        ANSWERED, dialogue_ran=True, dialogue_outcome=outcome, records=records, line_lost=True
    )


@pytest.mark.parametrize("outcome", [Outcome.HUNG_UP, None])
def test_a_line_lost_with_asterisk_is_interrupted_not_hung_up_and_retried_soon(
    outcome: Outcome | None,
) -> None:
    plan = plan_end(lost(outcome), TWO_PHONES, RULES, NOW)
    assert plan.outcome == "interrupted"
    assert plan.answered  # it was answered: the line went, not the debtor
    assert plan.next_at == NOW + RULES.after_interruption  # not the 3 days of a hang-up
    assert plan.next_action == {"channel": "call", "after": "interrupted"}
    assert plan.retire_phone is None
    out_of_attempts = CaseAtEnd(0, 2, RULES.max_attempts_per_case, "UTC")
    assert plan_end(lost(outcome), out_of_attempts, RULES, NOW).next_at == NOW + EXHAUSTED


def test_what_was_said_before_the_line_was_lost_still_stands() -> None:
    plan = plan_end(lost(Outcome.PROMISE_TO_PAY, PROMISE), TWO_PHONES, RULES, NOW)
    assert plan.outcome == "promise_to_pay"
    assert plan.next_action["channel"] == "promise_check"
    wrong = plan_end(lost(Outcome.WRONG_NUMBER), TWO_PHONES, RULES, NOW)
    assert (wrong.outcome, wrong.retire_phone) == ("wrong_number", "wrong_number")
