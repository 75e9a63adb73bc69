"""The campaign's own settings in the dialer's pure parts: its retry rules per outcome (delay,
most attempts) through the call's end, and its abandonment limit in predictive pacing over a
simulated stream of answers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from core.dialogue import Outcome, ScheduleCallback
from dialer.next_action import EXHAUSTED, CallFacts, CaseAtEnd, plan_end
from dialer.origination import CallOutcome
from dialer.pacing import PacingMode, PacingState, lines_to_dial
from dialer.retry import RetryRules, rules_for
from scoring.campaign import parse_definition

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
CAMPAIGN = parse_definition(
    {
        "retries": {
            "no_answer": {"after_minutes": 45, "max_attempts": 3},
            "busy": {"after_minutes": 5, "max_attempts": 2},
            "failed": {"after_minutes": 600, "max_attempts": 0},
        }
    }
)
RULES = rules_for(CAMPAIGN)


def case(**counts: int) -> CaseAtEnd:
    attempts = sum(counts.values()) + 1
    return CaseAtEnd(0, 2, attempts, "America/New_York", outcomes=counts)


def test_without_campaign_rules_the_dialer_defaults_apply() -> None:
    assert rules_for(parse_definition({})) == RetryRules()
    plan = plan_end(CallFacts(CallOutcome.NO_ANSWER), case(), RetryRules(), NOW)
    assert plan.next_at == NOW + timedelta(hours=3)


@pytest.mark.parametrize(
    ("line", "earlier", "retry_in"),
    [
        (CallOutcome.NO_ANSWER, {}, timedelta(minutes=45)),
        (CallOutcome.NO_ANSWER, {"no_answer": 1}, timedelta(minutes=45)),
        (CallOutcome.NO_ANSWER, {"no_answer": 2}, None),  # the third no answer: no more
        (CallOutcome.NO_ANSWER, {"busy": 5}, timedelta(minutes=45)),  # counted per outcome
        (CallOutcome.BUSY, {}, timedelta(minutes=5)),
        (CallOutcome.BUSY, {"busy": 1}, None),
        (CallOutcome.FAILED, {}, None),  # max_attempts 0: never retried
        (CallOutcome.MACHINE, {}, timedelta(hours=24)),  # no campaign rule: the default
    ],
)
def test_the_campaign_retry_rules_decide_the_next_call(
    line: CallOutcome, earlier: dict[str, int], retry_in: timedelta | None
) -> None:
    plan = plan_end(CallFacts(line), case(**earlier), RULES, NOW)
    if retry_in is None:
        assert plan.next_at == NOW + EXHAUSTED
        assert plan.next_action["reason"] == "attempts exhausted"
    else:
        assert plan.next_at == NOW + retry_in
        assert plan.next_action["channel"] == "call"


def test_the_dialogues_own_next_action_wins_over_the_campaign_retry() -> None:
    at = NOW + timedelta(hours=5)
    facts = CallFacts(
        CallOutcome.ANSWERED, True, Outcome.CALLBACK_SCHEDULED, (ScheduleCallback(at, "at five"),)
    )
    plan = plan_end(facts, case(no_answer=2), RULES, NOW)
    assert plan.next_at == at
    assert plan.next_action["reason"] == "callback"


def test_a_machine_said_by_the_dialogue_counts_as_machine() -> None:
    rules = rules_for(
        parse_definition({"retries": {"machine": {"after_minutes": 30, "max_attempts": 1}}})
    )
    facts = CallFacts(CallOutcome.MACHINE, True, Outcome.MACHINE)
    assert plan_end(facts, case(), rules, NOW).next_at == NOW + EXHAUSTED
    assert plan_end(facts, case(), RetryRules(), NOW).next_at == NOW + timedelta(hours=24)


def simulate(
    limit: float, rounds: int = 3000, agents: int = 6, p: float = 0.3
) -> tuple[float, float]:
    """Predictive pacing over a stream of calls answered with probability ``p``: each round the
    dialer sees the measured answer and abandonment rates so far and dials; answers beyond the
    free agents are abandoned. Returns (abandoned / answered, mean lines per round)."""
    rng = random.Random(7)
    dials = answered = abandoned = lines = 0
    for _ in range(rounds):
        state = PacingState(
            mode=PacingMode.PREDICTIVE, max_lines=100, lines_in_use=0, ringing=0,
            free_agents=agents, ivr_capacity=0,
            answer_rate=answered / dials if dials else 0.5,
            abandon_rate=abandoned / answered if answered else 0.0,
            abandon_limit=limit,
        )  # fmt: skip
        n = lines_to_dial(state)
        got = sum(rng.random() < p for _ in range(n))
        dials, answered, lines = dials + n, answered + got, lines + n
        abandoned += max(got - agents, 0)
    return abandoned / answered, lines / rounds


@pytest.mark.parametrize("limit", [0.01, 0.03, 0.05])
def test_predictive_pacing_keeps_the_campaigns_abandonment_under_its_limit(limit: float) -> None:
    rate, mean_lines = simulate(limit)
    print(f"limit {limit:.2f}: abandoned {rate:.4f} of answered, {mean_lines:.1f} lines/round")
    assert rate <= limit
    assert mean_lines > 6  # it still dials ahead of the 6 agents


def test_a_tighter_limit_dials_fewer_lines_and_abandons_less() -> None:
    loose, tight = simulate(0.05), simulate(0.01)
    assert tight[1] < loose[1]
    assert tight[0] < loose[0]


def test_at_its_limit_predictive_backs_off_to_one_line_per_agent() -> None:
    state = PacingState(PacingMode.PREDICTIVE, 100, 0, 0, 6, 0, 0.3, 0.02, abandon_limit=0.02)
    assert lines_to_dial(state) == 6
    looser = PacingState(PacingMode.PREDICTIVE, 100, 0, 0, 6, 0, 0.3, 0.02, abandon_limit=0.05)
    assert lines_to_dial(looser) > 6
