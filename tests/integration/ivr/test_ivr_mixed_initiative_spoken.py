"""Issue 9's mixed-initiative failures, rephrased, spoken through the sandbox Asterisk with the
shipped models (Piper speaks the debtor, Whisper tiny.en hears): an acknowledgement is not a
callback request and the promise after it is a promise; "I already paid … last Tuesday" and
the channel (said as the recogniser once heard it) end ``already_paid`` with both recorded.

The call's date is the system clock's (the spoken session reads "today" from the answer time),
so the promise's date is checked against the weekday, not a fixed day."""

from __future__ import annotations

from pathlib import Path

from ivr_sandbox_fixtures import asterisk

from core.clock import SystemClock
from core.dialogue import Outcome, RecordAlreadyPaid, ScheduleCallback
from ivr.settings import AriSettings
from simulation.scenario import load_scenario
from simulation.simulate import SimulationOptions, SimulationReport, default_speech, simulate_call

__all__ = ["asterisk"]
FRIDAY = 4


async def _spoken(name: str, asterisk: AriSettings, folder: Path) -> SimulationReport:
    report = await simulate_call(
        load_scenario(Path(name)), ari=asterisk, speech=await default_speech("en"),
        clock=SystemClock(), options=SimulationOptions(recordings_dir=folder),
    )  # fmt: skip
    print(report.to_json()["transcript"])
    return report


async def test_acknowledgement_then_promise_is_a_promise(
    asterisk: AriSettings, tmp_path: Path
) -> None:
    report = await _spoken("ack_promise_en", asterisk, tmp_path)
    assert report.result.outcome == Outcome.PROMISE_TO_PAY
    assert report.promise is not None
    assert report.promise.amount.amount == 250
    assert report.promise.due.weekday() == FRIDAY
    assert not [r for r in report.result.records if isinstance(r, ScheduleCallback)]


async def test_already_paid_records_day_and_channel(asterisk: AriSettings, tmp_path: Path) -> None:
    report = await _spoken("already_paid_en", asterisk, tmp_path)
    assert report.result.outcome == Outcome.ALREADY_PAID
    (paid,) = [r for r in report.result.records if isinstance(r, RecordAlreadyPaid)]
    assert paid.channel == "online"
    assert paid.paid_on is not None
    assert paid.paid_on.weekday() == 1  # a Tuesday
