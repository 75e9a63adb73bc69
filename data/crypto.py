"""Encryption of personal data at rest (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

A stored value is ``0x01 | len(kid) | kid | nonce(12) | ciphertext+tag``; the key id travels
with the value so keys can rotate. The associated data binds a value to its column, so a
ciphertext copied into another column does not decrypt.

Blind indexes are HMAC-SHA256 of the normalised value under a key derived (HKDF) from a data
key. Lookups compute the index under every key of the keyring, so they keep working while a
rotation is under way.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.environment import is_production
from core.logging import get_logger
from core.secrets import MIN_SECRET_BITS, shannon_bits
from data.errors import KeyringError

_VERSION = 1
_NONCE = 12
log = get_logger(__name__)


def _derive_index_key(key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"collectbot-blind-index-v1"
    ).derive(key)


def _derive_audit_key(key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"collectbot-audit-chain-v1"
    ).derive(key)


@dataclass(frozen=True, slots=True)
class AuditKeys:
    """The keys of the audit chain's HMACs, derived from the data keys (so they live outside
    the database and rotate with the keyring): the first signs, every one verifies."""

    active: tuple[str, bytes]
    keys: tuple[tuple[str, bytes], ...]
    legacy_until: int = 0  # unkeyed entries accepted up to this sequence number (pre-keying)


@dataclass(frozen=True, slots=True)
class DataKey:
    kid: str
    key: bytes

    @property
    def index_key(self) -> bytes:
        return _derive_index_key(self.key)


def _kid_for(key: bytes) -> str:
    return "k" + hashlib.sha256(key).hexdigest()[:8]


def _decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as e:
        raise KeyringError("data key is not valid base64") from e
    if len(key) != 32:
        raise KeyringError(f"data key must be 32 bytes (AES-256), got {len(key)}")
    return key


def parse_keyring(spec: str) -> list[DataKey]:
    """Parse ``kid:base64[,kid:base64…]`` or one bare base64 key; the first key is active."""
    keys: list[DataKey] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if ":" in part:
            kid, _, b64 = part.partition(":")
            kid = kid.strip()
            if not kid or len(kid) > 32 or not kid.isascii():
                raise KeyringError(f"bad key id {kid!r}")
            keys.append(DataKey(kid, _decode_key(b64)))
        else:
            key = _decode_key(part)
            keys.append(DataKey(_kid_for(key), key))
    if not keys:
        raise KeyringError("the keyring is empty")
    if len({k.kid for k in keys}) != len(keys):
        raise KeyringError("duplicate key id in keyring")
    return keys


def new_key_spec() -> str:
    key = secrets.token_bytes(32)
    return f"{_kid_for(key)}:{base64.b64encode(key).decode()}"


class Keyring:
    """Encrypts with the first (active) key; decrypts with any key it holds."""

    def __init__(self, keys: list[DataKey]) -> None:
        if not keys:
            raise KeyringError("the keyring is empty")
        self.keys = list(keys)
        self._keys = {k.kid: k for k in keys}
        self.active = keys[0]
        self._aead = {k.kid: AESGCM(k.key) for k in keys}
        self._index_keys = [k.index_key for k in keys]

    @classmethod
    def from_spec(cls, spec: str) -> Keyring:
        return cls(parse_keyring(spec))

    def audit_keys(self, legacy_until: int = 0) -> AuditKeys:
        keys = tuple((k.kid, _derive_audit_key(k.key)) for k in self.keys)
        return AuditKeys(active=keys[0], keys=keys, legacy_until=legacy_until)

    @property
    def kids(self) -> list[str]:
        return list(self._keys)

    def encrypt(self, plaintext: str, column: str) -> bytes:
        kid = self.active.kid.encode()
        nonce = os.urandom(_NONCE)
        ct = self._aead[self.active.kid].encrypt(nonce, plaintext.encode(), column.encode())
        return bytes([_VERSION, len(kid)]) + kid + nonce + ct

    def encrypt_opt(self, plaintext: str | None, column: str) -> bytes | None:
        return None if plaintext is None else self.encrypt(plaintext, column)

    def kid_of(self, blob: bytes) -> str:
        if len(blob) < 2 or blob[0] != _VERSION:
            raise KeyringError("not an encrypted value of a known format")
        return blob[2 : 2 + blob[1]].decode()

    def decrypt(self, blob: bytes, column: str) -> str:
        kid = self.kid_of(blob)
        aead = self._aead.get(kid)
        if aead is None:
            raise KeyringError(f"value was encrypted with key {kid!r}, which is not in the keyring")
        start = 2 + blob[1]
        nonce, ct = blob[start : start + _NONCE], blob[start + _NONCE :]
        try:
            return aead.decrypt(nonce, ct, column.encode()).decode()
        except InvalidTag as e:
            raise KeyringError(
                f"value in {column} failed authentication (tampered or moved)"
            ) from e

    def decrypt_opt(self, blob: bytes | None, column: str) -> str | None:
        return None if blob is None else self.decrypt(blob, column)

    def blind_index(self, value: str, purpose: str) -> str:
        """The index under the active key (what is stored)."""
        return self._index(self._index_keys[0], value, purpose)

    def blind_indexes(self, value: str, purpose: str) -> list[str]:
        """The index under every key (what a lookup searches for)."""
        return [self._index(k, value, purpose) for k in self._index_keys]

    @staticmethod
    def _index(key: bytes, value: str, purpose: str) -> str:
        msg = purpose.encode() + b"\x00" + value.encode()
        return hmac.new(key, msg, hashlib.sha256).hexdigest()[:32]


def require_random_keys(keys: list[DataKey]) -> None:
    """Refuse a key that is not random-looking (e.g. 32 zero bytes, a repeated pattern)."""
    for k in keys:
        bits = shannon_bits(k.key.decode("latin-1"))
        if bits < MIN_SECRET_BITS:
            raise KeyringError(
                f"data key {k.kid!r} is not random (about {bits:.0f} bits of entropy); "
                f"create one with `collectbot keys new`"
            )


def load_keyring(spec: str | None, home: Path, *, environment: str) -> Keyring:
    """The keyring from ``COLLECTBOT_DATA_KEY``; in development a key file under ``home``.
    Production never generates a key and refuses keys that are not random."""
    production = is_production(environment)
    if spec:
        keyring = Keyring.from_spec(spec)
        if production:
            require_random_keys(keyring.keys)
        return keyring
    if production:
        raise KeyringError("COLLECTBOT_DATA_KEY is required in production")
    path = home / "dev-data-key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(new_key_spec() + "\n")
    print(
        f"WARNING: COLLECTBOT_DATA_KEY is not set; personal data is encrypted with the "
        f"DEVELOPMENT key in {path}. Never use this key for real debtor data.",
        file=sys.stderr,
    )
    log.warning("data_key.development_key_in_use", path=str(path))
    return Keyring.from_spec(path.read_text().strip())
