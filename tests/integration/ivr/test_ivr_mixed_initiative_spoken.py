"""Issue 9's mixed-initiative failures, rephrased, spoken through the sandbox Asterisk with the
shipped models (Piper speaks the debtor, Whisper tiny.en hears): an acknowledgement is not a
callback request and the promise after it is a promise; "I already paid … last Tuesday" and
the channel (said as the recogniser once heard it) end ``already_paid`` with both recorded.

The call's date is the system clock's (the spoken session reads "today" from the answer time),
so the promise's date is checked against the weekday, not a fixed day."""

from __future__ import annotations

import pytest
from ivr_sandbox_fixtures import asterisk
from spoken_calls import Placed, report_of, session_calls

from core.dialogue import Outcome, RecordAlreadyPaid, ScheduleCallback
from ivr.settings import AriSettings

__all__ = ["asterisk"]
FRIDAY = 4
SPOKEN_SCENARIOS = ("ack_promise_en", "already_paid_en")


@pytest.fixture(scope="module")
def calls(request: pytest.FixtureRequest, asterisk: AriSettings) -> Placed:
    """Both calls placed at once with the run's other spoken calls (``spoken_calls``); each
    test asserts on its own."""
    return session_calls(request, asterisk)


async def test_acknowledgement_then_promise_is_a_promise(calls: Placed) -> None:
    report = report_of(calls, "ack_promise_en")
    assert report.scenario.language == "en"
    assert report.result.outcome == Outcome.PROMISE_TO_PAY
    assert report.promise is not None
    assert report.promise.amount.amount == 250
    assert report.promise.due.weekday() == FRIDAY
    assert not [r for r in report.result.records if isinstance(r, ScheduleCallback)]


async def test_already_paid_records_day_and_channel(calls: Placed) -> None:
    report = report_of(calls, "already_paid_en")
    assert report.scenario.language == "en"
    assert report.result.outcome == Outcome.ALREADY_PAID
    (paid,) = [r for r in report.result.records if isinstance(r, RecordAlreadyPaid)]
    assert paid.channel == "online"
    assert paid.paid_on is not None
    assert paid.paid_on.weekday() == 1  # a Tuesday
