"""A simulated call, as written in a scenario file (YAML): the case, the debtor's lines, what
should happen. ``load_scenario`` reads and checks one; ``Scenario.case_facts`` gives the
dialogue what it may say about the case. The format is documented in ``docs/simulation.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.dialogue import Lang, Outcome
from core.money import Money
from ivr.errors import IvrError
from nlu.policy import CaseFacts, NegotiationLimits, VerificationMode, demo_case

SILENCE = "<silence>"
HANGUP = "<hangup>"
SCENARIO_DIR = Path(__file__).with_name("scenarios")

_COMPANY = {"en": "Acme Lending", "zh": "安信消费金融"}
_PRODUCT = {"en": "personal loan", "zh": "个人消费贷款"}
_TIMEZONE = {"US": "America/New_York", "CN": "Asia/Shanghai"}


class ScenarioError(IvrError):
    """A scenario file that cannot be read or does not follow the format."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScenarioCase(_Model):
    name: str = Field(min_length=1)
    amount: Decimal = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)
    due_date: date
    days_past_due: int = Field(ge=0)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    id_last4: str | None = Field(default=None, pattern=r"^\d{4}$")
    verification: Literal["none", "name", "name_and_birth_year", "name_and_id_last4"] = (
        "name_and_birth_year"
    )


class ExpectedPromise(_Model):
    amount: Decimal = Field(gt=0)
    date: date


class ScenarioExpect(_Model):
    outcome: Outcome
    promise: ExpectedPromise | None = None


class Scenario(_Model):
    language: Lang
    jurisdiction: Literal["US", "CN"]
    today: date
    case: ScenarioCase
    debtor: tuple[str, ...] = Field(min_length=1)
    expect: ScenarioExpect | None = None

    def case_facts(self) -> CaseFacts:
        """The dialogue's view of the case (the minimum promise is a tenth of the balance)."""
        c, lang = self.case, self.language
        balance = Money.of(c.amount, c.currency)
        tenth = (c.amount / 10).quantize(Decimal(1), rounding=ROUND_CEILING)
        return CaseFacts(
            debtor_name=c.name,
            balance=balance,
            days_past_due=c.days_past_due,
            product=_PRODUCT[lang],
            company=_COMPANY[lang],
            jurisdiction=self.jurisdiction,
            lang=lang,
            limits=NegotiationLimits(min_promise=Money.of(min(tenth, c.amount), c.currency)),
            verification=VerificationMode(c.verification),
            birth_year=c.birth_year,
            id_last4=c.id_last4,
            timezone=_TIMEZONE[self.jurisdiction],
            payment_methods=demo_case(lang).payment_methods,
            agent_name=demo_case(lang).agent_name,
        )


@dataclass(frozen=True, slots=True)
class ExpectCheck:
    """Whether a call's outcome and promise match the scenario's ``expect``."""

    met: bool
    problems: tuple[str, ...]


def check_expectation(
    expect: ScenarioExpect | None, outcome: str, promise: tuple[Money, date] | None
) -> ExpectCheck:
    if expect is None:
        return ExpectCheck(True, ())
    problems: list[str] = []
    if outcome != expect.outcome:
        problems.append(f"outcome {outcome} != expected {expect.outcome}")
    want = expect.promise
    if want is not None and (
        promise is None
        or (promise[0].amount, promise[1])
        != (
            want.amount,
            want.date,
        )
    ):
        problems.append(f"promise {promise} != expected {want.amount} on {want.date}")
    if want is None and promise is not None and expect.outcome != Outcome.PROMISE_TO_PAY:
        problems.append(f"unexpected promise {promise}")
    return ExpectCheck(not problems, tuple(problems))


def parse_scenario(text: str, *, today: date | None = None, source: str = "<text>") -> Scenario:
    """A scenario from YAML text; ``today`` overrides the file's."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ScenarioError(f"{source}: not valid YAML: {e}") from e
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: a scenario is a mapping")
    if today is not None:
        raw["today"] = today
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as e:
        raise ScenarioError(f"{source}: {e}") from e
    if scenario.case.verification == "name_and_birth_year" and scenario.case.birth_year is None:
        raise ScenarioError(f"{source}: verification name_and_birth_year needs case.birth_year")
    if scenario.case.verification == "name_and_id_last4" and scenario.case.id_last4 is None:
        raise ScenarioError(f"{source}: verification name_and_id_last4 needs case.id_last4")
    return scenario


def load_scenario(path: Path, *, today: date | None = None) -> Scenario:
    """Read a scenario file; a bare name (``promise_en``) means a shipped example."""
    if not path.exists() and not path.suffix and (SCENARIO_DIR / f"{path}.yml").exists():
        path = SCENARIO_DIR / f"{path}.yml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError(f"cannot read scenario {path}: {e}") from e
    return parse_scenario(text, today=today, source=str(path))
