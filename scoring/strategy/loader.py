"""Load and validate a strategy YAML file; every error names the place and the problem."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scoring.errors import StrategyError
from scoring.strategy.model import (
    Condition,
    DpdBucket,
    Negotiation,
    Rule,
    Step,
    Strategy,
    Tier,
    Treatment,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Hours(_Model):
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> _Hours:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class _Negotiation(_Model):
    min_promise_share: Annotated[Decimal, Field(ge=0, le=1)]
    max_promise_days: Annotated[int, Field(ge=0, le=365)]
    plan_lengths: list[Annotated[int, Field(ge=2, le=60)]] = []


class _Treatment(_Model):
    steps: Annotated[list[Step], Field(min_length=1)]
    cadence_days: Annotated[int, Field(ge=1, le=90)]
    script: Annotated[str, Field(min_length=1)]
    negotiation: _Negotiation
    hours: _Hours = _Hours(start=time(8), end=time(21))
    letter: bool = False
    field_visit: bool = False
    legal_review: bool = False


class _Bucket(_Model):
    name: str
    low: Annotated[int, Field(ge=0)]
    high: int | None


class _When(_Model):
    tiers: list[Tier] = []
    dpd_buckets: list[str] = []
    products: list[str] = []
    balance_min: Decimal | None = None
    balance_max: Decimal | None = None
    broken_promises_min: Annotated[int, Field(ge=0)] | None = None
    broken_promises_max: Annotated[int, Field(ge=0)] | None = None
    segments: list[str] = []
    early_warning: bool | None = None


class _Rule(_Model):
    when: _When
    treatment: str


class _Strategy(_Model):
    name: str
    experiment: str = "default"
    challenger_share: Annotated[Decimal, Field(ge=0, le=1)] = Decimal(0)
    dpd_buckets: Annotated[list[_Bucket], Field(min_length=1)]
    treatments: Annotated[dict[str, _Treatment], Field(min_length=1)]
    champion: Annotated[list[_Rule], Field(min_length=1)]
    challenger: list[_Rule] = []

    @model_validator(mode="after")
    def _consistent(self) -> _Strategy:
        names = {b.name for b in self.dpd_buckets}
        for arm, rules in (("champion", self.champion), ("challenger", self.challenger)):
            for i, rule in enumerate(rules):
                if rule.treatment not in self.treatments:
                    raise ValueError(f"{arm}[{i}]: unknown treatment {rule.treatment!r}")
                unknown = set(rule.when.dpd_buckets) - names
                if unknown:
                    raise ValueError(f"{arm}[{i}]: unknown dpd bucket(s) {sorted(unknown)}")
            if rules and rules[-1].when != _When():
                raise ValueError(f"{arm}: the last rule must be a catch-all ('when: {{}}')")
        if self.challenger_share > 0 and not self.challenger:
            raise ValueError("challenger_share > 0 needs challenger rules")
        return self


def _condition(w: _When) -> Condition:
    return Condition(
        tiers=tuple(w.tiers),
        dpd_buckets=tuple(w.dpd_buckets),
        products=tuple(w.products),
        balance_min=w.balance_min,
        balance_max=w.balance_max,
        broken_promises_min=w.broken_promises_min,
        broken_promises_max=w.broken_promises_max,
        segments=tuple(w.segments),
        early_warning=w.early_warning,
    )


def _treatment(name: str, t: _Treatment) -> Treatment:
    n = t.negotiation
    return Treatment(
        name=name,
        steps=tuple(t.steps),
        cadence_days=t.cadence_days,
        script=t.script,
        negotiation=Negotiation(n.min_promise_share, n.max_promise_days, tuple(n.plan_lengths)),
        hours_start=t.hours.start,
        hours_end=t.hours.end,
        letter=t.letter,
        field_visit=t.field_visit,
        legal_review=t.legal_review,
    )


def parse_strategy(raw: object, source: str = "<strategy>") -> Strategy:
    try:
        s = _Strategy.model_validate(raw)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in e.errors()
        )
        raise StrategyError(f"{source}: invalid strategy: {problems}") from e
    return Strategy(
        name=s.name,
        dpd_buckets=tuple(DpdBucket(b.name, b.low, b.high) for b in s.dpd_buckets),
        treatments={k: _treatment(k, v) for k, v in s.treatments.items()},
        champion=tuple(Rule(_condition(r.when), r.treatment) for r in s.champion),
        challenger=tuple(Rule(_condition(r.when), r.treatment) for r in s.challenger),
        challenger_share=s.challenger_share,
        experiment=s.experiment,
    )


def load_strategy(path: Path | None = None) -> Strategy:
    """The strategy in ``path``, or the packaged default when ``path`` is None."""
    if path is None:
        text = resources.files("scoring.strategy").joinpath("default_strategy.yaml").read_text()
        source = "default_strategy.yaml"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise StrategyError(f"cannot read strategy file {path}: {e}") from e
        source = str(path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise StrategyError(f"{source}: not valid YAML: {e}") from e
    return parse_strategy(raw, source)
