"""Append-only audit log with a hash chain: each entry holds the hash of the one before.

Writers serialise on the single ``audit_head`` row (a row lock on PostgreSQL, the write lock
on SQLite), so the chain has no forks. ``verify`` recomputes every hash and reports the first
entry that was changed, removed or inserted out of order, and a truncated tail (the head row
remembers the last sequence number and hash).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.models import AuditEntry, AuditHead

GENESIS = "0" * 64


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
) -> str:
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
    )
    return hashlib.sha256(body.encode()).hexdigest()


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
    details = json.loads(json.dumps(details or {}, default=str))
    at = at.astimezone(UTC)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    head = session.execute(
        select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one()
    seq, prev = int(head.seq), str(head.last_hash)
    digest = entry_hash(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
        prev_hash=prev,
    )
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
        prev_hash=prev,
        hash=digest,
    )
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=digest))
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    entries: int
    problems: tuple[str, ...]


def verify(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the whole chain; every mismatch is a problem with the sequence number named."""
    problems: list[str] = []
    expected_seq, prev, count = 1, GENESIS, 0
    last_seen = 0
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for e in session.scalars(stmt):
        count += 1
        if e.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{e.seq - 1} are missing")
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq}: does not follow the entry before it")
        recomputed = entry_hash(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            details=e.details,
            prev_hash=e.prev_hash,
        )
        if recomputed != e.hash:
            problems.append(f"entry {e.seq}: content was changed after it was written")
        prev, expected_seq, last_seen = e.hash, e.seq + 1, e.seq
    head = session.execute(
        select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one_or_none()
    if head is None:
        problems.append("the audit head row is missing")
    elif int(head.seq) != last_seen or str(head.last_hash) != prev:
        problems.append(f"the log ends at entry {last_seen} but the head records entry {head.seq}")
    return ChainReport(ok=not problems, entries=count, problems=tuple(problems))
