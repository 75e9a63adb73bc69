"""The shipped ``voicemail_en`` scenario through the real sandbox Asterisk and the real models
(Piper speaks the voicemail greeting, Whisper tiny.en hears it): the first-utterance heuristic
ends the call as ``machine`` and the bot said nothing about the debt. Run under
``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

from pathlib import Path

from ivr_sandbox_fixtures import asterisk

from core.clock import SystemClock
from core.dialogue import Outcome
from ivr.settings import AriSettings
from simulation.scenario import SCENARIO_DIR, load_scenario
from simulation.simulate import SimulationOptions, default_speech, simulate_call

__all__ = ["asterisk"]

DEBT_WORDS = ("1,250", "1250", "dollar", "debt", "balance", "loan", "acme", "owe", "overdue",
              "collect", "payment", "account")  # fmt: skip


async def test_a_voicemail_greeting_ends_the_call_as_a_machine(
    asterisk: AriSettings, tmp_path: Path
) -> None:
    scenario = load_scenario(SCENARIO_DIR / "voicemail_en.yml")
    report = await simulate_call(
        scenario,
        ari=asterisk,
        speech=await default_speech("en"),
        clock=SystemClock(),
        options=SimulationOptions(recordings_dir=tmp_path),
    )
    lines = [(line.speaker, line.text) for line in report.result.transcript]
    print(lines, report.to_json()["voice_to_voice_ms"])
    assert report.result.outcome == Outcome.MACHINE
    assert report.to_json()["expect_met"] is True
    assert report.result.end_reason == "bot_hung_up"
    heard = [text for speaker, text in lines if speaker == "debtor"]
    assert heard, "the voicemail greeting was not heard"
    bot = [text for speaker, text in lines if speaker == "bot"]
    assert bot == [bot[0]]  # the greeting only: no message without a callback contact
    assert bot[0].startswith("Hello, this is")
    spoken = " ".join(bot).lower()
    assert not [word for word in DEBT_WORDS if word in spoken]
