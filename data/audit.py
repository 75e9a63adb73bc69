"""Append-only audit log with a hash chain: each entry holds the hash of the one before.

The hash is an HMAC-SHA256 under the audit key (derived from the active data key, so it is
held outside the database: rewriting an entry and re-hashing the chain needs that key).
A database whose sessions carry no audit keys writes the legacy unkeyed SHA-256 (tests,
chains written before keying). Verified with keys, an unkeyed entry passes only up to
``COLLECTBOT_AUDIT_LEGACY_UNTIL`` (a bound kept outside the database, 0 by default) and never
after a keyed one, so a chain cannot be rewritten or continued, even as "legacy", without the
key. Truncating the
tail and rewriting the head needs no key: signed checkpoints (``audit_checkpoint``) catch it.

Writers serialise on the single ``audit_head`` row (a row lock on PostgreSQL, the write lock
on SQLite), so the chain has no forks. ``verify`` recomputes every hash and reports the first
entry that was changed, removed or inserted out of order, and a truncated tail (the head row
remembers the last sequence number and hash).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from data.crypto import AuditKeys
from data.db import AUDIT_KEYS
from data.models import AuditEntry, AuditHead

GENESIS = "0" * 64
_HEAD = cast(Table, AuditHead.__table__)
# Core statements on the tables, built once: an append of any number of entries costs three
# round trips and no ORM flush (it sits on the hot path of every personal-data read). The
# first takes the head row's lock (PostgreSQL) or the write lock (SQLite), reserves the
# sequence numbers and reads the previous hash in one go.
_BUMP_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(seq=_HEAD.c.seq + bindparam("n"))
    .returning(_HEAD.c.seq, _HEAD.c.last_hash)
)
_INSERT_ENTRY = insert(cast(Table, AuditEntry.__table__))
_SET_HEAD_HASH = update(_HEAD).where(_HEAD.c.id == 1).values(last_hash=bindparam("digest"))


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | None,
    details: dict[str, Any],
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 of the entry under ``key``; the legacy plain SHA-256 without one."""
    body = json.dumps(
        {
            "seq": seq,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "details": details,
            "prev": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    ).encode()
    return _digest(body, key)


def _digest(body: bytes, key: bytes | None) -> str:
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def session_keys(session: Session) -> AuditKeys | None:
    keys = session.info.get(AUDIT_KEYS)
    return keys if isinstance(keys, AuditKeys) else None


@dataclass(frozen=True, slots=True)
class Record:
    """One audit record to append; ``details`` must hold no personal data."""

    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str | None = None
    details: dict[str, Any] | None = None


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction. ``details`` must hold no personal data."""
    record = Record(at, actor, action, subject_type, subject_id, details)
    return append_many(session, [record])[0]


def append_many(session: Session, records: Sequence[Record]) -> list[AuditEntry]:
    """Append entries in order in the caller's transaction: one lock of the head row and three
    statements whatever their number (group commit for hot read paths)."""
    if not records:
        return []
    session.flush()  # the caller's pending objects first, as before (a no-op when none)
    conn = session.connection()
    keys = session_keys(session)
    key = keys.active[1] if keys else None
    head = conn.execute(_BUMP_HEAD, {"n": len(records)}).one()
    seq, prev = int(head.seq) - len(records), str(head.last_hash)
    rows: list[dict[str, Any]] = []
    for r in records:
        seq += 1
        details = json.loads(json.dumps(r.details or {}, default=str))
        at = r.at.astimezone(UTC)
        digest = entry_hash(
            seq=seq,
            at=at,
            actor=r.actor,
            action=r.action,
            subject_type=r.subject_type,
            subject_id=r.subject_id,
            details=details,
            prev_hash=prev,
            key=key,
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": r.actor,
                "action": r.action,
                "subject_type": r.subject_type,
                "subject_id": r.subject_id,
                "details": details,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    conn.execute(_INSERT_ENTRY, rows)
    conn.execute(_SET_HEAD_HASH, {"digest": prev})
    return [AuditEntry(**row) for row in rows]  # detached copies (not added to the session)


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    entries: int
    problems: tuple[str, ...]
    keyed: int = 0  # entries whose HMAC checked under a key of the keyring
    legacy: int = 0  # unkeyed entries from before the chain was keyed


def _signer(e: AuditEntry, keys: AuditKeys | None) -> str | None:
    """The id of the key whose HMAC matches the entry, "" for a legacy hash, None if none."""

    def digest(key: bytes | None) -> str:
        return entry_hash(
            seq=e.seq, at=e.at, actor=e.actor, action=e.action, subject_type=e.subject_type,
            subject_id=e.subject_id, details=e.details, prev_hash=e.prev_hash, key=key,
        )  # fmt: skip

    for kid, key in keys.keys if keys else ():
        if hmac.compare_digest(digest(key), e.hash):
            return kid
    return "" if digest(None) == e.hash else None


def _unkeyed(seq: int, legacy_until: int, *, after_keyed: bool) -> str:
    if after_keyed:
        return f"entry {seq}: not keyed, after keyed entries (forged or written without the key)"
    return (
        f"entry {seq}: not keyed (forged, or written before the chain was keyed: then set "
        f"COLLECTBOT_AUDIT_LEGACY_UNTIL to the last such entry; it is {legacy_until})"
    )


def verify(session: Session, *, batch: int = 5000, keys: AuditKeys | None = None) -> ChainReport:
    """Walk the whole chain; every mismatch is a problem with the sequence number named."""
    keys = keys or session_keys(session)
    problems: list[str] = []
    expected_seq, prev, count, keyed, legacy = 1, GENESIS, 0, 0, 0
    last_seen = 0
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for e in session.scalars(stmt):
        count += 1
        if e.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{e.seq - 1} are missing")
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq}: does not follow the entry before it")
        signer = _signer(e, keys)
        if signer is None:
            problems.append(f"entry {e.seq}: content was changed after it was written")
        elif signer == "" and keys and (keyed or e.seq > keys.legacy_until):
            problems.append(_unkeyed(e.seq, keys.legacy_until, after_keyed=bool(keyed)))
        keyed += bool(signer)
        legacy += signer == ""
        prev, expected_seq, last_seen = e.hash, e.seq + 1, e.seq
    head = session.execute(
        select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one_or_none()
    if head is None:
        problems.append("the audit head row is missing")
    elif int(head.seq) != last_seen or str(head.last_hash) != prev:
        problems.append(f"the log ends at entry {last_seen} but the head records entry {head.seq}")
    return ChainReport(not problems, count, tuple(problems), keyed, legacy)
