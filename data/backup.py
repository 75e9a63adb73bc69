"""Encrypted backups of the SQLite database (PostgreSQL: pg_dump, see docs/security.md).

``create`` copies the live database with SQLite's online backup API (a consistent snapshot
while the API keeps writing), then encrypts the copy in 1 MiB chunks with AES-256-GCM under a
key derived from the active data key. The header (key id, time, the copy's audit head) is
authenticated with every chunk; each chunk's associated data holds its index and whether it
is the last, so a reordered, cut or extended file fails. The plaintext copy exists only as a
0600 temporary file next to the output and is removed at once.

``verify`` decrypts into a temporary file and checks SQLite's integrity, the audit chain (and
that its head is the one the header recorded) and that a sample of personal data decrypts.
``restore`` verifies, then moves the verified copy into place.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select

from data import audit
from data.crypto import AuditKeys, DataKey, Keyring
from data.db import Database
from data.errors import DataError
from data.models import Debtor

MAGIC = b"COLLECTBOT-BACKUP-1\n"
CHUNK = 1 << 20
_LEN = struct.Struct(">I")


class BackupError(DataError):
    """A backup that cannot be written, read, decrypted or trusted."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    kid: str
    created_at: str
    audit_entries: int
    audit_seq: int
    debtors: int


def _key(key: DataKey) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"collectbot-backup-v1"
    ).derive(key.key)
    return AESGCM(derived)


def _private_tmp(near: Path, tag: str) -> Path:
    path = near.with_name(f".{near.name}.{tag}.{os.urandom(6).hex()}.tmp")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    return path


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", index, last)


def _encrypt(src: Path, out: BinaryIO, aead: AESGCM, header: bytes) -> None:
    out.write(MAGIC + _LEN.pack(len(header)) + header)
    size = src.stat().st_size
    with src.open("rb") as f:
        index, done = 0, 0
        while True:
            chunk = f.read(CHUNK)
            done += len(chunk)
            last = done >= size
            nonce = os.urandom(12)
            sealed = aead.encrypt(nonce, chunk, _aad(header, index, last))
            out.write(_LEN.pack(len(sealed)) + nonce + sealed)
            index += 1
            if last:
                return


def _read_exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise BackupError("the backup file is cut short")
    return data


def _header(f: BinaryIO) -> tuple[bytes, dict[str, object]]:
    if f.read(len(MAGIC)) != MAGIC:
        raise BackupError("not a CollectBot backup file")
    (length,) = _LEN.unpack(_read_exact(f, _LEN.size))
    raw = _read_exact(f, min(length, 1 << 16))
    try:
        header = json.loads(raw)
    except ValueError as e:
        raise BackupError("the backup header is unreadable") from e
    if not isinstance(header, dict):
        raise BackupError("the backup header is unreadable")
    return raw, header


def _decrypt(path: Path, keyring: Keyring, out: BinaryIO) -> dict[str, object]:
    with path.open("rb") as f:
        raw, header = _header(f)
        key = next((k for k in keyring.keys if k.kid == header.get("kid")), None)
        if key is None:
            raise BackupError(
                f"the backup was made with key {header.get('kid')!r}, not in the keyring"
            )
        aead, index = _key(key), 0
        while True:
            (length,) = _LEN.unpack(_read_exact(f, _LEN.size))
            nonce, sealed = _read_exact(f, 12), _read_exact(f, min(length, CHUNK + 16))
            try:
                chunk, last = aead.decrypt(nonce, sealed, _aad(raw, index, False)), False
            except InvalidTag:
                try:
                    chunk, last = aead.decrypt(nonce, sealed, _aad(raw, index, True)), True
                except InvalidTag as e:
                    raise BackupError(f"chunk {index} of the backup was altered") from e
            out.write(chunk)
            index += 1
            if last:
                if f.read(1):
                    raise BackupError("the backup file has data after its last chunk")
                return header


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise BackupError("collectbot backup handles SQLite; for PostgreSQL use pg_dump")
    return Path(url.removeprefix("sqlite:///"))


def create(url: str, keyring: Keyring, out: Path, now: datetime) -> BackupReport:
    """Write an encrypted, consistent copy of the SQLite database at ``url`` to ``out``."""
    if out.exists() or out.is_symlink():
        raise BackupError(f"{out} exists; a backup never overwrites a file")
    plain = _private_tmp(out, "plain")
    try:
        source = sqlite_path(url)
        if not source.is_file():
            raise BackupError(f"{source}: no database file")
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(plain)) as dst:
            src.backup(dst)
            seq, last_hash = dst.execute("SELECT seq, last_hash FROM audit_head").fetchone()
            debtors = dst.execute("SELECT count(*) FROM debtors").fetchone()[0]
        header = json.dumps(
            {"kid": keyring.active.kid, "created_at": now.isoformat(),
             "audit_seq": seq, "audit_hash": last_hash},
            sort_keys=True,
        ).encode()  # fmt: skip
        sealed = _private_tmp(out, "enc")
        with sealed.open("wb") as f:
            _encrypt(plain, f, _key(keyring.active), header)
        os.replace(sealed, out)
    finally:
        plain.unlink(missing_ok=True)
    return BackupReport(keyring.active.kid, now.isoformat(), seq, seq, debtors)


@contextmanager
def decrypted(path: Path, keyring: Keyring) -> Iterator[tuple[Path, dict[str, object]]]:
    """The backup decrypted into a 0600 temporary file, removed afterwards."""
    plain = _private_tmp(path, "restore")
    try:
        with plain.open("wb") as f:
            header = _decrypt(path, keyring, f)
        yield plain, header
    finally:
        plain.unlink(missing_ok=True)


def check(
    plain: Path, header: dict[str, object], keyring: Keyring, keys: AuditKeys
) -> BackupReport:
    """Integrity, the audit chain and its recorded head, and a sample that decrypts."""
    try:
        with closing(sqlite3.connect(plain)) as conn:
            intact = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as e:
        raise BackupError(f"the backup does not hold a SQLite database ({e})") from e
    if not intact:
        raise BackupError("the restored database fails SQLite's integrity check")
    db = Database.connect(f"sqlite:///{plain}")
    db.use_audit_keys(keys)
    try:
        with db.transaction() as s:
            report = audit.verify(s)
            sample = s.scalars(select(Debtor).limit(1)).first()
            debtors = len(s.scalars(select(Debtor.id)).all())
            if sample is not None:
                keyring.decrypt(sample.name_enc, "debtors.name")
    finally:
        db.dispose()
    if not report.ok:
        raise BackupError(f"the audit chain in the backup is broken: {report.problems[0]}")
    if report.entries != header.get("audit_seq"):
        raise BackupError("the backup's audit chain does not end where its header says")
    return BackupReport(
        str(header.get("kid")), str(header.get("created_at")), report.entries,
        int(str(header.get("audit_seq"))), debtors,
    )  # fmt: skip


def verify(path: Path, keyring: Keyring, keys: AuditKeys) -> BackupReport:
    with decrypted(path, keyring) as (plain, header):
        return check(plain, header, keyring, keys)


def restore(path: Path, keyring: Keyring, keys: AuditKeys, target: Path) -> BackupReport:
    """Verify the backup, then move it into ``target`` (which must not exist)."""
    if target.exists():
        raise BackupError(f"{target} exists: stop the services and move it away first")
    with decrypted(path, keyring) as (plain, header):
        report = check(plain, header, keyring, keys)
        os.replace(plain, target)
    with suppress(OSError):
        os.chmod(target, 0o600)
    return report
