"""Encrypted backups: the SQLite file here, PostgreSQL in ``data.backup_pg``; one file format.

A backup is a sealed file (``data.sealed``: AES-256-GCM in 1 MiB chunks under a key derived
from the active data key, the key id in the header): the header records the engine, the time
and the copy's audit head, and is authenticated with every chunk, so a changed, reordered, cut
or extended file fails. SQLite is copied with its online backup API (a consistent snapshot
while the API keeps writing) into a 0600 temporary file next to the output, removed at once.

``verify`` decrypts aside and checks the database (SQLite's integrity), the audit chain and
that it ends at the head the header recorded, and that a sample of personal data decrypts.
``restore`` verifies, then puts the verified copy in place.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select

from data import audit
from data.crypto import AuditKeys, Keyring
from data.db import Database
from data.errors import DataError
from data.models import Debtor
from data.sealed import SealedError, SealedReader, seal

PURPOSE = "backup"
CONTEXT = b"collectbot-backup"
CHUNK = 1 << 20


class BackupError(DataError):
    """A backup that cannot be written, read, decrypted or trusted."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    kid: str
    created_at: str
    audit_entries: int
    audit_seq: int
    debtors: int
    engine: str = "sqlite"


def _private_tmp(near: Path, tag: str) -> Path:
    path = near.with_name(f".{near.name}.{tag}.{os.urandom(6).hex()}.tmp")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    return path


@contextmanager
def sealing(out: Path) -> Iterator[BinaryIO]:
    """A 0600 temporary file next to ``out``, renamed to it if the block succeeds."""
    if out.exists() or out.is_symlink():
        raise BackupError(f"{out} exists; a backup never overwrites a file")
    tmp = _private_tmp(out, "enc")
    try:
        with tmp.open("wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def seal_into(
    f: BinaryIO, pieces: Iterator[bytes], keyring: Keyring, header: dict[str, object]
) -> None:
    seal(f, pieces, keyring.active, purpose=PURPOSE, context=CONTEXT,
         header={"kind": "backup", **header}, chunk=CHUNK)  # fmt: skip


@contextmanager
def opened(path: Path, keyring: Keyring) -> Iterator[SealedReader]:
    """The backup, ready to decrypt; every sealing failure is a ``BackupError``."""
    try:
        with path.open("rb") as f:
            reader = SealedReader(f, keyring, purpose=PURPOSE, context=CONTEXT,
                                  file_size=os.fstat(f.fileno()).st_size)  # fmt: skip
            reader.authenticate_header()  # before any decision is taken on what it says
            if reader.header.get("kind") != "backup":
                raise BackupError("not a CollectBot backup file")
            yield reader
    except SealedError as e:
        if "not a sealed" in str(e):
            raise BackupError("not a CollectBot backup file") from e
        raise BackupError(f"the backup is cut short or altered: {e}") from e
    except FileNotFoundError as e:
        raise BackupError(f"{path}: no such backup") from e


def engine_of(path: Path, keyring: Keyring) -> str:
    with opened(path, keyring) as reader:
        return str(reader.header.get("engine", "sqlite"))


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise BackupError("not a SQLite database URL")
    return Path(url.removeprefix("sqlite:///"))


def _file_pieces(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while piece := f.read(CHUNK):
            yield piece


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
        header: dict[str, object] = {"engine": "sqlite", "created_at": now.isoformat(),
                                     "audit_seq": seq, "audit_hash": last_hash}  # fmt: skip
        with sealing(out) as f:
            seal_into(f, _file_pieces(plain), keyring, header)
    finally:
        plain.unlink(missing_ok=True)
    return BackupReport(keyring.active.kid, now.isoformat(), seq, seq, debtors)


@contextmanager
def decrypted(path: Path, keyring: Keyring) -> Iterator[tuple[Path, dict[str, object]]]:
    """The SQLite backup decrypted into a 0600 temporary file, removed afterwards."""
    plain = _private_tmp(path, "restore")
    try:
        with opened(path, keyring) as reader:
            if reader.header.get("engine", "sqlite") != "sqlite":
                raise BackupError("this is a PostgreSQL backup: restore it into PostgreSQL")
            with plain.open("wb") as f:
                for piece in reader.read():
                    f.write(piece)
            header = reader.header
        yield plain, header
    finally:
        plain.unlink(missing_ok=True)


def check_database(
    url: str, header: dict[str, object], keyring: Keyring, keys: AuditKeys
) -> BackupReport:
    """The audit chain, that it ends at the header's head, and a sample that decrypts."""
    db = Database.connect(url)
    db.use_audit_keys(keys)
    try:
        with db.transaction() as s:
            report = audit.verify(s)
            sample = s.scalars(select(Debtor).order_by(Debtor.id).limit(1)).first()
            debtors = s.scalar(select(func.count()).select_from(Debtor)) or 0
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
        int(str(header.get("audit_seq"))), debtors, str(header.get("engine", "sqlite")),
    )  # fmt: skip


def check(
    plain: Path, header: dict[str, object], keyring: Keyring, keys: AuditKeys
) -> BackupReport:
    """SQLite's integrity, then ``check_database``."""
    try:
        with closing(sqlite3.connect(plain)) as conn:
            intact = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as e:
        raise BackupError(f"the backup does not hold a SQLite database ({e})") from e
    if not intact:
        raise BackupError("the restored database fails SQLite's integrity check")
    return check_database(f"sqlite:///{plain}", header, keyring, keys)


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
