"""Vocabulary of the compliance guard: contacts, history, debtors, decisions, reason codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scoring.errors import ComplianceInputError


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"


class Flag(StrEnum):
    """Debtor flags that stop collection (the data layer keeps them as booleans)."""

    CEASE = "cease"
    ATTORNEY = "attorney"
    DECEASED = "deceased"
    DISPUTE = "dispute"
    BANKRUPTCY = "bankruptcy"


class Reason(StrEnum):
    """Why a contact was refused. The values are a public contract: never rename them."""

    CEASE = "cease"
    ATTORNEY = "attorney"
    DECEASED = "deceased"
    DISPUTE_HOLD = "dispute_hold"
    DO_NOT_CALL = "do_not_call"
    OUTSIDE_HOURS = "outside_hours"
    CALL_CAP_7D = "call_cap_7d"
    AFTER_CONVERSATION_7D = "after_conversation_7d"
    DAILY_CONNECTED_CAP = "daily_connected_cap"
    SMS_CAP_7D = "sms_cap_7d"
    NO_CONSENT = "no_consent"  # the debtor gave no consent to this channel


REASON_ORDER: tuple[Reason, ...] = tuple(Reason)


def require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ComplianceInputError(f"{what} must be timezone-aware, got {value.isoformat()}")


def normalize_phone(phone: str) -> str:
    """Digits with a leading '+' kept: '+1 (312) 555-0100' -> '+13125550100'."""
    text = phone.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return ("+" + digits) if text.startswith("+") else digits


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ComplianceInputError(f"unknown time zone: {name!r}") from e


@dataclass(frozen=True, slots=True)
class Contact:
    """One contact we intend to make: a call or an SMS about one debt to one number."""

    channel: Channel
    debt_id: str
    phone: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One past contact attempt with the debtor (any debt, any channel)."""

    channel: Channel
    at: datetime
    debt_id: str
    connected: bool = False
    conversation: bool = False

    def __post_init__(self) -> None:
        require_aware(self.at, "history entry time")


@dataclass(frozen=True, slots=True)
class Debtor:
    """What the guard needs to know about a debtor.

    ``timezones`` lists every zone the debtor may be in (address, phone area code); a contact
    must be convenient in all of them. The first one is the debtor's home zone. ``consent``:
    the channels the debtor agreed to be contacted on.
    """

    jurisdiction: str
    timezones: tuple[str, ...]
    flags: frozenset[Flag] = field(default_factory=frozenset)
    do_not_call: frozenset[str] = field(default_factory=frozenset)
    consent: frozenset[Channel] = frozenset({Channel.CALL, Channel.SMS})
    _zones: tuple[ZoneInfo, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.timezones:
            raise ComplianceInputError("a debtor needs at least one time zone")
        object.__setattr__(self, "_zones", tuple(zone(n) for n in self.timezones))
        dnc = frozenset(normalize_phone(p) for p in self.do_not_call)
        object.__setattr__(self, "do_not_call", dnc)

    @property
    def zones(self) -> tuple[ZoneInfo, ...]:
        return self._zones

    @classmethod
    def of(
        cls,
        jurisdiction: str,
        timezone: str,
        flags: tuple[str, ...] | list[str] = (),
        do_not_call: tuple[str, ...] | list[str] = (),
        extra_timezones: tuple[str, ...] = (),
        *,
        consent_call: bool = True,
        consent_sms: bool = True,
    ) -> Debtor:
        try:
            parsed = frozenset(Flag(f) for f in flags)
        except ValueError as e:
            raise ComplianceInputError(f"unknown debtor flag in {list(flags)!r}") from e
        consent = {Channel.CALL} if consent_call else set()
        consent |= {Channel.SMS} if consent_sms else set()
        return cls(
            jurisdiction,
            (timezone, *extra_timezones),
            parsed,
            frozenset(do_not_call),
            frozenset(consent),
        )


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reasons: tuple[Reason, ...]

    @classmethod
    def from_reasons(cls, reasons: set[Reason]) -> Decision:
        ordered = tuple(r for r in REASON_ORDER if r in reasons)
        return cls(allowed=not ordered, reasons=ordered)

    def as_json(self) -> dict[str, bool | list[str]]:
        return {"allowed": self.allowed, "reasons": [r.value for r in self.reasons]}
