"""Call QA in the database: the calls not scored yet, their scores and findings, the review
queue and the reviewer's verdict (audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.calls import CallFacts, Turn, detect_lang
from analytics.qa import QaResult
from analytics.qa_report import ScoredCall
from core.dialogue import Lang
from data import audit
from data.call_records import read_transcript
from data.crypto import Keyring
from data.models import CallQa, Case, ContactAttempt, Debtor

VERDICTS = ("confirmed", "rejected", "coaching")


def unscored_calls(session: Session, keyring: Keyring, limit: int) -> list[CallFacts]:
    """Finished calls with a transcript and no QA row yet, oldest first."""
    rows = session.execute(
        select(ContactAttempt, Debtor.language, Debtor.jurisdiction)
        .join(Case, Case.id == ContactAttempt.case_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .outerjoin(CallQa, CallQa.attempt_id == ContactAttempt.id)
        .where(
            ContactAttempt.channel == "call",
            ContactAttempt.state == "done",
            ContactAttempt.transcript_enc.is_not(None),
            CallQa.attempt_id.is_(None),
        )
        .order_by(ContactAttempt.started_at, ContactAttempt.id)
        .limit(limit)
    ).all()
    return [_facts(keyring, a, lang, jur) for a, lang, jur in rows]


def _facts(keyring: Keyring, a: ContactAttempt, lang: str, jurisdiction: str) -> CallFacts:
    turns = tuple(
        Turn(datetime.fromisoformat(x["at"]), x["speaker"], x["text"])
        for x in read_transcript(keyring, a)
    )
    detail = a.detail or {}
    default: Lang = "zh" if lang == "zh" else "en"
    return CallFacts(
        attempt_id=a.id,
        case_id=a.case_id,
        lang=detect_lang(turns, default),
        jurisdiction=jurisdiction,
        outcome=a.outcome,
        started_at=a.started_at,
        answered_at=a.answered_at,
        ended_at=a.ended_at,
        turns=turns,
        script_version=str(detail.get("script_version") or ""),
        agent_id=a.agent_id,
    )


def save(session: Session, call: CallFacts, result: QaResult, now: datetime) -> None:
    session.add(
        CallQa(
            attempt_id=result.attempt_id,
            case_id=call.case_id,
            call_at=call.started_at,
            scored_at=now,
            score=result.score,
            script_version=result.script_version,
            language=result.lang,
            findings=[f.as_dict() for f in result.findings],
            finding_count=len(result.findings),
        )
    )


def scored(session: Session, start: datetime, end: datetime) -> list[ScoredCall]:
    rows = session.scalars(
        select(CallQa).where(CallQa.call_at >= start, CallQa.call_at < end)
    ).all()
    return [_scored(r) for r in rows]


def _scored(r: CallQa) -> ScoredCall:
    codes = frozenset(str(f["code"]) for f in r.findings)
    return ScoredCall(r.attempt_id, r.script_version, r.language, r.score, codes)


@dataclass(frozen=True, slots=True)
class QaView:
    attempt_id: str
    case_id: str
    call_at: datetime
    score: int
    script_version: str
    language: str
    findings: list[dict[str, Any]]
    verdict: str | None
    reviewer: str | None


def views(session: Session, attempt_ids: Sequence[str]) -> list[QaView]:
    rows = {
        r.attempt_id: r
        for r in session.scalars(select(CallQa).where(CallQa.attempt_id.in_(list(attempt_ids))))
    }
    return [
        QaView(
            r.attempt_id,
            r.case_id,
            r.call_at,
            r.score,
            r.script_version,
            r.language,
            list(r.findings),
            r.verdict,
            r.reviewer,
        )
        for r in (rows[i] for i in attempt_ids if i in rows)
    ]


def record_verdict(
    session: Session,
    attempt_id: str,
    *,
    verdict: str,
    reviewer: str,
    note: str | None,
    now: datetime,
) -> bool:
    """Store the reviewer's verdict (and audit it); False when the call has no QA row."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}")
    row = session.get(CallQa, attempt_id)
    if row is None:
        return False
    row.verdict, row.reviewer, row.reviewed_at, row.review_note = verdict, reviewer, now, note
    audit.append(
        session,
        at=now,
        actor=reviewer,
        action="qa.verdict",
        subject_type="attempt",
        subject_id=attempt_id,
        details={"verdict": verdict, "score": row.score},
    )
    return True
