"""The contact history the compliance guard reads, built in one place for everyone who asks it:
the planner (``data.scoring_store.plan_frame``), the dialer (``data.attempts.load_target``) and
the SMS senders (``sms_service``, ``sms_worker``).

A debtor's history is every call and SMS to them, on any of their cases: the attempts ledger
(calls, and SMS recorded as attempts by the synthetic history) and the SMS messages (any not
failed: a queued message may already be on its way). Each entry's ``debt_id`` is the case id,
the key every guard question uses. ``guard_since`` is how far back the guard can ever look.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Case, ContactAttempt, SmsMessage
from scoring.compliance import (
    DEFAULT_PROFILES,
    Channel,
    HistoryEntry,
    JurisdictionProfile,
)

CHANNELS = (Channel.CALL.value, Channel.SMS.value)


def guard_since(
    now: datetime, profiles: Mapping[str, JurisdictionProfile] = DEFAULT_PROFILES
) -> datetime:
    """The earliest contact any rule of ``profiles`` can count at ``now`` (a window of N days
    reaches back N local calendar days: one day more covers every zone)."""
    reach = max(max(p.window_days, p.after_conversation_days or 0) for p in profiles.values())
    return now - timedelta(days=reach + 1)


def contact_histories(
    session: Session, debtor_ids: Collection[str] | None, since: datetime | None
) -> dict[str, list[HistoryEntry]]:
    """Debtor id -> their contacts since ``since`` (None: all), oldest first.
    ``debtor_ids`` None: every debtor."""
    out: dict[str, list[HistoryEntry]] = defaultdict(list)
    attempts = (
        select(
            Case.debtor_id,
            ContactAttempt.channel,
            ContactAttempt.started_at,
            ContactAttempt.case_id,
            ContactAttempt.connected,
            ContactAttempt.conversation,
        )
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(ContactAttempt.channel.in_(CHANNELS))
    )
    if since is not None:
        attempts = attempts.where(ContactAttempt.started_at >= since)
    if debtor_ids is not None:
        attempts = attempts.where(Case.debtor_id.in_(list(debtor_ids)))
    for debtor, channel, at, case_id, connected, talked in session.execute(attempts):
        entry = HistoryEntry(Channel(channel), at, case_id, bool(connected), bool(talked))
        out[debtor].append(entry)
    messages = (
        select(Case.debtor_id, SmsMessage.sent_at, SmsMessage.created_at, SmsMessage.case_id)
        .join(Case, Case.id == SmsMessage.case_id)
        .where(SmsMessage.status != "failed")
    )
    if debtor_ids is not None:
        messages = messages.where(Case.debtor_id.in_(list(debtor_ids)))
    for debtor, sent_at, created_at, case_id in session.execute(messages):
        at = sent_at or created_at
        if since is None or at >= since:
            out[debtor].append(HistoryEntry(Channel.SMS, at, case_id))
    for entries in out.values():
        entries.sort(key=lambda h: h.at)
    return dict(out)


def contact_history(session: Session, debtor_id: str, since: datetime | None) -> list[HistoryEntry]:
    return contact_histories(session, [debtor_id], since).get(debtor_id, [])
