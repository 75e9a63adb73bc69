"""A possible disclosure to a third party is recorded for compliance (integrator, session 10):
with verification by name a stranger's "yes" is taken, the debt is said, and only then the
speaker says he is somebody else. The call goes on as a third party's (no more debt words), and
``RecordDisclosureReview`` carries what was said for a compliance officer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, Lang, Outcome, RecordDisclosureReview, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start


def run(lang: Lang, lines: list[str]) -> tuple[Outcome | None, list[object]]:
    parser = default_parser()
    facts = replace(demo_case(lang), verification=VerificationMode.NAME)
    state, commands = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    said: list[object] = list(commands)
    for line in lines:
        heard = parser.parse(line, lang, TODAY).heard_with(0.9)
        state, commands = decide(state, UtteranceHeard(line, lang, heard))
        said += commands
    return state.outcome, said


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["yes", "wait, no, I'm his brother"]),
        ("en", ["yeah", "oh sorry, this is his wife, he's at work"]),
        ("en", ["yes", "you've got the wrong number, there's no John here"]),
        ("zh", ["是", "哦不是 我是他哥"]),
        ("zh", ["对", "你打错了 这里没有李明"]),
    ],
)
def test_someone_else_after_the_debt_was_said_is_a_review(lang: Lang, lines: list[str]) -> None:
    _, said = run(lang, lines)
    reviews = [c for c in said if isinstance(c, RecordDisclosureReview)]
    assert [r.said for r in reviews] == [lines[-1]]


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["I'm his brother"]),
        ("en", ["wrong number"]),
        ("en", ["yes", "I can pay 300 on friday"]),
        ("zh", ["我是他哥"]),
        ("zh", ["是我", "我周五还一千"]),
    ],
)
def test_no_review_when_nothing_was_disclosed_to_anyone_else(lang: Lang, lines: list[str]) -> None:
    _, said = run(lang, lines)
    assert not [c for c in said if isinstance(c, RecordDisclosureReview)]
