"""Dialogue vocabulary: what the NLU understood, what happened on the call, what to do next.

Events are past tense (``UtteranceHeard``); commands are imperative (``Say``). The IVR turns call
signals into events, feeds them to ``nlu.policy.decide`` and executes the commands it gets back,
in order. Every command is complete and self-describing: the IVR needs nothing else to run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from core.money import Money

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

Intent = Literal[
    "affirm",
    "deny",
    "ask_identity",
    "wrong_number",
    "third_party",
    "promise_to_pay",
    "already_paid",
    "hardship",
    "installment",
    "dispute",
    "request_agent",
    "callback_later",
    "refuse",
    "ask_amount",
    "ask_payment_method",
    "stop_calling",
    "acknowledge",
    "out_of_scope",
    "deceased",
]
INTENTS: tuple[Intent, ...] = (
    "affirm",
    "deny",
    "ask_identity",
    "wrong_number",
    "third_party",
    "promise_to_pay",
    "already_paid",
    "hardship",
    "installment",
    "dispute",
    "request_agent",
    "callback_later",
    "refuse",
    "ask_amount",
    "ask_payment_method",
    "stop_calling",
    "acknowledge",
    "out_of_scope",
    "deceased",
)


class Outcome(StrEnum):
    """How a call ended; the dialer and the reports key on these names."""

    PROMISE_TO_PAY = "promise_to_pay"
    PAYMENT_PLAN = "payment_plan"
    ALREADY_PAID = "already_paid"
    DISPUTE = "dispute"
    WRONG_NUMBER = "wrong_number"
    THIRD_PARTY = "third_party"
    CALLBACK_SCHEDULED = "callback_scheduled"
    REFUSED = "refused"
    TRANSFERRED = "transferred"
    CEASE_REQUESTED = "cease_requested"
    HUNG_UP = "hung_up"
    NO_ANSWER = "no_answer"
    MACHINE = "machine"  # an answering machine or a network announcement took the call
    UNVERIFIED = "unverified"  # someone answered, but who it was stayed unclear: nothing said
    # whoever answered said the debtor has died: condolences, nothing of the debt, no more
    # automated contact (the case goes to a person: deceased handling)
    DECEASED = "deceased"


# --- what the NLU understood ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AmountEntity:
    """An amount the debtor said; ``currency`` is None when they did not say one."""

    value: Decimal
    currency: str | None
    text: str = ""


@dataclass(frozen=True, slots=True)
class DateEntity:
    """A calendar date the debtor said, already resolved against "today"."""

    value: date
    text: str = ""


Entity = AmountEntity | DateEntity


@dataclass(frozen=True, slots=True)
class Parse:
    """One utterance understood: an intent with its confidence and the entities found.

    ``asr_confidence`` is the recogniser's own confidence (0..1) that the text parsed is what
    was said; None when unknown (a recogniser that reports none): the policy treats unknown as
    not confident enough to verify anyone. Typed text and keypad digits are exact: 1.0.
    """

    intent: Intent
    confidence: float
    entities: tuple[Entity, ...] = ()
    asr_confidence: float | None = None

    def heard_with(self, asr_confidence: float | None) -> Parse:
        """This parse, with the recogniser's confidence in the text it was made from."""
        return Parse(self.intent, self.confidence, self.entities, asr_confidence)

    @property
    def amount(self) -> AmountEntity | None:
        return next((e for e in self.entities if isinstance(e, AmountEntity)), None)

    @property
    def date(self) -> DateEntity | None:
        return next((e for e in self.entities if isinstance(e, DateEntity)), None)


# --- events (past tense): what happened on the call -------------------------------------------


@dataclass(frozen=True, slots=True)
class CallAnswered:
    """The callee picked up; the dialogue starts."""

    at: datetime


@dataclass(frozen=True, slots=True)
class UtteranceHeard:
    """A final transcript of one caller turn and what the NLU made of it."""

    text: str
    lang: Lang
    parse: Parse


@dataclass(frozen=True, slots=True)
class DtmfReceived:
    """Keypad digits collected after an ``AskDTMF``."""

    digits: str


@dataclass(frozen=True, slots=True)
class SilenceTimedOut:
    """The caller said nothing for ``seconds`` after a prompt."""

    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class BargedIn:
    """The caller spoke over the prompt ``prompt_key``; playback was stopped."""

    prompt_key: str


