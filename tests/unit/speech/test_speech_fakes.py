"""The fakes the IVR tests use behave like the engines where it matters: VAD, scripts, rates."""

from __future__ import annotations

from asr.base import RecognitionOptions
from asr.fake import FakeRecognizer
from asr.vad import Endpointer, SpeechEnded, SpeechStarted
from tts.base import VoiceParams
from tts.fake import FakeSynthesizer

RATE = 8000


async def test_fake_speech_is_detected_by_the_endpointer() -> None:
    pcm = await FakeSynthesizer().synthesize("I can pay on Friday.", "en", RATE)
    ep = Endpointer(RATE)
    events = ep.feed(bytes(RATE * 2) + pcm + bytes(RATE * 2))
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
    assert abs(events[0].offset_ms - 1000) <= 60


async def test_fake_synthesizer_rate_and_clauses() -> None:
    synth = FakeSynthesizer()
    slow = await synth.synthesize("Hello, how are you today?", "en", RATE, VoiceParams(rate=0.5))
    fast = await synth.synthesize("Hello, how are you today?", "en", RATE, VoiceParams(rate=2.0))
    assert len(slow) > 3 * len(fast)
    assert synth.rendered[:2] == ["Hello,", "how are you today?"]


async def test_fake_recognizer_follows_its_script_and_ignores_silence() -> None:
    speech = await FakeSynthesizer().synthesize("words", "en", RATE)
    rec = FakeRecognizer(["yes it is me", "I can pay 200 on Friday"], default="sorry?")
    options = RecognitionOptions.of("en")
    assert (await rec.transcribe(bytes(3200), RATE, options)).text == ""
    assert (await rec.transcribe(speech, RATE, options)).text == "yes it is me"
    stream = rec.start_stream(RATE, options)
    assert await stream.feed(speech) is None
    assert (await stream.finish()).text == "I can pay 200 on Friday"
    assert (await rec.transcribe(speech, RATE, options)).text == "sorry?"
    rec.push("goodbye")
    assert (await rec.transcribe(speech, RATE, options)).text == "goodbye"
    assert len(rec.heard) == 5
