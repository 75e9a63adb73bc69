"""The disclosure invariant: nothing that reveals a debt is said before right-party verification.

Which prompts reveal a debt is decided from the scripts themselves, not from a hand-kept list:
a prompt key is *debt-revealing* when any variant of its template, in its own script, contains
a debt word of either language (``DEBT_WORDS``: debt, owe, balance, overdue, collect, pay,
loan, account, 欠款, 逾期, 还款, 催收, 贷款, 账户 ...) or uses a variable that carries the debt
(``DEBT_VARIABLES``: the amount, the days overdue, the product, promise and plan figures). A
prompt added to a script later is classified the same way, so it cannot slip through.

``guard`` is applied where commands leave the policy (``nlu.policy.safety.decide``): before the
state is verified, a debt-revealing ``Say`` never leaves; the call is closed politely instead
(``unverified_close``) and the state notes ``disclosure_blocked``. Correct flow never needs it.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import replace

from core.dialogue import (
    AskDTMF,
    DialogueCommand,
    Hangup,
    Outcome,
    Say,
    TransferToAgent,
)
from nlu.policy.script import Script
from nlu.policy.state import DialogueState, Stage

DEBT_WORDS = re.compile(
    r"\b(debts?|owe[sd]?|owing|balances?|overdue|past[ -]due|delinquen\w*|arrears|collect\w*"
    r"|pay|pays|paid|paying|payments?|repay\w*|loans?|borrow\w*|lenders?|credit\w*|amount"
    r"|accounts?|installments?|instalments?|outstanding|dues?|bills?|plans?)\b"
    r"|欠|逾期|还款|还清|还上|还钱|还多少|催收|债|贷|借款|借钱|出借|账户|账单|分期|金额|付款|支付|缴|罚息|滞纳",
    re.I,
)
DEBT_VARIABLES = frozenset(
    {
        "amount",
        "days_overdue",
        "product",
        "min_amount",
        "latest_date",
        "plan_lengths",
        "payment_methods",
        "promise_amount",
        "promise_date",
        "plan_count",
        "installment_amount",
        "first_due",
    }
)
SAFE_CLOSE = "unverified_close"


def base_key(prompt_key: str) -> str:
    """``"reprompt.ask_full#1"`` -> ``"reprompt.ask_full"``."""
    return prompt_key.split("#", 1)[0]


def reveals_debt(template: str) -> bool:
    """Whether one prompt template, as written, says or carries anything about a debt."""
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
    return bool(fields & DEBT_VARIABLES) or DEBT_WORDS.search(literal) is not None


def debt_revealing_keys(script: Script) -> frozenset[str]:
    """Every prompt key of ``script`` with a variant that reveals a debt."""
    return _keys(tuple(sorted(script.prompts.items())))


@functools.cache
def _keys(prompts: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[str]:
    return frozenset(key for key, variants in prompts if any(map(reveals_debt, variants)))


def blocked(state: DialogueState, command: DialogueCommand) -> bool:
    """A ``Say`` that may not be spoken in ``state`` (not verified: no debt-revealing prompt)."""
    if state.verified or not isinstance(command, Say):
        return False
    return base_key(command.prompt_key) in debt_revealing_keys(state.script)


def guard(
    new: DialogueState, commands: list[DialogueCommand]
) -> tuple[DialogueState, list[DialogueCommand]]:
    """The policy's output, with the disclosure invariant enforced (see the module docstring)."""
    if not any(blocked(new, c) for c in commands):
        return new, commands
    kept = [
        c
        for c in commands
        if not (blocked(new, c) or isinstance(c, (Say, AskDTMF, TransferToAgent, Hangup)))
    ]
    ended = next((c.outcome for c in commands if isinstance(c, Hangup)), Outcome.UNVERIFIED)
    new = replace(new.noted("disclosure_blocked"), stage=Stage.ENDED, outcome=ended)
    close = new.script.say(SAFE_CLOSE, interruptible=False)
    return new, [*kept, close, Hangup(ended, new.notes)]
