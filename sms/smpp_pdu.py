"""SMPP 3.4 PDUs: the header, C-strings, and the few operations a transmitter needs."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from sms.errors import GatewayError

BIND_TRANSMITTER = 0x00000002
BIND_TRANSMITTER_RESP = 0x80000002
SUBMIT_SM = 0x00000004
SUBMIT_SM_RESP = 0x80000004
DELIVER_SM = 0x00000005
DELIVER_SM_RESP = 0x80000005
UNBIND = 0x00000006
UNBIND_RESP = 0x80000006
ENQUIRE_LINK = 0x00000015
ENQUIRE_LINK_RESP = 0x80000015
GENERIC_NACK = 0x80000000
RESPONSE_BIT = 0x80000000
TLV_MESSAGE_PAYLOAD = 0x0424
HEADER = struct.Struct(">IIII")
MAX_PDU = 64 * 1024


@dataclass(frozen=True, slots=True)
class Pdu:
    command_id: int
    status: int
    sequence: int
    body: bytes = b""

    def encode(self) -> bytes:
        return (
            HEADER.pack(HEADER.size + len(self.body), self.command_id, self.status, self.sequence)
            + self.body
        )


def cstr(text: str, limit: int) -> bytes:
    raw = text.encode("ascii")
    if len(raw) >= limit:
        raise GatewayError(f"SMPP field {text!r} longer than {limit - 1} characters")
    return raw + b"\x00"


def read_cstr(data: bytes, offset: int) -> tuple[str, int]:
    end = data.index(b"\x00", offset)
    return data[offset:end].decode("ascii", "replace"), end + 1


def bind_transmitter_body(system_id: str, password: str, system_type: str) -> bytes:
    return (
        cstr(system_id, 16)
        + cstr(password, 9)
        + cstr(system_type, 13)
        + bytes([0x34, 0, 0])
        + cstr("", 41)
    )


def encode_text(text: str) -> tuple[int, bytes]:
    """(data_coding, octets): 0x00 (SMSC default) for ASCII, 0x08 (UCS-2) otherwise."""
    if text.isascii():
        return 0x00, text.encode("ascii")
    return 0x08, text.encode("utf-16-be")


def submit_sm_body(source: str, destination: str, text: str, *, receipt: bool = True) -> bytes:
    coding, octets = encode_text(text)
    head = (
        cstr("", 6)  # service_type
        + bytes([5, 0])
        + cstr(source, 21)  # alphanumeric source
        + bytes([1, 1])
        + cstr(destination.lstrip("+"), 21)  # international, E.164
        + bytes([0, 0, 0])
        + cstr("", 17)
        + cstr("", 17)
        + bytes([1 if receipt else 0, 0, coding, 0])
    )
    if len(octets) <= 254:
        return head + bytes([len(octets)]) + octets
    # longer texts travel in the message_payload TLV with sm_length 0
    return head + bytes([0]) + struct.pack(">HH", TLV_MESSAGE_PAYLOAD, len(octets)) + octets


@dataclass(frozen=True, slots=True)
class SubmitSm:
    source: str
    destination: str
    data_coding: int
    text: str
    registered_delivery: int


def parse_submit_sm(body: bytes) -> SubmitSm:
    """Used by the test SMSC (and useful for logging): the fields a transmitter sets."""
    _, o = read_cstr(body, 0)
    o += 2
    source, o = read_cstr(body, o)
    o += 2
    destination, o = read_cstr(body, o)
    o += 3
    _, o = read_cstr(body, o)
    _, o = read_cstr(body, o)
    registered, _, coding, _, length = body[o : o + 5]
    o += 5
    octets = body[o : o + length]
    if length == 0 and len(body) > o + 4:
        tag, size = struct.unpack(">HH", body[o : o + 4])
        if tag == TLV_MESSAGE_PAYLOAD:
            octets = body[o + 4 : o + 4 + size]
    text = octets.decode("utf-16-be") if coding == 0x08 else octets.decode("ascii", "replace")
    return SubmitSm(source, destination, coding, text, registered)
