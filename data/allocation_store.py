"""Allocation adapters: agents and the cases that need a person, assignments written back with a
case note and an audit entry, and the figures behind agent performance."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit
from data.crypto import Keyring
from data.models import Agent, Case, CaseNote, ContactAttempt, Debtor, Loan, Payment, Promise
from scoring.allocation import Agent as AgentSkills
from scoring.allocation import AgentActivity, Assignment, CaseNeed, FollowUp
from scoring.strategy import Tier

ACTIVE = ("open", "promised", "plan")
HUMAN_STEPS = ("agent_call",)
TIERS = {t.value for t in Tier}


def agents(session: Session, rates: dict[str, float] | None = None) -> list[AgentSkills]:
    """Every agent with skills, capacity, current load (active cases held) and past recovery.

    Presence (``status``) is about live calls; cases queue for offline agents too.
    """
    known = rates or {}
    load = dict(
        session.execute(
            select(Case.assigned_agent_id, func.count(Case.id))
            .where(Case.status.in_(ACTIVE), Case.assigned_agent_id.is_not(None))
            .group_by(Case.assigned_agent_id)
        ).all()
    )
    return [
        AgentSkills(
            agent_id=a.id,
            languages=frozenset(str(x) for x in a.languages),
            products=frozenset(str(x) for x in a.products),
            tiers=frozenset(Tier(str(x)) for x in a.tiers if str(x) in TIERS),
            capacity=a.capacity,
            load=int(load.get(a.id, 0)),
            recovery_rate=known.get(a.id, 0.0),
        )
        for a in session.scalars(select(Agent).order_by(Agent.id))
    ]


def needs(session: Session) -> list[CaseNeed]:
    """Active cases whose planned next step is a person (an agent call)."""
    rows = session.execute(
        select(Case, Loan.product, Debtor.language)
        .join(Loan, Loan.id == Case.loan_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .where(Case.status.in_(ACTIVE))
        .order_by(Case.id)
    ).all()
    out = []
    for case, product, language in rows:
        action = case.next_action or {}
        if action.get("step") not in HUMAN_STEPS or action.get("blocked"):
            continue
        out.append(
            CaseNeed(
                case_id=case.id,
                language=language,
                product=product,
                tier=Tier(case.risk_tier or "medium"),
                expected_amount_minor=case.expected_amount_minor or 0,
                agent_id=case.assigned_agent_id,
            )
        )
    return out


def write_assignments(session: Session, keyring: Keyring, assignments: Sequence[Assignment]) -> int:
    """Set each case's agent; keep who, when and why as a case note and in the audit log."""
    for a in assignments:
        case = session.get(Case, a.case_id)
        if case is None:
            continue
        case.assigned_agent_id = a.agent_id
        case.updated_at = a.at
        body = json.dumps({"kind": a.kind, "reason": a.reason, "from": a.previous_agent_id})
        session.add(
            CaseNote(
                case_id=a.case_id,
                author=a.by,
                kind="transfer" if a.kind == "transfer" else "assignment",
                body_enc=keyring.encrypt(body, "case_notes.body"),
                created_at=a.at,
            )
        )
        audit.append(
            session,
            at=a.at,
            actor=a.by,
            action="case.assign",
            subject_type="case",
            subject_id=a.case_id,
            details={"from": a.previous_agent_id, "to": a.agent_id, "kind": a.kind},
        )
    return len(assignments)


def activities(session: Session, since: datetime, until: datetime) -> list[AgentActivity]:
    """Each agent's record in ``[since, until)``, per currency of the cases they hold.

    Contacts per hour use the agent's talk time (answered to ended) on their calls: the data
    layer keeps no log-in sessions.
    """
    held = session.execute(
        select(Case.assigned_agent_id, Case.id, Loan.currency, Loan.outstanding_minor)
        .join(Loan, Loan.id == Case.loan_id)
        .where(Case.assigned_agent_id.is_not(None))
    ).all()
    balance: dict[tuple[str, str], int] = defaultdict(int)
    owner: dict[str, tuple[str, str]] = {}
    for agent_id, case_id, currency, outstanding in held:
        key = (str(agent_id), currency)
        balance[key] += outstanding
        owner[case_id] = key
    collected: dict[tuple[str, str], int] = defaultdict(int)
    for p in session.scalars(
        select(Payment).where(Payment.paid_at >= since, Payment.paid_at < until)
    ):
        if p.loan_id in owner:
            collected[owner[p.loan_id]] += p.amount_minor
            balance[owner[p.loan_id]] += p.amount_minor  # the balance at the start
    calls = list(
        session.scalars(
            select(ContactAttempt).where(
                ContactAttempt.agent_id.is_not(None),
                ContactAttempt.started_at >= since,
                ContactAttempt.started_at < until,
            )
        )
    )
    by_attempt = {c.id: c.agent_id for c in calls}
    made: dict[str, int] = defaultdict(int)
    kept: dict[str, int] = defaultdict(int)
    due: dict[str, int] = defaultdict(int)
    for pr in session.scalars(select(Promise).where(Promise.attempt_id.in_(list(by_attempt)))):
        agent_id = str(by_attempt[pr.attempt_id or ""])
        made[agent_id] += 1
        due[agent_id] += pr.status in ("kept", "broken")
        kept[agent_id] += pr.status == "kept"
    contacts: dict[str, int] = defaultdict(int)
    seconds: dict[str, int] = defaultdict(int)
    for c in calls:
        agent_id = str(c.agent_id)
        contacts[agent_id] += 1
        if c.answered_at and c.ended_at:
            seconds[agent_id] += int((c.ended_at - c.answered_at).total_seconds())
    return [
        AgentActivity(
            agent_id,
            currency,
            total,
            collected[(agent_id, currency)],
            made[agent_id],
            kept[agent_id],
            due[agent_id],
            contacts[agent_id],
            seconds[agent_id],
        )
        for (agent_id, currency), total in sorted(balance.items())
    ]


def follow_ups(session: Session) -> list[FollowUp]:
    """The agent calls planned on assigned cases: due at the case's next action time."""
    query = select(Case).where(
        Case.status.in_(ACTIVE),
        Case.assigned_agent_id.is_not(None),
        Case.next_action_at.is_not(None),
    )
    out = []
    for case in session.scalars(query.order_by(Case.id)):
        action = case.next_action or {}
        if action.get("step") in HUMAN_STEPS and case.next_action_at is not None:
            out.append(FollowUp(case.id, str(case.assigned_agent_id), case.next_action_at))
    return out
