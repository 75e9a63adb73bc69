"""The worker's session factory: a call's case facts are looked up by the case id its Stasis
arguments carry (no side channel from the originator), off the loop, while the call's media
is set up; without them the bot hangs up at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import cast

import pytest

from analytics.catalog import script_version
from asr.fake import FakeRecognizer
from core.clock import FixedClock
from core.dialogue import CallAnswered, Hangup, Lang, MachineDetected, Outcome
from data.call_records import AttemptAtEnd
from data.case_facts import UnknownCase
from dialer.ari_originator import result_of
from dialer.call_end import call_record
from dialer.next_action import CallFacts, CaseAtEnd, plan_end
from dialer.origination import CallOutcome
from dialer.retry import RetryRules
from dialer.settings import DialerSettings
from dialer.wiring import SessionMaker, Speech
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult
from ivr.conversation import PolicyConversation
from ivr.settings import AriSettings, IvrSettings
from ivr.stasis_args import StasisArgs
from nlu.parser import NluParser
from nlu.policy import CaseFacts, demo_case, load_script
from tts.fake import FakeSynthesizer

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


class Lookup:
    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.asked: list[tuple[str, Lang]] = []

    def __call__(self, case_id: str, lang: Lang) -> CaseFacts:
        self.asked.append((case_id, lang))
        if self.fail is not None:
            raise self.fail
        return demo_case(lang)


def maker(ari: AriClient, load: Lookup) -> SessionMaker:
    speech = Speech(FakeRecognizer(), {"en": FakeSynthesizer()}, cast(NluParser, object()))
    settings = DialerSettings(callback_contact="Ms Lee", callback_phone="+15550199")
    return SessionMaker(ari, speech, FixedClock(NOW), IvrSettings(), load, dialer=settings)


async def test_the_facts_are_looked_up_by_the_calls_own_case_id_and_language() -> None:
    load = Lookup()
    async with AriClient(AriSettings()) as ari:
        make = maker(ari, load)
        session = make(Channel("ch-1", "PJSIP/x", "Up"), ("outbound", "L-7", "zh"), lambda _: None)
        assert load.asked == []  # the factory does no I/O: the session starts the lookup
        call = StasisArgs.parse(("outbound", "L-7", "zh", "amd=MACHINE:LONGGREETING"))
        assert call is not None
        conversation = await make.conversation("ch-1", call)
    assert session.call_id == "ch-1"
    assert load.asked == [("L-7", "zh")]
    assert isinstance(conversation, PolicyConversation)
    facts = conversation.state.facts
    assert (facts.lang, facts.callback_contact, facts.callback_phone) == (
        "zh",
        "Ms Lee",
        "+15550199",
    )
    assert conversation.state.machine.detected == MachineDetected("asterisk", "LONGGREETING")


@pytest.mark.parametrize(
    ("args", "fail", "asked"),
    [
        (("outbound", "gone", "en"), UnknownCase("gone"), True),  # no such case (any more)
        (("outbound", "L-1", "en"), RuntimeError("database down"), True),  # a broken lookup
        (("inbound", "6000"), None, False),  # a call from the PSTN has no case
        (("outbound", "", "en"), None, False),  # nor an outbound call without its case id
    ],
)
async def test_without_facts_the_bot_hangs_up_at_once(
    args: tuple[str, ...], fail: Exception | None, asked: bool
) -> None:
    load = Lookup(fail)
    call = StasisArgs.parse(args)
    assert call is not None
    async with AriClient(AriSettings()) as ari:
        conversation = await maker(ari, load).conversation("ch-1", call)
    assert bool(load.asked) is asked
    commands = list(conversation.decide(CallAnswered(NOW)))
    assert commands == [Hangup(Outcome.HUNG_UP, ("no case facts",))]


async def test_the_call_keeps_the_version_of_the_script_it_ran() -> None:
    async with AriClient(AriSettings()) as ari:
        make = maker(ari, Lookup())
        args = ("outbound", "L-7", "en")
        session = make(Channel("ch-2", "PJSIP/x", "Up"), args, lambda _: None)
        assert session.result.script_version == ""  # nothing ran yet
        call = StasisArgs.parse(args)
        assert call is not None
        conversation = await make.conversation_of(session, call)
        assert isinstance(conversation, PolicyConversation)
        ran = script_version(conversation.state.script)
        assert session.result.script_version == ran == script_version(load_script("en"))
        prompts = {**load_script("en").prompts, "greeting": ("Hi, {debtor_name}?",)}
        edited = replace(load_script("en"), prompts=MappingProxyType(prompts))
        make.scripts = lambda lang, name: edited
        again = make(Channel("ch-3", "PJSIP/x", "Up"), args, lambda _: None)
        await make.conversation_of(again, call)
        assert again.result.script_version not in ("", ran)  # an edited script: a new version
        # a call without facts runs no script: no version is claimed
        gone = maker(ari, Lookup(UnknownCase("L-7")))
        quiet = gone(Channel("ch-4", "PJSIP/x", "Up"), args, lambda _: None)
        await gone.conversation_of(quiet, call)
        assert quiet.result.script_version == ""


def test_the_calls_end_stores_the_script_version_in_the_attempt_detail() -> None:
    at_end = AttemptAtEnd(
        attempt_id="A1", case_id="C1", campaign_id="K1", phone_id=1, started_at=NOW,
        recorded=False, usable_phone_ids=(1,), stored_position=0, attempts=1, timezone="UTC",
    )  # fmt: skip
    facts = CallFacts(CallOutcome.ANSWERED, True)
    plan = plan_end(facts, CaseAtEnd(0, 1, 1, "UTC"), RetryRules(), NOW)
    ran = CallResult("ch-1", "ch-1", NOW, ended_at=NOW, script_version="en-0badc0de")
    record = call_record(at_end, result_of(ran, FixedClock(NOW)), plan)
    assert record.detail["script_version"] == "en-0badc0de"
    silent = CallResult("ch-2", "ch-2", NOW, ended_at=NOW)
    unstamped = call_record(at_end, result_of(silent, FixedClock(NOW)), plan)
    assert "script_version" not in unstamped.detail


async def test_an_outbound_call_is_marked_live_and_a_failing_mark_never_holds_up_the_call() -> None:
    marked: list[str] = []

    async def mark(case_id: str) -> bool:
        marked.append(case_id)
        return True

    async def broken(case_id: str) -> bool:
        raise ConnectionError("database gone")

    async with AriClient(AriSettings()) as ari:
        for on_live, want in ((mark, ["L-7"]), (broken, [])):
            make = replace(maker(ari, Lookup()), on_live=on_live)
            for args in (("outbound", "L-7", "en"), ("inbound", "100")):
                session = make(Channel("ch-1", "PJSIP/x", "Up"), args, lambda _: None)
                call = StasisArgs.parse(args)
                assert call is not None
                found = await make.conversation_of(session, call)
                assert isinstance(found, PolicyConversation) == (call.kind == "outbound")
            assert marked == want  # the outbound call only; an inbound one has no attempt
            marked.clear()
