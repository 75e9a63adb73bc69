"""Session 10 (en7): 66 English lines written before any change, each said at one stage of a
verified call (or at the first question) and answering a different question than asked, with
fillers, recogniser-like lower case and learners' English (docs/nlu.md, "Session 10, en7").
Today is Sunday 29 Nov 2026 (``test_nlu_mixed_initiative.talk``): Friday is 4 Dec; a promise
must fall by 13 Dec. Each line is checked for what the call does next, not for its intent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from test_nlu_mixed_initiative import talk

from core.dialogue import (
    DialogueCommand,
    Outcome,
    RecordAlreadyPaid,
    RecordHardship,
    RecordPromise,
    ScheduleCallback,
)
from nlu.policy import DialogueState, Stage

FRI, TUE, WED, THU = date(2026, 12, 4), date(2026, 12, 8), date(2026, 12, 2), date(2026, 12, 3)
YES = "yes this is john"
AT: dict[str, list[str]] = {
    "verify": [],
    "full": [YES],  # "Would you be able to pay the full 1,250 dollars today?"
    "amount": [YES, "no I can't pay all that"],  # "Could you make a payment of at least 100 ...?"
    "date": [YES, "I can pay two hundred"],  # "On what date could you make that payment?"
    "read_back": [YES, "I can pay two hundred on friday"],  # "200 dollars on Friday ... correct?"
    "paid": [YES, "I already paid it"],  # "When did you pay, and how?"
    "callback": [YES, "call me back later"],  # "When would be a better time to call you?"
}
Check = Callable[[DialogueState, list[DialogueCommand]], bool]


def verified(yes: bool) -> Check:
    return lambda s, _: s.verified is yes


def promise(amount: int | None = None, day: date | None = None) -> Check:
    def check(s: DialogueState, _: list[DialogueCommand]) -> bool:
        got_amount = s.promise_amount.amount if s.promise_amount else None
        return (amount is None or got_amount == Decimal(amount)) and (
            day is None or s.promise_date == day
        )

    return check


def no_amount() -> Check:
    return lambda s, _: s.promise_amount is None and not s.ended


def no_date() -> Check:
    return lambda s, _: s.promise_date is None and not s.ended


def sent(kind: type) -> Check:
    return lambda _, out: any(isinstance(c, kind) for c in out)


def recorded() -> Check:
    return lambda s, out: s.outcome is Outcome.PROMISE_TO_PAY and sent(RecordPromise)(s, out)


def not_recorded() -> Check:
    return lambda s, out: not sent(RecordPromise)(s, out) and not s.ended


def stage(name: Stage) -> Check:
    return lambda s, _: s.stage is name


LINES: list[tuple[str, str, Check]] = [
    # the first question: "Am I speaking with John Smith?"
    ("verify", "who wants to know", verified(False)),
    ("verify", "depends who's asking", verified(False)),
    ("verify", "yeah speaking what's this about", verified(True)),
    ("verify", "john here go on", verified(True)),
    ("verify", "um yes yes its me", verified(True)),
    ("verify", "yes i am john", verified(True)),
    ("verify", "me john smith yes", verified(True)),
    ("verify", "i'm his brother he's at work", verified(False)),
    ("verify", "this number belong to john yes but i am his wife", verified(False)),
    ("verify", "can you call back after six", verified(False)),
    ("verify", "yes. hold on. no, he's out", verified(False)),
    ("verify", "Thank you.", verified(False)),
    # "Would you be able to pay the full 1,250 dollars today?"
    ("full", "i get paid on friday", promise(day=FRI)),
    ("full", "not all of it but maybe three hundred", promise(300)),
    ("full", "i already sent two hundred last week", stage(Stage.ALREADY_PAID)),
    ("full", "can you call me tomorrow morning instead", sent(ScheduleCallback)),
    ("full", "i lost my job in october", sent(RecordHardship)),
    ("full", "two hundred on the 10th is all i can do", promise(200, date(2026, 12, 10))),
    ("full", "ok ok i pay 150 friday", promise(150, FRI)),
    ("full", "maybe monday 100", promise(100, date(2026, 11, 30))),  # ¹
    ("full", "full amount no way, 80 dollars", stage(Stage.PROMISE)),  # ¹ 80 < 100: asked again
    ("full", "i can do it on the fourth", promise(day=FRI)),
    ("full", "uh i could do like a hundred twenty five", promise(125)),
    # "Could you make a payment of at least 100 dollars by Sunday, December 13th?"
    ("amount", "friday", promise(day=FRI)),
    ("amount", "after payday, like the 4th", promise(day=FRI)),
    ("amount", "uh like two fifty maybe", promise(250)),
    ("amount", "one hundred and fifty on friday", promise(150, FRI)),
    ("amount", "im on disability i can give 40", no_amount()),  # ¹ under the minimum
    ("amount", "let me think call me back tomorrow", sent(ScheduleCallback)),
    ("amount", "i paid already on monday", stage(Stage.ALREADY_PAID)),
    ("amount", "yes a hundred on thursday", promise(100, THU)),
    ("amount", "yeah i can do that on wednesday", promise(day=WED)),
    # "On what date could you make that payment?"
    ("date", "make it one fifty", promise(150)),
    ("date", "uh friday i guess", promise(200, FRI)),
    ("date", "on the eighth, tuesday", promise(200, TUE)),
    ("date", "i told you i get paid friday", promise(200, FRI)),
    ("date", "can it be the 20th", no_date()),
    ("date", "the tenth and maybe i add fifty more", promise(day=date(2026, 12, 10))),
    ("date", "tomorrow morning", promise(200, date(2026, 11, 30))),
    ("date", "why do you need a date", no_date()),
    ("date", "wednesday is good for me", promise(200, WED)),
    ("date", "friday two hundred fifty", promise(250, FRI)),
    ("date", "when i get paid on the 4th", promise(200, FRI)),
    # "Let me read that back: 200 dollars on Friday, December 4th. Is that correct?"
    ("read_back", "yes but can i pay by card", recorded()),
    ("read_back", "yep thats right", recorded()),
    ("read_back", "no the amount is one fifty", promise(150, FRI)),
    ("read_back", "correct, bye", recorded()),
    ("read_back", "wait make it saturday", promise(200, date(2026, 12, 5))),
    ("read_back", "not friday, monday", promise(200, date(2026, 11, 30))),  # ¹
    ("read_back", "yes yes ok", recorded()),
    ("read_back", "no", not_recorded()),
    ("read_back", "no, not two hundred one fifty", promise(150, FRI)),
    ("read_back", "that's correct yes thank you", recorded()),
    # "When did you pay, and how: through the app, by bank transfer or by card?"
    ("paid", "through the app on thursday", sent(RecordAlreadyPaid)),
    ("paid", "last friday by card", sent(RecordAlreadyPaid)),
    ("paid", "i sent it with zelle two days ago", sent(RecordAlreadyPaid)),
    ("paid", "on the 25th at the bank", sent(RecordAlreadyPaid)),
    ("paid", "bank transfer, wednesday", sent(RecordAlreadyPaid)),
    ("paid", "yesterday online", sent(RecordAlreadyPaid)),
    # "When would be a better time for us to call you?"
    ("callback", "after 6", sent(ScheduleCallback)),
    ("callback", "tomorrow around lunch", sent(ScheduleCallback)),
    ("callback", "monday morning is better", sent(ScheduleCallback)),
    ("callback", "actually i can pay 100 friday", promise(100, FRI)),
    ("callback", "in the evening any day", sent(ScheduleCallback)),
    ("callback", "um try me tuesday after five", sent(ScheduleCallback)),
]
# ¹ the expectation as first written was wrong, not the reading: "monday" said on a Sunday is
# the next day, 30 Nov (written as 7 Dec); 40 dollars is under the demo case's minimum promise
# of 100 (the bot says so and asks again), so is 80
# read otherwise after the session's work, and known (docs/nlu.md, "Session 10, en7")
# a learner's own name said with no plain yes before it: asked again (no disclosure), and a
# stranger's name in the same frames ("me kevin yes", "kevin here go ahead") is somebody else
KNOWN_MISSES: frozenset[str] = frozenset({"john here go on", "me john smith yes"})


def test_the_set_is_large_enough() -> None:
    assert len(LINES) >= 60
    assert {at for at, _, _ in LINES} == set(AT)


@pytest.mark.parametrize(
    ("at", "line", "check"),
    [x if x[1] not in KNOWN_MISSES else pytest.param(*x, marks=pytest.mark.xfail) for x in LINES],
    ids=[f"{at}:{line}" for at, line, _ in LINES],
)
def test_a_line_answering_another_question(at: str, line: str, check: Check) -> None:
    state, out = talk("en", *AT[at], line)
    assert check(state, out), (state.stage, state.outcome, state.promise_amount, state.promise_date)


@pytest.mark.parametrize("line", ["can i do a hundred", "uh like two fifty maybe"])
def test_asked_about_a_plan_a_figure_is_the_plans(line: str) -> None:
    """Found after the change that reads an amount under "installment" as one payment: in the
    plan offer a figure alone stays the plan's monthly amount (as on main)."""
    state, _ = talk("en", YES, "can i pay in installments", line)
    assert state.stage is Stage.CONFIRM_PLAN


