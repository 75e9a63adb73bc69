"""What the dialer asks of telephony: place one call and report how it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class CallOutcome(StrEnum):
    ANSWERED = "answered"  # a person answered (the bot or an agent talked to them)
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"  # network or trunk failure: worth another try later
    INVALID_NUMBER = "invalid_number"  # the number does not exist: retire it
    MACHINE = "machine"  # answering machine (AMD or first-utterance heuristic)
    ABANDONED = "abandoned"  # answered, but no agent within the grace time (predictive)


@dataclass(frozen=True, slots=True)
class DialRequest:
    attempt_id: str  # also the channel id: an originate cannot happen twice for one attempt
    case_id: str
    campaign_id: str
    phone: str  # E.164
    language: str
    ring_timeout_s: float
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DialResult:
    outcome: CallOutcome
    ended_at: datetime
    answered_at: datetime | None = None
    right_party: bool = False  # the debtor was reached (verified)
    conversation: bool = False  # a conversation about the debt took place
    disposition: str | None = None  # the dialogue's outcome, e.g. promise_to_pay
    detail: dict[str, Any] = field(default_factory=dict)


class Originator(Protocol):
    async def place(self, request: DialRequest) -> DialResult:
        """Dial, hold the call until it ends, and say how it went."""
        ...
