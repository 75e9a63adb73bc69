"""Hearing a call recording: who may, which bytes (HTTP Range), and the audit record.

Staff (admin, supervisor) and auditors may hear any call; an agent only the calls of the cases
assigned to them (another's is answered like a missing one, and the refusal audited). Every
request that sends audio is audited first, the byte range included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin_api.errors import ApiError, NotFound, RefusedRead
from admin_api.roles import Principal, Role
from data import audit
from data.models import Case, ContactAttempt
from data.recordings import is_sealed

Span = tuple[int, int]  # start ≤ byte < end
UNSATISFIABLE: Literal["unsatisfiable"] = "unsatisfiable"


class RecordingUnreadable(ApiError):
    """The stored file fails authentication or names a key the keyring lacks."""

    status_code = 500


def locate(s: Session, principal: Principal, case_id: str, attempt_id: str) -> str:
    """The sealed recording's ref of ``attempt_id`` in ``case_id``, if the caller may hear it."""
    row = s.execute(
        select(ContactAttempt.recording_ref, Case.assigned_agent_id)
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(ContactAttempt.id == attempt_id, ContactAttempt.case_id == case_id)
    ).first()
    if row is None:
        raise NotFound(f"no attempt {attempt_id!r} in case {case_id!r}")
    if principal.role is Role.AGENT and (
        principal.agent_id is None or row.assigned_agent_id != principal.agent_id
    ):
        raise RefusedRead(
            f"no attempt {attempt_id!r} in case {case_id!r}",
            subject_type="case",
            subject_id=case_id,
        )
    ref = row.recording_ref
    if ref is None or not is_sealed(ref):  # none, purged, or not yet archived from the PBX
        raise NotFound(f"no stored recording for attempt {attempt_id!r}")
    return str(ref)


def byte_range(header: str | None, size: int) -> Span | None | Literal["unsatisfiable"]:
    """One ``bytes=a-b`` / ``a-`` / ``-n`` range (RFC 9110); None: send it all (no header, a
    malformed one, or several ranges); UNSATISFIABLE: answer 416."""
    if header is None or not header.startswith("bytes="):
        return None
    spec = header.removeprefix("bytes=").strip()
    if "," in spec:
        return None
    first, dash, last = spec.partition("-")
    first, last = first.strip(), last.strip()
    if not dash or not (first or last) or not (first or "0").isdigit():
        return None
    if last and not last.isdigit():
        return None
    if len(first) > 18 or len(last) > 18:  # beyond any file: no int overflow games
        return UNSATISFIABLE if first else None
    if not first:  # the last n bytes
        n = int(last)
        return (max(0, size - n), size) if n and size else UNSATISFIABLE
    start = int(first)
    end = size if not last else min(int(last) + 1, size)
    if last and int(last) < start:
        return None
    return (start, end) if start < size else UNSATISFIABLE


def listened(
    at: datetime, principal: Principal, case_id: str, attempt_id: str, span: Span | None
) -> audit.Record:
    return audit.Record(
        at=at,
        actor=principal.actor,
        action="recording.listen",
        subject_type="attempt",
        subject_id=attempt_id,
        details={
            "case_id": case_id,
            "role": principal.role.value,
            "range": list(span) if span else None,
        },
    )
