"""A plan shaped by the debtor: how many months, how much a month, and from which day.

The first payment of a plan falls a week from today unless the debtor names a day ("two hundred
a month starting the tenth", "从下个月十号开始" at the plan's read-back). That day is taken up to
the campaign's promise window (``max_promise_days``: a plan's first payment is a promise like
any other); a later day is answered with the latest allowed ("the payment needs to be made by
…") and the plan read back from it, so the debtor can take it or say no (then a person)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.dialogue import DialogueCommand, Parse
from nlu.policy import negotiation as neg
from nlu.policy.common import Result, latest_promise_date, say
from nlu.policy.state import DialogueState, Stage

PLAN_STAGES = (Stage.OFFER_PLAN, Stage.CONFIRM_PLAN)


def _first_due(state: DialogueState, day: date) -> tuple[DialogueState, list[DialogueCommand]]:
    latest = latest_promise_date(state)
    if day > latest:
        state = replace(state, plan_first_due=latest)
        return state, [say(state, "date_too_late")]
    return replace(state, plan_first_due=day), []


def shaped_plan(state: DialogueState, text: str, parse: Parse) -> Result:
    """A plan asked for with what the debtor said of its shape: the months it runs, the amount a
    month ("a hundred a month": the fewest months it covers), the day it starts; the plan is read
    back when it is complete, else the months are asked."""
    said: list[DialogueCommand] = []
    if parse.date is not None:
        state, said = _first_due(state, parse.date.value)
    count = neg.installment_count(text, state.facts.lang)
    if count is not None and count in state.facts.limits.plan_lengths:
        state = replace(state.to(Stage.CONFIRM_PLAN), plan_count=count)
        result: Result = state, [say(state, "confirm_plan")]
    elif parse.amount is not None and neg.said_monthly(text):
        result = neg.plan_for_monthly(state, parse.amount.value)
    elif state.stage is Stage.CONFIRM_PLAN and state.plan_count:
        result = state, [say(state, "confirm_plan")]
    else:
        result = neg.offer_plan(state)
    return result[0], [*said, *result[1]]


def plan_day_said(state: DialogueState, text: str, parse: Parse) -> Result | None:
    """At the plan's questions, a day said (alone, or with an amount a month) moves the plan's
    first payment; a day with a one-off amount ("I can pay 300 on friday") is a promise, not
    this (None). ``parse`` is the one decided on: its past days are already dropped
    (``common.upcoming``)."""
    if state.stage not in PLAN_STAGES or parse.date is None:
        return None
    if parse.amount is not None and not neg.said_monthly(text):
        return None
    return shaped_plan(state, text, parse)
