"""Small PCM helpers (native int16 mono): tones, RMS, and the share of a tone in a signal."""

from __future__ import annotations

import math
from array import array

import numpy as np

from ivr.media.rtp import RATE


def samples(pcm: bytes) -> array[int]:
    out = array("h")
    out.frombytes(pcm[: len(pcm) // 2 * 2])
    return out


def tone(freq_hz: float, ms: int, *, rate: int = RATE, amplitude: int = 8000) -> bytes:
    n = rate * ms // 1000
    step = 2 * math.pi * freq_hz / rate
    return array("h", (int(amplitude * math.sin(step * i)) for i in range(n))).tobytes()


def silence(ms: int, *, rate: int = RATE) -> bytes:
    return bytes(rate * ms // 1000 * 2)


def rms(pcm: bytes) -> float:
    s = np.frombuffer(pcm, dtype=np.int16, count=len(pcm) // 2).astype(np.float64)
    return math.sqrt(float(np.dot(s, s)) / s.size) if s.size else 0.0


def tone_share(pcm: bytes, freq_hz: float, *, rate: int = RATE, block: int = 400) -> float:
    """The fraction of the signal's energy at ``freq_hz`` (Goertzel on blocks): 1.0 = pure tone."""
    s = samples(pcm)
    total = sum(x * x for x in s)
    if total == 0:
        return 0.0
    coeff = 2 * math.cos(2 * math.pi * freq_hz / rate)
    tone_energy = 0.0
    for start in range(0, len(s) - block + 1, block):
        q1 = q2 = 0.0
        for x in s[start : start + block]:
            q1, q2 = coeff * q1 - q2 + x, q1
        power = q1 * q1 + q2 * q2 - coeff * q1 * q2
        tone_energy += 2 * power / block
    return min(1.0, tone_energy / total)
