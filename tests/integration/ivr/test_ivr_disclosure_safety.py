"""Wrong-number calls through the real sandbox Asterisk, the shipped recognisers and voices,
where the stranger's first answer is a question the recogniser tends to mis-hear ("Who?" as
"Okay."/"Yes.", 你找谁 as 轻轻轻的): the call ends on the wrong number (or the polite unverified
close) and the bot's transcript holds no debt word in either language."""

from __future__ import annotations

import pytest
from ivr_sandbox_fixtures import asterisk
from spoken_calls import Placed, report_of, session_calls

from core.dialogue import Outcome
from ivr.settings import AriSettings
from nlu.policy.disclosure import DEBT_WORDS

__all__ = ["asterisk"]

AMOUNTS = ("2,480", "2480", "五千二", "5200", "70天", "70 days")
SPOKEN_SCENARIOS = ("wrong_number_question_en", "wrong_number_question_zh")


@pytest.fixture(scope="module")
def calls(request: pytest.FixtureRequest, asterisk: AriSettings) -> Placed:
    """Both calls placed at once with the run's other spoken calls (``spoken_calls``); each
    test asserts on its own."""
    return session_calls(request, asterisk)


@pytest.mark.parametrize("name", SPOKEN_SCENARIOS)
async def test_a_stranger_who_asks_back_hears_no_debt(calls: Placed, name: str) -> None:
    report = report_of(calls, name)
    scenario = report.scenario
    lines = [(line.speaker, line.text) for line in report.result.transcript]
    print(report.result.outcome, lines)
    bot = " ".join(text for speaker, text in lines if speaker == "bot")
    assert bot, "the bot said nothing"
    assert not DEBT_WORDS.search(bot), bot
    assert not [amount for amount in AMOUNTS if amount in bot]
    assert scenario.case.name in bot  # it did ask for the debtor by name
    assert report.result.outcome in (Outcome.WRONG_NUMBER, Outcome.UNVERIFIED)
    assert report.promise is None
