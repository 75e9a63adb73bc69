"""The treatment's negotiation terms reach the bot: ``case_facts``' limits come from the plan's
``next_action.negotiation``; unusable or missing terms fall back to a 10 % minimum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.money import Money
from data.case_facts import negotiation_limits

USD = Money.of("1250", "USD")


@pytest.mark.parametrize(
    ("terms", "minimum", "days", "plans"),
    [
        ({"min_promise_share": "0.25", "max_promise_days": 10, "plan_lengths": [2, 4]},
         "313", 10, (2, 4)),  # rounded up to whole units
        ({"min_promise_share": "0.5", "max_promise_days": 30, "plan_lengths": [6]},
         "625", 30, (6,)),
        ({"min_promise_share": "1", "max_promise_days": 3, "plan_lengths": []},
         "1250", 3, (3, 6, 12)),
        ({"min_promise_share": "0.333"}, "417", 14, (3, 6, 12)),  # rounded up, whole units
        (None, "125", 14, (3, 6, 12)),  # never planned: 10 %
        ({}, "125", 14, (3, 6, 12)),
        ({"min_promise_share": "abc", "max_promise_days": "7", "plan_lengths": "3,6"},
         "125", 14, (3, 6, 12)),
        ({"min_promise_share": "-0.2", "max_promise_days": -1, "plan_lengths": [0, 500, 6]},
         "125", 14, (6,)),
        ({"min_promise_share": "1.5", "max_promise_days": True, "plan_lengths": [True, 3]},
         "125", 14, (3,)),
        ({"min_promise_share": "NaN"}, "125", 14, (3, 6, 12)),
        ("not a dict", "125", 14, (3, 6, 12)),
    ],
)  # fmt: skip
def test_limits_from_the_plan(
    terms: object, minimum: str, days: int, plans: tuple[int, ...]
) -> None:
    limits = negotiation_limits(USD, terms)
    assert limits.min_promise == Money.of(Decimal(minimum), "USD")
    assert (limits.max_promise_days, limits.plan_lengths) == (days, plans)


def test_the_minimum_never_exceeds_the_balance_and_keeps_its_currency() -> None:
    small = Money.of("0.40", "CNY")
    limits = negotiation_limits(small, {"min_promise_share": "0.5"})
    assert limits.min_promise == small
    assert limits.min_promise.currency == "CNY"
