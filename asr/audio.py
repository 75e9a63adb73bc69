"""16-bit mono PCM helpers: validation, conversion to float32 and resampling with soxr."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

from asr.errors import AudioFormatError

SUPPORTED_RATES = frozenset({8000, 16000, 22050, 24000, 32000, 44100, 48000})

FloatArray = npt.NDArray[np.float32]


def check_pcm(pcm: bytes, sample_rate: int) -> None:
    """Refuse audio that cannot be 16-bit mono PCM at a known rate."""
    if sample_rate not in SUPPORTED_RATES:
        raise AudioFormatError(f"unsupported sample rate {sample_rate} Hz")
    if len(pcm) % 2:
        raise AudioFormatError("16-bit PCM must have an even number of bytes")


def pcm_to_float(pcm: bytes) -> FloatArray:
    """Signed 16-bit little-endian PCM to float32 in [-1, 1)."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    return samples / np.float32(32768.0)


def float_to_pcm(audio: FloatArray) -> bytes:
    clipped = np.clip(audio * 32767.0, -32768, 32767)
    return bytes(clipped.astype("<i2").tobytes())


def resample_float(audio: FloatArray, from_rate: int, to_rate: int) -> FloatArray:
    if from_rate == to_rate or audio.size == 0:
        return audio
    out: FloatArray = soxr.resample(audio, from_rate, to_rate).astype(np.float32)
    return out


def pcm_to_float_at(pcm: bytes, from_rate: int, to_rate: int) -> FloatArray:
    """PCM at ``from_rate`` to float32 at ``to_rate`` (what Whisper wants is 16 kHz)."""
    check_pcm(pcm, from_rate)
    return resample_float(pcm_to_float(pcm), from_rate, to_rate)


def duration_ms(pcm: bytes, sample_rate: int) -> int:
    return (len(pcm) // 2) * 1000 // sample_rate


def telephone_line(pcm: bytes, sample_rate: int = 8000) -> bytes:
    """What a telephone call does to 16-bit PCM: band-limit to 300-3400 Hz and round-trip
    through 8-bit mu-law (G.711). For benches and tests that hear synthetic speech as the IVR
    receives it from RTP."""
    x = pcm_to_float(pcm).astype(np.float64)
    spectrum = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(x.size, 1 / sample_rate)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    x = np.fft.irfft(spectrum, x.size)
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.abs(np.clip(x, -1, 1))) / np.log1p(mu)
    q = np.round((y + 1) / 2 * 255) / 255 * 2 - 1
    x = np.sign(q) * np.expm1(np.abs(q) * np.log1p(mu)) / mu
    return bytes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


def line_noises(seconds: float = 2.0, sample_rate: int = 8000, seed: int = 7) -> dict[str, bytes]:
    """Audio in which nobody speaks, as a telephone line carries it: silence, hiss at -40 and
    -20 dBFS, mains hum with hiss, breath bursts (benches and tests of the speech gate)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sample_rate)
    t = np.arange(n) / sample_rate
    sources = {
        "silence": np.zeros(n),
        "white -40 dBFS": rng.normal(0, 0.01, n),
        "white -20 dBFS": rng.normal(0, 0.1, n),
        "50 Hz hum + hiss": 0.05 * np.sin(2 * np.pi * 50 * t) + rng.normal(0, 0.01, n),
        "breath bursts": rng.normal(0, 0.08, n) * (np.sin(2 * np.pi * 0.7 * t) > 0.6),
    }
    return {
        name: telephone_line((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes(), sample_rate)
        for name, x in sources.items()
    }
