"""Session 12, en9: "we have no Daniel" (a business or a household saying the one asked for is
not known there, without "here" after the name) is a wrong number. Found by the spoken
benchmark ("This is a dental office, we have no Daniel." read as a dispute, clean and through
speech); these lines were written before the rule, with other names and frames."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.parser import default_parser

TODAY = date(2026, 12, 2)

NO_SUCH_NAME = [
    "This is a bakery, we have no Kevin.",
    "we have no maria",
    "Sorry, we don't have a Priya.",
    "No Marcus works here.",
    "there's no susan",
    "Nobody called Linda lives here.",
    "no jessica working here",
    "We don't have any Robert, sorry.",
    "Uh, there is no Carlos.",
    "we got no jennifer",
]
NOT_A_NAME = [
    "we have no money",
    pytest.param(
        "we have no idea what you mean",
        marks=pytest.mark.xfail(reason="the classifier's wrong_number, on main too (left)"),
    ),
    "there's no way I can pay that",
    "we don't have a car anymore",
    "we have no kids",
    "there's no rush",
    "we have no time for this",
    "no problem, go ahead",
]


@pytest.mark.parametrize("line", NO_SUCH_NAME)
def test_the_name_unknown_here_is_a_wrong_number(line: str) -> None:
    assert default_parser().parse(line, "en", TODAY).intent == "wrong_number"


@pytest.mark.parametrize("line", NOT_A_NAME)
def test_no_and_a_common_word_is_no_wrong_number(line: str) -> None:
    assert default_parser().parse(line, "en", TODAY).intent != "wrong_number"
