from __future__ import annotations

from datetime import timedelta

import pytest

from dialer.origination import CallOutcome
from dialer.pacing import PacingMode, PacingState, expected_abandon_share, lines_to_dial
from dialer.retry import RetryRules, plan_retry


def state(**over: object) -> PacingState:
    base: dict[str, object] = {
        "mode": PacingMode.PREDICTIVE,
        "max_lines": 50,
        "lines_in_use": 0,
        "ringing": 0,
        "free_agents": 5,
        "ivr_capacity": 10,
        "answer_rate": 0.3,
        "abandon_rate": 0.0,
        "abandon_limit": 0.03,
    }
    base.update(over)
    return PacingState(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"mode": PacingMode.BOT}, 10),
        ({"mode": PacingMode.BOT, "ringing": 4}, 6),
        ({"mode": PacingMode.BOT, "max_lines": 3}, 3),
        ({"mode": PacingMode.BOT, "lines_in_use": 49}, 1),
        ({"mode": PacingMode.PROGRESSIVE}, 5),
        ({"mode": PacingMode.PROGRESSIVE, "ringing": 2}, 3),
        ({"mode": PacingMode.PROGRESSIVE, "free_agents": 0}, 0),
        ({"free_agents": 0}, 0),
        ({"abandon_rate": 0.05}, 5),  # over the limit: back to one line per agent
        ({"answer_rate": 0.0}, 5),
    ],
)
def test_lines_to_dial(over: dict[str, object], expected: int) -> None:
    assert lines_to_dial(state(**over)) == expected


def test_predictive_dials_ahead_but_keeps_abandonment_under_the_limit() -> None:
    n = lines_to_dial(state())
    assert n > 5  # more lines than free agents at a 30 % answer rate
    assert expected_abandon_share(n, 0.3, 5) <= 0.03
    assert expected_abandon_share(n + 1, 0.3, 5) > 0.03 or n + 1 > 50
    # a higher answer rate means fewer extra lines
    assert lines_to_dial(state(answer_rate=0.8)) < n
    # measured abandonment close to the limit makes it more careful
    assert lines_to_dial(state(abandon_rate=0.025)) <= n


def test_expected_abandon_share() -> None:
    assert expected_abandon_share(5, 0.5, 5) == 0.0  # never more answers than agents
    assert expected_abandon_share(1, 1.0, 0) == 1.0  # every answer abandoned
    assert 0 < expected_abandon_share(20, 0.5, 8) < 1


@pytest.mark.parametrize(
    ("outcome", "position", "phones", "attempts", "retry_in", "next_pos", "retire"),
    [
        (CallOutcome.NO_ANSWER, 0, 2, 1, timedelta(hours=3), 1, False),
        (CallOutcome.NO_ANSWER, 1, 2, 2, timedelta(hours=3), 0, False),
        (CallOutcome.BUSY, 0, 2, 1, timedelta(minutes=20), 0, False),
        (CallOutcome.INVALID_NUMBER, 0, 2, 1, timedelta(minutes=1), 0, True),
        (CallOutcome.INVALID_NUMBER, 0, 1, 1, None, 0, True),  # no number left
        (CallOutcome.MACHINE, 0, 1, 1, timedelta(hours=24), 0, False),
        (CallOutcome.NO_ANSWER, 0, 2, 12, None, 0, False),  # attempts exhausted
    ],
)
def test_retry_rules(
    outcome: CallOutcome,
    position: int,
    phones: int,
    attempts: int,
    retry_in: timedelta | None,
    next_pos: int,
    retire: bool,
) -> None:
    plan = plan_retry(RetryRules(), outcome, position, phones, attempts)
    assert (plan.retry_in, plan.phone_position, plan.retire_phone) == (retry_in, next_pos, retire)
