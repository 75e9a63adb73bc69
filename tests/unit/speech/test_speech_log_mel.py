"""Whisper's log-mel over the audio only (``asr.whisper.log_mel``) equals faster-whisper's over
the audio padded with silence to the whole window, for turns shorter and longer than it."""

from __future__ import annotations

import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from asr.whisper import WHISPER_RATE, log_mel

FEATURES = FeatureExtractor(feature_size=80)


def _reference(audio: np.ndarray, window_s: int) -> np.ndarray:
    n_samples = window_s * WHISPER_RATE
    padded = np.zeros(n_samples, dtype=np.float32)
    padded[: min(audio.size, n_samples)] = audio[:n_samples]
    mel = FEATURES(padded, padding=160)
    return np.ascontiguousarray(mel[:, : n_samples // 160], dtype=np.float32)


def _voice(seconds: float, seed: int) -> np.ndarray:
    """Noise shaped by a syllable-rate envelope, loud and quiet stretches, ending in speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * WHISPER_RATE)) / WHISPER_RATE
    envelope = 0.05 + 0.5 * np.abs(np.sin(2 * np.pi * 3.0 * t))
    return (rng.standard_normal(t.size) * envelope).astype(np.float32)


@pytest.mark.parametrize(
    ("seconds", "window_s"),
    [(0.0, 10), (0.3, 10), (2.4, 10), (9.96, 10), (10.0, 10), (12.5, 10), (29.0, 30), (31.0, 30)],
)
def test_the_log_mel_equals_faster_whispers_on_the_padded_window(
    seconds: float, window_s: int
) -> None:
    audio = _voice(seconds, seed=int(seconds * 100))
    got = log_mel(FEATURES, audio, window_s)
    want = _reference(audio, window_s)
    assert got.shape == want.shape == (80, window_s * 100)
    assert got.dtype == np.float32
    assert got.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


@pytest.mark.parametrize("gain", [1.0, 1e-3])
def test_the_padding_is_the_floor_or_eight_decades_below_the_loudest_frame(gain: float) -> None:
    audio = (_voice(1.0, seed=7) * gain).astype(np.float32)
    got = log_mel(FEATURES, audio, 10)
    np.testing.assert_allclose(got, _reference(audio, 10), rtol=0, atol=1e-6)
    # log10 power floor -10 -> -1.5; max - 8 decades -> max - 2 after (x + 4) / 4
    floor = max(-1.5, float(got.max()) - 2.0)
    np.testing.assert_allclose(got[:, -300:], floor, rtol=0, atol=1e-6)
