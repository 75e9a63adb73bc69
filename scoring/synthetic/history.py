"""History simulator: payments, promises and contact outcomes driven by hidden behaviour profiles.

For each synthetic case it plays the ``horizon_days`` before ``as_of`` (what the system would
have recorded: attempts, promises kept and broken, payments) and the 30 days after (the label:
did the debtor pay, and how much). Deterministic for a seed and a loan id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from core.money import Money
from scoring.model.records import (
    AttemptRecord,
    CaseRecord,
    Outcome,
    PaymentRecord,
    PromiseRecord,
)
from scoring.synthetic.portfolio import BehaviourProfile, SyntheticCase

LABEL_DAYS = 30


@dataclass(slots=True)
class _State:
    rng: random.Random
    profile: BehaviourProfile
    balance: int  # minor units still owed at the simulated moment
    payments: list[PaymentRecord]
    promises: list[PromiseRecord]
    attempts: list[AttemptRecord]
    cut: datetime  # before it the debt was still open at ``as_of``: payments were partial


@dataclass(frozen=True, slots=True)
class SimulatedCase:
    record: CaseRecord
    outcome: Outcome
    profile: BehaviourProfile


def _at(day: date, hour: int, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=UTC)


def _pay(s: _State, when: datetime, share: float) -> None:
    if when < s.cut:
        # the debt was still open at as_of: past payments were partial, each under 15 %
        s.payments.append(PaymentRecord(max(1, round(s.balance * min(share, 0.5) * 0.3)), when))
        return
    amount = max(1, min(s.balance, round(s.balance * share)))
    if s.balance > 0:
        s.payments.append(PaymentRecord(amount, when))
        s.balance -= amount


def _call(s: _State, day: date) -> None:
    p, rng = s.profile, s.rng
    hour = rng.randrange(8, 21)
    when = _at(day, hour, rng)
    answer = p.answer_rate * (1.3 if hour in p.preferred_hours else 0.7)
    if rng.random() >= min(answer, 0.95):
        s.attempts.append(AttemptRecord("call", when, False, False, "no_answer"))
        return
    if p.wrong_number or p.persona == "third_party":
        s.attempts.append(AttemptRecord("call", when, True, False, p.persona))
        return
    if p.persona == "disputer" and rng.random() < 0.6:
        s.attempts.append(AttemptRecord("call", when, True, True, "dispute"))
        return
    if rng.random() < min(0.9, p.propensity_to_pay + 0.15):
        due = day + timedelta(days=rng.randint(2, 14))
        amount = max(1, round(s.balance * rng.uniform(0.2, 1.0)))
        kept = rng.random() < p.promise_keep_rate
        status = "kept" if kept else "broken"
        s.promises.append(PromiseRecord(amount, due, status, when))
        if kept:
            _pay(s, _at(due, rng.randrange(8, 22), rng), amount / max(s.balance, 1))
        s.attempts.append(AttemptRecord("call", when, True, True, "promise"))
        return
    outcome = rng.choice(("refused", "callback", "hardship"))
    s.attempts.append(AttemptRecord("call", when, True, True, outcome))


def _day(s: _State, day: date, contact_today: bool) -> None:
    p, rng = s.profile, s.rng
    if s.balance <= 0:
        return
    if contact_today:
        if rng.random() < 0.35:
            s.attempts.append(
                AttemptRecord("sms", _at(day, rng.randrange(9, 20), rng), False, False)
            )
            if rng.random() < p.sms_response * 0.4:
                later = day + timedelta(days=rng.randint(0, 4))
                _pay(s, _at(later, rng.randrange(8, 22), rng), rng.uniform(0.2, 1.0))
        else:
            _call(s, day)
    if rng.random() < p.propensity_to_pay / 45:
        _pay(s, _at(day, rng.randrange(0, 24), rng), rng.choice((0.15, 0.3, 0.5, 1.0)))


def simulate(case: SyntheticCase, seed: int, horizon_days: int = 120) -> SimulatedCase:
    row, profile = case.row, case.profile
    as_of = date.fromisoformat(row["as_of"])
    dpd = int(row["days_past_due"])
    outstanding = Money.of(Decimal(row["outstanding"]), row["currency"]).minor
    rng = random.Random(f"{seed}:{row['loan_id']}")
    start = as_of - timedelta(days=min(horizon_days, dpd))
    cut = datetime.combine(as_of, time(0), tzinfo=UTC)
    s = _State(rng, profile, outstanding, [], [], [], cut)
    gap = rng.randint(2, 5)
    total_days = (as_of - start).days + LABEL_DAYS
    for i in range(total_days):
        _day(s, start + timedelta(days=i), i % gap == 0)
    end = cut + timedelta(days=LABEL_DAYS)
    later = [p for p in s.payments if cut <= p.paid_at < end]
    promises = tuple(
        p
        if p.due_date < as_of
        else PromiseRecord(p.amount_minor, p.due_date, "pending", p.created_at)
        for p in s.promises
        if p.created_at < cut
    )
    record = CaseRecord(
        case_id=row["loan_id"],
        product=row["product"],
        currency=row["currency"],
        principal_minor=Money.of(Decimal(row["principal"]), row["currency"]).minor,
        outstanding_minor=outstanding,
        days_past_due=dpd,
        as_of=as_of,
        origination_date=date.fromisoformat(row["origination_date"]),
        jurisdiction=row["jurisdiction"],
        timezone=row["timezone"],
        payments=tuple(p for p in s.payments if p.paid_at < cut),
        promises=promises,
        attempts=tuple(a for a in s.attempts if a.started_at < cut),
    )
    outcome = Outcome(bool(later), min(sum(p.amount_minor for p in later), outstanding))
    return SimulatedCase(record, outcome, profile)


def case_from_json(row: dict[str, str], profile: dict[str, object]) -> SyntheticCase:
    """Rebuild a synthetic case from its portfolio row and its profile as written to JSON."""
    fields = dict(profile)
    for key in ("preferred_hours", "likely_replies"):
        value = fields.get(key, ())
        fields[key] = tuple(value) if isinstance(value, list | tuple) else ()
    return SyntheticCase(row=row, profile=BehaviourProfile(**fields))  # type: ignore[arg-type]
