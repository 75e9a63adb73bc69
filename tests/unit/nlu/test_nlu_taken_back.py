"""A call-back asked for and taken back in the same breath ("call me at six, oh no wait, never
mind, we talk now"): the call goes on with its question instead of ending; a change of mind
that names another day, or comes first, keeps the call-back (nlu.policy.asides.taken_back)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, Lang, Outcome, Say, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.asides import taken_back


@pytest.mark.parametrize(
    "text",
    ["can you call me tomorrow? actually no, forget it, go ahead",
     "call me after lunch, never mind, I can talk now",
     "ring me back later... on second thought, just tell me now",
     "你明天再打吧 算了 就现在说吧", "晚点打给我 哎不用了 你说吧"],
)  # fmt: skip
def test_taken_back(text: str) -> None:
    assert taken_back(text)


@pytest.mark.parametrize(
    "text",
    ["never mind, call me tomorrow", "call me tonight, no wait, make it friday",
     "算了 你明天再打吧", "call me back in an hour", "你下午再打 算了 还是明天吧"],
)  # fmt: skip
def test_not_taken_back(text: str) -> None:
    assert not taken_back(text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "call me back this evening, oh wait, never mind, now is fine"),
     ("en", "could you call me back later tonight? never mind, go ahead"),
     ("zh", "你明天再打吧 算了 就现在说吧")],
)  # fmt: skip
def test_the_call_goes_on_after_a_call_back_taken_back(lang: Lang, text: str) -> None:
    facts = replace(demo_case(lang), verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    parser = default_parser()
    yes = {"en": "yes, speaking", "zh": "对，是我"}[lang]
    state, _ = decide(
        state, UtteranceHeard(yes, lang, parser.parse(yes, lang, TODAY).heard_with(0.9))
    )
    assert state.verified
    asked = state.stage
    parse = parser.parse(text, lang, TODAY).heard_with(0.9)
    state, commands = decide(state, UtteranceHeard(text, lang, parse))
    assert not state.ended
    assert state.outcome is not Outcome.CALLBACK_SCHEDULED
    assert state.stage is asked
    assert [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)][-1] == "ask_full"
