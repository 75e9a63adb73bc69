"""The campaign's script, language and transfer permission reach the call: the Stasis
arguments carry them, the session factory builds the dialogue with them, and a campaign whose
agents take no transfers gets a callback offer instead of a transfer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import cast

import pytest

from asr.fake import FakeRecognizer
from core.clock import FixedClock
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Lang,
    Outcome,
    Parse,
    Say,
    ScheduleCallback,
    TransferToAgent,
    UtteranceHeard,
)
from data.case_facts import UnknownCase
from dialer.wiring import SessionMaker, Speech
from ivr.ari import AriClient
from ivr.conversation import PolicyConversation
from ivr.settings import IvrSettings
from ivr.stasis_args import StasisArgs
from nlu.errors import ScriptError
from nlu.parser import NluParser
from nlu.policy import CaseFacts, DialogueState, Script, decide, demo_case, load_script, start

NOON = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 29)
LANGS: list[Lang] = ["en", "zh"]


def _run(
    state: DialogueState, *events: DialogueEvent
) -> tuple[DialogueState, list[DialogueCommand]]:
    out: list[DialogueCommand] = []
    for event in events:
        state, commands = decide(state, event)
        out.extend(commands)
    return state, out


def _asks_for_agent(lang: Lang) -> UtteranceHeard:
    text = "I want to talk to a person" if lang == "en" else "我要人工客服"
    return UtteranceHeard(text, lang, Parse("request_agent", 0.95, asr_confidence=0.95))


@pytest.mark.parametrize("lang", LANGS)
def test_transfers_go_to_an_agent_only_when_the_campaign_allows_them(lang: Lang) -> None:
    allowed = start(demo_case(lang), load_script(lang), TODAY)
    _, commands = _run(allowed, CallAnswered(NOON), _asks_for_agent(lang))
    assert [c for c in commands if isinstance(c, TransferToAgent)]

    facts = replace(demo_case(lang), agents_take_transfers=False)
    state, commands = _run(start(facts, load_script(lang), TODAY), CallAnswered(NOON),
                           _asks_for_agent(lang))  # fmt: skip
    assert not [c for c in commands if isinstance(c, TransferToAgent)]
    assert [c for c in commands if isinstance(c, ScheduleCallback)]  # a colleague calls back
    assert state.outcome is Outcome.CALLBACK_SCHEDULED
    assert state.ended
    last = [c for c in commands if isinstance(c, Say)][-1]
    assert last.prompt_key.startswith("transfer_failed")


def test_the_stasis_args_carry_script_and_transfer_permission() -> None:
    call = StasisArgs.outbound("L1", "zh", "off", script="winter", transfers=False)
    assert call.format() == ("outbound", "L1", "zh", "amd=off", "script=winter", "transfers=no")
    assert StasisArgs.parse(call.format()) == call
    default = StasisArgs.parse(("outbound", "L1", "en", "amd=heuristic"))
    assert default is not None
    assert (default.script, default.transfers) == ("", True)
    with pytest.raises(ValueError, match="script"):
        StasisArgs.outbound("L1", "en", script="a,b")


class Scripts:
    """A script loader with one campaign script, ``winter``, whose greeting differs."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def __call__(self, lang: Lang, name: str) -> Script:
        self.asked.append((lang, name))
        base = load_script(lang)
        if name == "collection":
            return base
        if name != "winter":
            raise ScriptError(f"no {lang} version of the script {name!r}")
        greeting = ("Winter campaign: hello {debtor_name}.",)
        return Script(lang, MappingProxyType({**base.prompts, "greeting": greeting}))


def _maker(scripts: Scripts, lang: Lang) -> SessionMaker:
    speech = Speech(FakeRecognizer(), {}, cast(NluParser, object()))  # the parser is not used

    def load(case_id: str, call_lang: Lang) -> CaseFacts:
        if case_id != "L1":
            raise UnknownCase(case_id)
        return demo_case(call_lang)

    return SessionMaker(
        ari=cast(AriClient, None), speech=speech, clock=FixedClock(NOON), settings=IvrSettings(),
        load=load, scripts=scripts,
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
async def test_the_session_factory_speaks_the_campaigns_script_and_honours_transfers(
    lang: Lang,
) -> None:
    scripts = Scripts()
    call = StasisArgs.outbound("L1", lang, "off", script="winter", transfers=False)
    conversation = await _maker(scripts, lang).conversation("att-1", call)
    assert isinstance(conversation, PolicyConversation)
    assert scripts.asked == [(lang, "winter")]
    assert conversation.state.facts.agents_take_transfers is False
    (greeting, *_) = [c for c in conversation.decide(CallAnswered(NOON)) if isinstance(c, Say)]
    assert greeting.text == f"Winter campaign: hello {demo_case(lang).debtor_name}."
    assert greeting.lang == lang


async def test_a_script_gone_since_the_campaign_was_made_falls_back_to_the_default() -> None:
    scripts = Scripts()
    call = StasisArgs.outbound("L1", "en", "off", script="spring")
    conversation = await _maker(scripts, "en").conversation("att-1", call)
    assert isinstance(conversation, PolicyConversation)
    assert scripts.asked == [("en", "spring"), ("en", "collection")]
    assert conversation.state.facts.agents_take_transfers is True


async def test_a_call_without_case_facts_ends_at_once() -> None:
    conversation = await _maker(Scripts(), "en").conversation("c1", StasisArgs.outbound("L", "en"))
    assert not isinstance(conversation, PolicyConversation)
