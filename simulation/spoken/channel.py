"""A telephone line, simulated: 8 kHz, background noise at an SNR, G.711 mu-law, packet loss.

What a debtor's voice goes through before the bot's recogniser hears it. Each rendering is
deterministic for a seed: the noise and the lost packets are drawn from
``numpy.random.default_rng(seed)``. Lost 20 ms packets are replaced by silence (no packet-loss
concealment: the worst case of a plain G.711 endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import soxr

FloatArray = npt.NDArray[np.float64]

_BIAS = 0x84
_CLIP14 = 8159


def mulaw_encode(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.uint8]:
    """G.711 mu-law: 16-bit linear PCM to 8-bit codes (bit-exact with the Sun/ITU reference)."""
    v = samples.astype(np.int32) >> 2  # the reference works on 14 bits
    negative = v < 0
    magnitude = np.minimum(np.where(negative, -v, v), _CLIP14) + (_BIAS >> 2)
    segment = np.maximum(np.floor(np.log2(magnitude)).astype(np.int32) - 5, 0)
    code = (np.minimum(segment, 7) << 4) | ((magnitude >> (segment + 1)) & 0x0F)
    code = np.where(segment > 7, 0x7F, code)  # beyond the last segment: full scale
    return (code ^ np.where(negative, 0x7F, 0xFF)).astype(np.uint8)


def mulaw_decode(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int16]:
    """G.711 mu-law: 8-bit codes back to 16-bit linear PCM."""
    u = ~codes.astype(np.int32) & 0xFF
    exponent = (u >> 4) & 0x07
    magnitude = (((u & 0x0F) << 3) + _BIAS) << exponent
    linear = magnitude - _BIAS
    return np.where(u & 0x80, -linear, linear).astype(np.int16)


def pink_noise(n: int, rng: np.random.Generator) -> FloatArray:
    """Unit-power noise with a 1/f spectrum (closer to a room or a street than white noise)."""
    if n == 0:
        return np.zeros(0)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1] if n > 1 else 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(freqs), n)
    power = float(np.mean(noise**2))
    return noise / np.sqrt(power) if power > 0 else noise


@dataclass(frozen=True, slots=True)
class ChannelParams:
    """The line: output rate, SNR of the background noise, packet loss rate and framing."""

    rate: int = 8000
    snr_db: float = 20.0
    loss_rate: float = 0.02
    frame_ms: int = 20
    lead_ms: int = 250
    tail_ms: int = 350
    idle_dbfs: float = -45.0  # the noise level of a line with no speech on it

    def __post_init__(self) -> None:
        if self.rate not in (8000, 16000):
            raise ValueError(f"a telephone line runs at 8000 or 16000 Hz, not {self.rate}")
        if not 0.0 <= self.loss_rate < 0.5:
            raise ValueError(f"packet loss rate {self.loss_rate} is outside 0..0.5")
        if self.frame_ms <= 0 or self.lead_ms < 0 or self.tail_ms < 0:
            raise ValueError("frame, lead and tail durations must be positive")

    @property
    def key(self) -> str:
        """Identity for cache keys: every parameter that changes the audio."""
        idle = "" if self.idle_dbfs == -45.0 else f"idle={self.idle_dbfs:g}:"
        return (
            f"rate={self.rate}:snr={self.snr_db:g}:loss={self.loss_rate:g}:"
            f"frame={self.frame_ms}:lead={self.lead_ms}:tail={self.tail_ms}:{idle}pink:mulaw:v1"
        )


@dataclass(frozen=True, slots=True)
class LineOutput:
    """What arrived at the far end, with the facts of the rendering (for tests and reports)."""

    pcm: bytes
    rate: int
    lost_frames: int
    frames: int
    snr_db: float


def _to_rate(pcm: bytes, from_rate: int, to_rate: int) -> FloatArray:
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    if from_rate == to_rate or audio.size == 0:
        return audio
    return np.asarray(soxr.resample(audio, from_rate, to_rate), dtype=np.float64)


class TelephoneChannel:
    """Apply the line to 16-bit mono PCM; ``seed`` makes the noise and the losses repeatable."""

    def __init__(self, params: ChannelParams | None = None) -> None:
        self.params = params or ChannelParams()

    def transmit(self, pcm: bytes, sample_rate: int, seed: int) -> LineOutput:
        p = self.params
        rng = np.random.default_rng(seed)
        speech = _to_rate(pcm, sample_rate, p.rate)
        lead, tail = p.rate * p.lead_ms // 1000, p.rate * p.tail_ms // 1000
        padded = np.concatenate([np.zeros(lead), speech, np.zeros(tail)])
        speech_power = float(np.mean(speech**2)) if speech.size else 0.0
        noise = pink_noise(padded.size, rng)
        if speech_power > 0:
            noise *= np.sqrt(speech_power / 10 ** (p.snr_db / 10))
        else:
            noise *= 10 ** (p.idle_dbfs / 20)  # no speech to scale against: the line's own level
        mixed = padded + noise
        peak = float(np.max(np.abs(mixed))) if mixed.size else 0.0
        gain = 0.9 / peak if peak > 0.9 else 1.0  # the far end's AGC: no clipping
        linear = np.clip(np.round(mixed * gain * 32767), -32768, 32767).astype(np.int16)
        codes = mulaw_encode(linear)
        frame = p.rate * p.frame_ms // 1000
        frames = -(-codes.size // frame)
        lost = rng.random(frames) < p.loss_rate
        for index in np.flatnonzero(lost):
            codes[index * frame : (index + 1) * frame] = 0xFF  # mu-law silence
        decoded = mulaw_decode(codes)
        measured = 10 * np.log10(speech_power / float(np.mean(noise**2))) if speech_power else 0.0
        return LineOutput(
            pcm=decoded.astype("<i2").tobytes(),
            rate=p.rate,
            lost_frames=int(lost.sum()),
            frames=frames,
            snr_db=float(measured),
        )
