"""First answers to "is this {name}?" found on the integrator's session-10 held-out lines: leave
to speak in Mandarin (好的, 行 你说吧) verified a stranger with verification by name; the debtor's
own name followed by a yes ("John Smith, yes") and "you're speaking to him" were asked again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY, call_lines

from core.dialogue import CallAnswered, UtteranceHeard
from nlu.affirmation import permission_only, plain_yes
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS


@pytest.mark.parametrize("line", ["好的", "好", "行", "可以", "好的 你说吧", "行啊 你说", "没问题",
                                  "哦 好的", "好吧 请讲", "那你说吧"])  # fmt: skip
@pytest.mark.parametrize("mode", MODES)
def test_leave_to_speak_in_mandarin_verifies_nobody(line: str, mode: VerificationMode) -> None:
    state, says = call_lines("zh", mode, [line])
    assert not state.verified
    assert not [s.text for s in says if DEBT_WORDS.search(s.text)]
    assert permission_only(line, "zh")


@pytest.mark.parametrize("line", ["好的 是我", "嗯 是我 你说", "是的 好的", "对 我就是 你说吧"])
def test_a_yes_said_with_leave_to_speak_is_still_the_yes(line: str) -> None:
    assert not permission_only(line, "zh")
    state, _ = call_lines("zh", VerificationMode.NAME, [line])
    assert state.verified


@pytest.mark.parametrize(
    "line",
    ["John Smith, yes", "John, yes.", "john smith yes sir", "You're speaking to him.",
     "yes you are speaking with him", "you're talking to him"],
)  # fmt: skip
def test_his_own_name_then_yes_verifies(line: str) -> None:
    assert plain_yes(line, "en", "John Smith")
    state, _ = call_lines("en", VerificationMode.NAME, [line])
    assert state.verified


@pytest.mark.parametrize(
    "line",
    ["Smith, yes", "Jane Smith, yes", "Tom, yeah", "Tom Baker, yes", "Karen, yep.", "John Smith?",
     "you're speaking to his wife", "this is John, yes? hello?", "Maria, yes ma'am",
     "Yes, Smith residence", "yeah, the Smith family", "yes, John Smith's office"],
)  # fmt: skip
def test_another_name_or_the_family_name_alone_then_yes_verifies_nobody(line: str) -> None:
    for mode in MODES:
        state, says = call_lines("en", mode, [line])
        assert not state.verified
        assert not [s.text for s in says if DEBT_WORDS.search(s.text)]


@pytest.mark.parametrize(
    ("debtor", "line"),
    [
        ("Daniel Park", "this is Danielle"),
        ("Daniel Park", "yes, Danielle Park speaking"),
        ("Paul Grant", "yes this is Paula"),
        ("Jean Blanc", "c'est Jeanne, this is Jeanne"),
        ("Eric Stone", "yeah Erica here"),
    ],
)
def test_a_name_and_its_pair_are_two_people(debtor: str, line: str) -> None:
    """Daniel / Danielle, Paul / Paula: often husband and wife; the sound key may not tell them
    apart, the spelling does (the wife is never verified as her husband)."""
    facts = replace(demo_case("en"), debtor_name=debtor, verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(NOON))
    heard = default_parser().parse(line, "en", TODAY).heard_with(0.9)
    state, _ = decide(state, UtteranceHeard(line, "en", heard))
    assert not state.verified
