"""PCM helpers for synthesis output: float32 to 16-bit PCM, resampling with soxr, WAV parsing."""

from __future__ import annotations

import io
import wave

import numpy as np
import numpy.typing as npt
import soxr

from tts.errors import AudioFormatError, SynthesisError

OUTPUT_RATES = frozenset({8000, 16000, 22050, 24000, 32000, 44100, 48000})
FloatArray = npt.NDArray[np.float32]


def check_rate(sample_rate: int) -> None:
    if sample_rate not in OUTPUT_RATES:
        raise AudioFormatError(f"cannot produce audio at {sample_rate} Hz")


def to_pcm(audio: FloatArray, from_rate: int, to_rate: int) -> bytes:
    """Float audio in [-1, 1] at ``from_rate`` to 16-bit PCM at ``to_rate`` (soxr, HQ)."""
    if from_rate != to_rate and audio.size:
        audio = soxr.resample(audio, from_rate, to_rate).astype(np.float32)
    return bytes(np.clip(audio * 32767.0, -32768, 32767).astype("<i2").tobytes())


def wav_to_float(data: bytes) -> tuple[FloatArray, int]:
    """A 16-bit mono WAV (as espeak-ng writes on stdout) to float audio and its rate."""
    try:
        with wave.open(io.BytesIO(data)) as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise SynthesisError("expected 16-bit mono WAV")
            rate = w.getframerate()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        raise SynthesisError("unreadable WAV from the engine") from e
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / np.float32(32768.0)
    return samples, rate
