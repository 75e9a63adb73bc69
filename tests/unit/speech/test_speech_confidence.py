"""The recognisers' per-utterance confidence: Whisper's scores and Vosk's word confidences
turned into one number in 0..1, and the fake's scripted confidence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from asr.base import RecognitionOptions, RecognitionSignals
from asr.fake import FakeRecognizer
from asr.vosk import vosk_confidence
from asr.whisper import whisper_confidence, worst_signals


def test_whisper_confidence_is_token_probability_times_speech_probability() -> None:
    sure = RecognitionSignals(avg_logprob=-0.1, no_speech_prob=0.01, compression_ratio=1.1)
    assert whisper_confidence(sure) == pytest.approx(math.exp(-0.1) * 0.99, abs=1e-4)
    unsure = RecognitionSignals(avg_logprob=-1.5, no_speech_prob=0.2, compression_ratio=1.0)
    assert whisper_confidence(unsure) < 0.2 < whisper_confidence(sure)
    quiet = RecognitionSignals(avg_logprob=-0.1, no_speech_prob=0.9, compression_ratio=1.0)
    assert whisper_confidence(quiet) < 0.1


def test_a_looping_decode_has_no_confidence() -> None:
    loop = RecognitionSignals(avg_logprob=-0.05, no_speech_prob=0.0, compression_ratio=3.1)
    assert whisper_confidence(loop) == 0.0


def test_an_utterance_is_as_sure_as_its_least_sure_piece() -> None:
    pieces = [
        RecognitionSignals(avg_logprob=-0.2, no_speech_prob=0.01, compression_ratio=1.2),
        RecognitionSignals(avg_logprob=-0.9, no_speech_prob=0.30, compression_ratio=2.0),
    ]
    worst = worst_signals(pieces)
    assert (worst.avg_logprob, worst.no_speech_prob, worst.compression_ratio) == (-0.9, 0.3, 2.0)


def test_vosk_confidence_is_the_mean_word_confidence() -> None:
    confidence, signals = vosk_confidence([0.9, 0.5, 1.0])
    assert confidence == pytest.approx(0.8)
    assert signals is not None
    assert signals.word_confidence == 0.5
    assert vosk_confidence([]) == (None, None)


async def test_the_fake_reports_the_confidence_it_was_scripted_with() -> None:
    loud = (np.ones(1600, dtype="<i2") * 3000).tobytes()
    fake = FakeRecognizer(["yes", ("who", 0.2), ("hmm", None)])
    options = RecognitionOptions.of("en")
    heard = [await fake.transcribe(loud, 8000, options) for _ in range(3)]
    assert [(t.text, t.confidence) for t in heard] == [("yes", 1.0), ("who", 0.2), ("hmm", None)]
    silence = await fake.transcribe(bytes(3200), 8000, options)
    assert silence.is_empty
    assert silence.confidence is None
