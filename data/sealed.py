"""Files sealed with AES-256-GCM in fixed-size chunks: written as a stream, read at any offset.

Layout: ``MAGIC | u32 header length | header (JSON) | chunk…``. A chunk is ``nonce(12) |
ciphertext | tag(16)``; every chunk but the last holds exactly ``chunk`` plaintext bytes, so
plaintext byte *n* lies in chunk ``n // chunk`` at a computable file offset and a range read
decrypts only the chunks it needs. The key is derived (HKDF, one ``purpose`` per use) from the
data key the header names, so keys rotate and every key of the keyring still opens old files.

Each chunk's associated data is ``sha256(header) | context | index | last``: a changed header,
a chunk altered, moved, dropped or repeated, a file cut short or extended, or a file put in
another's place (the ``context``, e.g. the attempt id of a recording) fails authentication.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from data.crypto import DataKey, Keyring
from data.errors import KeyringError

MAGIC = b"COLLECTBOT-SEALED-1\n"
_NONCE, _TAG = 12, 16
_OVERHEAD = _NONCE + _TAG
_LEN = struct.Struct(">I")
MAX_CHUNK = 4 << 20
MAX_HEADER = 1 << 16


class SealedError(KeyringError):
    """A sealed file that is not one, names a key the keyring lacks, or was altered."""


def _aead(key: DataKey, purpose: str) -> AESGCM:
    info = f"collectbot-sealed-v1:{purpose}".encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key.key)
    return AESGCM(derived)


def _aad(digest: bytes, context: bytes, index: int, last: bool) -> bytes:
    return digest + _LEN.pack(len(context)) + context + struct.pack(">Q?", index, last)


def _rechunk(pieces: Iterable[bytes], size: int) -> Iterator[tuple[bytes, bool]]:
    """``pieces`` cut into ``size``-byte chunks, each with "is it the last"; at least one."""
    buf = bytearray()
    pending: bytes | None = None  # a full chunk not yet known to be the last
    for piece in pieces:
        buf += piece
        while len(buf) >= size:
            if pending is not None:
                yield pending, False
            pending = bytes(buf[:size])
            del buf[:size]
    if pending is not None and not buf:
        yield pending, True
        return
    if pending is not None:
        yield pending, False
    yield bytes(buf), True


def seal(
    out: BinaryIO,
    pieces: Iterable[bytes],
    key: DataKey,
    *,
    purpose: str,
    context: bytes,
    header: Mapping[str, object],
    chunk: int,
) -> int:
    """Write ``pieces`` (any sizes) sealed under ``key``; returns the plaintext size."""
    if not 0 < chunk <= MAX_CHUNK:
        raise ValueError(f"chunk size {chunk} out of range")
    raw = json.dumps({**header, "kid": key.kid, "chunk": chunk}, sort_keys=True).encode()
    if len(raw) > MAX_HEADER:
        raise ValueError("sealed header too large")
    out.write(MAGIC + _LEN.pack(len(raw)) + raw)
    aead, digest, size = _aead(key, purpose), hashlib.sha256(raw).digest(), 0
    for index, (plain, last) in enumerate(_rechunk(pieces, chunk)):
        nonce = os.urandom(_NONCE)
        out.write(nonce + aead.encrypt(nonce, plain, _aad(digest, context, index, last)))
        size += len(plain)
    return size


class SealedReader:
    """Reads a sealed file: its header, its plaintext size, any byte range of its plaintext."""

    def __init__(
        self, f: BinaryIO, keyring: Keyring, *, purpose: str, context: bytes, file_size: int
    ) -> None:
        if f.read(len(MAGIC)) != MAGIC:
            raise SealedError("not a sealed CollectBot file")
        (length,) = _LEN.unpack(_exact(f, _LEN.size))
        if length > MAX_HEADER:
            raise SealedError("the sealed file's header is too large")
        raw = _exact(f, length)
        try:
            header = json.loads(raw)
        except ValueError as e:
            raise SealedError("the sealed file's header is unreadable") from e
        if not isinstance(header, dict):
            raise SealedError("the sealed file's header is unreadable")
        key = next((k for k in keyring.keys if k.kid == header.get("kid")), None)
        if key is None:
            raise SealedError(f"sealed with key {header.get('kid')!r}, which is not in the keyring")
        chunk = header.get("chunk")
        if not isinstance(chunk, int) or not 0 < chunk <= MAX_CHUNK:
            raise SealedError("the sealed file's chunk size is invalid")
        self.header: dict[str, object] = header
        self.kid, self.chunk = key.kid, chunk
        self._f, self._context, self._digest = f, context, hashlib.sha256(raw).digest()
        self._aead = _aead(key, purpose)
        self._start = len(MAGIC) + _LEN.size + length
        body = file_size - self._start
        self.chunks = max(1, -(-body // (chunk + _OVERHEAD)))
        self.size = body - self.chunks * _OVERHEAD
        last = body - (self.chunks - 1) * (chunk + _OVERHEAD)
        if body < _OVERHEAD or last < _OVERHEAD:
            raise SealedError("the sealed file is cut short")

    def authenticate_header(self) -> None:
        """Decrypt the first chunk: its associated data proves the header was not changed."""
        self._chunk(0)

    def _chunk(self, index: int) -> bytes:
        last = index == self.chunks - 1
        self._f.seek(self._start + index * (self.chunk + _OVERHEAD))
        n = (self.size - index * self.chunk if last else self.chunk) + _OVERHEAD
        sealed = _exact(self._f, n)
        aad = _aad(self._digest, self._context, index, last)
        try:
            return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], aad)
        except InvalidTag as e:
            raise SealedError(f"chunk {index} of the sealed file failed authentication") from e

    def read(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The plaintext bytes ``start`` ≤ n < ``end`` (default: to the end), chunk by chunk.
        A range read authenticates the chunks it touches; ``read()`` authenticates them all,
        the last one included (so a truncated file is detected)."""
        end = self.size if end is None else min(end, self.size)
        if start >= end and self.size:
            return
        first = start // self.chunk
        stop = self.chunks if end == self.size else -(-end // self.chunk)
        for index in range(first, stop):
            plain = self._chunk(index)
            base = index * self.chunk
            piece = plain[max(0, start - base) : max(0, end - base)]
            if piece:
                yield piece


def _exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise SealedError("the sealed file is cut short")
    return data
