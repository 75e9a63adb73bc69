"""What a debtor says about the debt before verification is held, never answered before it,
and answered right after the disclosure instead of the first ask ("yes it's me, I already
paid last week" is not asked "can you pay the full balance today?").

Through the real parser, both languages, every verification setting."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Lang,
    Outcome,
    RecordPromise,
    Say,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import DialogueState

SECOND = {"en": "nineteen eighty five", "zh": "一九八八"}
ID_LAST4 = "2468"


def _call(lang: Lang, mode: VerificationMode) -> DialogueState:
    facts = replace(demo_case(lang), verification=mode, id_last4=ID_LAST4)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    return state


def _say(
    state: DialogueState, lang: Lang, text: str, heard: float = 0.9
) -> tuple[DialogueState, list[DialogueCommand]]:
    parse = default_parser().parse(text, lang, TODAY).heard_with(heard)
    event: DialogueEvent = UtteranceHeard(text, lang, parse)
    return decide(state, event)


def _keys(commands: list[DialogueCommand]) -> list[str]:
    return [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]


def _verify(
    state: DialogueState, lang: Lang, mode: VerificationMode, commands: list[DialogueCommand]
) -> tuple[DialogueState, list[DialogueCommand]]:
    """The second factor when the setting asks for one (nothing about the debt before it)."""
    if mode is VerificationMode.NAME:
        return state, commands
    assert not state.verified
    assert not any(DEBT_WORDS.search(c.text) for c in commands if isinstance(c, Say))
    return _say(
        state, lang, ID_LAST4 if mode is VerificationMode.NAME_AND_ID_LAST4 else SECOND[lang]
    )


FIRST_ANSWERS = [  # (language, the first answer, the first thing said after the debt)
    ("en", "Yeah, this is John. I already paid that last week.", "already_paid_ask"),
    ("en", "Speaking. Look, I can pay 200 on Friday.", "confirm_promise"),
    ("en", "Yes it's me, I lost my job and I can't pay right now.", "hardship_empathy"),
    ("zh", "是我，我上周已经还了", "already_paid_ask"),
    ("zh", "对，是我。我周五先还五百", "confirm_promise"),
    ("zh", "嗯 是我 我最近失业了 实在还不上", "hardship_empathy"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("lang", "text", "first"), FIRST_ANSWERS)
def test_a_yes_with_words_about_the_debt_is_answered_after_the_disclosure(
    lang: Lang, text: str, first: str, mode: VerificationMode
) -> None:
    state, commands = _say(_call(lang, mode), lang, text)
    state, commands = _verify(state, lang, mode, commands)
    assert state.verified
    keys = _keys(commands)
    debt = keys.index("state_debt")
    assert keys[debt + 1] == first, keys  # the held words, not "can you pay it all today?"
    assert "ask_full" not in keys
    assert state.held is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_dispute_said_with_the_yes_is_recorded_right_after_the_disclosure(
    lang: Lang, mode: VerificationMode
) -> None:
    text = {
        "en": "Yes, it's me. This isn't my debt, I never borrowed from you.",
        "zh": "是我，这钱不是我借的",
    }
    state, commands = _say(_call(lang, mode), lang, text[lang])
    state, _ = _verify(state, lang, mode, commands)
    assert state.outcome is Outcome.DISPUTE


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("lang", "text", "heard"),
    [
        ("en", "Who is this? I already paid that.", 0.9),  # asks back: no yes at all
        ("en", "No. I can pay 200 on Friday.", 0.9),  # no yes
        ("en", "Yes, it's me. I can pay 200 on Friday.", 0.2),  # the recogniser's bar applies
        # a bare yes before other words says nothing of who speaks: "Negative." was heard
        # "Yeah, I got paid." through espeak-ng (integrator's unseen lines, 7 Dec)
        ("en", "Yeah, I got paid.", 0.9),
        ("en", "Yes. I can pay 200 on Friday.", 0.9),
        ("zh", "对，我周五还五百", 0.9),
        ("zh", "你是谁，我已经还了", 0.9),
        ("zh", "是我，我周五还五百", 0.2),
    ],
)
def test_words_about_the_debt_without_a_confident_yes_verify_nothing_and_say_nothing(
    lang: Lang, text: str, heard: float, mode: VerificationMode
) -> None:
    state, commands = _say(_call(lang, mode), lang, text, heard)
    assert not state.verified
    assert not any(isinstance(c, RecordPromise) for c in commands)
    assert not any(DEBT_WORDS.search(c.text) for c in commands if isinstance(c, Say))
    assert "200" not in " ".join(c.text for c in commands if isinstance(c, Say))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_words_held_at_the_name_question_are_answered_once_the_debtor_confirms(
    lang: Lang,
) -> None:
    said = {"en": ("I can pay 200 on Friday.", "yes"), "zh": ("我周五先还五百", "对，是我")}
    state, commands = _say(_call(lang, VerificationMode.NAME), lang, said[lang][0])
    assert _keys(commands)[0] == "verify_first"
    assert state.held is not None
    state, commands = _say(state, lang, said[lang][1])
    assert state.verified
    assert _keys(commands)[-1] == "confirm_promise"


@pytest.mark.parametrize(
    ("lang", "turns"),
    [
        ("en", ["hello?", "i don't know man try him some other time", "ok bye"]),
        ("en", ["he's not here right now, who's this?", "try him tomorrow"]),
        ("zh", ["喂", "他现在不在 你晚点再打吧"]),
    ],
)
def test_the_one_asked_for_is_only_not_there_now_a_third_party_not_a_wrong_number(
    lang: Lang, turns: list[str]
) -> None:
    """A wrong number marks the debtor's number unusable; "try him some other time" says he
    lives there (the integrator's unseen scenario, 7 Dec)."""
    state = _call(lang, VerificationMode.NAME)
    for line in turns:
        if state.ended:
            break
        state, commands = _say(state, lang, line)
        assert not any(DEBT_WORDS.search(c.text) for c in commands if isinstance(c, Say))
    assert state.outcome is not Outcome.WRONG_NUMBER
    assert not state.verified
