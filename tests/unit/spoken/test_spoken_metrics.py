"""Benchmark figures: error rates, accuracy on amounts and dates, false affirmations."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from decimal import Decimal

import pytest

from core.dialogue import AmountEntity, DateEntity, Intent, Parse
from simulation.spoken.corpus import Utterance
from simulation.spoken.metrics import Outcome, confusions, edit_distance, figures, tokens


def _o(intent: Intent, got: Intent, conf: float = 0.9, **kw: object) -> Outcome:
    entities: list[AmountEntity | DateEntity] = []
    if "got_amount" in kw:
        entities.append(AmountEntity(Decimal(str(kw["got_amount"])), None))
    if "got_date" in kw:
        entities.append(DateEntity(date.fromisoformat(str(kw["got_date"]))))
    amount = Decimal(str(kw["amount"])) if "amount" in kw else None
    said = date.fromisoformat(str(kw["date"])) if "date" in kw else None
    text = str(kw.get("text", f"{intent} {got} {conf}"))
    return Outcome(
        Utterance(text, intent, amount, said),
        "v@1",
        str(kw.get("heard", text)),
        Parse(got, conf, tuple(entities)),
    )


def test_edit_distance() -> None:
    assert edit_distance([], []) == 0
    assert edit_distance(list("kitten"), list("sitting")) == 3
    assert edit_distance(["a", "b"], []) == 2


def test_tokens_compare_spoken_forms() -> None:
    assert tokens("I can pay $200 on Friday.", "en") == tokens(
        "i can pay two hundred dollars on friday", "en"
    )
    assert tokens("我周五还2000元。", "zh") == tokens("我周五还两千元", "zh")
    assert tokens("嗯，是我！", "zh") == ["嗯", "是", "我"]


def test_figures_count_amounts_dates_and_errors() -> None:
    outcomes = [
        _o(
            "promise_to_pay",
            "promise_to_pay",
            amount=200,
            got_amount=200,
            date="2026-12-04",
            got_date="2026-12-04",
            text="two hundred friday",
            heard="two hundred friday",
        ),
        _o(
            "promise_to_pay",
            "promise_to_pay",
            amount=300,
            got_amount=30,
            date="2026-12-04",
            text="three hundred friday",
            heard="three hundred",
        ),
        _o("affirm", "affirm", text="yes", heard="yes"),
        _o("refuse", "callback_later", text="no way", heard="no way"),
    ]
    f = figures(outcomes, "en")
    assert (f.n, f.amount_n, f.date_n) == (4, 2, 2)
    assert f.intent == pytest.approx(0.75)
    assert f.amount == pytest.approx(0.5)
    assert f.date == pytest.approx(0.5)
    assert f.error_rate == pytest.approx(1 / 9)  # one word lost of nine


def test_false_affirm_counts_non_affirmations_by_confidence() -> None:
    outcomes = [
        _o("wrong_number", "affirm", 0.44),
        _o("ask_identity", "affirm", 0.9),
        _o("third_party", "third_party"),
        _o("promise_to_pay", "affirm", 0.6),
        _o("affirm", "affirm", 0.99),
    ]
    f = figures(outcomes, "en")
    assert f.non_affirm_n == 4
    assert f.false_affirm == pytest.approx((3 / 4, 2 / 4, 1 / 4))
    assert f.verification_n == 3
    assert f.false_affirm_verification == pytest.approx((2 / 3, 1 / 3, 1 / 3))


def test_empty_groups_give_nan_not_zero() -> None:
    f = figures([_o("affirm", "affirm")], "en")
    assert math.isnan(f.amount)
    assert math.isnan(f.false_affirm[0])


def test_confusions_are_ranked_with_an_example() -> None:
    outcomes = [_o("refuse", "deny", text=f"r{i}", heard=f"h{i}") for i in range(3)]
    outcomes += [_o("affirm", "deny", text="a", heard="b"), _o("deny", "deny")]
    ranked = confusions(outcomes)
    assert [(e, g, n) for e, g, n, _ in ranked] == [("refuse", "deny", 3), ("affirm", "deny", 1)]
    assert ranked[0][3] == "'r0' -> 'h0'"


def test_policy_verdicts_are_shared_over_those_asked() -> None:
    """``policy`` over the verification non-answers, ``affirm_verified`` over the true
    affirmations; outcomes the policy was not asked about count in neither."""
    outcomes = [
        dataclasses.replace(_o("wrong_number", "affirm"), policy_verified=True),
        dataclasses.replace(_o("ask_identity", "ask_identity"), policy_verified=False),
        dataclasses.replace(_o("deny", "deny"), policy_verified=False),
        _o("out_of_scope", "out_of_scope"),  # not asked
        dataclasses.replace(_o("affirm", "affirm"), policy_verified=True),
        dataclasses.replace(_o("affirm", "out_of_scope"), policy_verified=False),
        dataclasses.replace(_o("affirm", "affirm"), policy_verified=True),
        _o("promise_to_pay", "promise_to_pay"),
    ]
    f = figures(outcomes, "en")
    assert f.policy_verified == pytest.approx(1 / 3)
    assert f.affirm_n == 3
    assert f.affirm_verified == pytest.approx(2 / 3)
    assert math.isnan(figures([_o("affirm", "affirm")], "en").affirm_verified)
