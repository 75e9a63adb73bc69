"""The dialogue state: one frozen value, replaced (never mutated) by every decision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from core.dialogue import Outcome, Parse
from core.money import Money
from nlu.policy.facts import CaseFacts, MachineHandling
from nlu.policy.script import Script

MAX_REPROMPTS = 2


class Stage(StrEnum):
    WAITING = "waiting"
    VERIFY_NAME = "verify_name"
    VERIFY_SECOND = "verify_second"
    THIRD_PARTY_TIME = "third_party_time"
    ASK_FULL = "ask_full"
    PROMISE = "promise"
    CONFIRM_PROMISE = "confirm_promise"
    OFFER_PLAN = "offer_plan"
    CONFIRM_PLAN = "confirm_plan"
    ALREADY_PAID = "already_paid"
    CALLBACK_TIME = "callback_time"
    TRANSFERRING = "transferring"
    ESTATE_CONTACT = "estate_contact"  # after a death report: who handles the affairs?
    ENDED = "ended"


# the question each stage asks (and re-asks after answering an aside)
ASK_PROMPT: dict[Stage, str] = {
    Stage.VERIFY_NAME: "ask_name",
    Stage.THIRD_PARTY_TIME: "third_party_ask_time",
    Stage.ASK_FULL: "ask_full",
    Stage.CONFIRM_PROMISE: "confirm_promise",
    Stage.OFFER_PLAN: "offer_plan",
    Stage.CONFIRM_PLAN: "confirm_plan",
    Stage.ALREADY_PAID: "already_paid_ask",
    Stage.CALLBACK_TIME: "callback_ask_time",
}


@dataclass(frozen=True, slots=True)
class DialogueState:
    facts: CaseFacts
    script: Script
    today: date
    stage: Stage = Stage.WAITING
    answered_at: datetime | None = None  # when the call was answered (a call back "at ten")
    verified: bool = False
    disclosed: bool = False
    misses: int = 0
    # the last answer at "is this {name}?" was a plausible but unconfident "yes": a second one
    # right after it verifies (nlu.policy.verification.second_yes); cleared by every other answer
    weak_yes: bool = False
    verify_failures: int = 0
    refusals: int = 0
    abuse_warned: bool = False
    hardship: bool = False
    promise_amount: Money | None = None
    promise_date: date | None = None
    plan_count: int | None = None
    plan_first_due: date | None = None  # the day the debtor asked the plan to start (plan_start)
    paid_on: date | None = None  # already paid: the day and the channel the debtor named
    paid_channel: str | None = None
    outcome: Outcome | None = None
    notes: tuple[str, ...] = field(default=())
    machine: MachineHandling = field(default_factory=MachineHandling)
    # what the debtor said about the debt before verification ("yes it's me, I already paid
    # last week"): never answered or repeated before it, acted on right after the disclosure
    held: tuple[str, Parse] | None = None
    # the phone was handed to somebody ("hold on, here he is"): we hold, then ask who speaks
    # again from the start (nlu.policy.handover); how many times this call has held
    on_hold: bool = False
    handovers: int = 0
    # words about the debt said at the keypad offer: the offer was made once more, not closed
    keypad_again: bool = False
    # what the debtor said when asking to be called back ("call me later, I'm driving"): read
    # again if the question of when gets no answer
    callback_request: str = ""

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    def to(self, stage: Stage) -> DialogueState:
        """Move to ``stage`` (a new question: the re-prompt counter starts again)."""
        return replace(self, stage=stage, misses=0, weak_yes=False)

    def noted(self, note: str) -> DialogueState:
        return replace(self, notes=(*self.notes, note))


def start(
    facts: CaseFacts, script: Script, today: date, *, machine: MachineHandling | None = None
) -> DialogueState:
    """The state before the call is answered (``machine``: how to treat an answering machine)."""
    return DialogueState(
        facts=facts, script=script, today=today, machine=machine or MachineHandling()
    )
