"""Case queries and changes: access rules and masking per role, history, assignment, notes.
(The hot reads, search and detail, are Core queries in ``case_reads``.)

Every response that carries personal data (masked or not) writes one audit record: the reads
return it, and the router commits it (``Services.audit``) before the response is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from admin_api import schemas
from admin_api.errors import Conflict, Forbidden, NotFound, RefusedRead
from admin_api.roles import Principal, Role
from core.clock import Clock
from core.money import Money
from data import allocation_store, audit
from data.crypto import Keyring
from data.models import (
    Agent,
    Case,
    CaseNote,
    ContactAttempt,
    Debtor,
    Loan,
    Payment,
    Promise,
)
from data.recordings import is_sealed
from scoring.allocation import CaseNeed
from scoring.strategy import Tier


@dataclass(frozen=True, slots=True)
class CaseFilter:
    status: str | None = None
    risk_tier: str | None = None
    product: str | None = None
    language: str | None = None
    jurisdiction: str | None = None
    agent_id: str | None = None
    dpd_min: int | None = None
    dpd_max: int | None = None


def _summary_stmt() -> Select[Case, Loan, Debtor]:
    return (
        select(Case, Loan, Debtor)
        .join(Loan, Loan.id == Case.loan_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
    )


def _summary(case: Case, loan: Loan, debtor: Debtor) -> schemas.CaseSummary:
    return schemas.CaseSummary(
        id=case.id,
        loan_id=case.loan_id,
        debtor_id=case.debtor_id,
        status=case.status,
        risk_tier=case.risk_tier,
        score=case.score,
        product=loan.product,
        currency=loan.currency,
        outstanding=Money.from_minor(loan.outstanding_minor, loan.currency).amount,
        days_past_due=loan.days_past_due,
        assigned_agent_id=case.assigned_agent_id,
        next_action_at=case.next_action_at,
        language=debtor.language,
        jurisdiction=debtor.jurisdiction,
    )


def scope_filter(principal: Principal, f: CaseFilter) -> CaseFilter:
    """Agents see only the cases assigned to them, whatever filter they ask for."""
    if principal.role is not Role.AGENT:
        return f
    return CaseFilter(**{**_asdict(f), "agent_id": principal.agent_id or "\x00none"})


def _asdict(f: CaseFilter) -> dict[str, Any]:
    return {name: getattr(f, name) for name in f.__slots__}


def load_case(s: Session, principal: Principal, case_id: str) -> tuple[Case, Loan, Debtor]:
    row = s.execute(_summary_stmt().where(Case.id == case_id)).one_or_none()
    if row is None:
        raise NotFound(f"no case {case_id!r}")
    case, loan, debtor = row
    if principal.role is Role.AGENT and (
        principal.agent_id is None or case.assigned_agent_id != principal.agent_id
    ):
        # the same answer as a missing case: an agent learns nothing about other cases
        raise RefusedRead(f"no case {case_id!r}", subject_type="case", subject_id=case_id)
    return case, loan, debtor


def must_mask(principal: Principal, reveal: bool) -> bool:
    """Agents work their own cases in clear; staff reveal on request; auditors never see it."""
    if principal.role is Role.AGENT:
        return False
    if principal.role is Role.AUDITOR:
        if reveal:
            raise Forbidden("auditors see personal data masked only")
        return True
    return not reveal


Clear = Callable[[bytes | None, str], str | None]


def _attempt(a: ContactAttempt, clear: Clear) -> schemas.AttemptOut:
    return schemas.AttemptOut(
        id=a.id,
        channel=a.channel,
        started_at=a.started_at,
        ended_at=a.ended_at,
        outcome=a.outcome,
        connected=a.connected,
        conversation=a.conversation,
        agent_id=a.agent_id,
        transcript=clear(a.transcript_enc, "contact_attempts.transcript"),
        has_recording=is_sealed(a.recording_ref),
    )


def _promise(p: Promise) -> schemas.PromiseOut:
    return schemas.PromiseOut(
        id=p.id,
        amount=Money.from_minor(p.amount_minor, p.currency).amount,
        currency=p.currency,
        due_date=p.due_date,
        status=p.status,
        created_at=p.created_at,
    )


def _payment(p: Payment) -> schemas.PaymentOut:
    return schemas.PaymentOut(
        reference=p.reference,
        amount=Money.from_minor(p.amount_minor, p.currency).amount,
        currency=p.currency,
        paid_at=p.paid_at,
        channel=p.channel,
    )


def _note(n: CaseNote, clear: Clear) -> schemas.NoteOut:
    return schemas.NoteOut(
        id=n.id,
        author=n.author,
        kind=n.kind,
        body=clear(n.body_enc, "case_notes.body"),
        created_at=n.created_at,
    )


def history(
    s: Session, keyring: Keyring, clock: Clock, principal: Principal, case_id: str, reveal: bool
) -> tuple[schemas.CaseHistory, audit.Record]:
    """Attempts, promises, payments and notes; transcripts and notes only when unmasked; and
    the audit record that must be committed before they are sent."""
    masked = must_mask(principal, reveal)
    case, loan, _ = load_case(s, principal, case_id)

    def clear(blob: bytes | None, aad: str) -> str | None:
        return None if masked else keyring.decrypt_opt(blob, aad)

    attempts = s.scalars(
        select(ContactAttempt)
        .where(ContactAttempt.case_id == case.id)
        .order_by(ContactAttempt.started_at)
    )
    promises = s.scalars(select(Promise).where(Promise.case_id == case.id).order_by(Promise.id))
    payments = s.scalars(select(Payment).where(Payment.loan_id == loan.id).order_by(Payment.id))
    notes = s.scalars(select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id))
    out = schemas.CaseHistory(
        attempts=[_attempt(a, clear) for a in attempts],
        promises=[_promise(p) for p in promises],
        payments=[_payment(p) for p in payments],
        notes=[_note(n, clear) for n in notes],
        masked=masked,
    )
    record = audit.Record(
        at=clock.now(),
        actor=principal.actor,
        action="case.read_history",
        subject_type="case",
        subject_id=case.id,
        details={"masked": masked, "role": principal.role.value},
    )
    return out, record


def assign(
    s: Session,
    keyring: Keyring,
    clock: Clock,
    principal: Principal,
    case_id: str,
    body: schemas.AssignIn,
) -> schemas.CaseSummary:
    case, loan, debtor = load_case(s, principal, case_id)
    if body.agent_id is not None and s.get(Agent, body.agent_id) is None:
        raise NotFound(f"no agent {body.agent_id!r}")
    previous, now = case.assigned_agent_id, clock.now()
    case.assigned_agent_id = body.agent_id
    case.updated_at = now
    s.add(
        CaseNote(
            case_id=case.id,
            author=principal.actor,
            kind="assignment",
            body_enc=keyring.encrypt(body.reason, "case_notes.body"),
            created_at=now,
        )
    )
    audit.append(
        s,
        at=now,
        actor=principal.actor,
        action="case.assign",
        subject_type="case",
        subject_id=case.id,
        details={"from": previous, "to": body.agent_id},
    )
    return _summary(case, loan, debtor)


def require_can_take(s: Session, case: Case, loan: Loan, debtor: Debtor, agent_id: str) -> None:
    """Refuse (409) handing the case to an agent who lacks its language, product or tier, or is
    at capacity (the case already with them does not count twice)."""
    skills = next((a for a in allocation_store.agents(s) if a.agent_id == agent_id), None)
    if skills is None:
        raise NotFound(f"no agent {agent_id!r}")
    mine = case.assigned_agent_id == agent_id and case.status in allocation_store.ACTIVE
    need = CaseNeed(
        case.id, debtor.language, loan.product, Tier(case.risk_tier or "medium"),
        agent_id=case.assigned_agent_id,
    )  # fmt: skip
    if replace(skills, load=skills.load - (1 if mine else 0)).can_take(need):
        return
    if need.language not in skills.languages:
        raise Conflict(f"agent {agent_id} does not take cases in language {need.language!r}")
    if skills.load - (1 if mine else 0) >= skills.capacity:
        raise Conflict(f"agent {agent_id} is at capacity ({skills.load}/{skills.capacity})")
    raise Conflict(f"agent {agent_id} does not take {need.product} cases of tier {need.tier}")


def add_note(
    s: Session,
    keyring: Keyring,
    clock: Clock,
    principal: Principal,
    case_id: str,
    body: schemas.NoteIn,
) -> schemas.NoteOut:
    case, _, _ = load_case(s, principal, case_id)
    now = clock.now()
    note = CaseNote(
        case_id=case.id,
        author=principal.actor,
        kind="outcome" if body.outcome else "note",
        body_enc=keyring.encrypt(body.body, "case_notes.body"),
        created_at=now,
    )
    s.add(note)
    s.flush()
    audit.append(
        s,
        at=now,
        actor=principal.actor,
        action="case.note",
        subject_type="case",
        subject_id=case.id,
        details={"note_id": note.id, "outcome": body.outcome},
    )
    return schemas.NoteOut(
        id=note.id, author=note.author, kind=note.kind, body=body.body, created_at=now
    )
