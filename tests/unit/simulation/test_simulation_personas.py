"""Every simulated persona, heard word for word by the real NLU + policy, ends its call the way
the persona says it must (before any audio is involved: a persona that cannot reach its outcome
in text never will over the phone)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    Hangup,
    Lang,
    RecordPromise,
    SilenceTimedOut,
    TransferToAgent,
    UtteranceHeard,
)
from core.money import Money
from ivr.conversation import PolicyConversation
from nlu.policy import CaseFacts, NegotiationLimits, VerificationMode, demo_case
from simulation.personas import ANSWERING, ZH_BEHAVIOURS, Behaviour, make_persona, promise_amount
from simulation.scenario import HANGUP, SILENCE

TODAY = date(2026, 11, 29)  # a Sunday: "Friday" is 2026-12-04
EN_CASES = {
    "birth_year": demo_case("en"),
    "id_last4": dataclasses.replace(
        demo_case("en"), verification=VerificationMode.NAME_AND_ID_LAST4, id_last4="4821"
    ),
}


def _run(facts: CaseFacts, lines: tuple[str, ...]) -> list[DialogueCommand]:
    conversation = PolicyConversation(facts, TODAY)
    commands = list(conversation.decide(CallAnswered(datetime(2026, 11, 29, 15, tzinfo=UTC))))
    for line in lines:
        if line == HANGUP or any(isinstance(c, Hangup | TransferToAgent) for c in commands):
            break
        if line == SILENCE:
            commands += conversation.decide(SilenceTimedOut(1))
            continue
        parse = conversation.understand(line, facts.lang).heard_with(1.0)  # text: exact
        commands += conversation.decide(UtteranceHeard(line, facts.lang, parse))
    return commands


@pytest.mark.parametrize("case", sorted(EN_CASES))
@pytest.mark.parametrize("behaviour", sorted(ANSWERING - {Behaviour.HANG_UP}))
def test_an_english_persona_reaches_its_outcome(case: str, behaviour: Behaviour) -> None:
    facts = EN_CASES[case]
    persona = make_persona(behaviour, facts, TODAY)
    commands = _run(facts, persona.lines)
    if behaviour is Behaviour.TRANSFER:
        assert any(isinstance(c, TransferToAgent) for c in commands)
        return
    ends = [c for c in commands if isinstance(c, Hangup)]
    assert [str(e.outcome) for e in ends] == [persona.expected_outcome]
    if persona.promise is not None:
        amount, due = persona.promise
        assert due == date(2026, 12, 4)
        assert RecordPromise(Money.of(amount, facts.balance.currency), due) in commands


ZH_CASES = {
    "birth_year": demo_case("zh"),
    "id_last4": dataclasses.replace(
        demo_case("zh"), verification=VerificationMode.NAME_AND_ID_LAST4, id_last4="0371"
    ),
}


@pytest.mark.parametrize("case", sorted(ZH_CASES))
@pytest.mark.parametrize("behaviour", sorted(ZH_BEHAVIOURS & ANSWERING - {Behaviour.HANG_UP}))
def test_a_mandarin_persona_reaches_its_outcome(case: str, behaviour: Behaviour) -> None:
    facts = ZH_CASES[case]
    persona = make_persona(behaviour, facts, TODAY)
    assert persona.lang == "zh"
    commands = _run(facts, persona.lines)
    if behaviour is Behaviour.TRANSFER:
        assert any(isinstance(c, TransferToAgent) for c in commands)
        return
    ends = [c for c in commands if isinstance(c, Hangup)]
    assert [str(e.outcome) for e in ends] == [persona.expected_outcome]
    if persona.promise is not None:
        amount, due = persona.promise
        assert due == date(2026, 12, 4)
        assert RecordPromise(Money.of(amount, facts.balance.currency), due) in commands


def test_every_behaviour_has_a_mandarin_persona() -> None:
    assert set(Behaviour) == ZH_BEHAVIOURS


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hang_up_persona_says_nothing_and_a_silent_one_never_answers(lang: Lang) -> None:
    facts = demo_case(lang)
    assert make_persona(Behaviour.HANG_UP, facts, TODAY).lines == (HANGUP,)
    assert make_persona(Behaviour.NO_ANSWER, facts, TODAY).lines == ()
    assert make_persona(Behaviour.BUSY, facts, TODAY).lines == ()


@pytest.mark.parametrize(
    ("balance", "minimum", "lang", "expected"),
    [
        ("1250.00", "125", "en", "150"),
        ("40.00", "4", "en", "40"),
        ("3500", "350", "zh", "400"),
        ("99.99", "10", "en", "50"),
    ],
)
def test_the_promised_amount_is_round_and_between_the_minimum_and_the_balance(
    balance: str, minimum: str, lang: str, expected: str
) -> None:
    base = demo_case("zh" if lang == "zh" else "en")
    currency = base.balance.currency
    facts = dataclasses.replace(
        base,
        balance=Money.of(Decimal(balance), currency),
        limits=NegotiationLimits(min_promise=Money.of(Decimal(minimum), currency)),
    )
    assert promise_amount(facts) == Decimal(expected)
