"""RTP packets, byte order, jitter buffer and frame assembly."""

from __future__ import annotations

import struct

import pytest

from ivr.errors import MediaError
from ivr.media.audio import rms, silence, tone, tone_share
from ivr.media.jitter import FrameAssembler, JitterBuffer, extend_sequence
from ivr.media.rtp import PT_SLIN, RtpPacket, be_to_native, native_to_be


def test_rtp_round_trip() -> None:
    packet = RtpPacket(PT_SLIN, 65535, 4_000_000_000, 0xDEADBEEF, b"\x01\x02" * 160, True)
    raw = packet.to_bytes()
    assert len(raw) == 12 + 320
    assert raw[0] == 0x80
    assert raw[1] == 0x80 | 10
    assert RtpPacket.parse(raw) == packet


def test_rtp_parse_skips_csrc_extension_and_padding() -> None:
    header = struct.pack("!BBHII", 0x80 | 0x20 | 0x10 | 2, 10, 7, 160, 1)
    csrcs = struct.pack("!II", 11, 12)
    extension = struct.pack("!HH", 0xBEDE, 1) + b"\x00" * 4
    payload = b"\x00\x01\x00\x02"
    padding = b"\x00\x00\x03"
    packet = RtpPacket.parse(header + csrcs + extension + payload + padding)
    assert packet.payload == payload
    assert packet.sequence == 7
    assert packet.payload_type == 10


@pytest.mark.parametrize("data", [b"", b"\x80" * 5, b"\x40" + b"\x00" * 20])
def test_rtp_parse_rejects_garbage(data: bytes) -> None:
    with pytest.raises(MediaError):
        RtpPacket.parse(data)


def test_byte_order_swaps_each_sample() -> None:
    native = struct.pack("<hh", 1, -2)
    be = native_to_be(native)
    assert be == struct.pack(">hh", 1, -2)
    assert be_to_native(be) == native


@pytest.mark.parametrize(
    ("seq", "ref", "expected"),
    [(5, 65530, 65541), (65530, 65541, 65530), (100, 90, 100), (0, 0, 0)],
)
def test_extend_sequence_unwraps(seq: int, ref: int, expected: int) -> None:
    assert extend_sequence(seq, ref) == expected


def _push_all(jb: JitterBuffer, seqs: list[int]) -> list[bytes]:
    out: list[bytes] = []
    for s in seqs:
        out += jb.push(s & 0xFFFF, s.to_bytes(4, "big"))
    return out


def test_jitter_reorders_across_wrap() -> None:
    jb = JitterBuffer(depth=3)
    seqs = [65533, 65535, 65534, 65536, 65538, 65537, 65539]  # wire: ..., 0, 2, 1, 3
    out = _push_all(jb, seqs)
    assert [int.from_bytes(p, "big") for p in out] == [
        65533,
        65534,
        65535,
        0x10000,
        0x10001,
        0x10002,
        0x10003,
    ]
    assert jb.counters.lost == 0


def test_jitter_declares_loss_after_depth_and_conceals() -> None:
    jb = JitterBuffer(depth=2)
    out = _push_all(jb, [10, 12, 13])
    assert [len(p) for p in out] == [4, 4, 4, 4]
    assert out[1] == bytes(4)  # silence in place of 11
    assert jb.counters.lost == 1
    assert jb.push(11, b"late") == []
    assert jb.counters.late == 1


def test_jitter_drops_duplicates_and_handles_variable_sizes() -> None:
    jb = JitterBuffer(depth=3)
    assert jb.push(1, b"ab") == [b"ab"]
    assert jb.push(3, b"x" * 320) == []
    assert jb.push(3, b"x" * 320) == []
    assert jb.counters.duplicates == 1
    assert jb.push(2, b"y" * 320) == [b"y" * 320, b"x" * 320]


def test_frame_assembler_rechunks_and_pads() -> None:
    fa = FrameAssembler(320)
    assert fa.push(b"a" * 24) == []
    frames = fa.push(b"b" * 700)
    assert [len(f) for f in frames] == [320, 320]
    assert frames[0] == b"a" * 24 + b"b" * 296
    last = fa.flush()
    assert last is not None
    assert len(last) == 320
    assert last.startswith(b"b" * 84)
    assert fa.flush() is None


def test_tone_share_separates_frequencies() -> None:
    t1k = tone(1000, 500)
    assert tone_share(t1k, 1000) > 0.95
    assert tone_share(t1k, 440) < 0.02
    mixed = bytes(a for a in tone(1000, 500)) + silence(500)
    assert tone_share(mixed, 1000) > 0.95  # silence adds no energy
    assert rms(silence(100)) == 0.0
    assert rms(t1k) > 5000
