"""The first-utterance answering-machine heuristic: voicemail greetings and network
announcements in both languages are machines; what a person (the debtor or a third party)
says when answering, including near-misses, is not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    Hangup,
    Lang,
    MachineDetected,
    Outcome,
    Parse,
    Say,
    UtteranceHeard,
)
from nlu.machine_greeting import is_machine_greeting
from nlu.policy import (
    DialogueState,
    MachineAction,
    MachineHandling,
    Stage,
    decide,
    demo_case,
    load_script,
    start,
)
from nlu.policy.facts import Jurisdiction

DATA = Path(__file__).resolve().parents[3] / "nlu" / "data"

MACHINES = (
    "Hi, you've reached John Smith. I can't take your call right now.",
    "You have reached 555 0100.",
    "Hello, you have reached the voicemail of Mary Jones.",
    "Please leave a message after the tone.",
    "Leave your name and number and I'll get back to you.",
    "At the tone, please record your message.",
    "When you hear the beep, leave a message.",
    "Sorry, I'm not available right now, please leave a message.",
    "I am unable to take your call at the moment. Please leave me a message.",
    "The person you are calling is not available. Please leave a message after the tone.",
    "The person at extension one two is unavailable. Please leave your message after the tone."
    " When done, hang up or press the pound key.",
    "Your call has been forwarded to an automated voice messaging system.",
    "Welcome to the Verizon Wireless voicemail system.",
    "The mailbox is full and cannot accept any messages.",
    "The number you have dialed is not in service. Please check the number and dial again.",
    "We're sorry, the number you dialled has been disconnected.",
    "The subscriber you dialed is power off. Please try your call again later.",
    "Sorry, the subscriber you have dialed cannot be reached.",
    "请在提示音后留言。",
    "您好，我现在不方便接听电话，请在嘀声后留言。",
    "您拨打的用户暂时无法接通，请稍后再拨。",
    "您拨打的电话已关机。",
    "您拨打的号码是空号，请查证后再拨。",
    "对不起，您拨打的用户不在服务区。",
    "您的电话已转入语音信箱，请在提示音后留言。",
    "您好，机主现在无法接听您的电话，请您留言。",
)

PEOPLE = (
    "Hello?",
    "Yes, speaking.",
    "Yeah, this is John.",
    "Who is this?",
    "He's not available right now. Do you want to leave a message?",
    "She's not here, can I take a message?",
    "Can I leave him a message?",
    "You've reached me at a bad time, can you call back tomorrow?",
    "Yeah, you've reached him, what is this about?",
    "I got your voicemail yesterday, what do you want?",
    "I'm not available today, call me tomorrow.",
    "Sorry, I can't talk right now, I'm driving.",
    "You have the wrong number.",
    "Uh, you've reached the wrong person.",
    "I'll pay on Friday.",
    "Please stop calling me.",
    "The number you called is my work phone, don't call it.",
    "喂？",
    "是我，什么事？",
    "他不在，你要留言吗？",
    "我现在不方便，晚点再打。",
    "我手机昨天没电了，没接到你的电话。",
    "你打错了。",
    "请不要再给我打电话了。",
)


@pytest.mark.parametrize("text", MACHINES)
def test_voicemail_greetings_and_announcements_are_machines(text: str) -> None:
    assert is_machine_greeting(text)


@pytest.mark.parametrize("text", PEOPLE)
def test_what_a_person_says_is_not_a_machine(text: str) -> None:
    assert not is_machine_greeting(text)


def test_no_utterance_of_the_nlu_data_is_a_machine() -> None:
    """Every line a debtor says in the training and test sets (both languages) is a person."""
    lines = [
        line.strip(" -")
        for path in sorted(DATA.glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    ]
    assert len(lines) > 1000
    assert [line for line in lines if is_machine_greeting(line)] == []


# --- the policy: what a machine gets -----------------------------------------------------------

DEBT_WORDS_EN = ("1,250", "1250", "dollar", "debt", "balance", "loan", "acme", "owe", "overdue",
                 "collect", "payment", "account", "lending")  # fmt: skip
DEBT_WORDS_ZH = ("欠", "还款", "贷款", "逾期", "催收", "元", "账", "三千五")
AT = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def _state(lang: Lang = "en", jurisdiction: Jurisdiction = "US", **machine: Any) -> DialogueState:
    facts = replace(
        demo_case(lang),
        jurisdiction=jurisdiction,
        callback_contact="Dana Lee" if lang == "en" else "李娜",
        callback_phone="+1 555-0100",
    )
    return start(facts, load_script(lang), AT.date(), machine=MachineHandling(**machine))


def _said(commands: list[DialogueCommand]) -> str:
    return " ".join(c.text for c in commands if isinstance(c, Say))


def _heard(state: DialogueState, text: str) -> tuple[DialogueState, list[DialogueCommand]]:
    return decide(state, UtteranceHeard(text, state.facts.lang, Parse("out_of_scope", 0.0)))


def test_amd_machine_us_gets_the_limited_content_message_and_nothing_about_the_debt() -> None:
    state = _state(detected=MachineDetected("asterisk", "MACHINE:LONGGREETING"))
    state, commands = decide(state, CallAnswered(AT))
    said = _said(commands)
    for part in ("John Smith", "Dana Lee", "5 5 5, 0 1 0 0"):  # Reg F's required parts
        assert part in said
    assert not [w for w in DEBT_WORDS_EN if w in said.lower()], said
    assert [c.prompt_key for c in commands if isinstance(c, Say)] == ["machine_message.US#0"]
    assert not any(c.interruptible for c in commands if isinstance(c, Say))  # the beep
    assert commands[-1] == Hangup(Outcome.MACHINE, ("machine:asterisk",))
    assert state.outcome is Outcome.MACHINE
    assert state.ended


def test_us_without_a_callback_contact_and_number_hangs_up_silently() -> None:
    state = replace(_state(), facts=replace(demo_case("en"), callback_phone=""))
    state, commands = decide(state, MachineDetected("asterisk"))
    assert commands == [
        Hangup(Outcome.MACHINE, ("machine:asterisk", "machine_message_not_configured"))
    ]


def test_cn_hangs_up_by_default_and_its_message_names_only_the_company() -> None:
    _, commands = decide(_state("zh", "CN"), MachineDetected("asterisk"))
    assert commands == [Hangup(Outcome.MACHINE, ("machine:asterisk",))]
    for lang in ("zh", "en"):
        state = _state("zh" if lang == "zh" else "en", "CN", action=MachineAction.MESSAGE)
        _, commands = decide(state, MachineDetected("asterisk"))
        said = _said(commands)
        assert state.facts.company in said
        assert state.facts.debtor_name not in said  # nothing but the company and "call back"
        rest = said.lower().replace(state.facts.company.lower(), "")
        words = DEBT_WORDS_ZH if lang == "zh" else DEBT_WORDS_EN
        assert not [w for w in words if w in rest], said
        assert isinstance(commands[-1], Hangup)
        assert commands[-1].outcome is Outcome.MACHINE


def test_configured_hangup_overrides_the_us_message() -> None:
    _, commands = decide(_state(action=MachineAction.HANGUP), MachineDetected("asterisk"))
    assert commands == [Hangup(Outcome.MACHINE, ("machine:asterisk",))]


def test_a_voicemail_greeting_after_our_greeting_is_a_machine() -> None:
    state, greeting = decide(_state(), CallAnswered(AT))
    assert "John Smith" in _said(greeting)
    state, commands = _heard(
        state, "Hi, you've reached John. Please leave a message after the tone."
    )
    assert state.outcome is Outcome.MACHINE
    assert commands[-1] == Hangup(Outcome.MACHINE, ("machine:heuristic",))
    assert "Dana Lee" in _said(commands)


def test_the_greeting_split_in_two_utterances_is_still_caught_before_verification() -> None:
    state, _ = decide(_state(), CallAnswered(AT))
    state, _ = _heard(state, "Hi, this is John.")
    assert not state.ended
    state, _ = _heard(state, "I can't take your call, please leave a message after the beep.")
    assert state.outcome is Outcome.MACHINE


def test_heuristic_off_or_after_verification_never_calls_a_person_a_machine() -> None:
    state, _ = decide(_state(heuristic=False), CallAnswered(AT))
    state, _ = _heard(state, "Please leave a message after the tone.")
    assert state.outcome is not Outcome.MACHINE
    verified, _ = decide(_state(), CallAnswered(AT))
    verified = replace(verified, verified=True, stage=Stage.ASK_FULL)
    verified, _ = _heard(verified, "The number you have dialed is not in service.")
    assert verified.outcome is not Outcome.MACHINE


def test_a_person_answering_is_not_treated_as_a_machine() -> None:
    state, _ = decide(_state(), CallAnswered(AT))
    state, commands = decide(
        state, UtteranceHeard("Yes, speaking.", "en", Parse("affirm", 0.95, asr_confidence=0.9))
    )
    assert state.outcome is None
    assert state.stage is Stage.VERIFY_SECOND
    assert commands
