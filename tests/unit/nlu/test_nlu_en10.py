"""Session 13, en10: what a held-out set of English whole calls (bench/heldout/calls_en_en10,
written before reading nlu/) found. Each case here is phrased anew, not copied from the set.

* A promise said with "stop calling me": the cease is honoured AND the promise kept (no
  read-back); an incomplete or out-of-window promise leaves the cease alone.
* "don't call me at work" stays a cease (no place restriction exists to record), noted as such;
  a promise said with it is kept.
* Attorney representation goes to a person (FDCPA 805(a)(2)); "I owe 300, not 450" is a dispute.
* "go ahead, this is Tom", a yes with a complaint about the calls, Ann for Anne verify.
* "my dad's not home" scored low, "I'm his wife, just tell me how much" are third parties;
  "no, I don't know him. what company is this?" a wrong number; none hears a word of the debt.
* A one-off promise at "how many months?" is a promise; "i cant pay all that i can do …"
  unpunctuated offers; "the hole thing" is the whole balance; "the six teenth" is the 16th.

Today is Sunday 29 Nov 2026 (``test_nlu_mixed_initiative.talk``); the demo debtor John Smith owes
1,250 USD."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from test_nlu_mixed_initiative import NOON, TODAY, parser, talk

from core.dialogue import (
    CallAnswered,
    DateEntity,
    Outcome,
    RecordCease,
    RecordPromise,
    Say,
    TransferToAgent,
    UtteranceHeard,
)
from nlu.entities import extract_entities
from nlu.legal_en import no_calls_at_work
from nlu.name_sounds import paired_name
from nlu.policy import Stage, VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import reveals_debt
from nlu.rules import rule_intent

YES = "yes speaking"
FRIDAY = date(2026, 12, 4)


T = TypeVar("T")


def _records(out: Sequence[object], kind: type[T]) -> list[T]:
    return [c for c in out if isinstance(c, kind)]


@pytest.mark.parametrize(
    ("line", "amount", "day"),
    [
        ("alright alright, I'll pay it all on Friday, now stop calling me", "1250", FRIDAY),
        ("three hundred Friday and quit calling me", "300", FRIDAY),
        (
            "fine, you'll get two hundred on the third. don't call me again",
            "200",
            date(2026, 12, 3),
        ),
    ],
)
def test_a_promise_with_a_cease_is_kept_and_the_cease_honoured(
    line: str, amount: str, day: date
) -> None:
    state, out = talk("en", YES, line)
    assert state.outcome is Outcome.PROMISE_TO_PAY
    promises = _records(out, RecordPromise)
    assert [(p.amount.amount, p.due) for p in promises] == [(Decimal(amount), day)]
    assert len(_records(out, RecordCease)) == 1
    last = [c.text for c in out if isinstance(c, Say)][-1]
    assert "not call you again" in last
    assert "?" not in last  # nothing more asked


@pytest.mark.parametrize(
    "line",
    [
        "stop calling me, I'll pay something next week",  # no amount
        "I'll pay fifty bucks friday, stop calling",  # below the minimum (125)
        "I'll pay it all in February, stop calling",  # past the window
        "stop calling me",
    ],
)
def test_a_cease_without_a_whole_promise_is_the_cease_alone(line: str) -> None:
    state, out = talk("en", YES, line)
    assert state.outcome is Outcome.CEASE_REQUESTED
    assert not _records(out, RecordPromise)
    assert len(_records(out, RecordCease)) == 1


def test_a_strangers_stop_calling_keeps_no_promise() -> None:
    _, out = talk("en", "I'll pay it all on Friday, just stop calling this number")
    assert not _records(out, RecordPromise)
    assert not any(reveals_debt(c.text) for c in out if isinstance(c, Say))


@pytest.mark.parametrize(
    "line",
    [
        "please don't call me at my job",
        "quit calling me at work",
        "never call my work number again",
    ],
)
def test_calls_at_work_refused_are_a_cease_noted(line: str) -> None:
    assert no_calls_at_work(line, "en")
    state, out = talk("en", YES, line)
    assert state.outcome is Outcome.CEASE_REQUESTED
    assert "no_calls_at_work" in state.notes
    assert len(_records(out, RecordCease)) == 1


def test_no_calls_at_work_with_a_promise_keeps_both() -> None:
    state, out = talk("en", YES, "don't call me at work anymore. I can do 300 on Friday")
    assert state.outcome is Outcome.PROMISE_TO_PAY
    assert "no_calls_at_work" in state.notes
    assert len(_records(out, RecordCease)) == 1
    assert len(_records(out, RecordPromise)) == 1


@pytest.mark.parametrize(
    "line",
    [
        "you need to speak with my lawyer",
        "I've got an attorney now, his name is Mark Reyes",
        "I'm represented by counsel on this",
        "my attorney is handling it",
    ],
)
def test_attorney_representation_goes_to_a_person(line: str) -> None:
    state, out = talk("en", YES, line)
    assert state.stage is Stage.TRANSFERRING
    assert _records(out, TransferToAgent)


@pytest.mark.parametrize(
    "line", ["I'm a lawyer", "should I get a lawyer?", "lawyers are expensive"]
)
def test_a_lawyer_named_is_not_always_representation(line: str) -> None:
    assert rule_intent(line.lower(), "en") != "request_agent"


@pytest.mark.parametrize(
    "line",
    [
        "hold on, I only owe like nine hundred, not twelve fifty",
        "we borrowed 800 not 1250",
        "that balance is wrong",
        "that's not how much I owe",
    ],
)
def test_an_amount_disputed_is_a_dispute(line: str) -> None:
    state, _ = talk("en", YES, line)
    assert state.outcome is Outcome.DISPUTE


@pytest.mark.parametrize(
    "line",
    [
        "go ahead, this is John",
        "okay, shoot. it's Johnny",
        "yes it's me, you guys keep calling me",
        "yeah this is him, y'all call every single day",
    ],
)
def test_these_first_answers_verify(line: str) -> None:
    state, _ = talk("en", line)
    assert state.verified


def _verified_as(name: str, line: str) -> bool:
    facts = dataclasses.replace(
        demo_case("en"), verification=VerificationMode.NAME, debtor_name=name
    )
    state = start(facts, load_script("en"), TODAY)
    state, _ = decide(state, CallAnswered(NOON["en"]))
    event = UtteranceHeard(line, "en", parser().parse(line, "en", TODAY).heard_with(1.0))
    state, _ = decide(state, event)
    return state.verified


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("Anne Porter", "this is Ann"),
        ("Sarah Lang", "this is Sara"),
        ("Phillip Moss", "Philip here"),
    ],
)
def test_spellings_of_one_name_verify(name: str, line: str) -> None:
    assert _verified_as(name, line)


def test_a_pair_stays_a_pair() -> None:
    assert paired_name("danielle", "daniel")
    assert paired_name("louise", "louis")
    assert not paired_name("ann", "anne")
    assert not paired_name("sara", "sarah")
    assert not _verified_as("Daniel Porter", "this is Danielle")


@pytest.mark.parametrize(
    ("line", "outcome"),
    [
        ("my mom's not home", Stage.THIRD_PARTY_TIME),
        ("I'm his girlfriend, I handle his money, what does he owe?", Stage.THIRD_PARTY_TIME),
        ("this is his sister, is it about a bill?", Stage.THIRD_PARTY_TIME),
        ("nope, I don't know anyone by that name. who are you with?", Stage.ENDED),
        ("I don't know him, is this a collection agency?", Stage.ENDED),
        ("well I'm his mother, I handle his bills, how much does he owe?", Stage.THIRD_PARTY_TIME),
        ("I don't know who that is, what company are you?", Stage.ENDED),
    ],
)
def test_strangers_and_relations_hear_nothing(line: str, outcome: Stage) -> None:
    state, out = talk("en", line)
    assert not state.verified
    assert state.stage is outcome
    if outcome is Stage.ENDED:
        assert state.outcome is Outcome.WRONG_NUMBER
    assert not any(reveals_debt(c.text) for c in out if isinstance(c, Say))


def test_a_one_off_promise_at_the_plan_offer_is_a_promise() -> None:
    state, _ = talk("en", YES, "could I do monthly payments", "I'll send 400 on Friday", "yes")
    assert state.outcome is Outcome.PROMISE_TO_PAY


def test_a_monthly_amount_at_the_plan_offer_stays_a_plan() -> None:
    state, _ = talk("en", YES, "could I do monthly payments", "250 a month starting friday")
    assert state.stage is not Stage.CONFIRM_PROMISE


def test_an_offer_after_an_unpunctuated_refusal() -> None:
    state, _ = talk("en", YES, "i cant do all that i could do three hundred friday", "yes")
    assert state.outcome is Outcome.PROMISE_TO_PAY


def test_the_hole_thing_is_the_whole_balance() -> None:
    _, out = talk("en", YES, "i'll pay the hole thing friday", "yes")
    assert [p.amount.amount for p in _records(out, RecordPromise)] == [Decimal("1250.00")]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("i can do it on the six teenth", date(2026, 12, 16)),
        ("by the thir teenth", date(2026, 12, 13)),
        ("two hundred on the eight teen", date(2026, 12, 18)),
    ],
)
def test_a_split_teen_day_is_one_day(line: str, day: date) -> None:
    dates = [e.value for e in extract_entities(line, "en", TODAY) if isinstance(e, DateEntity)]
    assert dates == [day]


def test_a_cease_at_the_read_back_keeps_no_unconfirmed_promise() -> None:
    state, out = talk("en", YES, "I can pay 300 on Friday", "just stop calling me")
    assert state.outcome is Outcome.CEASE_REQUESTED
    assert not _records(out, RecordPromise)


def test_a_day_said_with_the_cease_completes_the_amount_said_before() -> None:
    state, out = talk("en", YES, "no I can't", "three hundred", "friday, and stop calling me")
    assert state.outcome is Outcome.PROMISE_TO_PAY
    assert [p.due for p in _records(out, RecordPromise)] == [FRIDAY]
    assert len(_records(out, RecordCease)) == 1