@dataclass(frozen=True, slots=True)
class PlaybackFinished:
    """The prompt ``prompt_key`` was played to the end."""

    prompt_key: str


@dataclass(frozen=True, slots=True)
class TransferFailed:
    """No agent could take the call."""

    reason: str


@dataclass(frozen=True, slots=True)
class CallerHungUp:
    """The caller hung up (the bot's own ``Hangup`` command is not this event)."""

    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MachineDetected:
    """The far end is an answering machine: ``source`` is ``asterisk`` (the PBX's AMD, before
    the greeting) or ``heuristic`` (the first utterance was a voicemail greeting)."""

    source: str
    detail: str = ""


DialogueEvent = (
    CallAnswered
    | MachineDetected
    | UtteranceHeard
    | DtmfReceived
    | SilenceTimedOut
    | BargedIn
    | PlaybackFinished
    | TransferFailed
    | CallerHungUp
)


# --- commands (imperative): what the IVR must do next -----------------------------------------


@dataclass(frozen=True, slots=True)
class Say:
    """Speak ``text``. ``prompt_key`` + ``variables`` identify it in the script, so a prompt
    without variables (``variables == ()``) is static and may be played from an audio cache."""

    text: str
    prompt_key: str
    lang: Lang
    variables: tuple[tuple[str, str], ...] = ()
    interruptible: bool = True

    @property
    def is_static(self) -> bool:
        return not self.variables


@dataclass(frozen=True, slots=True)
class AskDTMF:
    """Collect keypad digits (after the preceding ``Say``); answer with ``DtmfReceived``."""

    purpose: str
    max_digits: int = 1
    timeout_seconds: float = 8.0
    terminator: str = "#"


@dataclass(frozen=True, slots=True)
class RecordPromise:
    amount: Money
    due: date


@dataclass(frozen=True, slots=True)
class Installment:
    amount: Money
    due: date


@dataclass(frozen=True, slots=True)
class RecordPaymentPlan:
    installments: tuple[Installment, ...]

    @property
    def total(self) -> Money:
        first, *rest = self.installments
        total = first.amount
        for item in rest:
            total = total + item.amount
        return total


@dataclass(frozen=True, slots=True)
class RecordAlreadyPaid:
    """The debtor says they paid; the payment must be verified before collecting again."""

    paid_on: date | None
    channel: str | None


@dataclass(frozen=True, slots=True)
class RecordDispute:
    """A dispute stops collection on the case until it is resolved."""

    reason: str


@dataclass(frozen=True, slots=True)
class RecordCease:
    """A request to stop calling: no further calls on this case."""

    said: str


@dataclass(frozen=True, slots=True)
class RecordDeceased:
    """Whoever answered said the debtor has died: no automated contact on the case again; a
    person handles it (the estate, the proof)."""

    said: str


@dataclass(frozen=True, slots=True)
class RecordEstateContact:
    """After a death report, who handles the deceased's affairs (a name, a number) as said:
    personal data, kept as an encrypted note for the person who follows the case up."""

    said: str


@dataclass(frozen=True, slots=True)
class RecordHardship:
    said: str


@dataclass(frozen=True, slots=True)
class RecordDisclosureReview:
    """After the debt was said to a verified answerer, the speaker said he was someone else
    ("wait, no, I'm his brother") or that it was the wrong number: a possible disclosure to a
    third party, as said, for a compliance officer to review."""

    said: str


@dataclass(frozen=True, slots=True)
class ScheduleCallback:
    """Call back at ``at`` (None: the caller gave no usable time; the strategy picks one)."""

    at: datetime | None
    said: str
    with_third_party: bool = False


@dataclass(frozen=True, slots=True)
class TransferToAgent:
    reason: str
    summary: str


@dataclass(frozen=True, slots=True)
class Hangup:
    outcome: Outcome
    notes: tuple[str, ...] = field(default=())


DialogueCommand = (
    Say
    | AskDTMF
    | RecordPromise
    | RecordPaymentPlan
    | RecordAlreadyPaid
    | RecordDispute
    | RecordCease
    | RecordDeceased
    | RecordEstateContact
    | RecordHardship
    | RecordDisclosureReview
    | ScheduleCallback
    | TransferToAgent
    | Hangup
)
