"""What the dialer asks of telephony: place one call and report how it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from core.call_end import conversation, right_party
from ivr.calls import CallResult


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
    language: str  # the call's language (the campaign's, or the debtor's own)
    ring_timeout_s: float  # the campaign's ring time: the originate's timeout
    variables: dict[str, str] = field(default_factory=dict)
    script: str = ""  # the campaign's dialogue script ("": the default one)
    agents_take_transfers: bool = True  # False: the bot never transfers the call


@dataclass(frozen=True, slots=True)
class DialResult:
    """What the line did (answer, cause) and, when a session ran, the dialogue's own result."""

    outcome: CallOutcome
    ended_at: datetime
    answered_at: datetime | None = None
    dialogue: CallResult | None = None  # the IVR session's result (outcome, records, transcript)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def disposition(self) -> str | None:
        """The dialogue's outcome (e.g. ``promise_to_pay``), or how a session without one ended."""
        if self.dialogue is None:
            return None
        return str(self.dialogue.outcome or self.dialogue.end_reason or "hung_up")

    @property
    def right_party(self) -> bool:
        return self.dialogue is not None and right_party(self.dialogue.outcome)

    @property
    def conversation(self) -> bool:
        return self.dialogue is not None and conversation(self.dialogue.outcome)


class Originator(Protocol):
    async def place(self, request: DialRequest) -> DialResult:
        """Dial, hold the call until it ends, and say how it went."""
        ...
