"""webrtcvad frame classifier and endpointer on real speech (espeak-ng) framed by silence."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np
import pytest
import soxr

from asr.errors import AudioFormatError
from asr.settings import AsrSettings
from asr.vad import Endpointer, FrameClassifier, SpeechEnded, SpeechStarted

RATE = 8000


def _espeak(text: str) -> bytes:
    binary = shutil.which("espeak-ng")
    assert binary is not None, "espeak-ng (Debian package) is required by the speech tests"
    wav = subprocess.run([binary, "--stdout", "-v", "en-us", text], capture_output=True, check=True)
    with wave.open(io.BytesIO(wav.stdout)) as w:
        rate = w.getframerate()
        audio = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    return bytes((np.clip(soxr.resample(audio, rate, RATE), -1, 1) * 32767).astype("<i2").tobytes())


def _silence(ms: int) -> bytes:
    return bytes(RATE * ms // 1000 * 2)


@pytest.fixture(scope="module")
def speech() -> bytes:
    return _espeak("I can pay two hundred dollars on Friday")


def _settings(**overrides: int) -> AsrSettings:
    values = {"vad_mode": 2, "vad_end_silence_ms": 600, "vad_start_ms": 60, "vad_preroll_ms": 200}
    values.update(overrides)
    return AsrSettings(**values)  # type: ignore[arg-type]


def _events(ep: Endpointer, audio: bytes, chunk: int) -> list[SpeechStarted | SpeechEnded]:
    out: list[SpeechStarted | SpeechEnded] = []
    for start in range(0, len(audio), chunk):
        out += ep.feed(audio[start : start + chunk])
    return out


def test_classifier_tells_speech_from_silence(speech: bytes) -> None:
    clf = FrameClassifier(RATE, 20, 2)
    frames = [speech[i : i + clf.frame_bytes] for i in range(0, len(speech), clf.frame_bytes)]
    voiced = sum(clf.is_speech(f) for f in frames if len(f) == clf.frame_bytes)
    assert voiced > len(frames) * 0.5
    assert not clf.is_speech(bytes(clf.frame_bytes))


def test_classifier_refuses_bad_formats() -> None:
    with pytest.raises(AudioFormatError):
        FrameClassifier(22050)
    with pytest.raises(AudioFormatError):
        FrameClassifier(RATE, frame_ms=25)
    with pytest.raises(AudioFormatError):
        FrameClassifier(RATE).is_speech(b"\0" * 10)


def test_silence_gives_no_events() -> None:
    ep = Endpointer(RATE, settings=_settings())
    assert _events(ep, _silence(3000), 320) == []
    assert ep.flush() is None


def test_one_turn_start_and_end_offsets(speech: bytes) -> None:
    audio = _silence(1000) + speech + _silence(1500)
    speech_ms = len(speech) * 1000 // (2 * RATE)
    events = _events(Endpointer(RATE, settings=_settings()), audio, 320)
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
    started, ended = events
    assert isinstance(started, SpeechStarted)
    assert isinstance(ended, SpeechEnded)
    assert 950 <= started.offset_ms <= 1200
    assert abs(ended.offset_ms - (1000 + speech_ms)) <= 250
    assert ended.start_ms == started.offset_ms
    # the turn's audio holds the speech, the pre-roll and at most 200 ms of trailing silence
    turn_ms = len(ended.pcm) * 1000 // (2 * RATE)
    assert speech_ms - 250 <= turn_ms <= speech_ms + 200 + 200 + 60


def test_chunk_size_does_not_change_the_events(speech: bytes) -> None:
    audio = _silence(500) + speech + _silence(1000)
    small = _events(Endpointer(RATE, settings=_settings()), audio, 160)
    odd = _events(Endpointer(RATE, settings=_settings()), audio, 1234)
    assert small == odd


def test_end_needs_the_configured_silence(speech: bytes) -> None:
    ep = Endpointer(RATE, settings=_settings(vad_end_silence_ms=800))
    events = _events(ep, _silence(200) + speech + _silence(600), 320)
    assert [type(e) for e in events] == [SpeechStarted]
    assert ep.in_speech
    assert [type(e) for e in ep.feed(_silence(400))] == [SpeechEnded]


def test_two_turns(speech: bytes) -> None:
    audio = speech + _silence(900) + speech + _silence(900)
    events = _events(Endpointer(RATE, settings=_settings()), audio, 320)
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded] * 2


def test_flush_closes_an_open_turn_and_reset_forgets_it(speech: bytes) -> None:
    ep = Endpointer(RATE, settings=_settings())
    ep.feed(_silence(300) + speech[: len(speech) // 2])
    ended = ep.flush()
    assert isinstance(ended, SpeechEnded)
    assert len(ended.pcm) > 0
    ep.feed(speech[: len(speech) // 2])
    assert ep.in_speech
    ep.reset()
    assert [ep.in_speech] == [False]
    assert ep.flush() is None


def test_16k_input_is_supported(speech: bytes) -> None:
    audio16 = soxr.resample(np.frombuffer(speech, "<i2"), RATE, 16000).astype("<i2").tobytes()
    ep = Endpointer(16000, settings=_settings())
    events = _events(ep, bytes(32000) + audio16 + bytes(32000), 640)
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
