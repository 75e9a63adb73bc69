"""The planner: every case's next action (arm, treatment, channel, window, script), vectorised.

Input is one row per case (see ``PLAN_COLUMNS``); the contact history arrives reduced to the
anchors of :mod:`scoring.strategy.summary`. The window a row gets is one the compliance guard
allows from its first to its last minute, given the same history: contact hours of the
jurisdiction narrowed by the treatment's preferred hours, on the first local day at or after
every rule's release (cadence, 7-day caps, conversation hold, daily cap).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.money import MINOR_UNITS
from scoring.compliance import DEFAULT_PROFILES, JurisdictionProfile, Reason, profile_for
from scoring.errors import StrategyError
from scoring.strategy.arms import CHALLENGER, CHAMPION, challenger_mask
from scoring.strategy.model import Condition, Rule, Strategy

I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
NS_MIN = 60 * 1_000_000_000
DAY = 24 * 60 * NS_MIN
NAT = np.iinfo(np.int64).min
ANCHORS = (
    "last_contact_at",
    "conversation_at",
    "call_cap_anchor",
    "connected_cap_anchor",
    "sms_cap_anchor",
)
FLAG_REASONS = (
    ("cease", Reason.CEASE),
    ("attorney", Reason.ATTORNEY),
    ("deceased", Reason.DECEASED),
    ("dispute", Reason.DISPUTE_HOLD),
)
# Not a guard reason: the planner holds cases in bankruptcy (the automatic stay) for legal review.
BANKRUPTCY = "bankruptcy"
PLAN_COLUMNS = (
    "case_id",
    "jurisdiction",
    "timezone",
    "tier",
    "dpd",
    "product",
    "balance_minor",
    "currency",
    "broken_promises",
    "cease",
    "attorney",
    "deceased",
    "dispute",
    "do_not_call",
    "attempts",
    *ANCHORS,
)


def _column(frame: pd.DataFrame, name: str, missing: object) -> pd.Series:
    """A column of the frame, or ``missing`` in every row (frames built before it existed)."""
    return frame[name] if name in frame else pd.Series(missing, index=frame.index)


def _condition_mask(
    c: Condition, frame: pd.DataFrame, bucket: npt.NDArray[np.object_], scale: I64
) -> Mask:
    mask = np.ones(len(frame), dtype=bool)
    if c.tiers:
        mask &= frame["tier"].isin([t.value for t in c.tiers]).to_numpy()
    if c.dpd_buckets:
        mask &= np.isin(bucket, list(c.dpd_buckets))
    if c.products:
        mask &= frame["product"].isin(list(c.products)).to_numpy()
    balance = frame["balance_minor"].to_numpy(dtype=np.int64)
    for limit, above in ((c.balance_min, True), (c.balance_max, False)):
        if limit is not None:
            table = np.array([int(limit * Decimal(10) ** e) for e in range(5)], dtype=np.int64)
            threshold = table[scale]
            mask &= (balance >= threshold) if above else (balance <= threshold)
    broken = frame["broken_promises"].to_numpy()
    if c.broken_promises_min is not None:
        mask &= broken >= c.broken_promises_min
    if c.broken_promises_max is not None:
        mask &= broken <= c.broken_promises_max
    if c.segments:  # a frame without segments matches no segment rule
        segment = _column(frame, "segment", "")
        mask &= segment.isin(list(c.segments)).to_numpy()
    if c.early_warning is not None:
        warned = _column(frame, "early_warning", False).fillna(False)
        mask &= warned.to_numpy(dtype=bool) == c.early_warning
    return mask


def _pick_treatments(
    rules: tuple[Rule, ...],
    names: list[str],
    frame: pd.DataFrame,
    bucket: npt.NDArray[np.object_],
    scale: I64,
) -> I64:
    chosen = np.full(len(frame), -1, dtype=np.int64)
    for rule in rules:
        open_rows = chosen < 0
        if not open_rows.any():
            break
        hit = open_rows & _condition_mask(rule.when, frame, bucket, scale)
        chosen[hit] = names.index(rule.treatment)
    return chosen


def _ns(column: pd.Series) -> I64:
    values = pd.to_datetime(column, utc=True).dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _wall(utc: I64, tz: str) -> I64:
    """Local wall-clock nanoseconds (as if UTC) for UTC instants in zone ``tz``."""
    idx = pd.DatetimeIndex(utc.view("M8[ns]"), tz="UTC").tz_convert(tz).tz_localize(None)
    return np.asarray(idx.asi8, dtype=np.int64)


def _utc(wall: I64, tz: str, *, late: bool) -> I64:
    """UTC instants for local wall times; ambiguous times resolve to the safer side."""
    idx = pd.DatetimeIndex(wall.view("M8[ns]")).tz_localize(
        tz, ambiguous=np.full(len(wall), not late), nonexistent="shift_forward"
    )
    return np.asarray(idx.tz_convert("UTC").asi8, dtype=np.int64)


def _release_window(anchor: I64, days: int, tz: str) -> I64:
    """When a contact at ``anchor`` leaves a ``days`` window: 24h x days AND calendar days."""
    has = anchor != NAT
    out = np.full(len(anchor), NAT, dtype=np.int64)
    if has.any():
        a = anchor[has]
        wall = _wall(a, tz)
        midnight = wall - wall % DAY + days * DAY
        out[has] = np.maximum(a + days * DAY, _utc(midnight, tz, late=True))
    return out


def _release_next_day(anchor: I64, tz: str) -> I64:
    has = anchor != NAT
    out = np.full(len(anchor), NAT, dtype=np.int64)
    if has.any():
        wall = _wall(anchor[has], tz)
        out[has] = _utc(wall - wall % DAY + DAY, tz, late=True)
    return out


def _hours(profile: JurisdictionProfile, start: time, end: time) -> tuple[int, int]:
    lo, hi = max(profile.hours_start, start), min(profile.hours_end, end)
    if lo >= hi:
        lo, hi = profile.hours_start, profile.hours_end
    return _tod_ns(lo), _tod_ns(hi)


def _tod_ns(t: time) -> int:
    return (t.hour * 60 + t.minute) * NS_MIN


def _not_before_ns(not_before: datetime | date, n: int, tz: str) -> I64:
    if isinstance(not_before, datetime):
        return np.full(n, pd.Timestamp(not_before).as_unit("ns").value, dtype=np.int64)
    midnight = pd.Timestamp(not_before).as_unit("ns").value
    return _utc(np.full(n, midnight, dtype=np.int64), tz, late=True)


def _start(
    g: dict[str, I64], profile: JurisdictionProfile, is_call: Mask, tz: str
) -> tuple[I64, Mask]:
    """The first instant every rule allows, and rows a rule closes for good (a cap of 0)."""
    start = np.maximum(g["not_before"], np.where(g["last"] == NAT, NAT, g["last"] + g["cadence"]))
    closed = np.zeros(len(start), dtype=bool)
    call_rules = (
        (profile.after_conversation_days, g["conversation_at"], False),
        (profile.call_cap_7d, g["call_cap_anchor"], False),
        (profile.daily_connected_cap, g["connected_cap_anchor"], True),
    )
    for limit, anchor, daily in call_rules:
        if limit is None:
            continue
        if limit == 0 and anchor is not g["conversation_at"]:
            closed |= is_call
            continue
        days = limit if anchor is g["conversation_at"] else profile.window_days
        release = _release_next_day(anchor, tz) if daily else _release_window(anchor, days, tz)
        start = np.where(is_call, np.maximum(start, release), start)
    if profile.sms_cap_7d is not None:
        if profile.sms_cap_7d == 0:
            closed |= ~is_call
        release = _release_window(g["sms_cap_anchor"], profile.window_days, tz)
        start = np.where(is_call, start, np.maximum(start, release))
    return start, closed


def _window(start: I64, lo: I64, hi: I64, tz: str) -> tuple[I64, I64]:
    """Move each start into the next allowed local window; return (earliest, end) in UTC."""
    wall = _wall(start, tz)
    day = wall - wall % DAY
    tod = wall - day
    day = np.where(tod >= hi, day + DAY, day)
    moved = (tod < lo) | (tod >= hi)
    earliest = np.where(moved, _utc(day + lo, tz, late=True), start)
    return earliest, _utc(day + hi, tz, late=False)


def _times(
    frame: pd.DataFrame,
    rows: I64,
    strategy: Strategy,
    names: list[str],
    chosen: I64,
    is_call: Mask,
    not_before: datetime | date,
    profile: JurisdictionProfile,
    tz: str,
) -> tuple[I64, I64, Mask]:
    treatments = [strategy.treatments[n] for n in names]
    hours = np.array([_hours(profile, t.hours_start, t.hours_end) for t in treatments])
    cadence = np.array([t.cadence_days * DAY for t in treatments], dtype=np.int64)
    t_idx = chosen[rows]
    g = {a: _ns(frame[a].iloc[rows]) for a in ANCHORS}
    g["last"] = g["last_contact_at"]
    g["cadence"] = cadence[t_idx]
    g["not_before"] = _not_before_ns(not_before, len(rows), tz)
    start, closed = _start(g, profile, is_call[rows], tz)
    earliest, end = _window(start, hours[t_idx, 0], hours[t_idx, 1], tz)
    return earliest, end, closed


def _reason_text(bits: I64) -> npt.NDArray[np.object_]:
    names = [r.value for r in Reason] + [BANKRUPTCY]
    out = np.empty(len(bits), dtype=object)
    for value in np.unique(bits):
        text = ",".join(name for i, name in enumerate(names) if value & (1 << i))
        out[bits == value] = text
    return out


def _bankrupt(frame: pd.DataFrame) -> Mask:
    if "bankruptcy" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame["bankruptcy"].to_numpy(dtype=bool)


def _no_consent(frame: pd.DataFrame, is_call: Mask) -> Mask:
    """The planned channel is one the debtor gave no consent to (optional columns
    ``consent_call`` / ``consent_sms``, consent assumed when absent)."""
    n = len(frame)
    call = frame["consent_call"].to_numpy(dtype=bool) if "consent_call" in frame else np.ones(n)
    sms = frame["consent_sms"].to_numpy(dtype=bool) if "consent_sms" in frame else np.ones(n)
    out: Mask = np.where(is_call, ~call.astype(bool), ~sms.astype(bool))
    return out


def _flag_bits(
    frame: pd.DataFrame, is_call: Mask, profiles: Mapping[str, JurisdictionProfile]
) -> I64:
    order = list(Reason)
    bits = np.zeros(len(frame), dtype=np.int64)
    bits |= _no_consent(frame, is_call).astype(np.int64) << order.index(Reason.NO_CONSENT)
    for column, reason in FLAG_REASONS:
        bits |= frame[column].to_numpy(dtype=bool).astype(np.int64) << order.index(reason)
    covers_sms = frame["jurisdiction"].map(
        lambda j: profile_for(str(j), profiles).do_not_call_covers_sms
    )
    dnc = frame["do_not_call"].to_numpy(dtype=bool) & (is_call | covers_sms.to_numpy(dtype=bool))
    bits |= _bankrupt(frame).astype(np.int64) << len(order)
    out: I64 = bits | (dnc.astype(np.int64) << order.index(Reason.DO_NOT_CALL))
    return out


def plan(
    frame: pd.DataFrame,
    strategy: Strategy,
    not_before: datetime | date,
    profiles: Mapping[str, JurisdictionProfile] = DEFAULT_PROFILES,
) -> pd.DataFrame:
    """One next action per case; ``not_before`` is an instant, or a date (local midnight).

    An optional boolean ``bankruptcy`` column holds those cases (blocked, ``legal_review``);
    optional ``consent_call`` / ``consent_sms`` columns block a step on a channel without
    consent (``no_consent``).
    """
    missing = [c for c in PLAN_COLUMNS if c not in frame.columns]
    if missing:
        raise StrategyError(f"plan input lacks columns {missing}")
    n = len(frame)
    names = list(strategy.treatments)
    challenger = challenger_mask(frame["case_id"], strategy.experiment, strategy.challenger_share)
    buckets = np.array([b.name for b in strategy.dpd_buckets], dtype=object)
    dpd = frame["dpd"].to_numpy(dtype=np.int64)
    bucket = np.full(n, buckets[-1], dtype=object)
    for b in reversed(strategy.dpd_buckets):
        bucket[(dpd >= b.low) & ((dpd <= b.high) if b.high is not None else True)] = b.name
    scale = np.asarray(frame["currency"].map(MINOR_UNITS).fillna(2), dtype=np.int64)
    chosen = _pick_treatments(strategy.champion, names, frame, bucket, scale)
    if challenger.any():
        alt = _pick_treatments(strategy.challenger, names, frame, bucket, scale)
        chosen = np.where(challenger, alt, chosen)
    step, is_call = _steps(strategy, names, chosen, frame["attempts"].to_numpy(dtype=np.int64))
    bits = _flag_bits(frame, is_call, profiles)
    earliest = np.full(n, NAT, dtype=np.int64)
    end = np.full(n, NAT, dtype=np.int64)
    keys = frame.groupby(["timezone", "jurisdiction"], sort=False).indices
    cap_bit = {True: Reason.CALL_CAP_7D, False: Reason.SMS_CAP_7D}
    for key, found in keys.items():
        tz, jurisdiction = cast(tuple[str, str], key)
        rows = np.asarray(found, dtype=np.int64)
        profile = profile_for(jurisdiction, profiles)
        e, x, closed = _times(
            frame, rows, strategy, names, chosen, is_call, not_before, profile, tz
        )
        earliest[rows], end[rows] = e, x
        for flag in (True, False):
            hit = rows[closed & (is_call[rows] == flag)]
            bits[hit] |= 1 << list(Reason).index(cap_bit[flag])
    return _assemble(frame, strategy, names, chosen, challenger, step, is_call, bits, earliest, end)


def _steps(
    strategy: Strategy, names: list[str], chosen: I64, attempts: I64
) -> tuple[npt.NDArray[np.object_], Mask]:
    step = np.empty(len(chosen), dtype=object)
    for i, name in enumerate(names):
        rows = chosen == i
        seq = np.array([s.value for s in strategy.treatments[name].steps], dtype=object)
        step[rows] = seq[attempts[rows] % len(seq)]
    return step, step != "sms"


def _assemble(
    frame: pd.DataFrame,
    strategy: Strategy,
    names: list[str],
    chosen: I64,
    challenger: Mask,
    step: npt.NDArray[np.object_],
    is_call: Mask,
    bits: I64,
    earliest: I64,
    end: I64,
) -> pd.DataFrame:
    blocked = bits != 0
    treatments = [strategy.treatments[n] for n in names]

    def attr(field: str) -> npt.NDArray[np.generic]:
        return np.array([getattr(t, field) for t in treatments])[chosen]

    earliest = np.where(blocked, NAT, earliest)
    end = np.where(blocked, NAT, end)
    return pd.DataFrame(
        {
            "case_id": frame["case_id"].to_numpy(),
            "arm": np.where(challenger, CHALLENGER, CHAMPION),
            "treatment": np.array(names, dtype=object)[chosen],
            "step": step,
            "channel": np.where(blocked, "none", np.where(is_call, "call", "sms")),
            "script": attr("script"),
            "timezone": frame["timezone"].to_numpy(),
            "earliest": pd.to_datetime(earliest.view("M8[ns]")).tz_localize("UTC"),
            "latest": pd.to_datetime(end.view("M8[ns]")).tz_localize("UTC"),
            "blocked": blocked,
            "reasons": _reason_text(bits),
            "letter": attr("letter"),
            "field_visit": attr("field_visit"),
            "legal_review": np.asarray(attr("legal_review"), dtype=bool) | _bankrupt(frame),
            "min_promise_share": np.array(
                [str(t.negotiation.min_promise_share) for t in treatments], dtype=object
            )[chosen],
            "max_promise_days": np.array(
                [t.negotiation.max_promise_days for t in treatments], dtype=np.int64
            )[chosen],
            "plan_lengths": np.array(
                [",".join(map(str, t.negotiation.plan_lengths)) for t in treatments], dtype=object
            )[chosen],
        }
    )
