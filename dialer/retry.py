"""Retry rules per call outcome: when to try again, on which number, and when to stop (pure).

``RetryRules()`` are the dialer's defaults; ``rules_for(definition)`` lays a campaign's own
``retries`` (delay and most attempts per outcome: no answer, busy, failed, machine) over them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from types import MappingProxyType

from dialer.origination import CallOutcome
from scoring.campaign import CampaignDefinition


@dataclass(frozen=True, slots=True)
class RetryRules:
    delays: dict[str, timedelta] = field(
        default_factory=lambda: {
            CallOutcome.NO_ANSWER: timedelta(hours=3),
            CallOutcome.BUSY: timedelta(minutes=20),
            CallOutcome.FAILED: timedelta(minutes=30),
            CallOutcome.MACHINE: timedelta(hours=24),
            CallOutcome.ABANDONED: timedelta(hours=2),
            CallOutcome.INVALID_NUMBER: timedelta(minutes=1),
            CallOutcome.ANSWERED: timedelta(days=3),
        }
    )
    next_number_after: frozenset[str] = frozenset(
        {CallOutcome.NO_ANSWER, CallOutcome.FAILED, CallOutcome.INVALID_NUMBER}
    )
    max_attempts_per_case: int = 12
    # the most calls of the campaign to a case that may end with this outcome (then no retry)
    max_by_outcome: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    after_interruption: timedelta = timedelta(minutes=30)  # the worker died during the call
    after_wrong_number: timedelta = timedelta(hours=1)  # the next of the debtor's numbers
    callback_unsaid: timedelta = timedelta(days=1)  # a callback asked for without a time
    promise_grace_days: int = 1  # a promise is checked this many days after its date


@dataclass(frozen=True, slots=True)
class RetryPlan:
    retry_in: timedelta | None  # None: no further attempt in this campaign
    phone_position: int  # which of the debtor's usable numbers to try next
    retire_phone: bool


def rules_for(definition: CampaignDefinition, base: RetryRules | None = None) -> RetryRules:
    """The dialer's rules with the campaign's ``retries`` laid over them."""
    rules = base or RetryRules()
    if not definition.retries:
        return rules
    delays = dict(rules.delays) | {k: r.after for k, r in definition.retries.items()}
    most = dict(rules.max_by_outcome) | {k: r.max_attempts for k, r in definition.retries.items()}
    return replace(rules, delays=delays, max_by_outcome=MappingProxyType(most))


def plan_retry(
    rules: RetryRules,
    outcome: CallOutcome,
    phone_position: int,
    usable_phones: int,
    attempts: int,
    same_outcome: int = 1,
) -> RetryPlan:
    """``attempts``: the campaign's calls to the case, this one included; ``same_outcome``: how
    many of them ended with ``outcome``."""
    retire = outcome is CallOutcome.INVALID_NUMBER
    remaining = usable_phones - (1 if retire else 0)
    most = rules.max_by_outcome.get(outcome)
    if attempts >= rules.max_attempts_per_case or remaining <= 0:
        return RetryPlan(None, 0, retire)
    if most is not None and same_outcome >= most:
        return RetryPlan(None, 0, retire)
    position = phone_position
    if outcome in rules.next_number_after:
        position = phone_position if retire else phone_position + 1
    if position >= remaining:
        position = 0
    return RetryPlan(rules.delays.get(outcome, timedelta(hours=4)), position, retire)


def plan_after_interruption(rules: RetryRules, attempts: int) -> timedelta | None:
    """When to call again after a call whose worker died (its outcome is unknown; same number).

    None: the case has had its attempts in this campaign."""
    return None if attempts >= rules.max_attempts_per_case else rules.after_interruption
