"""RTP packets (RFC 3550) and the slin byte order: Asterisk sends L16 big-endian, we use LE."""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass

from ivr.errors import MediaError

PT_SLIN = 10  # static payload type of L16 mono in Asterisk's table (8 kHz for format=slin)
RATE = 8000
FRAME_MS = 20
FRAME_SAMPLES = RATE * FRAME_MS // 1000  # 160
FRAME_BYTES = FRAME_SAMPLES * 2  # 320
_HEADER = struct.Struct("!BBHII")


@dataclass(frozen=True, slots=True)
class RtpPacket:
    payload_type: int
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes
    marker: bool = False

    @classmethod
    def parse(cls, data: bytes) -> RtpPacket:
        if len(data) < _HEADER.size:
            raise MediaError(f"RTP packet too short: {len(data)} bytes")
        b0, b1, seq, ts, ssrc = _HEADER.unpack_from(data)
        if b0 >> 6 != 2:
            raise MediaError(f"not RTP version 2: {b0 >> 6}")
        offset = _HEADER.size + 4 * (b0 & 0x0F)  # CSRC list
        if b0 & 0x10:  # header extension: 16-bit profile, 16-bit length in words
            if len(data) < offset + 4:
                raise MediaError("RTP extension header truncated")
            (words,) = struct.unpack_from("!H", data, offset + 2)
            offset += 4 + 4 * words
        end = len(data)
        if b0 & 0x20:  # padding: the last byte says how many bytes to drop
            end -= data[-1]
        if end < offset:
            raise MediaError("RTP packet shorter than its headers")
        return cls(b1 & 0x7F, seq, ts, ssrc, bytes(data[offset:end]), bool(b1 & 0x80))

    def to_bytes(self) -> bytes:
        b1 = (0x80 if self.marker else 0) | (self.payload_type & 0x7F)
        header = _HEADER.pack(
            0x80, b1, self.sequence & 0xFFFF, self.timestamp & 0xFFFFFFFF, self.ssrc
        )
        return header + self.payload


def swap16(pcm: bytes) -> bytes:
    """Swap the byte order of 16-bit samples (BE <-> LE); a trailing odd byte is dropped."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    samples.byteswap()
    return samples.tobytes()


def be_to_native(pcm_be: bytes) -> bytes:
    """L16 big-endian from the wire -> native (little-endian) int16 samples."""
    return swap16(pcm_be) if sys.byteorder == "little" else pcm_be[: len(pcm_be) // 2 * 2]


def native_to_be(pcm: bytes) -> bytes:
    """Native (little-endian) int16 samples -> L16 big-endian for the wire."""
    return swap16(pcm) if sys.byteorder == "little" else pcm[: len(pcm) // 2 * 2]
