"""``simulate_call`` end to end through the real sandbox Asterisk with the real models (Whisper
tiny.en, Piper on both sides) and the real NLU policy: a promise-to-pay call for a stored case
is written to the database by the ``CallEnding`` sink with the right amount and date; a
wrong-number call ends without disclosing the debt."""

from __future__ import annotations

import csv
import io
import wave
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from ivr_sandbox_fixtures import asterisk
from spoken_calls import Placed, report_of, session_calls
from sqlalchemy import select

from asr.fake import FakeRecognizer
from cli.data_commands import write_demo_data
from core.clock import FixedClock, SystemClock
from core.dialogue import Outcome, RecordPromise
from core.money import Money
from data.call_records import read_transcript
from data.crypto import Keyring
from data.db import Database
from data.models import ContactAttempt, Promise
from data.portfolio.importer import import_portfolio
from dialer.call_end import CallEnding
from ivr.ari import AriClient, Channel
from ivr.conversation import PolicyConversation
from ivr.media.audio import rms
from ivr.session import CallSession
from ivr.settings import AriSettings
from ivr.stasis_args import StasisArgs
from nlu.policy import demo_case
from simulation.scenario import SCENARIO_DIR, load_scenario
from simulation.simulate import SimulationOptions, default_speech, simulate_call
from tts.fake import FakeSynthesizer

__all__ = ["asterisk"]

SPOKEN_SCENARIOS = ("wrong_number_en",)  # placed with the other modules' (``spoken_calls``)
DEBT_WORDS = ("1,250", "1250", "dollar", "debt", "balance", "loan", "acme", "owe", "overdue")


def _stored_case(db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> str:
    path = tmp_path / "portfolio.csv"
    write_demo_data(3, 7, path, date(2026, 11, 29))
    import_portfolio(db, keyring, path, clock)
    with path.open(encoding="utf-8") as f:
        return next(csv.DictReader(f))["loan_id"]


async def test_promise_call_writes_the_promise_with_amount_and_date(
    asterisk: AriSettings, sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    db = Database.connect(sqlite_url)
    case_id = _stored_case(db, keyring, clock, tmp_path)
    ending = CallEnding(db.async_sessions(), keyring, clock)
    scenario = load_scenario(SCENARIO_DIR / "promise_en.yml")
    options = SimulationOptions(case_id=case_id, recordings_dir=tmp_path / "recordings")
    report = await simulate_call(
        scenario, ari=asterisk, speech=await default_speech("en"), clock=SystemClock(),
        options=options, on_result=ending.sink_for(case_id),
    )  # fmt: skip
    out = report.to_json()
    print(out["transcript"], out["voice_to_voice_ms"], out["processing_ms"])
    assert out["outcome"] == "promise_to_pay"
    assert out["promise"] == {"amount": "300.00", "currency": "USD", "date": "2026-12-04"}
    assert out["expect_met"] is True
    v2v = [turn.voice_to_voice_ms for turn in report.turns]
    assert len(v2v) == len(scenario.debtor)
    # each line was answered (the simulated debtor waits for the bot up to FarEndTiming's
    # wait_bot_s, else None) and after it ended; how fast is the spoken bench's figure, not a
    # test's: a fixed ceiling here failed on a slow machine and proved nothing on a fast one
    assert all(ms is not None and ms > 0 for ms in v2v), v2v

    with db.transaction() as s:
        attempt = s.get(ContactAttempt, report.result.channel_id)
        assert attempt is not None
        assert (attempt.case_id, attempt.outcome, attempt.state) == (
            case_id,
            "promise_to_pay",
            "done",
        )
        assert attempt.recording_ref == report.result.recording
        lines = read_transcript(keyring, attempt)
        assert [line["speaker"] for line in lines].count("debtor") == len(scenario.debtor)
        promise = s.scalars(select(Promise).where(Promise.attempt_id == attempt.id)).one()
        assert (promise.amount_minor, promise.currency, promise.due_date) == (
            30000,
            "USD",
            date(2026, 12, 4),
        )
    db.dispose()

    assert report.recording_path is not None
    with wave.open(io.BytesIO(report.recording_path.read_bytes())) as w:
        assert w.getframerate() == 8000
        pcm = w.readframes(w.getnframes())
    assert len(pcm) > 8000 * 2 * 20  # the call lasted well over 20 s
    assert sum(ms for ms in v2v if ms is not None) < len(pcm) / 16  # the waits lie inside it
    assert rms(pcm) > 100


async def test_the_ivr_sink_writes_a_call_of_a_stored_case(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    """No Asterisk needed: a simulated call of a case (no ledger row) is written for it; a call
    that names no case (inbound) is not written."""
    db = Database.connect(sqlite_url)
    case_id = _stored_case(db, keyring, clock, tmp_path)
    ending = CallEnding(db.async_sessions(), keyring, clock)
    started: list[tuple[str, ...]] = []
    async with AriClient(AriSettings()) as ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            started.append(args)
            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=PolicyConversation(
                    demo_case("en"), date(2026, 11, 29)),
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(), clock=clock,
            )  # fmt: skip

        for channel_id, args in (("att-1", ("outbound", case_id, "en")), ("att-2", ("inbound",))):
            session = factory(Channel(channel_id, "Local/x", "Up"), args, lambda _id: None)
            result = session.result
            result.outcome, result.ended_at = Outcome.PROMISE_TO_PAY, clock.now()
            result.records.append(RecordPromise(Money.of("75", "USD"), date(2026, 12, 10)))
            call = StasisArgs.parse(args)
            assert call is not None
            await ending.ivr_ended(result, call.case_id)
    assert started == [("outbound", case_id, "en"), ("inbound",)]
    with db.transaction() as s:
        assert s.get(ContactAttempt, "att-2") is None
        attempt = s.get(ContactAttempt, "att-1")
        assert attempt is not None
        assert (attempt.case_id, attempt.outcome) == (case_id, "promise_to_pay")
        promise = s.scalars(select(Promise).where(Promise.attempt_id == "att-1")).one()
        assert (promise.amount_minor, promise.due_date) == (7500, date(2026, 12, 10))
    db.dispose()


@pytest.fixture(scope="module")
def calls(request: pytest.FixtureRequest, asterisk: AriSettings) -> Placed:
    """The wrong-number call, placed with the run's other spoken calls (``spoken_calls``)."""
    return session_calls(request, asterisk)


async def test_wrong_number_ends_without_disclosing_the_debt(calls: Placed) -> None:
    report = report_of(calls, "wrong_number_en")
    bot = [line.text for line in report.result.transcript if line.speaker == "bot"]
    print(bot, report.to_json()["voice_to_voice_ms"])
    assert report.result.outcome == Outcome.WRONG_NUMBER
    assert report.promise is None
    assert bot, "the bot said nothing"
    spoken = " ".join(bot).lower()
    assert not [word for word in DEBT_WORDS if word in spoken]
    assert report.result.end_reason == "bot_hung_up"
