"""One payment or a plan? The classifier's ``promise_to_pay`` / ``installment`` settled by what
the debtor said (English; the policy uses the same plan words for both languages).

* ``installment`` with one amount and one day still to come, and no plan words ("can I pay
  700 on the 22nd?", "1.5k in two weeks") is one payment on one day: ``promise_to_pay``.
* ``promise_to_pay`` with an amount and a repeating rate ("twenty five every friday", "a
  hundred every two weeks", "fifty a month") is a plan: ``installment``.
* a long answer whose point comes last ("we had the car trouble … but I think I can do 125 on
  the 20th"): an amount, a day to come and "I can / I'll pay" make it ``promise_to_pay``
  whatever the classifier made of the story before it (hardship, an acknowledgement, nothing).
"""

from __future__ import annotations

import re
from datetime import date

from core.dialogue import AmountEntity, DateEntity, Entity, Intent

# what makes an amount with a day a plan rather than one payment
PLAN_WORDS = re.compile(
    # ("the end of the month", "this month", "the 15th of next month" name one day, no plan)
    r"\b(?:(?<!\bthe )(?<!\bthis )(?<!\bnext )(?<!\blast )months?\b(?!\s*end\b)|monthly|weekly"
    r"|biweekly|every|each|per|installments?|instalments?|payments"
    r"|split|parts|chunks|at a time)\b"
    r"|期|每月|每个月|每周|分(?:成|开|几|[0-9一二两三四五六]次)|月供"
)
# a rate, the narrower test for turning a promise into a plan ("this month" is no rate)
_RATE_EN = re.compile(
    r"\b(?:every|each|per)\s+(?:\w+\s+)?(?:weeks?|months?|fortnight|paychecks?|payday|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?<!\bin )(?<!\bfor )(?<!within )(?<!\bof )\ba (?:week|month)\b(?!\s+(?:from|after|later))"
    r"|\b(?:monthly|weekly|biweekly)\b|\bat a time\b|\blittle by little\b"
)
_WILL_PAY_EN = re.compile(
    r"\b(?:i|we)\s+(?:think\s+)?(?:i\s+|we\s+)?(?:can|could|will|'ll|would|am gonna|'m gonna"
    r"|am going to|'m going to|'?mma|should be able to)\s+(?:\w+\s+)?(?:pay|do|send|give|put"
    r"|swing|manage|make|get you|have)\b"
)
_STORY_INTENTS: tuple[Intent, ...] = ("hardship", "acknowledge", "out_of_scope", "callback_later")


def settle(intent: Intent, entities: tuple[Entity, ...], text: str, today: date) -> Intent:
    """``intent`` with the three rules of the module's docstring applied (English text)."""
    amounts = [e for e in entities if isinstance(e, AmountEntity)]
    upcoming = [e for e in entities if isinstance(e, DateEntity) and e.value >= today]
    if intent == "installment" and len(amounts) == 1 and len(upcoming) == 1:
        return intent if PLAN_WORDS.search(text) else "promise_to_pay"
    if intent == "promise_to_pay" and amounts and _RATE_EN.search(text):
        return "installment"
    if intent in _STORY_INTENTS and amounts and upcoming and _WILL_PAY_EN.search(text):
        return "promise_to_pay"
    return intent
