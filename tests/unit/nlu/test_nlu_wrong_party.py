"""Wrong numbers, third parties and noisy first answers, through the real NLU parser, in both
languages and every verification setting: the call ends without a word about a debt.

Each turn is what the recogniser produced and how sure it was (``None``: silence); the lines
include the mis-hearings seen on real calls ("你找谁" heard as "轻轻轻的", "who" as "Yes."/"Okay.")
and the recogniser's stock inventions.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Lang,
    Outcome,
    Say,
    SilenceTimedOut,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import CaseFacts, VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS

Turn = tuple[str, float | None] | None  # (what was heard, recogniser confidence); None: silence
W, T, U = Outcome.WRONG_NUMBER, Outcome.THIRD_PARTY, Outcome.UNVERIFIED

DIALOGUES: list[tuple[Lang, str, list[Turn], set[Outcome | None]]] = [
    ("zh", "你找谁 heard as a loop", [("轻轻轻的", 0.15), ("这里没有叫李明的，打错了", 0.8)], {W}),
    ("zh", "who first, then wrong", [("你找谁", 0.7), ("打错了", 0.76)], {W}),
    ("zh", "subtitle hallucination", [("字幕由Amara.org社区提供", 0.3), ("不是我", 0.7)], {W}),
    ("zh", "bad hearing of 是我", [("比我。", 0.15), ("别的。", 0.11), ("等一会。", 0.1)], {None}),
    ("zh", "noise then nothing", [("请不吝点赞 订阅 转发 打赏支持明镜与点点栏目", 0.2), None, None,
                                  None], {U}),
    ("zh", "wife answers", [("喂？", 0.4), ("我是他老婆，他上班去了", 0.9), ("明天晚上吧", 0.8)],
     {T}),
    ("zh", "unsure yes is asked again", [("对对对", 0.9), ("嗯", 0.9), ("你是谁啊", 0.8),
                                         ("不是，你打错了", 0.8)], {W}),
    ("zh", "question back", [("是我，你是哪位？", 0.8), ("什么事啊", 0.7), ("我不是他", 0.8)], {W}),
    ("en", "who heard as yes", [("Yes.", 0.3), ("Nobody called John here.", 0.8)], {W}),
    ("en", "who heard as okay", [("Okay.", 0.21), ("Who is this?", 0.85), ("wrong number", 0.7)],
     {W}),
    ("en", "sorry who heard as sorry yes", [("Sorry, yes.", 0.55), ("I said who?", 0.8),
                                            ("There's no John here", 0.8)], {W}),
    ("en", "thank you and silence", [("Thank you.", 0.9), None, ("you", 0.4), None], {U}),
    ("en", "what is this about", [("What is this about?", 0.9), ("He's at work.", 0.9),
                                  ("Try tomorrow evening.", 0.9)], {T}),
    ("en", "unknown confidence", [("yes speaking", None), ("yeah", None), ("yes", None), None],
     {U}),
    ("en", "only questions back", [("Hello?", 0.5), ("Yes?", 0.9), ("Who's calling?", 0.8),
                                   ("Why do you want him?", 0.8)], {U}),
    ("zh", "only questions back", [("你找谁", 0.7), ("你是谁", 0.8), ("什么事", 0.8),
                                   ("谁啊", 0.8)], {U}),
    ("en", "thanks for watching first", [("Thanks for watching!", 0.6), ("Wrong person.", 0.8)],
     {W}),
]  # fmt: skip


def _facts(lang: Lang, mode: VerificationMode) -> CaseFacts:
    return replace(demo_case(lang), verification=mode, id_last4="2468")


def _run(lang: Lang, mode: VerificationMode, turns: list[Turn]) -> tuple[Outcome | None, list[Say]]:
    parser = default_parser()
    state = start(_facts(lang, mode), load_script(lang), TODAY)
    said: list[DialogueCommand] = []
    for turn in [CallAnswered(NOON), *turns]:
        if state.ended:
            break
        event: DialogueEvent
        if turn is None:
            event = SilenceTimedOut(5.0)
        elif isinstance(turn, CallAnswered):
            event = turn
        else:
            text, confidence = turn
            event = UtteranceHeard(
                text, lang, parser.parse(text, lang, TODAY).heard_with(confidence)
            )
        state, commands = decide(state, event)
        said += commands
    return state.outcome, [c for c in said if isinstance(c, Say)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("lang", "name", "turns", "outcomes"), DIALOGUES, ids=[d[1] for d in DIALOGUES]
)
def test_no_debt_word_reaches_a_stranger(
    lang: Lang, name: str, turns: list[Turn], outcomes: set[Outcome | None], mode: VerificationMode
) -> None:
    del name
    outcome, says = _run(lang, mode, turns)
    facts = demo_case(lang)
    for say in says:
        assert not DEBT_WORDS.search(say.text), say.text
        assert facts.product not in say.text
        assert "1,250" not in say.text
        assert "三千五" not in say.text
    assert outcome in outcomes


RIGHT_PARTY: list[tuple[Lang, list[Turn], bool, str]] = [  # lines, keypad after them, year
    ("en", [("Yes, speaking.", 0.82)], False, "1985"),
    ("en", [("Who is this?", 0.85), ("Yeah, that's me.", 0.9)], False, "nineteen eighty five"),
    ("en", [("Thank you.", 0.9), ("Sorry, yes.", 0.5), None], True, "85"),
    ("zh", [("是我", 0.8)], False, "一九八八"),
    ("zh", [("轻轻轻的", 0.15), ("你是谁", 0.7), ("对，是我本人", 0.7)], False, "1988"),
    ("zh", [("比我。", 0.15), ("嗯", 0.6), ("我就是", 0.3)], True, "八八年"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("lang", "turns", "keypad", "year"), RIGHT_PARTY)
def test_the_right_party_is_still_verified(
    lang: Lang, turns: list[Turn], keypad: bool, year: str, mode: VerificationMode
) -> None:
    """The control: clear answers (or the keypad after unclear ones) do verify."""
    parser = default_parser()
    state = start(_facts(lang, mode), load_script(lang), TODAY)
    state, _ = decide(state, CallAnswered(NOON))
    for turn in turns:
        event: DialogueEvent = SilenceTimedOut(5.0)
        if turn is not None:
            parse = parser.parse(turn[0], lang, TODAY).heard_with(turn[1])
            event = UtteranceHeard(turn[0], lang, parse)
        state, commands = decide(state, event)
    if keypad:
        assert [c.prompt_key for c in commands if isinstance(c, Say)] == ["keypad_identity#0"]
        state, commands = decide(state, DtmfReceived("1"))
    if mode is not VerificationMode.NAME:
        assert not state.verified
        second = "2468" if mode is VerificationMode.NAME_AND_ID_LAST4 else year
        heard = parser.parse(second, lang, TODAY).heard_with(0.8)
        state, commands = decide(state, UtteranceHeard(second, lang, heard))
    assert state.verified
    assert isinstance(commands[0], Say)
    assert commands[0].prompt_key.startswith("disclosure.")
