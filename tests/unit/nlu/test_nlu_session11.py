"""Session 11 (integrator), found by a held-out set written before any change:

* "I can pay the full amount on the 18th" was asked "how much?": a share of the balance said
  instead of a figure ("the whole balance", "all of it", "half of it") was read in Mandarin only.
* A stranger's "there's no Thomas here, quit calling this number" was stored as the debtor's
  cease request (``cease_requested``: no more contact with the debtor on any channel); it is a
  wrong number (this phone retired), and the debtor's own "stop calling" stays a cease.

Today is Sunday 29 Nov 2026 (``test_nlu_mixed_initiative.talk``): Friday is 4 Dec."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from test_nlu_mixed_initiative import talk

from core.dialogue import (
    CallerHungUp,
    Lang,
    Outcome,
    RecordAlreadyPaid,
    RecordCease,
    RecordPaymentPlan,
    SilenceTimedOut,
    TransferToAgent,
)
from nlu.parser import default_parser
from nlu.policy import Stage, decide

FRI = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("lang", "line", "amount"),
    [
        ("en", "I can pay the full amount on friday", "1250"),
        ("en", "I'll pay it all off on friday", "1250"),
        ("en", "friday I can take care of the whole balance", "1250"),
        ("en", "I can send all of it friday", "1250"),
        ("en", "I can pay half of it on friday", "625"),
        ("en", "I'll pay everything friday", "1250"),
        ("en", "on friday I can pay it in full", "1250"),
        ("zh", "周五全部还清", "3500"),
        ("zh", "周五先还一半", "1750"),
    ],
)
def test_a_share_of_the_balance_is_an_amount(lang: Lang, line: str, amount: str) -> None:
    yes = "yes speaking" if lang == "en" else "对，是我"
    state, _ = talk(lang, yes, line)
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(amount)
    assert state.promise_date == FRI


@pytest.mark.parametrize(
    "line",
    [
        "I can't pay the full amount on friday",
        "no way I can pay all of it by friday",
        "I won't be able to pay it off friday",
    ],
)
def test_a_refused_share_promises_nothing(line: str) -> None:
    state, _ = talk("en", "yes speaking", line)
    full = state.facts.balance
    assert state.promise_amount != full
    assert state.stage is not Stage.CONFIRM_PROMISE


def test_a_share_said_before_verification_is_read_back_after_it() -> None:
    state, _ = talk("en", "mm", "I can pay the whole balance on friday", "yes it's me")
    assert state.verified
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(1250)
    assert state.promise_date == FRI


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "there's no Kevin here, quit calling this number"),
        ("en", "wrong number, stop calling me"),
        ("en", "you have the wrong person, take this number off your list"),
        ("en", "nobody by that name lives here so stop calling"),
        ("zh", "打错了 别再打了"),
        ("zh", "没有这个人 以后别打这个电话了"),
        ("zh", "你们找错人了 再打就是骚扰"),
    ],
)
def test_a_strangers_stop_calling_is_a_wrong_number(lang: Lang, line: str) -> None:
    state, commands = talk(lang, line)
    assert state.outcome is Outcome.WRONG_NUMBER
    assert not any(isinstance(c, RecordCease) for c in commands)
    assert not state.disclosed


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ("stop calling me",)),
        ("en", ("yes speaking", "stop calling me, this is harassment")),
        ("zh", ("别再给我打电话了",)),
        ("zh", ("对，是我", "你们别再打了 再打我就投诉")),
    ],
)
def test_the_debtors_own_stop_calling_stays_a_cease(lang: Lang, lines: tuple[str, ...]) -> None:
    state, commands = talk(lang, *lines)
    assert state.outcome is Outcome.CEASE_REQUESTED
    assert any(isinstance(c, RecordCease) for c in commands)


# --- a figure alone at the plan's questions (held-out "a hundred", asked how many months: it
# was read as one payment under the minimum, then "how much?" until the call was dropped)
PLAN = {"en": ("yes speaking", "could I pay it in monthly installments"),
        "zh": ("对，是我", "能不能分期还")}  # fmt: skip


@pytest.mark.parametrize(("lang", "figure"), [("en", "a hundred"), ("en", "maybe fifty"),
                                              ("zh", "一百"), ("zh", "两百吧")])  # fmt: skip
def test_a_figure_below_every_plan_is_offered_the_longest(lang: Lang, figure: str) -> None:
    state, commands = talk(lang, *PLAN[lang], figure)
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_count == max(state.facts.limits.plan_lengths)
    assert state.promise_amount is None
    assert "plan_longest" in [getattr(c, "prompt_key", "").split("#")[0] for c in commands]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_longest_plan_taken_is_a_plan(lang: Lang) -> None:
    state, commands = talk(lang, *PLAN[lang], "a hundred" if lang == "en" else "一百",
                           "yes" if lang == "en" else "可以")  # fmt: skip
    assert state.outcome is Outcome.PAYMENT_PLAN
    (plan,) = [c for c in commands if isinstance(c, RecordPaymentPlan)]
    assert len(plan.installments) == max(state.facts.limits.plan_lengths)


def test_a_lower_figure_at_the_plans_read_back_fits_the_plan_again() -> None:
    state, _ = talk("en", *PLAN["en"], "six", "could I do two fifty a month instead")
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_count == 6  # 1250 / 250: five months; the fewest allowed that fits is 6


def test_less_than_the_longest_plan_twice_goes_to_a_person() -> None:
    state, commands = talk("en", *PLAN["en"], "fifty", "I can only do fifty")
    assert any(isinstance(c, TransferToAgent) for c in commands)
    assert state.outcome is not Outcome.PAYMENT_PLAN


# --- "I already paid" and then no more (held-out 我已经还了 … 上周五 … 对 … silence: the claim of
# a payment last Friday ended `hung_up`, nothing recorded)
@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ("yes speaking", "I already paid that", "last friday", "yes")),
        ("zh", ("对，是我", "我已经还了", "上周五", "对")),
    ],
)
@pytest.mark.parametrize("then", ["silence", "hang up"])
def test_a_payment_claimed_is_recorded_when_the_details_stop(
    lang: Lang, lines: tuple[str, ...], then: str
) -> None:
    state, _ = talk(lang, *lines)
    assert state.stage is Stage.ALREADY_PAID
    event = SilenceTimedOut(8.0) if then == "silence" else CallerHungUp(datetime.now(UTC))
    state, commands = decide(state, event)
    assert state.outcome is Outcome.ALREADY_PAID
    (record,) = [c for c in commands if isinstance(c, RecordAlreadyPaid)]
    # Sunday 29 Nov: "last friday" is the 27th; 上周五 the Friday of last week (weeks start on
    # Monday), the 20th
    assert record.paid_on == date(2026, 11, 27 if lang == "en" else 20)
    assert record.channel is None


# --- his own name in lower case ("it's tom" for Thomas was asked again while "It's Tom." was a
# yes: the weak frame needs a capital, which a recogniser without capitals never prints)
@pytest.mark.parametrize("line", ["it's john", "it's johnny", "i'm john smith", "yeah it's jack"])
def test_his_own_name_in_lower_case_verifies(line: str) -> None:
    state, _ = talk("en", line)
    assert state.verified


@pytest.mark.parametrize(
    "line", ["it's jim", "it's tom", "i'm his wife", "it's fine", "i'm busy", "it's john's phone",
             "that's fine go ahead", "no problem",
             "i'm john's brother", "it's johnny's mom"],
)  # fmt: skip
def test_another_name_or_word_in_lower_case_verifies_nobody(line: str) -> None:
    state, _ = talk("en", line)
    assert not state.verified
    assert not state.disclosed


# --- "this is she" heard "this is sheet." (Whisper tiny.en through the sandbox, held-out en_a):
# asked again, then the call lost its way
@pytest.mark.parametrize("line", ["Yeah, this is sheet.", "This is Shee.", "yes it's sheet"])
def test_this_is_she_as_the_recogniser_prints_it_verifies(line: str) -> None:
    state, _ = talk("en", line)
    assert state.verified


@pytest.mark.parametrize("line", ["this is sheet metal supply", "it's the sheet I sent"])
def test_a_sheet_that_is_a_sheet_verifies_nobody(line: str) -> None:
    state, _ = talk("en", line)
    assert not state.verified


@pytest.mark.parametrize("line", ["you've got him", "yeah you got him", "you reached him"])
def test_you_have_got_him_verifies(line: str) -> None:
    """ "you've got him" was read `third_party` at 0.39 and asked again (a second fresh probe)."""
    state, _ = talk("en", line)
    assert state.verified


@pytest.mark.parametrize("line", ["you got his wife", "you got him? no he's not here"])
def test_you_have_got_someone_else_verifies_nobody(line: str) -> None:
    state, _ = talk("en", line)
    assert not state.verified
    assert not state.disclosed


# --- "on the fifteenth" heard "on the fifty." (Whisper tiny.en through the sandbox, held-out
# en_a): fifty dollars, under the minimum, beside the four hundred also said
MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("line", "amount", "day"),
    [
        ("Look, I get paid on the fifty. I can do four hundred then.", 400, date(2026, 12, 15)),
        ("by the sixty I can send two hundred", 200, date(2026, 12, 16)),
        ("I can pay fifty on the twentieth", 50, date(2026, 12, 20)),
    ],
)
def test_a_tens_word_after_on_the_is_the_teenth_day(line: str, amount: int, day: date) -> None:
    parse = default_parser().parse(line, "en", MONDAY)
    assert parse.amount is not None
    assert parse.amount.value == Decimal(amount)
    assert parse.date is not None
    assert parse.date.value == day


@pytest.mark.parametrize("line", ["I can pay on the fifty five", "on the fifty dollars, yes"])
def test_a_tens_word_before_money_or_a_unit_stays_money(line: str) -> None:
    assert default_parser().parse(line, "en", MONDAY).date is None
