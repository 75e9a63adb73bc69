"""The adapter from the session to the real NLU + policy keeps the dialogue state across turns."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DtmfReceived,
    Hangup,
    Outcome,
    RecordPromise,
    Say,
    UtteranceHeard,
)
from core.money import Money
from ivr.conversation import PolicyConversation
from nlu.policy import demo_case

TODAY = date(2026, 11, 29)  # a Sunday: "Friday" is 2026-12-04


def _heard(conversation: PolicyConversation, text: str) -> list[DialogueCommand]:
    parse = conversation.understand(text, "en").heard_with(1.0)  # text: heard exactly
    return list(conversation.decide(UtteranceHeard(text, "en", parse)))


def test_a_promise_dialogue_through_the_adapter() -> None:
    conversation = PolicyConversation(demo_case("en"), TODAY)
    greeting = conversation.decide(CallAnswered(datetime(2026, 11, 29, 14, tzinfo=UTC)))
    assert [type(c) for c in greeting] == [Say]
    assert all(isinstance(c, Say) for c in _heard(conversation, "Yes, speaking."))
    disclosure = conversation.decide(DtmfReceived("1985"))
    assert any("1,250" in c.text for c in disclosure if isinstance(c, Say))
    _heard(conversation, "No, I cannot pay all of it.")
    readback = _heard(conversation, "I can pay $300 on Friday.")
    assert any("December 4th" in c.text for c in readback if isinstance(c, Say))
    final = _heard(conversation, "Yes, that is correct.")
    assert RecordPromise(Money.of("300", "USD"), date(2026, 12, 4)) in final
    assert isinstance(final[-1], Hangup)
    assert final[-1].outcome == Outcome.PROMISE_TO_PAY
    assert conversation.state.outcome is Outcome.PROMISE_TO_PAY
