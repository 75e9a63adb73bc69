"""Swearing that says something about the debt ("that shit was settled, I paid it off") is heard:
the warning, then the answer to what was said; swearing with nothing else in it, or at us with
a refusal, is handled as abuse (warned, then the call ends)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, Lang, Outcome, Say, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.state import DialogueState, Stage


def _verified(lang: Lang) -> DialogueState:
    facts = replace(demo_case(lang), verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    yes = {"en": "yes, speaking", "zh": "对，是我"}[lang]
    parse = default_parser().parse(yes, lang, TODAY).heard_with(0.9)
    state, _ = decide(state, UtteranceHeard(yes, lang, parse))
    assert state.verified
    return state


def _say(state: DialogueState, lang: Lang, text: str) -> tuple[DialogueState, list[str]]:
    parse = default_parser().parse(text, lang, TODAY).heard_with(0.9)
    state, commands = decide(state, UtteranceHeard(text, lang, parse))
    return state, [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]


@pytest.mark.parametrize(
    ("lang", "text", "stage"),
    [("en", "I already paid that shit last week", Stage.ALREADY_PAID),
     ("en", "fuck, I can send you 200 bucks on friday", Stage.CONFIRM_PROMISE),
     ("zh", "他妈的 我礼拜五还两千", Stage.CONFIRM_PROMISE)],
)  # fmt: skip
def test_cursing_about_the_debt_is_answered(lang: Lang, text: str, stage: Stage) -> None:
    state, keys = _say(_verified(lang), lang, text)
    assert keys[0] == "abuse_warning"
    assert state.stage is stage
    state, keys = _say(state, lang, text)  # said again: answered, not ended for abuse
    assert state.outcome is not Outcome.REFUSED
    assert "abuse_warning" not in keys


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "fuck you"), ("en", "fuck off, I'm not paying shit")]
)
def test_abuse_is_still_abuse(lang: Lang, text: str) -> None:
    state, keys = _say(_verified(lang), lang, text)
    assert keys[0] == "abuse_warning"
    assert not state.ended
    state, keys = _say(state, lang, text)
    assert state.outcome is Outcome.REFUSED
