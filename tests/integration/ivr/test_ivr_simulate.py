"""``simulate_call`` end to end through the real sandbox Asterisk with the real models (Whisper
tiny.en, Piper on both sides) and the real NLU policy: a promise-to-pay call for a stored case
is written to the database by the ``CallStore`` sink with the right amount and date; a
wrong-number call ends without disclosing the debt."""

from __future__ import annotations

import csv
import io
import wave
from datetime import date
from pathlib import Path

from ivr_sandbox_fixtures import asterisk
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock, SystemClock
from core.dialogue import Outcome
from data.call_records import read_transcript
from data.crypto import Keyring
from data.db import Database
from data.models import ContactAttempt, Promise
from data.portfolio.importer import import_portfolio
from ivr.media.audio import rms
from ivr.persist import CallStore
from ivr.scenario import SCENARIO_DIR, load_scenario
from ivr.settings import AriSettings
from ivr.simulate import SimulationOptions, default_speech, simulate_call

__all__ = ["asterisk"]

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
    store = CallStore(db, keyring, clock)
    scenario = load_scenario(SCENARIO_DIR / "promise_en.yml")
    options = SimulationOptions(case_id=case_id, recordings_dir=tmp_path / "recordings")
    report = await simulate_call(
        scenario, ari=asterisk, speech=await default_speech("en"), clock=SystemClock(),
        options=options, on_result=store.save, wrap_factory=store.wrap,
    )  # fmt: skip
    out = report.to_json()
    print(out["transcript"], out["voice_to_voice_ms"], out["processing_ms"])
    assert out["outcome"] == "promise_to_pay"
    assert out["promise"] == {"amount": "300.00", "currency": "USD", "date": "2026-12-04"}
    assert out["expect_met"] is True
    v2v = [turn.voice_to_voice_ms for turn in report.turns]
    assert len(v2v) == len(scenario.debtor)
    assert all(ms is not None and 0 < ms < 5000 for ms in v2v)

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
    assert rms(pcm) > 100


async def test_wrong_number_ends_without_disclosing_the_debt(
    asterisk: AriSettings, tmp_path: Path
) -> None:
    scenario = load_scenario(SCENARIO_DIR / "wrong_number_en.yml")
    report = await simulate_call(
        scenario,
        ari=asterisk,
        speech=await default_speech("en"),
        clock=SystemClock(),
        options=SimulationOptions(recordings_dir=tmp_path),
    )
    bot = [line.text for line in report.result.transcript if line.speaker == "bot"]
    print(bot, report.to_json()["voice_to_voice_ms"])
    assert report.result.outcome == Outcome.WRONG_NUMBER
    assert report.promise is None
    assert bot, "the bot said nothing"
    spoken = " ".join(bot).lower()
    assert not [word for word in DEBT_WORDS if word in spoken]
    assert report.result.end_reason == "bot_hung_up"
