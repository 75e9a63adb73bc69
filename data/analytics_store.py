"""What the analytics read from the database (each case's history, the debtor's words from
call transcripts and SMS replies, call attempts in local time) and what they write (each
case's segment and early-warning score)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from analytics.best_time import LearnedTimes
from analytics.calls import Turn, detect_lang
from analytics.early_warning import LIST_THRESHOLD as WARNING_LIST_MIN
from analytics.early_warning import SegmentMove, Warning, drift_warning
from analytics.mining import CaseSignals, IntentOf, Utterance, mine
from core.dialogue import Lang
from data.call_records import read_transcript
from data.crypto import Keyring
from data.models import Case, CaseAnalytics, ContactAttempt, Debtor, SmsMessage
from data.scoring_store import case_records
from scoring.model.records import CaseRecord


def _lang(value: str) -> Lang:
    return "zh" if value == "zh" else "en"


def debtor_words(
    session: Session, keyring: Keyring, case_ids: Sequence[str] | None = None
) -> dict[str, list[Utterance]]:
    """Every line the debtor said on a call, and every SMS reply, per case."""
    langs = {
        r.id: r.language for r in session.execute(select(Case.id, Debtor.language).join(Debtor))
    }
    out: dict[str, list[Utterance]] = defaultdict(list)
    calls = select(ContactAttempt).where(ContactAttempt.transcript_enc.is_not(None))
    sms = select(SmsMessage).where(SmsMessage.reply_enc.is_not(None))
    if case_ids is not None:
        calls = calls.where(ContactAttempt.case_id.in_(list(case_ids)))
        sms = sms.where(SmsMessage.case_id.in_(list(case_ids)))
    for a in session.scalars(calls):
        lines = read_transcript(keyring, a)
        turns = [Turn(datetime.fromisoformat(x["at"]), x["speaker"], x["text"]) for x in lines]
        lang = detect_lang(turns, _lang(langs.get(a.case_id, "en")))
        out[a.case_id] += [
            Utterance(t.at, t.text, lang, "call") for t in turns if t.speaker == "debtor"
        ]
    for m in session.scalars(sms):
        text = keyring.decrypt(m.reply_enc or b"", "sms_messages.reply")
        if text.strip():
            at = m.delivered_at or m.sent_at or m.created_at
            out[m.case_id].append(Utterance(at, text, _lang(m.language), "sms"))
    return out


def case_inputs(
    session: Session,
    keyring: Keyring,
    as_of: datetime,
    intent_of: IntentOf | None = None,
) -> tuple[list[CaseRecord], dict[str, CaseSignals]]:
    """Every active case's history at the start of ``as_of``'s day (UTC) and what its debtor
    had said before ``as_of`` (mined), the mined figures also in each record's ``talk``."""
    records = case_records(session, as_of.date())
    cut = _aware(as_of)
    words = debtor_words(session, keyring)
    signals = {}
    out = []
    for r in records:
        broken = [p.created_at.date() for p in r.promises if p.status == "broken"]
        said = [u for u in words.get(r.case_id, []) if _aware(u.at) < cut]
        signals[r.case_id] = mine(r.case_id, said, broken, intent_of)
        out.append(replace(r, talk=signals[r.case_id].talk()))
    return out, signals


def model_records(
    session: Session, keyring: Keyring, as_of: date, intent_of: IntentOf | None = None
) -> list[CaseRecord]:
    """The repayment model's input: ``scoring_store.case_records`` with the debtor's words."""
    at = datetime.combine(as_of, time(0), tzinfo=UTC)
    return case_inputs(session, keyring, at, intent_of)[0]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def scores(session: Session) -> dict[str, float]:
    """The repayment model's latest probability per case."""
    rows = session.execute(select(Case.id, Case.score).where(Case.score.is_not(None)))
    return {row.id: float(row.score) for row in rows if row.score is not None}


def local_calls(
    session: Session, case_ids: Sequence[str] | None = None
) -> dict[str, list[tuple[datetime, bool]]]:
    """Call attempts per case as (start in the debtor's local time, right-party answer)."""
    stmt = (
        select(ContactAttempt.case_id, ContactAttempt.started_at, ContactAttempt.conversation,
               ContactAttempt.outcome, Debtor.timezone)
        .join(Case, Case.id == ContactAttempt.case_id)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .where(ContactAttempt.channel == "call", ContactAttempt.state == "done")
    )  # fmt: skip
    if case_ids is not None:
        stmt = stmt.where(ContactAttempt.case_id.in_(list(case_ids)))
    out: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
    zones: dict[str, ZoneInfo] = {}
    for case_id, started, rpc, _outcome, tz in session.execute(stmt):
        zone = zones.setdefault(tz, ZoneInfo(tz))
        out[case_id].append((started.astimezone(zone).replace(tzinfo=None), bool(rpc)))
    return out


