"""Two answers a first-time listener gives that the script used to mishandle.

"This is Gloria, who's calling?": the reply says who speaks, then asks who calls. It was asked
"Am I speaking with Gloria?" again (someone who had just said her name), and a debtor who then
answered the next question instead of repeating herself ended the call unverified. A clear claim
of the debtor's own name (or 是我) confirms the name; the disclosure says who calls, and before a
second factor a word on who calls that says nothing of why. A bare "yeah, who's this?", a name
said as a question, another name, or a claim heard unsurely stays a question back.

"A hundred a month I could do": an amount a month, asked how many months, used to get the
question again; it now picks the plan it fits (the fewest months within it, else the longest).
Through the real parser, both languages, every verification setting."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY

from core.dialogue import CallAnswered, Lang, Say, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import DialogueState, Stage


def _call(lang: Lang, mode: VerificationMode) -> DialogueState:
    facts = replace(demo_case(lang), verification=mode, id_last4="2468")
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    return state


def _say(
    state: DialogueState, lang: Lang, text: str, heard: float = 0.9
) -> tuple[DialogueState, list[Say]]:
    parse = default_parser().parse(text, lang, TODAY).heard_with(heard)
    state, commands = decide(state, UtteranceHeard(text, lang, parse))
    return state, [c for c in commands if isinstance(c, Say)]


def _keys(said: list[Say]) -> list[str]:
    return [s.prompt_key.split("#")[0] for s in said]


def _assert_a_stranger_hears_nothing(lang: Lang, mode: VerificationMode, line: str) -> None:
    """``line`` heard surely as the first answer: not verified, no second factor asked, and
    nothing said of the debt."""
    state, said = _say(_call(lang, mode), lang, line, heard=0.95)
    assert not state.verified
    assert state.stage is not Stage.VERIFY_SECOND
    assert not any(DEBT_WORDS.search(s.text) for s in said)


# demo case: John Smith / 李明
CLAIMS = [
    ("en", "This is John, who's calling?"),
    ("en", "john smith speaking, who is this?"),
    ("en", "Speaking. Who's this?"),
    ("en", "yeah this is him, who's calling"),
    ("zh", "我就是李明，你是谁啊"),
    ("zh", "对，本人，你哪位"),
    ("zh", "我是李明 哪位"),
]
# a bare 是我 may be 是谁 mis-heard: it confirms the name only where a second factor follows
BARE_ZH = ["是我，你哪位？", "对 是我 哪位"]


@pytest.mark.parametrize(("lang", "text"), CLAIMS)
@pytest.mark.parametrize("mode", MODES)
def test_a_clear_claim_then_who_calls_confirms_the_name(
    lang: Lang, text: str, mode: VerificationMode
) -> None:
    state, said = _say(_call(lang, mode), lang, text)
    if mode is VerificationMode.NAME:
        assert state.verified  # the disclosure answers who calls
        assert _keys(said)[0].startswith("disclosure")
        return
    assert not state.verified
    assert state.stage is Stage.VERIFY_SECOND
    assert _keys(said)[0] == "identity_brief"  # who calls, then the second factor
    assert not any(DEBT_WORDS.search(s.text) for s in said)


@pytest.mark.parametrize("text", BARE_ZH)
@pytest.mark.parametrize("mode", MODES)
def test_a_bare_zh_claim_then_who_needs_the_second_factor(
    text: str, mode: VerificationMode
) -> None:
    state, said = _say(_call("zh", mode), "zh", text)
    assert not state.verified
    assert not any(DEBT_WORDS.search(s.text) for s in said)
    if mode is VerificationMode.NAME:
        assert state.stage is Stage.VERIFY_NAME  # asked again who speaks
    else:
        assert state.stage is Stage.VERIFY_SECOND
        assert _keys(said)[0] == "identity_brief"


@pytest.mark.parametrize(("lang", "text"), CLAIMS)
def test_the_same_claim_heard_unsurely_is_a_question_back(lang: Lang, text: str) -> None:
    state, said = _say(_call(lang, VerificationMode.NAME), lang, text, heard=0.2)
    assert not state.verified
    assert state.stage is Stage.VERIFY_NAME
    assert not any(DEBT_WORDS.search(s.text) for s in said)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "yeah, who's this?"),
        ("en", "John? who's calling?"),
        ("en", "this is John's phone, who's calling?"),
        ("en", "yeah this is John's house, who is this?"),
        ("en", "yes, John's cell, who's calling?"),
        ("en", "this is his wife, who is this?"),
        ("en", "this is Maria, who's calling?"),
        ("en", "Yes? Who is it?"),
        ("en", "who is this, this is John's brother"),
        ("zh", "对，你是谁"),
        ("zh", "李明？你哪位"),
        ("zh", "这是李明的电话，你哪位"),
        ("zh", "我是他老婆，你是谁"),
        ("zh", "我是王芳，你哪位"),
        ("zh", "你哪位，是我吗"),
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_no_claim_of_the_debtor_himself_confirms_nothing(
    lang: Lang, text: str, mode: VerificationMode
) -> None:
    _assert_a_stranger_hears_nothing(lang, mode, text)


def _verified(lang: Lang) -> DialogueState:
    state, _ = _say(_call(lang, VerificationMode.NAME), lang, "yes this is john" if lang == "en"
                    else "是我")  # fmt: skip
    assert state.verified
    return state


@pytest.mark.parametrize(
    ("lang", "line", "count", "key"),
    [
        # 1,250 / 12 = 104 is more than 100: the longest plan, said to be the longest
        ("en", "a hundred a month i could do", 12, "plan_longest"),
        ("en", "I can do about 450 a month", 3, "confirm_plan"),  # 417 a month fits within 450
        ("en", "three hundred monthly", 6, "confirm_plan"),  # 208 fits, 417 does not
        ("en", "maybe 50 dollars per month", 12, "plan_longest"),
        ("en", "a hundred and ten a month", 12, "confirm_plan"),  # 104 fits
        ("zh", "我每个月能还一千二", 3, "confirm_plan"),  # 3,500 / 3 = 1,167
        ("zh", "每月还八百行不行", 6, "confirm_plan"),  # 583 fits, 1,167 does not
    ],
)
def test_an_amount_a_month_picks_the_plan_it_fits(
    lang: Lang, line: str, count: int, key: str
) -> None:
    state, _ = _say(_verified(lang), lang, "can I pay it in installments" if lang == "en"
                    else "能不能分期")  # fmt: skip
    assert state.stage is Stage.OFFER_PLAN
    state, said = _say(state, lang, line)
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_count == count
    assert _keys(said) == [key]


@pytest.mark.parametrize(
    ("lang", "line", "count"),
    [("en", "I could do two hundred a month", 12), ("zh", "我每个月可以还两千", 3)],
)
def test_an_amount_a_month_said_before_the_plan_offer_goes_straight_to_it(
    lang: Lang, line: str, count: int
) -> None:
    state, said = _say(_verified(lang), lang, line)
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_count == count
    assert "confirm_plan" in _keys(said)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "can I pay 200 this month and the rest later"), ("zh", "这个月先还五百 剩下的分期")],
)
def test_an_amount_without_a_month_rate_is_no_plan_choice(lang: Lang, line: str) -> None:
    state, _ = _say(_verified(lang), lang, line)
    assert state.plan_count is None or state.stage is not Stage.CONFIRM_PLAN


@pytest.mark.parametrize(
    "line",
    ["this is John's phone", "yeah this is John's house", "yes this is John's wife",
     "yeah you got John's phone", "yes, Smith's residence", "Yes, this is John Smith's mother"],
)  # fmt: skip
@pytest.mark.parametrize("mode", MODES)
def test_the_debtor_named_as_an_owner_is_someone_else_speaking(
    line: str, mode: VerificationMode
) -> None:
    """ "This is John's phone": whose phone, not who speaks (verified a stranger, whatever the
    classifier's score, once a name heard by sound was spelled as the debtor's)."""
    _assert_a_stranger_hears_nothing("en", mode, line)


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("who? there's no kevin here, this is a dental office", "wrong_number"),
        ("we don't have a Maria at this number", "wrong_number"),
        ("there ain't no tyrone here", "wrong_number"),
        ("we got no Ellen here", "wrong_number"),
    ],
)
def test_no_such_name_here_is_a_wrong_number_whatever_comes_first(line: str, intent: str) -> None:
    """ "who? there's no kevin here": the question first used to drag the score under the bar
    that ends a call (0.43), and the stranger was asked again if he was Kevin."""
    parse = default_parser().parse(line, "en", TODAY)
    assert parse.intent == intent
    assert parse.confidence >= 0.9


@pytest.mark.parametrize(
    "line", ["there's kevin here", "there's no money here", "there's no one here right now"]
)
def test_a_name_present_or_no_money_is_no_rule_made_wrong_number(line: str) -> None:
    parse = default_parser().parse(line, "en", TODAY)
    assert not (parse.intent == "wrong_number" and parse.confidence == 1.0)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "yes he lives here"),
        ("en", "speaking for John"),
        ("en", "yeah this is his number"),
        ("en", "correct, this is Mrs Smith"),
        ("en", "yes, this is Jane Smith"),  # one consonant frame as John, another vowel
        ("en", "this is Joan"),
        ("en", "yes she's his wife"),
        ("zh", "对，这是李明的手机"),
        ("zh", "是，李明在睡觉"),
        ("zh", "对 你找李明啊"),
        ("zh", "是的 他出去了"),
        ("zh", "对对 李明他不在"),
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_the_one_asked_for_spoken_of_as_someone_else_verifies_nothing(
    lang: Lang, line: str, mode: VerificationMode
) -> None:
    """Each verified a stranger where verification is by name alone (the classifier scored
    them affirm at 0.8 or more, and no plain-yes reading was asked for above that score)."""
    _assert_a_stranger_hears_nothing(lang, mode, line)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "yes this is she"), ("en", "yeah you got him"), ("en", "yes, you're talking to him"),
     ("zh", "没错没错，我就是他"), ("zh", "李明 就是我呀 说吧"), ("zh", "嗯，我是李明")],
)  # fmt: skip
def test_he_and_she_that_mean_the_speaker_still_verify(lang: Lang, line: str) -> None:
    state, _ = _say(_call(lang, VerificationMode.NAME), lang, line, heard=0.95)
    assert state.verified
