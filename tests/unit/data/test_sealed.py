"""Sealed files (recordings, backups): round trips at every size, ranges, and every tampering."""

from __future__ import annotations

import io
import os

import pytest

from data.crypto import Keyring, new_key_spec
from data.sealed import SealedError, SealedReader, seal

CHUNK = 16


def _sealed(plain: bytes, keyring: Keyring, pieces: int = 3, context: bytes = b"a1") -> bytes:
    out = io.BytesIO()
    step = max(1, len(plain) // pieces)
    parts = [plain[i : i + step] for i in range(0, len(plain), step)] or [b""]
    size = seal(out, parts, keyring.active, purpose="t", context=context, header={}, chunk=CHUNK)
    assert size == len(plain)
    return out.getvalue()


def _reader(blob: bytes, keyring: Keyring, context: bytes = b"a1") -> SealedReader:
    return SealedReader(
        io.BytesIO(blob), keyring, purpose="t", context=context, file_size=len(blob)
    )


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 31, 32, 33, 160, 161])
def test_every_size_round_trips_and_the_plaintext_is_not_in_the_file(size: int) -> None:
    keyring = Keyring.from_spec(new_key_spec())
    plain = os.urandom(size)
    blob = _sealed(plain, keyring)
    reader = _reader(blob, keyring)
    assert reader.size == size
    assert b"".join(reader.read()) == plain
    if size >= 8:
        assert plain not in blob


@pytest.mark.parametrize(
    ("start", "end"), [(0, 1), (5, 40), (16, 32), (15, 17), (99, 100), (0, 100), (60, 500)]
)
def test_a_range_reads_only_those_bytes(start: int, end: int) -> None:
    keyring = Keyring.from_spec(new_key_spec())
    plain = bytes(range(100))
    reader = _reader(_sealed(plain, keyring), keyring)
    assert b"".join(reader.read(start, end)) == plain[start:end]


def test_an_old_key_still_opens_and_the_header_names_it() -> None:
    old = Keyring.from_spec(new_key_spec())
    blob = _sealed(b"x" * 50, old)
    rotated = Keyring([Keyring.from_spec(new_key_spec()).active, old.active])
    reader = _reader(blob, rotated)
    assert reader.kid == old.active.kid
    assert b"".join(reader.read()) == b"x" * 50
    with pytest.raises(SealedError, match="not in the keyring"):
        _reader(blob, Keyring.from_spec(new_key_spec()))


def _tampered(blob: bytes, how: str) -> bytes:
    header_end = len(blob) - (4 * (CHUNK + 28))  # 64 plaintext bytes: 4 full chunks
    match how:
        case "flip":
            return blob[:-5] + bytes([blob[-5] ^ 1]) + blob[-4:]
        case "cut_a_chunk":
            return blob[: -(CHUNK + 28)]
        case "cut_bytes":
            return blob[:-3]
        case "extend":
            return blob + blob[header_end : header_end + CHUNK + 28]
        case "swap":
            a = blob[header_end : header_end + CHUNK + 28]
            b = blob[header_end + CHUNK + 28 : header_end + 2 * (CHUNK + 28)]
            return blob[:header_end] + b + a + blob[header_end + 2 * (CHUNK + 28) :]
        case "header":
            return blob.replace(b'"chunk": 16', b'"chunk": 16 ', 1)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["flip", "cut_a_chunk", "cut_bytes", "extend", "swap", "header"])
def test_any_tampering_fails_a_full_read(how: str) -> None:
    keyring = Keyring.from_spec(new_key_spec())
    blob = _tampered(_sealed(bytes(64), keyring), how)
    with pytest.raises(SealedError):
        b"".join(_reader(blob, keyring).read())


def test_a_file_moved_to_another_context_does_not_open() -> None:
    keyring = Keyring.from_spec(new_key_spec())
    blob = _sealed(b"debtor audio" * 4, keyring, context=b"attempt-1")
    with pytest.raises(SealedError, match="authentication"):
        b"".join(_reader(blob, keyring, context=b"attempt-2").read())


def test_not_a_sealed_file() -> None:
    keyring = Keyring.from_spec(new_key_spec())
    with pytest.raises(SealedError, match="not a sealed"):
        _reader(b"RIFF....WAVEfmt ", keyring)
