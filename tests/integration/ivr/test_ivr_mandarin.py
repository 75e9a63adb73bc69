"""A Mandarin call through the real sandbox Asterisk: the bot speaks espeak-ng
(``cmn-latn-pinyin``) and hears with Whisper base; the simulated debtor speaks espeak-ng too.
It must complete with some outcome, a transcript and audible espeak audio on both legs;
recognition quality is printed (noted, not asserted: espeak Mandarin is barely intelligible)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

from ivr_sandbox_fixtures import asterisk

from core.clock import SystemClock
from core.dialogue import Outcome
from ivr.media.audio import rms
from ivr.scenario import SCENARIO_DIR, load_scenario
from ivr.settings import AriSettings
from ivr.simulate import SimulationOptions, default_speech, simulate_call

__all__ = ["asterisk"]


async def test_mandarin_call_completes_with_espeak_audio(
    asterisk: AriSettings, tmp_path: Path
) -> None:
    scenario = load_scenario(SCENARIO_DIR / "promise_zh.yml")
    assert scenario.language == "zh"
    report = await simulate_call(
        scenario,
        ari=asterisk,
        speech=await default_speech("zh"),
        clock=SystemClock(),
        options=SimulationOptions(recordings_dir=tmp_path),
    )
    out = report.to_json()
    heard = [line.text for line in report.result.transcript if line.speaker == "debtor"]
    print("outcome:", out["outcome"], "expect met:", out["expect_met"], out["expect_problems"])
    print("said:", list(scenario.debtor), "heard by Whisper base:", heard)
    print("voice-to-voice ms:", out["voice_to_voice_ms"], "processing ms:", out["processing_ms"])

    assert isinstance(report.result.outcome, Outcome)
    assert report.result.end_reason in {"bot_hung_up", "caller_hung_up"}
    bot = [line.text for line in report.result.transcript if line.speaker == "bot"]
    assert bot
    assert bot[0].startswith("您好")  # the Mandarin script, not the English one
    assert report.turns, "the debtor never got a turn"
    assert report.turns[0].voice_to_voice_ms is not None  # the bot's espeak reply reached it
    assert report.recording_path is not None
    with wave.open(io.BytesIO(report.recording_path.read_bytes())) as w:
        pcm = w.readframes(w.getnframes())
    assert rms(pcm) > 100