def learned_times(session: Session) -> LearnedTimes:
    """Every debtor's best-time table: their calls, their segment's, the portfolio's."""
    return LearnedTimes.learn(local_calls(session), segments(session))


def timezone_of(session: Session, case_id: str) -> str | None:
    return session.scalar(
        select(Debtor.timezone).join(Case, Case.debtor_id == Debtor.id).where(Case.id == case_id)
    )


def _row(session: Session, case_id: str) -> CaseAnalytics:
    row = session.get(CaseAnalytics, case_id)
    if row is None:
        row = CaseAnalytics(case_id=case_id)
        session.add(row)
    return row


def save_segments(
    session: Session,
    labels: Mapping[str, str],
    names: Mapping[str, str],
    now: datetime,
    recovery: Mapping[str, float] | None = None,
) -> int:
    """Each case's segment (and its recovery rate); the one it had before is kept beside it
    (segment drift)."""
    for case_id, seg in labels.items():
        row = _row(session, case_id)
        if row.segment_name is not None:
            row.previous_segment_name, row.previous_recovery = (
                row.segment_name,
                row.segment_recovery,
            )
        row.segment, row.segment_name, row.segmented_at = seg, names[seg][:200], now
        row.segment_recovery = (recovery or {}).get(seg)
    return len(labels)


def segments(session: Session) -> dict[str, str]:
    rows = session.execute(
        select(CaseAnalytics.case_id, CaseAnalytics.segment).where(
            CaseAnalytics.segment.is_not(None)
        )
    )
    return {row.case_id: row.segment for row in rows if row.segment is not None}


def save_warnings(session: Session, found: Sequence[Warning], now: datetime) -> int:
    """Replace every stored warning with ``found`` (the most likely per case)."""
    for row in session.scalars(select(CaseAnalytics).where(CaseAnalytics.warned_at.is_not(None))):
        row.warning_score = row.warning_kind = row.warning_reasons = row.warned_at = None
    seen: set[str] = set()
    for w in found:
        if w.case_id in seen:
            continue
        seen.add(w.case_id)
        row = _row(session, w.case_id)
        row.warning_score, row.warning_kind = w.probability, w.kind
        row.warning_reasons, row.warned_at = [*w.reasons, f"due {w.due.isoformat()}"], now
    session.execute(
        delete(CaseAnalytics).where(
            CaseAnalytics.segment.is_(None), CaseAnalytics.warned_at.is_(None)
        )
    )
    return len(seen)


@dataclass(frozen=True, slots=True)
class ListedWarning:
    case_id: str
    kind: str  # roll | broken_promise | segment_drift
    score: float
    reasons: tuple[str, ...]
    at: datetime | None  # when it was computed
    segment: str | None
    agent_id: str | None  # the agent the case is assigned to


def listed_warnings(
    session: Session,
    *,
    kind: str | None = None,
    agent_id: str | None = None,
    min_score: float = WARNING_LIST_MIN,
    limit: int = 100,
) -> list[ListedWarning]:
    """The stored early warnings (the last ``analytics early-warning`` run at or above
    ``min_score``) and the cases that drifted to a worse segment at the last ``analytics
    segments`` run, highest score first; ``agent_id``: only that agent's cases."""
    stmt = select(CaseAnalytics, Case.assigned_agent_id).join(
        Case, Case.id == CaseAnalytics.case_id
    )
    if agent_id is not None:
        stmt = stmt.where(Case.assigned_agent_id == agent_id)
    out: list[ListedWarning] = []
    for row, agent in session.execute(stmt):
        if row.warning_kind and row.warning_score is not None and row.warning_score >= min_score:
            reasons = tuple(str(r) for r in row.warning_reasons or ())
            out.append(ListedWarning(row.case_id, row.warning_kind, row.warning_score, reasons,
                                     row.warned_at, row.segment_name, agent))  # fmt: skip
        move = SegmentMove(
            row.previous_segment_name, row.previous_recovery, row.segment_name, row.segment_recovery
        )
        at = row.segmented_at
        drift = drift_warning(row.case_id, move, at.date()) if at is not None else None
        if drift is not None:
            out.append(ListedWarning(row.case_id, drift.kind, drift.probability, drift.reasons,
                                     row.segmented_at, row.segment_name, agent))  # fmt: skip
    chosen = [w for w in out if kind is None or w.kind == kind]
    return sorted(chosen, key=lambda w: (-w.score, w.case_id, w.kind))[:limit]
