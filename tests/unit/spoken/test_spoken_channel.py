"""The simulated telephone line: G.711 mu-law, packet loss, SNR, determinism by seed."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.spoken.channel import (
    ChannelParams,
    TelephoneChannel,
    mulaw_decode,
    mulaw_encode,
)

RATE = 16000


def _tone(seconds: float, amplitude: float = 0.3, rate: int = RATE) -> bytes:
    """A vowel-like signal: a few harmonics of 180 Hz with a slow amplitude wobble."""
    t = np.arange(int(seconds * rate)) / rate
    wave = sum(np.sin(2 * np.pi * 180 * k * t) / k for k in (1, 2, 3, 5))
    wave *= 0.6 + 0.4 * np.sin(2 * np.pi * 3 * t)
    wave = amplitude * wave / np.max(np.abs(wave))
    return bytes((wave * 32767).astype("<i2").tobytes())


def _samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def test_mulaw_known_codes() -> None:
    # G.711 table values: silence is 0xFF, full scale 0x80 / 0x00
    codes = mulaw_encode(np.array([0, 32767, -32768, 1000, -1000], dtype=np.int16))
    assert codes.tolist() == [0xFF, 0x80, 0x00, 0xCE, 0x4E]
    assert mulaw_decode(np.array([0xFF, 0x7F, 0x80, 0x00], dtype=np.uint8)).tolist() == [
        0,
        0,
        32124,
        -32124,
    ]


def test_mulaw_round_trip_error_is_within_the_segment_step() -> None:
    x = np.arange(-32768, 32768, 7, dtype=np.int16)
    back = mulaw_decode(mulaw_encode(x)).astype(np.int64)
    error = np.abs(back - x.astype(np.int64))
    # the quantisation step doubles per segment: ~3 % relative error, a few LSB near zero
    assert np.all(error <= np.maximum(np.abs(x.astype(np.int64)) * 0.05, 20))
    codes = np.arange(256, dtype=np.uint8)
    again = mulaw_encode(mulaw_decode(codes))
    # every code decodes to a value that encodes back to it (0x7F, "-0", becomes 0xFF)
    assert [c for c in range(256) if again[c] != c] == [0x7F]


def test_output_is_8khz_with_lead_and_tail() -> None:
    params = ChannelParams(loss_rate=0.0, lead_ms=200, tail_ms=300)
    out = TelephoneChannel(params).transmit(_tone(1.0), RATE, seed=1)
    assert out.rate == 8000
    assert len(out.pcm) // 2 == 8000 + 1600 + 2400


def test_packet_loss_rate_and_frames_are_silent() -> None:
    params = ChannelParams(loss_rate=0.03, snr_db=60.0, lead_ms=0, tail_ms=0)
    out = TelephoneChannel(params).transmit(_tone(60.0), RATE, seed=7)
    assert out.frames == 3000
    assert 0.02 <= out.lost_frames / out.frames <= 0.04
    frames = _samples(out.pcm).reshape(-1, 160)
    silent = int(np.sum(np.all(frames == 0, axis=1)))
    assert silent == out.lost_frames


def test_no_loss_when_the_rate_is_zero() -> None:
    out = TelephoneChannel(ChannelParams(loss_rate=0.0)).transmit(_tone(5.0), RATE, seed=3)
    assert out.lost_frames == 0


@pytest.mark.parametrize("snr", [10.0, 20.0])
def test_snr_is_what_was_asked(snr: float) -> None:
    """The noise (noisy output minus the same rendering nearly without noise) sits ``snr`` dB
    below the speech, measured on the audio that came out of the line."""
    clean = ChannelParams(snr_db=120.0, loss_rate=0.0, lead_ms=0, tail_ms=0)
    noisy = ChannelParams(snr_db=snr, loss_rate=0.0, lead_ms=0, tail_ms=0)
    pcm = _tone(3.0)
    speech = _samples(TelephoneChannel(clean).transmit(pcm, RATE, seed=11).pcm)
    mixed = _samples(TelephoneChannel(noisy).transmit(pcm, RATE, seed=11).pcm)
    measured = 10 * np.log10(np.mean(speech**2) / np.mean((mixed - speech) ** 2))
    assert measured == pytest.approx(snr, abs=1.0)


def test_same_seed_same_audio_other_seed_other_audio() -> None:
    line = TelephoneChannel(ChannelParams(loss_rate=0.05))
    pcm = _tone(2.0)
    first = line.transmit(pcm, RATE, seed=42)
    assert line.transmit(pcm, RATE, seed=42).pcm == first.pcm
    assert line.transmit(pcm, RATE, seed=43).pcm != first.pcm


def test_loud_input_is_not_clipped() -> None:
    out = TelephoneChannel(ChannelParams(snr_db=5.0)).transmit(_tone(1.0, 1.0), RATE, seed=5)
    assert np.max(np.abs(_samples(out.pcm))) < 32124


def test_silence_gets_a_quiet_line() -> None:
    out = TelephoneChannel().transmit(bytes(16000), RATE, seed=2)
    level = np.sqrt(np.mean(_samples(out.pcm) ** 2))
    assert 0 < level < 300


@pytest.mark.parametrize(
    "kwargs", [{"loss_rate": 0.6}, {"loss_rate": -0.1}, {"rate": 22050}, {"frame_ms": 0}]
)
def test_bad_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"rate|positive|line runs"):
        ChannelParams(**kwargs)  # type: ignore[arg-type]


def test_key_changes_with_every_parameter() -> None:
    base = ChannelParams()
    others = [
        ChannelParams(snr_db=15),
        ChannelParams(loss_rate=0.01),
        ChannelParams(rate=16000),
        ChannelParams(frame_ms=10),
        ChannelParams(lead_ms=100),
        ChannelParams(tail_ms=100),
        ChannelParams(idle_dbfs=-30),
    ]
    assert len({base.key, *(o.key for o in others)}) == 8