# a second round, written after the changes and measured before any other (base 9/14, 14/14)
ROUND2: list[tuple[str, str, Check]] = [
    ("date", "saturday works", promise(200, date(2026, 12, 5))),
    ("date", "the 12th would be good", promise(200, date(2026, 12, 12))),
    ("date", "monday after work", promise(200, date(2026, 11, 30))),
    ("date", "call me monday", sent(ScheduleCallback)),
    ("date", "i'm busy tomorrow, call me friday", sent(ScheduleCallback)),
    ("full", "i get my check on the 4th", promise(day=FRI)),
    ("full", "my husband gets paid friday", promise(day=FRI)),
    ("full", "i got paid yesterday and sent it", stage(Stage.ALREADY_PAID)),
    ("amount", "a hundred fifty, not two hundred", promise(150)),
    ("read_back", "not two hundred, a hundred and fifty", promise(150, FRI)),
    ("callback", "around 7 tonight", sent(ScheduleCallback)),
    ("callback", "at 3", sent(ScheduleCallback)),
    ("amount", "no way, but friday i can send 120", promise(120, FRI)),
    ("full", "cant, maybe 100 on the 10th", promise(100, date(2026, 12, 10))),
]


@pytest.mark.parametrize(("at", "line", "check"), ROUND2, ids=[f"{a}:{x}" for a, x, _ in ROUND2])
def test_a_second_round(at: str, line: str, check: Check) -> None:
    state, out = talk("en", *AT[at], line)
    assert check(state, out), (state.stage, state.outcome, state.promise_amount, state.promise_date)
