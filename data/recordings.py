"""Call recordings at rest: one sealed file per attempt (``data.sealed``), never plain audio.

A recording is stored under ``<root>/<yyyy>/<mm>/<h>.rec`` where ``h`` is a fresh random name
(no caller-supplied text in a path, nothing that links a file to its attempt without the
database); the attempt's ``recording_ref`` holds ``enc:<yyyy>/<mm>/<h>.rec``. The file is
sealed with the active data key (AES-256-GCM, 64 KiB chunks, the key id in its header) and
bound to its attempt id, so a file copied in another attempt's place does not open. Files and
folders are private (0600/0700), written to a temporary file and renamed.

``purge`` deletes the recordings of attempts started before a cut-off and clears their refs,
one audit entry per recording (and the sealed files no attempt names, past the same cut-off);
``reseal`` moves a file under the active key (``keys rotate``).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from core.logging import get_logger
from data import audit
from data.crypto import Keyring
from data.db import Database
from data.errors import DataError
from data.models import ContactAttempt
from data.sealed import SealedReader, seal

log = get_logger(__name__)
PREFIX = "enc:"
PURPOSE = "recording"
CHUNK = 64 << 10
_REF = re.compile(r"enc:(\d{4})/(\d{2})/([0-9a-f]{32})\.rec")


class RecordingError(DataError):
    """A recording reference that is not one of ours, or a file that is missing."""


def is_sealed(ref: str | None) -> bool:
    return ref is not None and _REF.fullmatch(ref) is not None


class RecordingVault:
    """The folder of sealed recordings."""

    def __init__(self, root: Path, keyring: Keyring) -> None:
        self.root, self._keyring = root, keyring

    def path_of(self, ref: str) -> Path:
        match = _REF.fullmatch(ref)
        if match is None:
            raise RecordingError("not a sealed recording reference")
        year, month, name = match.groups()
        return self.root / year / month / f"{name}.rec"

    def store(self, attempt_id: str, pieces: Iterable[bytes], at: datetime) -> str:
        """Seal ``pieces`` (the audio, any chunking) as the recording of ``attempt_id``."""
        # a fresh name each time: two movers of one recording never share a file
        name = hashlib.sha256(attempt_id.encode() + os.urandom(16)).hexdigest()[:32]
        ref = f"{PREFIX}{at.year:04d}/{at.month:02d}/{name}.rec"
        self._write(self.path_of(ref), attempt_id, pieces)
        return ref

    def files_before(self, before: datetime) -> list[str]:
        """The refs of the sealed files last written before ``before`` (by the file's time)."""
        cutoff, refs = before.timestamp(), []
        for path in self.root.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.rec"):
            ref = f"{PREFIX}{path.parent.parent.name}/{path.parent.name}/{path.name}"
            if is_sealed(ref) and path.lstat().st_mtime < cutoff:
                refs.append(ref)
        return refs

    def _write(self, path: Path, attempt_id: str, pieces: Iterable[bytes]) -> None:
        for folder in (self.root, path.parent.parent, path.parent):
            folder.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        try:
            with os.fdopen(os.open(tmp, flags, 0o600), "wb") as f:
                context, header = attempt_id.encode(), {"kind": "recording"}
                seal(f, pieces, self._keyring.active, purpose=PURPOSE,
                     context=context, header=header, chunk=CHUNK)  # fmt: skip
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @contextmanager
    def open(self, ref: str, attempt_id: str) -> Iterator[SealedReader]:
        """The sealed recording, ready to read at any offset (``SealedReader.read``)."""
        path = self.path_of(ref)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError as e:
            raise RecordingError("the recording file is missing") from e
        with os.fdopen(fd, "rb") as f:
            size = os.fstat(fd).st_size
            yield SealedReader(f, self._keyring, purpose=PURPOSE,
                               context=attempt_id.encode(), file_size=size)  # fmt: skip

    def delete(self, ref: str) -> bool:
        try:
            self.path_of(ref).unlink()
        except FileNotFoundError:
            return False
        return True

    def reseal(self, ref: str, attempt_id: str) -> bool:
        """Re-encrypt under the active key; False when it already is (or is missing)."""
        path = self.path_of(ref)
        if not path.exists():
            return False
        with self.open(ref, attempt_id) as reader:
            if reader.kid == self._keyring.active.kid:
                return False
            self._write(path, attempt_id, reader.read())
        return True


def replace_ref(session: Session, attempt_id: str, old: str, new: str | None) -> bool:
    """Point the attempt at ``new`` if it still points at ``old`` (False: someone else moved it)."""
    stmt = (
        update(ContactAttempt)
        .where(ContactAttempt.id == attempt_id, ContactAttempt.recording_ref == old)
        .values(recording_ref=new)
    )
    result: CursorResult[tuple[()]] = session.execute(stmt)  # type: ignore[assignment]
    return result.rowcount > 0


def note_recording_failure(session: Session, attempt_id: str, error: str) -> None:
    """Say on the attempt why its recording is not sealed yet (the ref keeps the PBX's name,
    so ``collectbot recordings archive`` still finds it; the note stays as its history)."""
    row = session.get(ContactAttempt, attempt_id)
    if row is not None:
        row.detail = {**(row.detail or {}), "recording_error": error[:300]}


@dataclass
class PurgeReport:
    deleted: int = 0
    missing: int = 0  # the ref named a file that was already gone
    unsealed: int = 0  # refs to recordings never archived (still on the PBX): left alone
    orphans: int = 0  # sealed files past the retention that no attempt named


def _with_recordings(db: Database, where: object, batch: int, after: str) -> list[tuple[str, str]]:
    stmt = (
        select(ContactAttempt.id, ContactAttempt.recording_ref)
        .where(ContactAttempt.recording_ref.is_not(None), ContactAttempt.id > after)
        .order_by(ContactAttempt.id)
        .limit(batch)
    )
    if where is not None:
        stmt = stmt.where(where)  # type: ignore[arg-type]
    with db.transaction() as s:
        return [(a, r) for a, r in s.execute(stmt).all() if r is not None]


def purge(
    db: Database, vault: RecordingVault, before: datetime, *, now: datetime, actor: str,
    batch: int = 500,
) -> PurgeReport:  # fmt: skip
    """Delete the recordings of attempts started before ``before``; each deletion audited."""
    report, after = PurgeReport(), ""
    while True:
        rows = _with_recordings(db, ContactAttempt.started_at < before, batch, after)
        for attempt_id, ref in rows:
            if not is_sealed(ref):
                report.unsealed += 1
                continue
            existed = vault.delete(ref)  # the file first: a ref may outlive its file, not back
            with db.transaction() as s:
                cleared = replace_ref(s, attempt_id, ref, None)
                if cleared:
                    audit.append(s, at=now, actor=actor, action="recording.delete",
                                 subject_type="attempt", subject_id=attempt_id,
                                 details={"reason": "retention", "before": before.isoformat(),
                                          "file_existed": existed})  # fmt: skip
            report.deleted += int(existed and cleared)
            report.missing += int(not existed)
        if len(rows) < batch:
            break
        after = rows[-1][0]
    report.orphans = _purge_orphans(db, vault, before)
    if report.orphans:
        with db.transaction() as s:
            details = {"files": report.orphans, "before": before.isoformat()}
            audit.append(s, at=now, actor=actor, action="recording.delete_orphans",
                         subject_type="recordings", details=details)  # fmt: skip
    if report.deleted or report.missing or report.orphans:
        log.info("recordings.purged", deleted=report.deleted, missing=report.missing,
                 orphans=report.orphans)  # fmt: skip
    return report


def _purge_orphans(db: Database, vault: RecordingVault, before: datetime) -> int:
    """Sealed files past the retention that no attempt names (a move that stopped between
    sealing and pointing the attempt at it): deleted too."""
    removed = 0
    for ref in vault.files_before(before):
        with db.transaction() as s:
            named = s.scalar(select(ContactAttempt.id).where(ContactAttempt.recording_ref == ref))
        if named is None:
            removed += vault.delete(ref)
    return removed


def purge_expired(
    db: Database, vault: RecordingVault, *, now: datetime, retention_days: int, actor: str
) -> PurgeReport:
    """The retention rule: recordings of attempts started more than ``retention_days`` ago."""
    return purge(db, vault, now - timedelta(days=retention_days), now=now, actor=actor)


def pending(db: Database, *, limit: int = 10_000) -> list[tuple[str, str]]:
    """Finished attempts whose ref still names a recording on the PBX (not sealed yet)."""
    stmt = (
        select(ContactAttempt.id, ContactAttempt.recording_ref)
        .where(ContactAttempt.recording_ref.is_not(None), ContactAttempt.state == "done")
        .where(ContactAttempt.recording_ref.not_like(f"{PREFIX}%"))
        .order_by(ContactAttempt.id)
        .limit(limit)
    )
    with db.transaction() as s:
        return [(a, r) for a, r in s.execute(stmt).all() if r is not None]


def reseal_all(db: Database, vault: RecordingVault, *, batch: int = 500) -> int:
    """Every stored recording under the active key (run by ``keys rotate``); resumable."""
    moved, after = 0, ""
    while True:
        rows = _with_recordings(db, None, batch, after)
        moved += sum(vault.reseal(ref, a) for a, ref in rows if is_sealed(ref))
        if len(rows) < batch:
            return moved
        after = rows[-1][0]
