"""What the case offers the dialogue: the debt, the debtor's verification data and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from core.dialogue import Lang, MachineDetected
from core.money import Money

Jurisdiction = Literal["US", "CN"]


class VerificationMode(StrEnum):
    NONE = "none"
    NAME = "name"
    NAME_AND_BIRTH_YEAR = "name_and_birth_year"
    NAME_AND_ID_LAST4 = "name_and_id_last4"


@dataclass(frozen=True, slots=True)
class NegotiationLimits:
    """The strategy's ladder: full payment, then a promise, then a plan, then an agent."""

    min_promise: Money
    max_promise_days: int = 14
    plan_lengths: tuple[int, ...] = (3, 6, 12)
    plan_first_due_days: int = 7
    plan_period_days: int = 30


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything the dialogue may say or check about one case (and nothing it must not)."""

    debtor_name: str
    balance: Money
    days_past_due: int
    product: str
    company: str
    jurisdiction: Jurisdiction
    lang: Lang
    limits: NegotiationLimits
    verification: VerificationMode = VerificationMode.NAME_AND_BIRTH_YEAR
    birth_year: int | None = None
    id_last4: str | None = None
    agent_name: str = "Alex"
    timezone: str = "UTC"
    callback_hour: int = 18
    payment_methods: str = ""
    notes: tuple[str, ...] = field(default=())
    # for the limited-content message left on an answering machine (US: a natural person's
    # name and a number to call back; both required, or no message is left)
    callback_contact: str = ""
    callback_phone: str = ""
    # the campaign's ``agents_take_transfers``: False, the bot offers a callback instead
    agents_take_transfers: bool = True


def demo_case(lang: Lang, today: date | None = None) -> CaseFacts:
    """A built-in case for ``collectbot chat --demo`` and the tests; no database needed."""
    del today
    if lang == "zh":
        return CaseFacts(
            debtor_name="李明",
            balance=Money.of(Decimal("3500"), "CNY"),
            days_past_due=45,
            product="个人消费贷款",
            company="安信消费金融",
            jurisdiction="CN",
            lang="zh",
            limits=NegotiationLimits(min_promise=Money.of(Decimal("500"), "CNY")),
            verification=VerificationMode.NAME_AND_BIRTH_YEAR,
            birth_year=1988,
            agent_name="小安",
            timezone="Asia/Shanghai",
            payment_methods="安信金融App、微信小程序或银行转账",
        )
    return CaseFacts(
        debtor_name="John Smith",
        balance=Money.of(Decimal("1250.00"), "USD"),
        days_past_due=45,
        product="personal loan",
        company="Acme Lending",
        jurisdiction="US",
        lang="en",
        limits=NegotiationLimits(min_promise=Money.of(Decimal("100"), "USD")),
        verification=VerificationMode.NAME_AND_BIRTH_YEAR,
        birth_year=1985,
        agent_name="Alex",
        timezone="America/New_York",
        payment_methods="the Acme app, online at acme.example, or by phone with a debit card",
    )


class MachineAction(StrEnum):
    MESSAGE = "message"  # the jurisdiction's limited-content message, then hang up
    HANGUP = "hangup"  # hang up without a word


DEFAULT_MACHINE_ACTION: dict[Jurisdiction, MachineAction] = {
    "US": MachineAction.MESSAGE,
    "CN": MachineAction.HANGUP,
}


@dataclass(frozen=True, slots=True)
class MachineHandling:
    """How one call treats an answering machine.

    ``heuristic``: listen for a voicemail greeting until the right party is verified;
    ``action``: None follows the jurisdiction (``DEFAULT_MACHINE_ACTION``); ``detected``: the PBX's
    verdict, known before the call reached the bot (acted on at ``CallAnswered``)."""

    heuristic: bool = True
    action: MachineAction | None = None
    detected: MachineDetected | None = None
